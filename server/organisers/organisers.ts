// Organiser accounts (issue #15): creation and changes (each audited, never with the password), sign-in with
// a per-address limit and a lockout after repeated wrong passwords, and signed session tokens checked on every
// request against the account (disabled, sessions ended by a sign-out, a new password or disabling).
// Ending sessions moves `sessions_from` past now: a token issued before it no longer passes.
import { ORGANISER_LIMITS, type OrganiserAccount, type OrganiserSession } from '../../shared/organiser.ts';
import { refuse } from '../errors.ts';
import type { OrganiserIdentity, OrganiserVerifier } from '../http/auth.ts';
import type { Database } from '../store/db.ts';
import { AuditStore } from './audit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { readSession, sessionKey, signSession, TOKEN_PREFIX } from './sessions.ts';
import { AddressLimit } from './signin-limit.ts';

/** Actors of the audit log that are not accounts: no account may take these names. */
export const RESERVED_NAMES: readonly string[] = ['admin-key', 'cli'];

interface OrganiserRow {
  username: string;
  display_name: string;
  password_hash: string;
  admin: number;
  disabled_at: number | null;
  failed_count: number;
  locked_until: number | null;
  created_at: number;
  created_by: string | null;
  last_signin_at: number | null;
  sessions_from: number;
}

export interface NewAccount {
  username: string;
  displayName: string;
  password: string;
  admin: boolean;
}

export interface AccountChange {
  displayName?: string | undefined;
  password?: string | undefined;
  admin?: boolean | undefined;
  disabled?: boolean | undefined;
}

export interface OrganisersOptions {
  /** The clock (epoch ms), for lockouts, limits and session times; tests move it. */
  now?: () => number;
}

const HOUR = 3_600_000;
const unknown = (username: string) => refuse('organiser.unknown', { username }, `no organiser account ${username}`);
const signInFailed = () => refuse('organiser.signin_failed', {}, 'wrong user name or password');
const expired = () => refuse('organiser.session_expired', {}, 'organiser session is not valid or has expired');

export class Organisers implements OrganiserVerifier {
  readonly #db: Database;
  readonly #audit: AuditStore;
  readonly #now: () => number;
  readonly #limit = new AddressLimit(ORGANISER_LIMITS.signInsPerMinutePerAddress, 60_000);
  #key: Buffer | undefined;

  constructor(db: Database, options: OrganisersOptions = {}) {
    this.#db = db;
    this.#audit = new AuditStore(db);
    this.#now = options.now ?? Date.now;
  }

  // --- Sessions -------------------------------------------------------------------------------------------

  claims(secret: string): boolean {
    return secret.startsWith(TOKEN_PREFIX);
  }

  verify(secret: string): OrganiserIdentity {
    const row = this.#session(secret).row;
    return { username: row.username, admin: row.admin === 1 };
  }

  /** GET /organiser/me: the account behind a valid token and when that token expires (no new token: ""). */
  describe(secret: string): OrganiserSession {
    const { row, exp } = this.#session(secret);
    return { token: '', expiresAt: exp, account: this.#account(row) };
  }

  /** Signs out everywhere: every token of the account issued until now stops working. */
  signOut(username: string): void {
    this.#endSessions(username);
  }

  #session(secret: string): { row: OrganiserRow; exp: number } {
    const claims = readSession(this.#secret(), secret, this.#now());
    const row = this.#row(claims.u);
    if (!row) throw expired();
    if (row.disabled_at !== null) throw refuse('organiser.disabled', {}, `organiser account ${row.username} is disabled`);
    if (claims.iat < row.sessions_from) throw expired();
    return { row, exp: claims.exp };
  }

  #secret(): Buffer {
    this.#key ??= sessionKey(this.#db);
    return this.#key;
  }

