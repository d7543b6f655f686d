// REST API under /api: setup and records (conferences, points, credentials, documents, questions export,
// the conference report) and its OpenAPI document. Every route authenticates with a Bearer admin key or
// join token (auth.ts), parses with zod and answers errors as `{ error: { code, message } }` (errors.ts).
import express, { Router } from 'express';
import type { Config } from '../../config/config.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { Logger } from '../logger.ts';
import { ConferenceStore } from '../store/conferences.ts';
import { RecordingStore } from '../store/recording.ts';
import type { Database } from '../store/db.ts';
import type { RecordStore } from '../store/records.ts';
import { Gate } from './auth.ts';
import { conferenceRoutes } from './conferences.ts';
import { DOCUMENT_MAX_BYTES } from './document-files.ts';
import { documentRoutes } from './documents.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { buildOpenApi } from './openapi.ts';
import { corsGuard } from './origin.ts';
import { recordRoutes } from './records.ts';
import { recordingRoutes } from './recordings.ts';
import type { RecordingService } from '../recording/service.ts';
import { AuditStore } from '../organisers/audit.ts';
import { Organisers } from '../organisers/organisers.ts';
import { editorRoutes } from './editor.ts';
import { organiserRoutes } from './organiser.ts';
import { preparationRoutes } from './preparation.ts';

export interface ApiDeps {
  config: Config;
  conferences: ConferenceRegistry;
  credentials: CredentialIssuer;
  db: Database;
  records: RecordStore;
  recording: RecordingService;
  logger: Logger;
  /** Largest document upload (default DOCUMENT_MAX_BYTES). */
  documentMaxBytes?: number;
}

/** Largest JSON, CSV or .xlsx body: a full conference of 2000 points fits. */
export const BODY_LIMIT = '4mb';
/** An Excel workbook's media type, sent as the raw body of a points preview. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function apiRouter(deps: ApiDeps): Router {
  const { config, conferences, credentials, db, records } = deps;
  const logger = deps.logger.child({ component: 'api' });
  const organisers = new Organisers(db);
  const audit = new AuditStore(db);
  const gate = new Gate(db, credentials, conferences, organisers);
  const store = new ConferenceStore(db);
  let openapi: string | undefined;

  const router = Router();
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  router.use(corsGuard(config.http.allowedOrigins));
  router.use(express.json({ limit: BODY_LIMIT }));
  router.use(express.text({ type: 'text/csv', limit: BODY_LIMIT }));
  router.use(express.raw({ type: XLSX_TYPE, limit: BODY_LIMIT }));

  router.get('/openapi.json', (_req, res) => {
    openapi ??= JSON.stringify(buildOpenApi(), null, 2);
    res.type('application/json').send(openapi);
  });
  router.use(organiserRoutes({ gate, organisers, audit }));
  router.use(editorRoutes({ gate, conferences, store, audit }));
  router.use(preparationRoutes({ gate, db, conferences, credentials, records, audit }));
  router.use(conferenceRoutes({ gate, conferences, store, credentials, audit }));
  router.use(
    documentRoutes({ gate, records, dataDir: config.dataDir, maxBytes: deps.documentMaxBytes ?? DOCUMENT_MAX_BYTES, logger, audit }),
  );
  router.use(recordRoutes({ gate, records, recording: new RecordingStore(db) }));
  router.use(recordingRoutes({ gate, recording: deps.recording }));
  router.use(notFoundHandler);
  router.use(errorHandler(logger));
  return router;
}
