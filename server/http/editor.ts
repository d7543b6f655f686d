// STUB (issue #15, being written): the conference list for organisers, the spec to edit, saving an edit
// (shared/conference-edit.ts), and the templates.
import { Router } from 'express';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { AuditLog } from '../organisers/audit.ts';
import type { ConferenceStore } from '../store/conferences.ts';
import type { Gate } from './auth.ts';

export interface EditorRoutesDeps {
  gate: Gate;
  conferences: ConferenceRegistry;
  store: ConferenceStore;
  audit: AuditLog;
}

export function editorRoutes(_deps: EditorRoutesDeps): Router {
  return Router();
}
