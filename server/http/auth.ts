// Who is calling: `Authorization: Bearer <admin key | organiser token | join token>`. The admin key (for
// scripts) may do everything; an organiser (signed in on the organiser page) prepares every conference,
// and an organiser administrator also manages accounts; a join token acts only in its own conference and
// only in the roles a route allows.
import type { Request } from 'express';
import type { Role } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { Claims, CredentialIssuer } from '../auth/credentials.ts';
import type { Conference } from '../conference/conference.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import { refuse } from '../errors.ts';
import type { Database } from '../store/db.ts';
import { isAdminKey } from './admin-key.ts';

/** A signed-in organiser, as its verified session token says (the account is checked on every request). */
export interface OrganiserIdentity {
  username: string;
  admin: boolean;
}

/** Verifies organiser tokens (server/organisers/sessions.ts); refuses expired, forged or disabled ones. */
export interface OrganiserVerifier {
  /** True when `secret` looks like an organiser token (its prefix), before any check. */
  claims(secret: string): boolean;
  verify(secret: string): OrganiserIdentity;
}

export type Principal = { kind: 'admin' } | { kind: 'organiser'; organiser: OrganiserIdentity } | { kind: 'point'; claims: Claims };

/** Who did it, for the organisers' audit log: a user name, or "admin-key" for scripts. */
export function auditActor(principal: Principal): string {
  if (principal.kind === 'organiser') return principal.organiser.username;
  if (principal.kind === 'admin') return 'admin-key';
  return `${principal.claims.role}@${principal.claims.pointId}`;
}

export type { Actor };

export interface Access {
  conference: Conference;
  principal: Principal;
  actor: Actor;
}

export class Gate {
  readonly #db: Database;
  readonly #credentials: CredentialIssuer;
  readonly #conferences: ConferenceRegistry;
  readonly #organisers: OrganiserVerifier | undefined;

  constructor(db: Database, credentials: CredentialIssuer, conferences: ConferenceRegistry, organisers?: OrganiserVerifier) {
    this.#db = db;
    this.#credentials = credentials;
    this.#conferences = conferences;
    this.#organisers = organisers;
  }

  async principal(req: Request): Promise<Principal> {
    const header = req.get('authorization');
    if (!header) throw refuse('auth.header_missing', {}, 'missing Authorization: Bearer header');
    const match = /^Bearer[ ]+(\S{10,4096})$/i.exec(header.trim());
    if (!match) throw refuse('auth.header_malformed', {}, 'malformed Authorization header');
    const secret = match[1] as string;
    if (isAdminKey(this.#db, secret)) return { kind: 'admin' };
    if (this.#organisers?.claims(secret)) return { kind: 'organiser', organiser: this.#organisers.verify(secret) };
    return { kind: 'point', claims: await this.#credentials.verify({ token: secret }) };
  }

  async admin(req: Request): Promise<void> {
    const principal = await this.principal(req);
    if (principal.kind !== 'admin') throw refuse('auth.admin_only', {}, 'this needs the admin key');
  }

  /** The admin key or a signed-in organiser: preparing conferences. */
  async organiser(req: Request): Promise<Principal> {
    const principal = await this.principal(req);
    if (principal.kind === 'point') throw refuse('organiser.only', {}, 'this needs an organiser account or the admin key');
    return principal;
  }

  /** The admin key or an organiser administrator: accounts and the audit log. */
  async organiserAdmin(req: Request): Promise<Principal> {
    const principal = await this.organiser(req);
    if (principal.kind === 'organiser' && !principal.organiser.admin)
      throw refuse('organiser.admin_only', {}, 'this needs an administrator');
    return principal;
  }

  /** The caller may act on conference `id` in one of `roles` (the admin key and organisers always may). */
  async conference(req: Request, id: string, roles: readonly Role[]): Promise<Access> {
    const principal = await this.principal(req);
    if (principal.kind === 'point') {
      const { claims } = principal;
      if (claims.conferenceId !== id) throw refuse('auth.other_conference', {}, 'this credential belongs to another conference');
      if (!roles.includes(claims.role)) throw refuse('role.not_allowed', { role: claims.role }, `role ${claims.role} may not do this`);
    }
    const conference = this.#conferences.get(id);
    if (!conference) throw refuse('conference.unknown', { conferenceId: id }, `no conference ${id}`);
    const actor = principal.kind === 'point' ? { pointId: principal.claims.pointId, role: principal.claims.role } : null;
    return { conference, principal, actor };
  }
}
