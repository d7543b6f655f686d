// Preparing conferences on the organiser page (issue #15): the points preview (CSV or .xlsx, every row's
// problems, nothing saved) and export (CSV and .xlsx with Vietnamese headers, which the preview reads back),
// the directory of points, the readiness overview, join codes over REST (the console's list, reissue and
// revoke, the same domain calls), and the documents' order and removal. Changes go to the audit log.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Router, type Request } from 'express';
import writeXlsxFile from 'write-excel-file/node';
import type { Role } from '../../shared/domain.ts';
import { DirectoryUpsertBody, DocumentOrderBody, type PointsPreview, type ReadinessOverview } from '../../shared/organiser.ts';
import { requests } from '../../shared/protocol.ts';
import { CONTROLLERS, readsRecords } from '../../shared/rules.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { Conference } from '../conference/conference.ts';
import { documentAudience } from '../conference/records/documents.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import { refuse } from '../errors.ts';
import type { AuditLog } from '../organisers/audit.ts';
import type { Database } from '../store/db.ts';
import { DirectoryStore } from '../store/directory.ts';
import type { RecordStore } from '../store/records.ts';
import { type Access, auditActor, type Gate } from './auth.ts';
import { toCsv } from './csv.ts';
import { documentDir } from './document-files.ts';
import { parseOr } from './errors.ts';
import { csvTable, exportHeader, exportRow, readPointRows, xlsxTable } from './points-sheet.ts';

export interface PreparationRoutesDeps {
  gate: Gate;
  db: Database;
  conferences: ConferenceRegistry;
  credentials: CredentialIssuer;
  records: RecordStore;
  audit: AuditLog;
}

/** An Excel workbook's media type (the same as api.ts's XLSX_TYPE, which parses it as a raw body). */
const XLSX_MEDIA = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ReissueBody = requests['credentials.reissue'].params;
const RevokeBody = requests['credentials.revoke'].params;

/** Reads a points list (CSV text or an .xlsx body) and checks every row; nothing is saved. */
export async function previewPoints(req: Request): Promise<PointsPreview> {
  let table;
  if (req.is('text/csv')) {
    if (typeof req.body !== 'string') throw refuse('import.body', {}, 'send the CSV as the body');
    table = csvTable(req.body);
  } else if (req.is(XLSX_MEDIA)) {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw refuse('import.body', {}, 'send the workbook as the body');
    table = await xlsxTable(req.body);
  } else {
    throw refuse('import.content_type', {}, 'send points as text/csv or an Excel workbook (.xlsx)');
  }
  const read = readPointRows(table, 'points list', 'sheet');
  const problems = read.problems.map(({ message: _line, ...p }) => p);
  return { rows: read.rows, points: read.points, pointRows: read.pointRows, problems };
}

/** Ends the sessions of a point and role whose codes were just revoked (as the console's revoke does). */
function endSessions(conference: Conference, pointId: string, role: Role): void {
  for (const s of conference.sessions().filter((s) => s.pointId === pointId && s.role === role)) {
    conference.leave(s);
    s.sink.end('replaced');
  }
}

/** The point and role must fit the conference; a host's token cannot revoke the credential it is. */
function checkRevoke({ conference, principal }: Access, pointId: string, role: Role): void {
  conference.assertRoleAtPoint(pointId, role);
  if (principal.kind === 'point' && principal.claims.pointId === pointId && principal.claims.role === role) {
    throw refuse('credentials.own', { role, pointId }, 'the credential this call is made with cannot be revoked by it');
  }
}

/** Sends the documents' new list to the sessions that see documents (everyone but a room display), as an upload does. */
function announceDocuments(conference: Conference): void {
  const documents = conference.records.documents.list();
  for (const s of conference.sessions()) {
    if (readsRecords(s.role)) s.sink.emit('documents.updated', { documents: documents.filter((d) => documentAudience(s, d)) });
  }
}

