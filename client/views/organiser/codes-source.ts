// The organiser page's join codes through REST (GET /api/conferences/:id/credentials, POST …/credentials/bulk,
// …/reissue, …/revoke): the CodeSource the shared code board reads, with the validity of codes-validity.ts.
import { z } from 'zod';
import { Role } from '../../../shared/domain.ts';
import { CredentialRecord } from '../../../shared/requests/credentials.ts';
import type { CodeSource } from '../host/codes/board.ts';
import { api } from './api.ts';
import { codesTtlSeconds } from './codes-validity.ts';

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
