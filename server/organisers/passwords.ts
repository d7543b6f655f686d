// Organiser passwords: scrypt (memory-hard, run off the main thread by node:crypto), stored as a string that
// names its own cost, `scrypt$<logN>$<r>$<p>$<salt>$<hash>` (base64url), so a later cost can be read beside
// an older one. Checks compare in constant time; an unknown user name is checked against a dummy hash.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** The cost of new hashes: N = 2^15, r = 8, p = 1 (32 MiB of memory per hash). */
export const SCRYPT = { logN: 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32, maxmem: 64 * 1024 * 1024 } as const;

interface Parsed {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

function derive(password: string, salt: Buffer, cost: { logN: number; r: number; p: number }, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.logN, r: cost.r, p: cost.p, maxmem: SCRYPT.maxmem };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Reads a stored hash; null when it is not one this code can check (its cost outside sane bounds too). */
export function parseHash(stored: string): Parsed | null {
  const match = FORMAT.exec(stored);
  if (!match) return null;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 4 || 128 * 2 ** logN * r > SCRYPT.maxmem) return null;
  return { logN, r, p, salt: Buffer.from(match[4] as string, 'base64url'), hash: Buffer.from(match[5] as string, 'base64url') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const hash = await derive(password, salt, SCRYPT, SCRYPT.keyBytes);
  return ['scrypt', SCRYPT.logN, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** A hash of nothing anyone knows, with the current cost: checked when the user name is unknown. */
const DUMMY: Parsed = {
  logN: SCRYPT.logN,
  r: SCRYPT.r,
  p: SCRYPT.p,
  salt: randomBytes(SCRYPT.saltBytes),
  hash: randomBytes(SCRYPT.keyBytes),
};

/** True when `password` matches `stored`; `stored` null runs the same work against the dummy and answers false. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored === null ? null : parseHash(stored);
  const target = parsed ?? DUMMY;
  const key = await derive(password, target.salt, target, target.hash.length);
  return timingSafeEqual(key, target.hash) && parsed !== null;
}
