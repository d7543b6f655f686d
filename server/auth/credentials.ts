// Join credentials. The host issues, for one conference, one point and one role, a signed expiring
// token (JWT, HS256) and a short join code that is easy to type on a room PC. The role a client acts in
// comes from here only. Codes live in memory for now (the store arrives with persistence).
import { randomBytes, randomInt } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { Role } from '../../shared/domain.ts';
import type { HandshakeAuth } from '../../shared/protocol.ts';
import { unauthenticated } from '../errors.ts';

export const Claims = z.object({ conferenceId: z.string(), pointId: z.string(), role: Role });
export type Claims = z.infer<typeof Claims>;

export interface Issued {
  token: string;
  code: string;
  expiresAt: number;
}

const ISSUER = 'diemcau';
/** Crockford base32 without I, L, O, U: nothing a technician can misread on a printed sheet. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/** Normalises what a person typed: case, spaces and dashes do not matter, O/I/L read as 0/1/1. */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Groups a code for display: ABCD-EFGH. */
export const displayCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

export class CredentialIssuer {
  readonly #secret: Uint8Array;
  readonly #codes = new Map<string, { claims: Claims; expiresAt: number }>();

  /** `secret` signs tokens; "auto" draws a random one (tokens then die with the process). */
  constructor(secret: string) {
    this.#secret = secret === 'auto' ? randomBytes(32) : new TextEncoder().encode(secret);
  }

  async issue(claims: Claims, ttlSeconds: number): Promise<Issued> {
    const expiresAt = Date.now() + ttlSeconds * 1000;
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setJti(randomBytes(9).toString('base64url'))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.#secret);
    this.#prune();
    let code = newCode();
    while (this.#codes.has(code)) code = newCode();
    this.#codes.set(code, { claims, expiresAt });
    return { token, code: displayCode(code), expiresAt };
  }

  /** Checks a handshake's token or code; throws `unauthenticated` with the reason. */
  async verify(auth: HandshakeAuth): Promise<Claims> {
    if ('code' in auth) {
      const entry = this.#codes.get(normaliseCode(auth.code));
      if (!entry) throw unauthenticated('unknown join code');
      if (entry.expiresAt <= Date.now()) throw unauthenticated('join code expired');
      return entry.claims;
    }
    try {
      const { payload } = await jwtVerify(auth.token, this.#secret, { issuer: ISSUER, algorithms: ['HS256'] });
      return Claims.parse(payload);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('token expired');
      throw unauthenticated('invalid token');
    }
  }

  #prune(): void {
    const now = Date.now();
    for (const [code, entry] of this.#codes) if (entry.expiresAt <= now) this.#codes.delete(code);
  }
}
