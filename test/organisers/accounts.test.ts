// Organiser accounts on a real database file: the stored password hash (format and scrypt cost), sign-in and
// its lockout (the clock is moved, not waited for), session tokens (forged, expired, signed with another key,
// ended by a new password, by disabling or by signing out) and the audit rows of each change.
import { createHmac, scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { HubError } from '../../server/errors.ts';
import { AuditStore } from '../../server/organisers/audit.ts';
import { Organisers } from '../../server/organisers/organisers.ts';
import { hashPassword, parseHash, verifyPassword } from '../../server/organisers/passwords.ts';
import { Database } from '../../server/store/db.ts';
import { ORGANISER_LIMITS } from '../../shared/organiser.ts';

const PASSWORD = 'Mật khẩu dài 2026';
const MINUTE = 60_000;

let db: Database;
let clock: number;
let organisers: Organisers;

/** The refusal's reason and parameters, or "ok". */
async function reasonOf(work: () => unknown): Promise<string | { reason: string; params: Record<string, unknown> }> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    return Object.keys(error.params).length ? { reason: error.reason, params: error.params } : error.reason;
  }
}

beforeEach(async () => {
  db = new Database(tempDataDir());
  clock = Date.parse('2026-05-01T08:00:00Z');
  organisers = new Organisers(db, { now: () => clock });
  await organisers.create('cli', { username: 'lan', displayName: 'Nguyễn Thị Lan', password: PASSWORD, admin: true });
  await organisers.create('lan', { username: 'hung', displayName: 'Trần Văn Hùng', password: PASSWORD, admin: false });
});

afterEach(() => db.close());

