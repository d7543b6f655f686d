// Join credentials. The host issues, for one conference, one point and one role, a signed expiring
// token (JWT, HS256) and a short join code that is easy to type on a room PC. The role a client acts in
// comes from here only. Every credential is recorded in the database (the code only as its hash), so both
// survive a restart and a token whose record is gone or revoked is refused. A code for a role that acts
// (host, cohost, technician, secretary) is good for one join: that join redeems it and the device goes on
// with the session token from its welcome, so a code read off a printed sheet later is useless. Viewer
// codes (room displays, press: receive only) stay reusable until they expire.
import { createHash, randomBytes, randomInt, webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { type ConferenceSpec, Role } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { HandshakeAuth } from '../../shared/protocol.ts';
import { CODE_ALPHABET, displayCode, isSingleUse, LIMITS, normaliseCode, roleBelongsAt } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { Database } from '../store/db.ts';
import { RecordStore } from '../store/records.ts';

export const Claims = z.object({ conferenceId: z.string(), pointId: z.string(), role: Role });
export type Claims = z.infer<typeof Claims>;

export interface Issued {
  token: string;
  code: string;
  expiresAt: number;
}

/** One point's fresh credential for one role, as a bulk issue returns it. */
export interface IssuedForPoint extends Issued {
  pointId: string;
  pointName: string;
  role: Role;
}

/** A credential's record as the host may see it: when it was issued, expires, was redeemed or revoked; never its code or token. */
export interface CredentialRecord {
  pointId: string;
  role: Role;
  issuedAt: number;
  expiresAt: number;
  redeemedAt: number | null;
  revokedAt: number | null;
}

/** Who acted on credentials, for the event log: a session's point and role, or null (the hub at start, the CLI). */
export type CredentialActor = Actor;

const ISSUER = 'diemcau';
export const CODE_USED_MESSAGE = 'this join code has already been used; ask the host for a new code';

function newCode(): string {
  let code = '';
  for (let i = 0; i < LIMITS.joinCodeLength; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

const hashCode = (code: string): string => createHash('sha256').update(normaliseCode(code)).digest('hex');

export class CredentialIssuer {
  /** The signing key, imported once: jose would import raw bytes again on every sign and verify. */
  readonly #secret: Promise<webcrypto.CryptoKey>;
  readonly #db: Database;
  /** The event log, written in the same transactions as the credentials. */
  readonly #log: RecordStore;

  /** `secret` signs tokens; "auto" uses one drawn at the first start and kept in the database. */
  constructor(db: Database, secret: string) {
    this.#db = db;
    this.#log = new RecordStore(db);
    const raw = new TextEncoder().encode(secret === 'auto' ? this.#storedSecret() : secret);
    this.#secret = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  #storedSecret(): string {
    const row = this.#db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'auth_secret'");
    if (row) return row.value;
    const secret = randomBytes(32).toString('base64url');
    this.#db.run("INSERT INTO settings (key, value) VALUES ('auth_secret', ?)", secret);
    return secret;
  }

  async issue(claims: Claims, ttlSeconds: number, actor: CredentialActor = null): Promise<Issued> {
    return (await this.issueMany([claims], ttlSeconds, actor))[0] as Issued;
  }

  /**
   * Reissues a point's code for one role: in one transaction every earlier credential of that point and role
   * is revoked (codes and the session tokens signed for them) and a fresh one stored, both logged.
   */
  async reissue(claims: Claims, ttlSeconds: number, actor: CredentialActor): Promise<Issued & { revoked: number }> {
    let revoked = 0;
    const [issued] = await this.issueMany([claims], ttlSeconds, actor, () => {
      revoked = this.revoke(claims.conferenceId, claims.pointId, claims.role, actor);
    });
    return { ...(issued as Issued), revoked };
  }

  /** One fresh credential for every point of `spec` and each of `roles` that belongs there, in point order, in one transaction. */
  async issueForPoints(
    spec: ConferenceSpec,
    roles: readonly Role[],
    ttlSeconds: number,
    actor: CredentialActor,
  ): Promise<IssuedForPoint[]> {
    const plan = spec.points.flatMap((point) =>
      roles.filter((role) => roleBelongsAt(role, point, spec.centralPointId)).map((role) => ({ point, role })),
    );
    const issued = await this.issueMany(
      plan.map(({ point, role }) => ({ conferenceId: spec.id, pointId: point.id, role })),
      ttlSeconds,
      actor,
    );
    return plan.map(({ point, role }, i) => ({ pointId: point.id, pointName: point.name, role, ...(issued[i] as Issued) }));
  }

  /** Every credential record of a conference, oldest first: dates and states only. */
  list(conferenceId: string): CredentialRecord[] {
    return this.#db
      .all<{
        point_id: string;
        role: string;
        created_at: number;
        expires_at: number;
        redeemed_at: number | null;
        revoked_at: number | null;
      }>(
        `SELECT point_id, role, created_at, expires_at, redeemed_at, revoked_at FROM credentials
         WHERE conference_id = ? ORDER BY created_at, rowid`,
        conferenceId,
      )
      .map((r) => ({
        pointId: r.point_id,
        role: Role.parse(r.role),
        issuedAt: r.created_at,
        expiresAt: r.expires_at,
        redeemedAt: r.redeemed_at,
        revokedAt: r.revoked_at,
      }));
  }

  /**
   * Issues one credential per claims: every token is signed first, then all are stored in one transaction
   * with their event-log rows (never the code), after `before` (a revocation that goes with them).
   */
  async issueMany(list: readonly Claims[], ttlSeconds: number, actor: CredentialActor = null, before?: () => void): Promise<Issued[]> {
    const now = Date.now();
    const expiresAt = now + ttlSeconds * 1000;
    const signed = await Promise.all(
      list.map(async (claims) => {
        const jti = randomBytes(12).toString('base64url');
        const token = await new SignJWT({ ...claims })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setIssuedAt()
          .setJti(jti)
          .setExpirationTime(Math.floor(expiresAt / 1000))
          .sign(await this.#secret);
        return { claims, jti, token };
      }),
    );
    return this.#db.transaction(() => {
      before?.();
      return signed.map(({ claims, jti, token }) => {
        let code = newCode();
        while (this.#db.get('SELECT 1 AS x FROM credentials WHERE code_hash = ?', hashCode(code))) code = newCode();
        this.#db.run(
          'INSERT INTO credentials (id, conference_id, point_id, role, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          jti,
          claims.conferenceId,
          claims.pointId,
          claims.role,
          hashCode(code),
          expiresAt,
          now,
        );
        this.#log.log(claims.conferenceId, actor, 'credentials.issue', { pointId: claims.pointId, role: claims.role, expiresAt });
        return { token, code: displayCode(code), expiresAt };
      });
    });
  }

  /** Checks a handshake's token or code; throws `unauthenticated` with the reason. */
  async verify(auth: HandshakeAuth): Promise<Claims> {
    if ('code' in auth) {
      const row = this.#db.get<{
        conference_id: string;
        point_id: string;
        role: string;
        expires_at: number;
        revoked_at: number | null;
        redeemed_at: number | null;
      }>('SELECT * FROM credentials WHERE code_hash = ?', hashCode(auth.code));
      if (!row || row.revoked_at !== null) throw refuse('join.code_unknown', {}, 'unknown join code');
      if (row.expires_at <= Date.now()) throw refuse('join.code_expired', {}, 'join code expired');
      const claims = Claims.parse({ conferenceId: row.conference_id, pointId: row.point_id, role: row.role });
      if (row.redeemed_at !== null && isSingleUse(claims.role)) throw refuse('join.code_used', {}, CODE_USED_MESSAGE);
      return claims;
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(auth.token, await this.#secret, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw refuse('token.expired', {}, 'token expired');
      throw refuse('token.invalid', {}, 'invalid token');
    }
    const row = this.#db.get<{ revoked_at: number | null }>('SELECT revoked_at FROM credentials WHERE id = ?', payload.jti ?? '');
    if (!row || row.revoked_at !== null) throw refuse('token.revoked', {}, 'token revoked');
    return Claims.parse(payload);
  }

  /**
   * A token for the credential a handshake used: the token itself, or, for a join code, one signed for the
   * code's own credential record (same id, same expiry), so revoking the credential revokes both.
   */
  async sessionToken(auth: HandshakeAuth): Promise<string> {
    if ('token' in auth) return auth.token;
    const row = this.#db.get<{ id: string; conference_id: string; point_id: string; role: string; expires_at: number }>(
      'SELECT * FROM credentials WHERE code_hash = ?',
      hashCode(auth.code),
    );
    if (!row) throw refuse('join.code_unknown', {}, 'unknown join code');
    const claims = Claims.parse({ conferenceId: row.conference_id, pointId: row.point_id, role: row.role });
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setJti(row.id)
      .setExpirationTime(Math.floor(row.expires_at / 1000))
      .sign(await this.#secret);
  }

  /**
   * Marks a single-use join code redeemed, atomically, so two joins racing with one code cannot both pass.
   * Returns a function that gives the code back (the join failed after all). Tokens and viewer codes are
   * not redeemed: the returned function does nothing.
   */
  redeem(auth: HandshakeAuth, claims: Claims): () => void {
    if (!('code' in auth) || !isSingleUse(claims.role)) return () => undefined;
    const at = Date.now();
    const hash = hashCode(auth.code);
    const result = this.#db.sql
      .prepare('UPDATE credentials SET redeemed_at = ? WHERE code_hash = ? AND redeemed_at IS NULL AND revoked_at IS NULL')
      .run(at, hash);
    if (Number(result.changes) !== 1) throw refuse('join.code_used', {}, CODE_USED_MESSAGE);
    return () => this.#db.run('UPDATE credentials SET redeemed_at = NULL WHERE code_hash = ? AND redeemed_at = ?', hash, at);
  }

  /** Revokes every credential of a point and role (e.g. a lost room PC), logged in the same transaction; returns how many. */
  revoke(conferenceId: string, pointId: string, role: Claims['role'], actor: CredentialActor = null): number {
    return this.#db.transaction(() => {
      const result = this.#db.sql
        .prepare('UPDATE credentials SET revoked_at = ? WHERE conference_id = ? AND point_id = ? AND role = ? AND revoked_at IS NULL')
        .run(Date.now(), conferenceId, pointId, role);
      const count = Number(result.changes);
      this.#log.log(conferenceId, actor, 'credentials.revoke', { pointId, role, count });
      return count;
    });
  }
}
