// STUB (issue #15, being written): points preview (CSV, .xlsx) and export, the directory of points, the
// readiness overview, codes (list, revoke) and the documents' order for the organiser page.
import { Router } from 'express';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { AuditLog } from '../organisers/audit.ts';
import type { Database } from '../store/db.ts';
import type { RecordStore } from '../store/records.ts';
import type { Gate } from './auth.ts';

export interface PreparationRoutesDeps {
  gate: Gate;
  db: Database;
  conferences: ConferenceRegistry;
  credentials: CredentialIssuer;
  records: RecordStore;
  audit: AuditLog;
}

export function preparationRoutes(_deps: PreparationRoutesDeps): Router {
  return Router();
}