describe('passwords', () => {
  it('are stored as scrypt$15$8$1$salt$hash with a 16-byte salt and a 32-byte key, never in clear', async () => {
    const row = db.get<{ password_hash: string }>('SELECT password_hash FROM organisers WHERE username = ?', 'lan');
    const stored = row?.password_hash ?? '';
    expect(stored).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(PASSWORD);
    const parsed = parseHash(stored);
    if (!parsed) throw new Error('the stored hash does not parse');
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.hash).toHaveLength(32);
    // The cost is really N = 2^15, r = 8, p = 1: the same derivation gives the same key.
    const again = scryptSync(PASSWORD.normalize('NFC'), parsed.salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    expect(again.equals(parsed.hash)).toBe(true);
  });

  it('verify the right password only; each hash has its own salt; a broken stored string never matches', async () => {
    const [a, b] = [await hashPassword(PASSWORD), await hashPassword(PASSWORD)];
    expect(a).not.toBe(b);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD} `, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, null)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'plain text')).toBe(false);
    expect(await verifyPassword(PASSWORD, a.replace('scrypt$15$', 'scrypt$30$'))).toBe(false);
  });
});

describe('sign-in', () => {
  it('gives a session for the right password, records it, and answers unknown names like wrong passwords', async () => {
    const session = await organisers.signIn('lan', PASSWORD, '10.0.0.1');
    expect(session.token).toMatch(/^dcorg_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(session.expiresAt).toBe(clock + ORGANISER_LIMITS.sessionHours * 3_600_000);
    expect(session.account).toMatchObject({ username: 'lan', admin: true, lastSignInAt: clock, lockedUntil: null });
    expect(organisers.verify(session.token)).toEqual({ username: 'lan', admin: true });
    expect(await reasonOf(() => organisers.signIn('lan', 'wrong password', '10.0.0.1'))).toBe('organiser.signin_failed');
    expect(await reasonOf(() => organisers.signIn('nobody', PASSWORD, '10.0.0.1'))).toBe('organiser.signin_failed');
    const rows = new AuditStore(db).list().map((e) => [e.actor, e.action, e.target, e.details.reason ?? null, e.details.address]);
    expect(rows.slice(0, 3)).toEqual([
      ['nobody', 'signin.failed', 'nobody', 'unknown', '10.0.0.1'],
      ['lan', 'signin.failed', 'lan', 'password', '10.0.0.1'],
      ['lan', 'signin.ok', 'lan', null, '10.0.0.1'],
    ]);
    // The name as typed on a phone: capitalised, a space after it.
    expect((await organisers.signIn('Lan ', PASSWORD, '10.0.0.1')).account.username).toBe('lan');
  });

  it('locks an account after 5 wrong passwords in a row for 15 minutes, then lets the right one in', async () => {
    for (let i = 1; i < ORGANISER_LIMITS.failuresBeforeLock; i++) {
      expect(await reasonOf(() => organisers.signIn('hung', `wrong ${i}`, `10.0.1.${i}`))).toBe('organiser.signin_failed');
    }
    expect(await reasonOf(() => organisers.signIn('hung', 'wrong 5', '10.0.1.5'))).toBe('organiser.signin_failed');
    expect(organisers.account('hung')?.lockedUntil).toBe(clock + 15 * MINUTE);
    // Locked: even the right password is refused, with the minutes left rounded up.
    expect(await reasonOf(() => organisers.signIn('hung', PASSWORD, '10.0.1.6'))).toEqual({
      reason: 'organiser.locked',
      params: { minutes: 15 },
    });
    clock += 14 * MINUTE + 1;
    expect(await reasonOf(() => organisers.signIn('hung', PASSWORD, '10.0.1.6'))).toEqual({
      reason: 'organiser.locked',
      params: { minutes: 1 },
    });
    clock += MINUTE;
    expect((await organisers.signIn('hung', PASSWORD, '10.0.1.6')).account.lockedUntil).toBeNull();
    const locked = new AuditStore(db).list().find((e) => e.action === 'signin.locked');
    expect(locked).toMatchObject({ actor: 'hung', target: 'hung', details: { failures: 5, minutes: 15, address: '10.0.1.5' } });
  });

  it('a right password resets the count of failures', async () => {
    for (let i = 0; i < 4; i++) await reasonOf(() => organisers.signIn('hung', 'wrong', '10.0.2.1'));
    await organisers.signIn('hung', PASSWORD, '10.0.2.1');
    for (let i = 0; i < 4; i++) await reasonOf(() => organisers.signIn('hung', 'wrong', '10.0.2.2'));
    expect(organisers.account('hung')?.lockedUntil).toBeNull();
  });

  it('tells a disabled account only after the right password', async () => {
    await organisers.update('lan', 'hung', { disabled: true });
    expect(await reasonOf(() => organisers.signIn('hung', 'wrong password', '10.0.3.1'))).toBe('organiser.signin_failed');
    expect(await reasonOf(() => organisers.signIn('hung', PASSWORD, '10.0.3.1'))).toBe('organiser.disabled');
  });

  it(`allows ${ORGANISER_LIMITS.signInsPerMinutePerAddress} attempts a minute per address, any user name`, async () => {
    for (let i = 0; i < ORGANISER_LIMITS.signInsPerMinutePerAddress; i++) {
      await reasonOf(() => organisers.signIn(i % 3 ? `nobody-${i}` : 'hung', 'wrong', '10.0.4.1'));
      clock += 1000;
    }
    expect(await reasonOf(() => organisers.signIn('lan', PASSWORD, '10.0.4.1'))).toEqual({
      reason: 'rate.signins',
      params: { seconds: 50 },
    });
    expect((await organisers.signIn('lan', PASSWORD, '10.0.4.2')).account.username).toBe('lan');
    clock += 50_000;
    expect((await organisers.signIn('lan', PASSWORD, '10.0.4.1')).account.username).toBe('lan');
  });
});

describe('session tokens', () => {
  it('refuse forged, altered, expired and other-key tokens', async () => {
    const { token } = await organisers.signIn('hung', PASSWORD, '10.0.5.1');
    const [body, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body.slice('dcorg_'.length), 'base64url').toString()) as Record<string, unknown>;
    const forge = (changed: Record<string, unknown>, key = Buffer.alloc(32, 7)) => {
      const forged = `dcorg_${Buffer.from(JSON.stringify({ ...claims, ...changed })).toString('base64url')}`;
      return `${forged}.${createHmac('sha256', key).update(forged).digest('base64url')}`;
    };
    // Another user name with the old signature; a token signed with another key (another hub's).
    expect(await reasonOf(() => organisers.verify(`${forge({ u: 'lan' }).split('.')[0]}.${mac}`))).toBe('organiser.session_expired');
    expect(await reasonOf(() => organisers.verify(forge({})))).toBe('organiser.session_expired');
    expect(await reasonOf(() => organisers.verify(`${body}.`))).toBe('organiser.session_expired');
    expect(await reasonOf(() => organisers.verify('dcorg_garbage'))).toBe('organiser.session_expired');
    // The same hub's key read back from the database (another process, a restart) accepts it.
    const otherProcess = new Organisers(db, { now: () => clock });
    expect(otherProcess.verify(token)).toEqual({ username: 'hung', admin: false });
    clock += ORGANISER_LIMITS.sessionHours * 3_600_000 - 1;
    expect(organisers.describe(token)).toMatchObject({ token: '', account: { username: 'hung' } });
    clock += 1;
    expect(await reasonOf(() => organisers.verify(token))).toBe('organiser.session_expired');
  });

  it('take the administrator right from the database, not from the token', async () => {
    const { token } = await organisers.signIn('hung', PASSWORD, '10.0.6.1');
    expect(organisers.verify(token).admin).toBe(false);
    await organisers.update('lan', 'hung', { admin: true });
    expect(organisers.verify(token).admin).toBe(true);
  });

  it('end with a new password (set by an administrator or by oneself), disabling and signing out', async () => {
    const first = await organisers.signIn('hung', PASSWORD, '10.0.7.1');
    const second = await organisers.signIn('hung', PASSWORD, '10.0.7.2');
    await organisers.update('lan', 'hung', { password: 'một mật khẩu mới' });
    for (const { token } of [first, second]) expect(await reasonOf(() => organisers.verify(token))).toBe('organiser.session_expired');

    const before = await organisers.signIn('hung', 'một mật khẩu mới', '10.0.7.1');
    expect(await reasonOf(() => organisers.changePassword('hung', 'not it', PASSWORD))).toBe('organiser.password_wrong');
    const fresh = await organisers.changePassword('hung', 'một mật khẩu mới', PASSWORD);
    expect(await reasonOf(() => organisers.verify(before.token))).toBe('organiser.session_expired');
    expect(organisers.verify(fresh.token).username).toBe('hung');

    // Signing out in the same millisecond as signing in still ends that session; a new sign-in works.
    organisers.signOut('hung');
    expect(await reasonOf(() => organisers.verify(fresh.token))).toBe('organiser.session_expired');
    const after = await organisers.signIn('hung', PASSWORD, '10.0.7.1');
    expect(organisers.verify(after.token).username).toBe('hung');

    await organisers.update('lan', 'hung', { disabled: true });
    expect(await reasonOf(() => organisers.verify(after.token))).toBe('organiser.disabled');
    await organisers.update('lan', 'hung', { disabled: false });
    expect(await reasonOf(() => organisers.verify(after.token))).toBe('organiser.session_expired');
  });
});

describe('accounts', () => {
  it('refuse a taken or reserved name, and an administrator disabling or demoting itself', async () => {
    const body = { username: 'hung', displayName: 'X', password: PASSWORD, admin: false };
    expect(await reasonOf(() => organisers.create('lan', body))).toEqual({ reason: 'organiser.exists', params: { username: 'hung' } });
    expect(await reasonOf(() => organisers.create('lan', { ...body, username: 'cli' }))).toMatchObject({ reason: 'request.malformed' });
    expect(await reasonOf(() => organisers.update('lan', 'lan', { disabled: true }))).toBe('organiser.self');
    expect(await reasonOf(() => organisers.update('lan', 'lan', { admin: false }))).toBe('organiser.self');
    expect(await reasonOf(() => organisers.update('lan', 'nobody', { admin: false }))).toEqual({
      reason: 'organiser.unknown',
      params: { username: 'nobody' },
    });
    // Sending its own unchanged values is no change; another administrator may demote it.
    expect((await organisers.update('lan', 'lan', { admin: true, disabled: false })).admin).toBe(true);
    expect((await organisers.update('admin-key', 'lan', { admin: false })).admin).toBe(false);
  });

  it('audit each change with the fields changed, never the password', async () => {
    await organisers.update('lan', 'hung', { displayName: 'Trần Hùng', password: 'một mật khẩu mới', disabled: true });
    await organisers.update('lan', 'hung', { displayName: 'Trần Hùng' });
    const [update, create] = new AuditStore(db).list().filter((e) => e.target === 'hung');
    expect(update).toMatchObject({
      actor: 'lan',
      action: 'account.update',
      details: { changed: ['displayName', 'disabled', 'password'], displayName: 'Trần Hùng', disabled: true },
    });
    expect(JSON.stringify(update)).not.toContain('mật khẩu');
    expect(update?.details).not.toHaveProperty('password');
    expect(create).toMatchObject({ actor: 'lan', action: 'account.create', details: { displayName: 'Trần Văn Hùng', admin: false } });
    expect(organisers.list().map((a) => [a.username, a.createdBy, a.disabled])).toEqual([
      ['hung', 'lan', true],
      ['lan', 'cli', false],
    ]);
  });
});
