// The operator's admin key: shown once when created, stored only as its sha256 in `settings`. The CLI
// rotates it (`admin-key`); the API reads the hash on every request, so a rotation takes effect at once,
// even while the hub runs.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../store/db.ts';

const SETTING = 'admin_key_hash';
/** A prefix that tells the key apart from a join token at a glance (a JWT starts with "ey"). */
const PREFIX = 'dcadm_';

const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** Draws a new admin key, stores its hash (replacing any older one) and returns the key itself. */
export function rotateAdminKey(db: Database): string {
  const key = PREFIX + randomBytes(32).toString('base64url');
  db.run(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    SETTING,
    digest(key).toString('hex'),
  );
  return key;
}

/** True when `presented` is the current admin key; compares digests in constant time. */
export function isAdminKey(db: Database, presented: string): boolean {
  const row = db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', SETTING);
  if (!row) return false;
  const stored = Buffer.from(row.value, 'hex');
  const given = digest(presented);
  return stored.length === given.length && timingSafeEqual(stored, given);
}
