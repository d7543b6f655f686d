// Who is calling: `Authorization: Bearer <admin key | join token>`. The admin may do everything; a join
// token acts only in its own conference and only in the roles a route allows.
import type { Request } from 'express';
import type { Role } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { Claims, CredentialIssuer } from '../auth/credentials.ts';
import type { Conference } from '../conference/conference.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import { refuse } from '../errors.ts';
import type { Database } from '../store/db.ts';
import { isAdminKey } from './admin-key.ts';

export type Principal = { kind: 'admin' } | { kind: 'point'; claims: Claims };

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

  constructor(db: Database, credentials: CredentialIssuer, conferences: ConferenceRegistry) {
    this.#db = db;
    this.#credentials = credentials;
    this.#conferences = conferences;
  }

  async principal(req: Request): Promise<Principal> {
    const header = req.get('authorization');
    if (!header) throw refuse('auth.header_missing', {}, 'missing Authorization: Bearer header');
    const match = /^Bearer[ ]+(\S{10,4096})$/i.exec(header.trim());
    if (!match) throw refuse('auth.header_malformed', {}, 'malformed Authorization header');
    const secret = match[1] as string;
    if (isAdminKey(this.#db, secret)) return { kind: 'admin' };
    return { kind: 'point', claims: await this.#credentials.verify({ token: secret }) };
  }

  async admin(req: Request): Promise<void> {
    const principal = await this.principal(req);
    if (principal.kind !== 'admin') throw refuse('auth.admin_only', {}, 'this needs the admin key');
  }

  /** The caller may act on conference `id` in one of `roles` (the admin always may). */
  async conference(req: Request, id: string, roles: readonly Role[]): Promise<Access> {
    const principal = await this.principal(req);
    if (principal.kind === 'point') {
      const { claims } = principal;
      if (claims.conferenceId !== id) throw refuse('auth.other_conference', {}, 'this credential belongs to another conference');
      if (!roles.includes(claims.role)) throw refuse('role.not_allowed', { role: claims.role }, `role ${claims.role} may not do this`);
    }
    const conference = this.#conferences.get(id);
    if (!conference) throw refuse('conference.unknown', { conferenceId: id }, `no conference ${id}`);
    const actor = principal.kind === 'admin' ? null : { pointId: principal.claims.pointId, role: principal.claims.role };
    return { conference, principal, actor };
  }
}
