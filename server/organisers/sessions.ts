// Organiser session tokens: `dcorg_` + base64url(JSON { u, iat, exp }) + "." + base64url(HMAC-SHA256 of the
// part before the dot), times in epoch ms. The key is 32 random bytes kept in `settings` (organiser_secret),
// made at first use, so tokens outlive a restart. This file only signs and reads; the account checks
// (disabled, sessions ended) are in organisers.ts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { refuse } from '../errors.ts';
import type { Database } from '../store/db.ts';

export const TOKEN_PREFIX = 'dcorg_';
const SETTING = 'organiser_secret';

export interface SessionClaims {
  /** The user name. */
  u: string;
  /** Issued at and expires at, epoch ms. */
  iat: number;
  exp: number;
}

/** The signing key: read from `settings`, or drawn and stored the first time (the first writer wins). */
export function sessionKey(db: Database): Buffer {
  db.run('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)', SETTING, randomBytes(32).toString('base64url'));
  const row = db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', SETTING);
  return Buffer.from(row?.value ?? '', 'base64url');
}

const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body, 'ascii').digest();

export function signSession(key: Buffer, claims: SessionClaims): string {
  const body = TOKEN_PREFIX + Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

const expired = () => refuse('organiser.session_expired', {}, 'organiser session is not valid or has expired');

/** The claims of a token this key signed and that has not expired at `now`; refuses anything else. */
export function readSession(key: Buffer, token: string, now: number): SessionClaims {
  const dot = token.lastIndexOf('.');
  if (!token.startsWith(TOKEN_PREFIX) || dot < 0) throw expired();
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const wanted = mac(key, body);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw expired();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw expired();
  }
  const { u, iat, exp } = (claims ?? {}) as Partial<SessionClaims>;
  if (typeof u !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') throw expired();
  if (exp <= now) throw expired();
  return { u, iat, exp };
}
