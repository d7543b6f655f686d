// Records out to the moderators: the questions (JSON or CSV for a spreadsheet) and the conference report
// (JSON or a printable HTML page).
import { Router, type Response } from 'express';
import { z } from 'zod';
import { QuestionStatus } from '../../shared/records.ts';
import { LIMITS, MODERATORS } from '../../shared/rules.ts';
import type { Conference } from '../conference/conference.ts';
import { refuse } from '../errors.ts';
import { renderReportHtml, REPORT_CSP, STYLE } from '../report/html.ts';
import { buildReport } from '../report/report.ts';
import type { RecordingStore } from '../store/recording.ts';
import type { RecordStore } from '../store/records.ts';
import type { Gate } from './auth.ts';
import { toCsv } from './csv.ts';
import { parseOr } from './errors.ts';

export const QuestionQuery = z
  .object({
    status: QuestionStatus.optional(),
    category: z.string().min(1).max(LIMITS.categoryMax).optional(),
    pointId: z.string().min(1).max(LIMITS.idMax).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

const CSV_HEADER = [
  'id',
  'pointId',
  'pointName',
  'asker',
  'unit',
  'category',
  'text',
  'status',
  'position',
  'answerMode',
  'answer',
  'dismissReason',
  'mergedInto',
  'createdAt',
  'updatedAt',
] as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export function recordRoutes({ gate, records, recording }: { gate: Gate; records: RecordStore; recording: RecordingStore }): Router {
  const router = Router();

  router.get('/conferences/:id/questions', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    const query = parseOr(QuestionQuery, req.query, 'query');
    if (query.category !== undefined && !conference.spec.questionCategories.includes(query.category)) {
      throw refuse('question.category_unknown', { category: query.category }, `unknown category "${query.category}"`);
    }
    if (query.pointId !== undefined && !conference.spec.points.some((p) => p.id === query.pointId)) {
      throw refuse('point.unknown', { pointId: query.pointId }, `no point ${query.pointId} in this conference`);
    }
    const questions = records
      .questions(conference.id)
      .filter(
        (q) =>
          (query.status === undefined || q.status === query.status) &&
          (query.category === undefined || q.category === query.category) &&
          (query.pointId === undefined || q.pointId === query.pointId),
      );
    if (query.format === 'json') {
      res.json({ questions });
      return;
    }
    const names = new Map(conference.spec.points.map((p) => [p.id, p.name]));
    const rows = questions.map((q) => [
      q.id,
      q.pointId,
      names.get(q.pointId) ?? '',
      q.asker,
      q.unit,
      q.category,
      q.text,
      q.status,
      q.position,
      q.answerMode,
      q.answer,
      q.dismissReason,
      q.mergedInto,
      iso(q.createdAt),
      iso(q.updatedAt),
    ]);
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="questions-${conference.id}.csv"`)
      .send(toCsv(CSV_HEADER, rows));
  });

  // The report page's style for a page the console opened from a blob (its inline style is not allowed there).
  router.get('/report.css', (_req, res) => {
    res.type('text/css; charset=utf-8').send(STYLE);
  });

  router.get('/conferences/:id/report', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    res.json(report(conference, records, recording));
  });

  router.get('/conferences/:id/report.html', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    sendHtml(res, renderReportHtml(report(conference, records, recording)));
  });

  return router;
}

const report = (conference: Conference, store: RecordStore, recording: RecordingStore): ReturnType<typeof buildReport> =>
  buildReport({ spec: conference.spec, status: conference.status, store, recording });

function sendHtml(res: Response, html: string): void {
  res
    .set({
      'Content-Security-Policy': REPORT_CSP,
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    })
    .type('text/html; charset=utf-8')
    .send(html);
}
