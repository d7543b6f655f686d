// The chapters of a recording, read from the event log: every speaking turn (a grant until the floor moves on),
// every agenda item (until the next), every question answered live (from "answering" to "answered"). Each is
// placed in the programme files it overlaps, in ms from the file's start, so a clip can be cut from it and the
// report can say where in the recording each part is. Pure.
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { Chapter } from '../../shared/recording.ts';
import type { QuestionView } from '../../shared/records.ts';
import type { EventRecord } from '../store/records.ts';
import type { StoredFile } from '../store/recording.ts';

interface Span {
  key: string;
  kind: Chapter['kind'];
  title: string;
  pointId: string | null;
  from: number;
  to: number | null;
}

/** The spans of the log: turns, agenda items and questions answered live, in order of their start. */
export function spansOf(events: readonly EventRecord[], spec: ConferenceSpec, questions: readonly QuestionView[]): Span[] {
  const spans: Span[] = [];
  const pointName = (id: string): string => spec.points.find((p) => p.id === id)?.name ?? id;
  let turn: Span | null = null;
  let item: Span | null = null;
  const answering = new Map<string, Span>();
  const close = (span: Span | null, at: number): null => {
    if (span && span.to === null) span.to = at;
    return null;
  };
  for (const e of events) {
    switch (e.action) {
      case 'floor.grant':
        turn = close(turn, e.at);
        turn = { key: `turn-${e.seq}`, kind: 'turn', title: pointName(e.detail.pointId), pointId: e.detail.pointId, from: e.at, to: null };
        spans.push(turn);
        break;
      case 'floor.revoke':
      case 'floor.expire':
      case 'floor.clear':
        turn = close(turn, e.at);
        break;
      case 'agenda.goto': {
        item = close(item, e.at);
        const found = spec.agenda.find((i) => i.id === e.detail.itemId);
        if (found) {
          item = { key: `agenda-${e.seq}`, kind: 'agenda', title: found.title, pointId: found.rapporteurPointId, from: e.at, to: null };
          spans.push(item);
        }
        break;
      }
      case 'question.answering': {
        const q = questions.find((x) => x.id === e.detail.questionId);
        const title = q ? [q.asker, q.unit].filter(Boolean).join(' — ') || q.text.slice(0, 80) : e.detail.questionId;
        const span: Span = { key: `question-${e.seq}`, kind: 'question', title, pointId: q?.pointId ?? null, from: e.at, to: null };
        answering.set(e.detail.questionId, span);
        break;
      }
      case 'question.answered': {
        const span = answering.get(e.detail.questionId);
        answering.delete(e.detail.questionId);
        if (span && e.detail.mode === 'live') {
          span.to = e.at;
          spans.push(span);
        }
        break;
      }
      case 'conference.status':
        if (e.detail.to === 'ended') {
          turn = close(turn, e.at);
          item = close(item, e.at);
        }
        break;
      default:
        break;
    }
  }
  return spans.sort((a, b) => a.from - b.from);
}

/** The chapters: each span placed in every programme file it overlaps (an open file runs until `now`). */
export function chaptersOf(spans: readonly Span[], files: readonly StoredFile[], now = Date.now()): Chapter[] {
  const chapters: Chapter[] = [];
  const programme = files.filter((f) => f.kind === 'programme').sort((a, b) => a.startedAt - b.startedAt);
  for (const span of spans) {
    for (const file of programme) {
      const fileEnd = file.durationMs !== null ? file.startedAt + file.durationMs : (file.endedAt ?? now);
      const from = Math.max(span.from, file.startedAt);
      const to = Math.min(span.to ?? now, fileEnd);
      if (to <= from) continue;
      const open = span.to === null && file.endedAt === null;
      chapters.push({
        id: `${span.key}-${file.id}`,
        kind: span.kind,
        title: span.title,
        pointId: span.pointId,
        fileId: file.id,
        startMs: from - file.startedAt,
        endMs: open ? null : to - file.startedAt,
        from: span.from,
        to: span.to,
      });
    }
  }
  return chapters;
}