export function preparationRoutes({ gate, db, conferences, credentials, records, audit }: PreparationRoutesDeps): Router {
  const router = Router();
  const directory = new DirectoryStore(db);
  /** The data folder holds the database file (store/db.ts), and the documents under it. */
  const dataDir = dirname(db.file);

  const organiserConference = async (req: Request): Promise<{ conference: Conference; actor: string }> => {
    const principal = await gate.organiser(req);
    const id = String(req.params.id);
    const conference = conferences.get(id);
    if (!conference) throw refuse('conference.unknown', { conferenceId: id }, `no conference ${id}`);
    return { conference, actor: auditActor(principal) };
  };

  router.post('/points/preview', async (req, res) => {
    await gate.organiser(req);
    res.json(await previewPoints(req));
  });

  router.get('/conferences/:id/points.csv', async (req, res) => {
    const { conference } = await organiserConference(req);
    res.set('Content-Disposition', `attachment; filename="${conference.id}-diem-cau.csv"`);
    res.type('text/csv; charset=utf-8').send(toCsv(exportHeader(), conference.spec.points.map(exportRow)));
  });

  router.get('/conferences/:id/points.xlsx', async (req, res) => {
    const { conference } = await organiserConference(req);
    const header = exportHeader().map((value) => ({ value, fontWeight: 'bold' as const }));
    const buffer = await writeXlsxFile([header, ...conference.spec.points.map(exportRow)], {
      sheet: 'Điểm cầu',
      columns: [{ width: 24 }, { width: 40 }, { width: 12 }, { width: 24 }, { width: 14 }, { width: 40 }, { width: 30 }, { width: 12 }],
      stickyRowsCount: 1,
    }).toBuffer();
    res.set('Content-Disposition', `attachment; filename="${conference.id}-diem-cau.xlsx"`);
    res.type(XLSX_MEDIA).send(buffer);
  });

  router.get('/directory', async (req, res) => {
    await gate.organiser(req);
    res.json({ points: directory.list() });
  });

  router.put('/directory', async (req, res) => {
    const actor = auditActor(await gate.organiser(req));
    const { points } = parseOr(DirectoryUpsertBody, req.body, 'directory');
    const seen = new Set<string>();
    for (const p of points) {
      if (seen.has(p.id)) throw refuse('spec.duplicate_point', { pointId: p.id }, `point ${p.id} appears twice`);
      seen.add(p.id);
    }
    db.transaction(() => {
      const added = directory.upsert(points, actor);
      audit.record(actor, 'directory.update', 'directory', { points: points.map((p) => p.id), added });
    });
    res.json({ points: directory.list() });
  });

  router.delete('/directory/:pointId', async (req, res) => {
    const actor = auditActor(await gate.organiser(req));
    const pointId = String(req.params.pointId);
    db.transaction(() => {
      if (!directory.remove(pointId))
        throw refuse('directory.unknown', { pointId: pointId.slice(0, 64) }, `no point ${pointId} in the directory`);
      audit.record(actor, 'directory.remove', pointId);
    });
    res.status(204).end();
  });

  router.get('/conferences/:id/readiness', async (req, res) => {
    const { conference } = await organiserConference(req);
    const tests = new Map(conference.records.readiness.board().map((r) => [r.pointId, r]));
    const overview: ReadinessOverview = {
      at: Date.now(),
      points: conference.spec.points.map((p) => {
        const view = conference.pointView(p.id);
        const test = tests.get(p.id);
        return {
          pointId: p.id,
          name: p.name,
          level: p.level,
          parentId: p.parentId,
          connection: view.connection,
          connectionSince: view.connectionSince,
          state: test?.state ?? 'not_tested',
          reasons: test?.reasons ?? [],
          testedAt: test?.testedAt ?? null,
        };
      }),
    };
    res.json(overview);
  });

  router.get('/conferences/:id/credentials', async (req, res) => {
    const { conference } = await gate.conference(req, String(req.params.id), CONTROLLERS);
    res.json({ credentials: credentials.list(conference.id) });
  });

  router.post('/conferences/:id/credentials/reissue', async (req, res) => {
    const access = await gate.conference(req, String(req.params.id), CONTROLLERS);
    const { conference, actor } = access;
    const p = parseOr(ReissueBody, req.body, 'credentials.reissue');
    checkRevoke(access, p.pointId, p.role);
    const claims = { conferenceId: conference.id, pointId: p.pointId, role: p.role };
    const { code, expiresAt, revoked } = await credentials.reissue(claims, p.ttlSeconds, actor);
    endSessions(conference, p.pointId, p.role);
    audit.record(auditActor(access.principal), 'credentials.revoke', conference.id, {
      pointId: p.pointId,
      role: p.role,
      revoked,
      reissued: true,
    });
    res.status(201).json({ code, expiresAt, revoked });
  });

  router.post('/conferences/:id/credentials/revoke', async (req, res) => {
    const access = await gate.conference(req, String(req.params.id), CONTROLLERS);
    const { conference, actor } = access;
    const p = parseOr(RevokeBody, req.body, 'credentials.revoke');
    checkRevoke(access, p.pointId, p.role);
    const revoked = db.transaction(() => {
      const n = credentials.revoke(conference.id, p.pointId, p.role, actor);
      audit.record(auditActor(access.principal), 'credentials.revoke', conference.id, { pointId: p.pointId, role: p.role, revoked: n });
      return n;
    });
    endSessions(conference, p.pointId, p.role);
    res.json({ revoked });
  });

  router.put('/conferences/:id/documents/order', async (req, res) => {
    const access = await gate.conference(req, String(req.params.id), CONTROLLERS);
    const { conference } = access;
    const { ids } = parseOr(DocumentOrderBody, req.body, 'documents.order');
    const known = records.documents(conference.id).map((d) => d.id);
    if (ids.length !== known.length || new Set(ids).size !== ids.length || !ids.every((id) => known.includes(id))) {
      throw refuse('document.order', {}, 'the order must list every document of the conference once');
    }
    db.transaction(() => {
      records.orderDocuments(conference.id, ids);
      audit.record(auditActor(access.principal), 'document.order', conference.id, { ids });
    });
    announceDocuments(conference);
    res.json({ documents: records.documents(conference.id) });
  });

  router.delete('/conferences/:id/documents/:docId', async (req, res) => {
    const access = await gate.conference(req, String(req.params.id), CONTROLLERS);
    const { conference } = access;
    const doc = records.documents(conference.id).find((d) => d.id === req.params.docId);
    if (!doc) throw refuse('document.unknown', {}, 'no such document in this conference');
    db.transaction(() => {
      records.removeDocument(conference.id, doc.id);
      audit.record(auditActor(access.principal), 'document.remove', conference.id, { documentId: doc.id, name: doc.name });
    });
    await rm(join(documentDir(dataDir, conference.id), doc.id), { force: true });
    announceDocuments(conference);
    res.status(204).end();
  });

  return router;
}
