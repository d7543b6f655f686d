// The host's join codes (shared/requests/credentials.ts). Typed against the request table directly (not
// through ../handlers.ts, which spreads these: no import cycle). A revocation also ends the live sessions
// of that point and role: a lost or replaced PC stops at once, and its token no longer reconnects.
import type { z } from 'zod';
import type { Role } from '../../../shared/domain.ts';
import type { credentialRequests } from '../../../shared/requests/credentials.ts';
import type { CredentialIssuer } from '../../auth/credentials.ts';
import type { Conference } from '../../conference/conference.ts';
import { actorOf, type Session } from '../../conference/session.ts';
import { refuse } from '../../errors.ts';

type Table = typeof credentialRequests;
type Context = { conference: Conference; session: Session; credentials: CredentialIssuer };
type CredentialHandler<K extends keyof Table> = (
  ctx: Context,
  params: z.output<Table[K]['params']>,
) => Promise<z.infer<Table[K]['result']>> | z.infer<Table[K]['result']>;

/** The point and role must fit the conference; the caller cannot revoke the credential it is connected with. */
function check({ conference, session }: Context, pointId: string, role: Role, revoking: boolean): void {
  conference.assertRoleAtPoint(pointId, role);
  if (revoking && session.pointId === pointId && session.role === role) {
    throw refuse('credentials.own', { role, pointId }, 'the credential this console is connected with cannot be revoked from it');
  }
}

/** Ends the sessions of a point and role whose credentials were just revoked. */
function endSessions(conference: Conference, pointId: string, role: Role): void {
  for (const s of conference.sessions().filter((s) => s.pointId === pointId && s.role === role)) {
    conference.leave(s);
    s.sink.end('replaced');
  }
}

export const credentialHandlers: { [K in keyof Table]: CredentialHandler<K> } = {
  'credentials.issue': (ctx, p) => {
    check(ctx, p.pointId, p.role, false);
    return ctx.credentials.issue({ conferenceId: ctx.conference.id, pointId: p.pointId, role: p.role }, p.ttlSeconds, actorOf(ctx.session));
  },
  'credentials.reissue': async (ctx, p) => {
    check(ctx, p.pointId, p.role, true);
    const claims = { conferenceId: ctx.conference.id, pointId: p.pointId, role: p.role };
    const { code, expiresAt, revoked } = await ctx.credentials.reissue(claims, p.ttlSeconds, actorOf(ctx.session));
    endSessions(ctx.conference, p.pointId, p.role);
    return { code, expiresAt, revoked };
  },
  'credentials.revoke': (ctx, p) => {
    check(ctx, p.pointId, p.role, true);
    const revoked = ctx.credentials.revoke(ctx.conference.id, p.pointId, p.role, actorOf(ctx.session));
    endSessions(ctx.conference, p.pointId, p.role);
    return { revoked };
  },
  'credentials.list': ({ conference, credentials }) => ({ credentials: credentials.list(conference.id) }),
  'credentials.issueAll': async ({ conference, session, credentials }, p) => {
    const issued = await credentials.issueForPoints(conference.spec, p.roles, p.ttlSeconds, actorOf(session));
    return { credentials: issued.map(({ pointId, role, code, expiresAt }) => ({ pointId, role, code, expiresAt })) };
  },
};
