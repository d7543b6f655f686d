// The organiser page's contract (issue #15): accounts and their sign-in, the audit log, the conference list
// and templates, the points import preview and the directory of points, the readiness overview. Server
// routes parse with these schemas and the page builds its forms from them: one definition for both.
// Every path below is under /api; the page sends `Authorization: Bearer <organiser token>`.
import { z } from 'zod';
import { ConferenceStatus, ConnectionState, PointLevel, PointSpec } from './domain.ts';
import { Reason } from './errors.ts';
import { ReadinessReason } from './records.ts';

export const ORGANISER_LIMITS = {
  /** Failed sign-ins in a row that lock an account, and for how long. */
  failuresBeforeLock: 5,
  lockMinutes: 15,
  /** Sign-in attempts from one address per minute (any user name). */
  signInsPerMinutePerAddress: 10,
  /** An organiser session lasts a working day. */
  sessionHours: 12,
  passwordMin: 10,
  passwordMax: 200,
} as const;

export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/);
export const Password = z.string().min(ORGANISER_LIMITS.passwordMin).max(ORGANISER_LIMITS.passwordMax);
export const DisplayName = z.string().trim().min(1).max(100);

/** POST /organiser/session */
export const SignInBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(ORGANISER_LIMITS.passwordMax) })
  .strict();

export const OrganiserAccount = z.object({
  username: Username,
  displayName: z.string(),
  /** Administrators create, disable and reset accounts and read the audit log. */
  admin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.number(),
  createdBy: z.string().nullable(),
  lastSignInAt: z.number().nullable(),
  /** Until when the account is locked after repeated failed sign-ins (epoch ms), or null. */
  lockedUntil: z.number().nullable(),
});
export type OrganiserAccount = z.infer<typeof OrganiserAccount>;

/** Answer of POST /organiser/session and GET /organiser/me (token absent there). */
export const OrganiserSession = z.object({ token: z.string(), expiresAt: z.number(), account: OrganiserAccount });
export type OrganiserSession = z.infer<typeof OrganiserSession>;

/** POST /organiser/accounts (administrators). */
export const CreateAccountBody = z
  .object({ username: Username, displayName: DisplayName, password: Password, admin: z.boolean().default(false) })
  .strict();
/** PATCH /organiser/accounts/:username (administrators; an administrator cannot disable or demote itself). */
export const UpdateAccountBody = z
  .object({
    displayName: DisplayName.optional(),
    password: Password.optional(),
    admin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
/** PUT /organiser/password: an organiser changes its own password. */
export const ChangePasswordBody = z.object({ current: z.string().min(1).max(ORGANISER_LIMITS.passwordMax), password: Password }).strict();

export const AUDIT_ACTIONS = [
  'account.create',
  'account.update',
  'signin.ok',
  'signin.failed',
  'signin.locked',
  'conference.create',
  'conference.update',
  'directory.update',
  'directory.remove',
  'credentials.issue_all',
  'credentials.revoke',
  'document.upload',
  'document.order',
  'document.remove',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** One audit row: who (an organiser's user name, or "admin-key" for scripts, "cli" for the command line). */
export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.number(),
  actor: z.string(),
  action: AuditAction,
  /** What it acted on: a user name, a conference id, a point id. */
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The list's grouping of statuses: draft and scheduled are both still to come. */
export const ConferencePhase = z.enum(['upcoming', 'rehearsal', 'live', 'ended']);
export type ConferencePhase = z.infer<typeof ConferencePhase>;
export const phaseOf = (status: ConferenceStatus): ConferencePhase => (status === 'draft' || status === 'scheduled' ? 'upcoming' : status);

/** GET /conferences?q=&phase= (organisers and the admin key): newest start first. */
export const ConferenceListQuery = z.object({ q: z.string().max(200).optional(), phase: ConferencePhase.optional() });
export const ConferenceListItem = z.object({
  id: z.string(),
  title: z.string(),
  organiser: z.string(),
  startsAt: z.string(),
  rehearsalAt: z.string().nullable(),
  status: ConferenceStatus,
  phase: ConferencePhase,
  points: z.number().int(),
  /** Points connected now. */
  connected: z.number().int(),
});
export type ConferenceListItem = z.infer<typeof ConferenceListItem>;

/** GET /templates: the shipped seed plans (and GET /templates/:id gives the ConferenceSpec to start from). */
export const TemplateSummary = z.object({
  id: z.string(),
  title: z.string(),
  organiser: z.string(),
  points: z.number().int(),
  agendaItems: z.number().int(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

/** One problem of an imported row (its row as the spreadsheet labels it in a preview), named by its field. */
export const RowProblem = z.object({
  row: z.number().int(),
  field: z.string(),
  reason: Reason,
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type RowProblem = z.infer<typeof RowProblem>;

/**
 * POST /points/preview with a CSV (text/csv) or Excel (.xlsx) body: every row read, checked with PointSpec,
 * nothing saved. `points` holds the good rows; saving happens with the whole conference (all or nothing).
 */
export const PointsPreview = z.object({
  rows: z.number().int(),
  points: z.array(PointSpec),
  /** The spreadsheet row (as Excel labels it, the header's row included) of each point in `points`. */
  pointRows: z.array(z.number().int()),
  problems: z.array(RowProblem),
});
export type PointsPreview = z.infer<typeof PointsPreview>;

/** The directory of points kept between conferences: GET /directory, PUT /directory (upsert, all or none), DELETE /directory/:pointId. */
export const DirectoryPoint = PointSpec.extend({ updatedAt: z.number(), updatedBy: z.string() });
export type DirectoryPoint = z.infer<typeof DirectoryPoint>;
export const DirectoryUpsertBody = z.object({ points: z.array(PointSpec).min(1).max(2000) }).strict();

/** GET /conferences/:id/readiness: each point's connection and its last connection test. */
export const ReadinessRow = z.object({
  pointId: z.string(),
  name: z.string(),
  level: PointLevel,
  parentId: z.string().nullable(),
  connection: ConnectionState,
  connectionSince: z.number().nullable(),
  state: z.enum(['ready', 'not_ready', 'not_tested']),
  reasons: z.array(ReadinessReason),
  testedAt: z.number().nullable(),
});
export type ReadinessRow = z.infer<typeof ReadinessRow>;
export const ReadinessOverview = z.object({ at: z.number(), points: z.array(ReadinessRow) });
export type ReadinessOverview = z.infer<typeof ReadinessOverview>;

/** PUT /conferences/:id/documents/order: the documents' ids in their new order (all of them). */
export const DocumentOrderBody = z.object({ ids: z.array(z.string().min(1).max(100)).max(500) }).strict();
