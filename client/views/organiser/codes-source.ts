// The organiser page's join codes through REST (GET /api/conferences/:id/credentials, POST …/credentials/bulk,
// …/reissue, …/revoke): the CodeSource the shared code board reads. Codes handed out before the day are
// valid from now until the end of the day after the conference's start (within the hub's limits).
import { z } from 'zod';
import { Role } from '../../../shared/domain.ts';
import { CredentialRecord } from '../../../shared/requests/credentials.ts';
import { LIMITS } from '../../../shared/rules.ts';
import type { CodeSource } from '../host/codes/board.ts';
import { api } from './api.ts';

const DAY_MS = 86_400_000;

/** When codes issued at `now` for a conference starting at `startsAt` should end: the end of the next day. */
export function codesUntil(startsAt: string, now: number): number {
  const start = Date.parse(startsAt);
  const day = new Date(Number.isNaN(start) ? now : Math.max(start, now));
  day.setHours(23, 59, 59, 0);
  return day.getTime() + DAY_MS;
}

/** The codes' validity in seconds from `now`, within LIMITS.tokenTtlSecondsMin..Max. */
export function codesTtlSeconds(startsAt: string, now: number): number {
  const seconds = Math.ceil((codesUntil(startsAt, now) - now) / 1000);
  return Math.min(LIMITS.tokenTtlSecondsMax, Math.max(LIMITS.tokenTtlSecondsMin, seconds));
}

const Records = z.object({ credentials: z.array(CredentialRecord) });
const Issued = z.object({
  credentials: z.array(z.object({ pointId: z.string(), pointName: z.string(), role: Role, code: z.string(), expiresAt: z.number() })),
});
const Reissued = z.object({ code: z.string(), expiresAt: z.number(), revoked: z.number() });
const Revoked = z.object({ revoked: z.number() });

/** The REST CodeSource of one saved conference; `startsAt` is read at each issue (the draft may move it). */
export function restCodeSource(conferenceId: string, startsAt: () => string): CodeSource {
  const base = `/conferences/${encodeURIComponent(conferenceId)}/credentials`;
  const ttlSeconds = (): number => codesTtlSeconds(startsAt(), Date.now());
  return {
    list: async () => (await api(Records, base)).credentials,
    issueAll: async (roles) => (await api(Issued, `${base}/bulk`, 'POST', { roles, ttlSeconds: ttlSeconds() })).credentials,
    reissue: (pointId, role) => api(Reissued, `${base}/reissue`, 'POST', { pointId, role, ttlSeconds: ttlSeconds() }),
    revoke: (pointId, role) => api(Revoked, `${base}/revoke`, 'POST', { pointId, role }),
  };
}
