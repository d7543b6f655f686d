// STUB (issue #15, being written): sign-in, accounts and the audit log under /api/organiser.
import { Router } from 'express';
import type { AuditStore } from '../organisers/audit.ts';
import type { Organisers } from '../organisers/organisers.ts';
import type { Gate } from './auth.ts';

export interface OrganiserRoutesDeps {
  gate: Gate;
  organisers: Organisers;
  audit: AuditStore;
}

export function organiserRoutes(_deps: OrganiserRoutesDeps): Router {
  return Router();
}