  /** A fresh token, never dated before the account's last end of sessions. */
  #issue(row: OrganiserRow): OrganiserSession {
    const iat = Math.max(this.#now(), row.sessions_from);
    const exp = iat + ORGANISER_LIMITS.sessionHours * HOUR;
    return { token: signSession(this.#secret(), { u: row.username, iat, exp }), expiresAt: exp, account: this.#account(row) };
  }

  #endSessions(username: string): void {
    // Past every token issued so far, even in this same millisecond (fresh ones are dated at least sessions_from).
    this.#db.run('UPDATE organisers SET sessions_from = MAX(sessions_from + 1, ?) WHERE username = ?', this.#now() + 1, username);
  }

  // --- Sign-in --------------------------------------------------------------------------------------------

  /**
   * Checks a user name and password from `address`. Unknown names and wrong passwords answer alike (and take
   * as long); a disabled account is told only once the password was right. The name is taken in lower case.
   */
  async signIn(typed: string, password: string, address: string): Promise<OrganiserSession> {
    // User names are lower case: "Lan " typed on a phone is "lan".
    const username = typed.trim().toLowerCase();
    const wait = this.#limit.take(address, this.#now());
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw refuse('rate.signins', { seconds }, `too many sign-ins from this address; wait ${seconds} s`);
    }
    const row = this.#row(username);
    if (!row) {
      await verifyPassword(password, null);
      this.#audit.record(username, 'signin.failed', username, { address, reason: 'unknown' });
      throw signInFailed();
    }
    this.#refuseLocked(row, address);
    const right = await verifyPassword(password, row.password_hash);
    const now = this.#now();
    const current = this.#row(username) ?? row;
    this.#refuseLocked(current, address);
    if (!right) {
      this.#fail(current.username, address);
      throw signInFailed();
    }
    if (current.disabled_at !== null) {
      this.#audit.record(username, 'signin.failed', username, { address, reason: 'disabled' });
      throw refuse('organiser.disabled', {}, `organiser account ${username} is disabled`);
    }
    return this.#db.transaction(() => {
      this.#db.run('UPDATE organisers SET failed_count = 0, locked_until = NULL, last_signin_at = ? WHERE username = ?', now, username);
      this.#audit.record(username, 'signin.ok', username, { address });
      return this.#issue(this.#row(username) ?? current);
    });
  }

  #refuseLocked(row: OrganiserRow, address: string | null): void {
    const left = (row.locked_until ?? 0) - this.#now();
    if (left <= 0) return;
    const minutes = Math.ceil(left / 60_000);
    if (address !== null) this.#audit.record(row.username, 'signin.failed', row.username, { address, reason: 'locked' });
    throw refuse('organiser.locked', { minutes }, `organiser account ${row.username} is locked for ${minutes} min`);
  }

  /** One more wrong password: at the limit, the account is locked and its count starts again. */
  #fail(username: string, address: string | null): void {
    this.#db.transaction(() => {
      const counted = this.#db.get<{ failed_count: number }>(
        'UPDATE organisers SET failed_count = failed_count + 1 WHERE username = ? RETURNING failed_count',
        username,
      );
      const failures = counted?.failed_count ?? 0;
      this.#audit.record(username, 'signin.failed', username, { address, reason: 'password', failures });
      if (failures < ORGANISER_LIMITS.failuresBeforeLock) return;
      const until = this.#now() + ORGANISER_LIMITS.lockMinutes * 60_000;
      this.#db.run('UPDATE organisers SET failed_count = 0, locked_until = ? WHERE username = ?', until, username);
      this.#audit.record(username, 'signin.locked', username, { address, failures, minutes: ORGANISER_LIMITS.lockMinutes });
    });
  }

  // --- Accounts -------------------------------------------------------------------------------------------

  account(username: string): OrganiserAccount | null {
    const row = this.#row(username);
    return row ? this.#account(row) : null;
  }

  list(): OrganiserAccount[] {
    return this.#db.all<OrganiserRow>('SELECT * FROM organisers ORDER BY username').map((row) => this.#account(row));
  }

  /** A new account; `actor` is who made it (an administrator's user name, "admin-key" or "cli"). */
  async create(actor: string, account: NewAccount): Promise<OrganiserAccount> {
    const { username } = account;
    if (RESERVED_NAMES.includes(username)) {
      throw refuse('request.malformed', { request: 'account', field: 'username' }, `${username} is reserved for the audit log`);
    }
    const taken = () => refuse('organiser.exists', { username }, `organiser account ${username} exists already`);
    if (this.#row(username)) throw taken();
    const hash = await hashPassword(account.password);
    return this.#db.transaction(() => {
      if (this.#row(username)) throw taken();
      this.#db.run(
        'INSERT INTO organisers (username, display_name, password_hash, admin, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)',
        ...[username, account.displayName, hash, account.admin ? 1 : 0, this.#now(), actor],
      );
      this.#audit.record(actor, 'account.create', username, { displayName: account.displayName, admin: account.admin });
      return this.account(username) as OrganiserAccount;
    });
  }

  /**
   * Changes an account (administrators, the admin key, the CLI). `actor` equal to `username` is an
   * administrator changing itself: it may not disable itself or give up its administrator right. A new
   * password also lifts a lockout; a new password or disabling ends the account's sessions.
   */
  async update(actor: string, username: string, change: AccountChange): Promise<OrganiserAccount> {
    const before = this.#row(username);
    if (!before) throw unknown(username);
    const self = () => refuse('organiser.self', {}, 'an administrator may not disable or demote itself');
    const hash = change.password === undefined ? null : await hashPassword(change.password);
    return this.#db.transaction(() => {
      const row = this.#row(username);
      if (!row) throw unknown(username);
      const details: Record<string, unknown> = {};
      const set = (field: string, sql: string, ...params: (string | number | null)[]) => {
        this.#db.run(`UPDATE organisers SET ${sql} WHERE username = ?`, ...params, username);
        details[field] ??= true;
      };
      if (change.displayName !== undefined && change.displayName !== row.display_name) {
        set('displayName', 'display_name = ?', change.displayName);
        details.displayName = change.displayName;
      }
      if (change.admin !== undefined && change.admin !== (row.admin === 1)) {
        if (actor === username && !change.admin) throw self();
        set('admin', 'admin = ?', change.admin ? 1 : 0);
        details.admin = change.admin;
      }
      if (change.disabled !== undefined && change.disabled !== (row.disabled_at !== null)) {
        if (actor === username && change.disabled) throw self();
        set('disabled', 'disabled_at = ?', change.disabled ? this.#now() : null);
        details.disabled = change.disabled;
        if (change.disabled) this.#endSessions(username);
      }
      if (hash !== null) {
        set('password', 'password_hash = ?, failed_count = 0, locked_until = NULL', hash);
        this.#endSessions(username);
      }
      const changed = Object.keys(details);
      if (changed.length > 0) {
        const { password: _never, ...values } = details;
        this.#audit.record(actor, 'account.update', username, { changed, ...values });
      }
      return this.account(username) as OrganiserAccount;
    });
  }

  /**
   * An organiser changes its own password (the current one first: a wrong one counts like a wrong sign-in).
   * Every other session of the account ends; the answer carries a fresh token for the caller.
   */
  async changePassword(username: string, current: string, password: string): Promise<OrganiserSession> {
    const row = this.#row(username);
    if (!row) throw expired();
    this.#refuseLocked(row, null);
    if (!(await verifyPassword(current, row.password_hash))) {
      this.#fail(username, null);
      throw refuse('organiser.password_wrong', {}, 'the current password is wrong');
    }
    await this.update(username, username, { password });
    return this.#issue(this.#row(username) ?? row);
  }

  #row(username: string): OrganiserRow | undefined {
    return this.#db.get<OrganiserRow>('SELECT * FROM organisers WHERE username = ?', username);
  }

  #account(row: OrganiserRow): OrganiserAccount {
    const locked = row.locked_until !== null && row.locked_until > this.#now();
    return {
      username: row.username,
      displayName: row.display_name,
      admin: row.admin === 1,
      disabled: row.disabled_at !== null,
      createdAt: row.created_at,
      createdBy: row.created_by,
      lastSignInAt: row.last_signin_at,
      lockedUntil: locked ? row.locked_until : null,
    };
  }
}
