// Join codes from the host's console: issue one, reissue (the old code and the token signed for it end),
// revoke, list each credential's state (never a code or a token), and the day's codes for every point.
import { z } from 'zod';
import { Role } from '../domain.ts';
import { CONTROLLERS, LIMITS, PERSON_ROLES } from '../rules.ts';
import { type RequestTable, id } from './common.ts';

/** The roles a person gets a code for (never the hub's own recorder). */
export const PersonRole = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRole>;

const ttlSeconds = z.number().int().min(LIMITS.tokenTtlSecondsMin).max(LIMITS.tokenTtlSecondsMax).default(LIMITS.tokenTtlSecondsDefault);

/** A credential's record: when it was issued, expires, was first used (single-use roles) or revoked. */
export const CredentialRecord = z.object({
  pointId: z.string(),
  role: Role,
  issuedAt: z.number(),
  expiresAt: z.number(),
  redeemedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type CredentialRecord = z.infer<typeof CredentialRecord>;

/** The roles of a bulk issue: each once. */
export const IssueRoles = z
  .array(PersonRole)
  .min(1)
  .max(5)
  .refine((r) => new Set(r).size === r.length, 'a role appears twice');

export const credentialRequests = {
  'credentials.issue': {
    params: z.object({ pointId: id, role: PersonRole, ttlSeconds }).strict(),
    result: z.object({ token: z.string(), code: z.string(), expiresAt: z.number() }),
    roles: CONTROLLERS,
  },
  /** Revokes every earlier code and token of the point and role, and issues a fresh code, in one transaction. */
  'credentials.reissue': {
    params: z.object({ pointId: id, role: PersonRole, ttlSeconds }).strict(),
    result: z.object({ code: z.string(), expiresAt: z.number(), revoked: z.number().int() }),
    roles: CONTROLLERS,
  },
  'credentials.revoke': {
    params: z.object({ pointId: id, role: PersonRole }).strict(),
    result: z.object({ revoked: z.number().int() }),
    roles: CONTROLLERS,
  },
  'credentials.list': {
    params: z.object({}).strict(),
    result: z.object({ credentials: z.array(CredentialRecord) }),
    roles: CONTROLLERS,
  },
  /** The day's codes: one fresh code for every point and each of `roles` that belongs there, in one transaction. */
  'credentials.issueAll': {
    params: z.object({ roles: IssueRoles, ttlSeconds }).strict(),
    result: z.object({
      credentials: z.array(z.object({ pointId: z.string(), role: Role, code: z.string(), expiresAt: z.number() })),
    }),
    roles: CONTROLLERS,
  },
} as const satisfies RequestTable;
