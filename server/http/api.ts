// REST API under /api: setup and records (conferences, points, credentials, documents, questions export,
// the conference report) and its OpenAPI document.
import { Router } from 'express';
import type { Config } from '../../config/config.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import type { RecordStore } from '../store/records.ts';

export interface ApiDeps {
  config: Config;
  conferences: ConferenceRegistry;
  credentials: CredentialIssuer;
  db: Database;
  records: RecordStore;
  logger: Logger;
}

export function apiRouter(_deps: ApiDeps): Router {
  return Router();
}
