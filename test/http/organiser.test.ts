// The organiser routes over real HTTP against an in-process hub: sign-in (and its limit per address, each test
// calling from its own loopback address), the signed-in account, sign-out and a new password, the accounts and
// the audit log that only administrators (or the admin key) may use, and join tokens kept out.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { ORGANISER_LIMITS } from '../../shared/organiser.ts';
import { startHub } from '../helpers/test-hub.ts';

const PASSWORD = 'Mật khẩu dài 2026';

let hub: Hub;
let base: string;
let admin: string;
let lan: string;
let started: number;

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers of every route, read field by field in the assertions.
  body: any;
}

/** One request from `from` (a loopback address: the hub sees it as the caller's address). */
function call(method: string, path: string, opts: { token?: string; json?: unknown; body?: string; from?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.json === undefined ? opts.body : JSON.stringify(opts.json);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api${path}`, { method, headers, localAddress: opts.from ?? '127.0.0.1', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const signIn = async (username: string, password: string, from = '127.0.0.1'): Promise<Answer> =>
  call('POST', '/organiser/session', { json: { username, password }, from });

const refusal = (answer: Answer) => [answer.status, answer.body?.error?.reason];

beforeAll(async () => {
  started = Date.now();
  ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false' }));
  admin = rotateAdminKey(hub.db);
  const made = await call('POST', '/organiser/accounts', {
    token: admin,
    json: { username: 'lan', displayName: 'Nguyễn Thị Lan', password: PASSWORD, admin: true },
  });
  expect(made.status).toBe(201);
  lan = (await signIn('lan', PASSWORD, '127.0.0.2')).body.token;
  const hung = { username: 'hung', displayName: 'Trần Văn Hùng', password: PASSWORD };
  expect((await call('POST', '/organiser/accounts', { token: lan, json: hung })).status).toBe(201);
});

afterAll(async () => {
  await hub?.close('test done');
});

describe('sign-in', () => {
  it('answers a session for the right password and the same refusal for a wrong one or an unknown name', async () => {
    const ok = await signIn('hung', PASSWORD, '127.0.0.3');
    expect(ok.status).toBe(201);
    expect(ok.body.token).toMatch(/^dcorg_/);
    expect(ok.body.expiresAt).toBeGreaterThan(Date.now() + (ORGANISER_LIMITS.sessionHours - 1) * 3_600_000);
    expect(ok.body.account).toMatchObject({ username: 'hung', displayName: 'Trần Văn Hùng', admin: false, createdBy: 'lan' });
    expect(refusal(await signIn('hung', 'wrong password', '127.0.0.3'))).toEqual([401, 'organiser.signin_failed']);
    expect(refusal(await signIn('nobody', PASSWORD, '127.0.0.3'))).toEqual([401, 'organiser.signin_failed']);
    const me = await call('GET', '/organiser/me', { token: ok.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ token: '', expiresAt: ok.body.expiresAt, account: { ...ok.body.account, lastSignInAt: expect.any(Number) } });
  });

  it('refuses malformed bodies with a typed error naming the field', async () => {
    const noPassword = await call('POST', '/organiser/session', { json: { username: 'hung' }, from: '127.0.0.4' });
    expect(refusal(noPassword)).toEqual([400, 'request.malformed']);
    expect(noPassword.body.error.params).toEqual({ request: 'sign-in', field: 'password' });
    expect(refusal(await call('POST', '/organiser/session', { body: '{"username":', from: '127.0.0.4' }))).toEqual([
      400,
      'request.json_malformed',
    ]);
    const short = await call('POST', '/organiser/accounts', {
      token: lan,
      json: { username: 'mai', displayName: 'Mai', password: 'short' },
    });
    expect(short.body.error.params).toEqual({ request: 'account', field: 'password' });
    const extra = await call('PATCH', '/organiser/accounts/hung', { token: lan, json: { admin: false, role: 'root' } });
    expect(refusal(extra)).toEqual([400, 'request.malformed']);
  });

  it(`allows ${ORGANISER_LIMITS.signInsPerMinutePerAddress} attempts a minute from one address, whatever the user name`, async () => {
    for (let i = 0; i < ORGANISER_LIMITS.signInsPerMinutePerAddress; i++) {
      expect((await signIn(`guess${i}`, `wrong ${i}`, '127.0.0.5')).status).toBe(401);
    }
    const limited = await signIn('lan', PASSWORD, '127.0.0.5');
    expect(refusal(limited)).toEqual([429, 'rate.signins']);
    expect(limited.body.error.params.seconds).toBeGreaterThan(0);
    expect(limited.body.error.params.seconds).toBeLessThanOrEqual(60);
    // Another address is not held back.
    expect((await signIn('lan', PASSWORD, '127.0.0.6')).status).toBe(201);
  });
});

describe('who may call', () => {
  it('keeps accounts and the audit log to administrators and the admin key', async () => {
    const hung = (await signIn('hung', PASSWORD, '127.0.0.7')).body.token;
    const body = { username: 'mai', displayName: 'Mai', password: PASSWORD };
    for (const [method, path, json] of [
      ['GET', '/organiser/accounts', undefined],
      ['POST', '/organiser/accounts', body],
      ['PATCH', '/organiser/accounts/hung', { admin: true }],
      ['GET', '/organiser/audit', undefined],
    ] as const) {
      expect(refusal(await call(method, path, { token: hung, json })), `${method} ${path}`).toEqual([403, 'organiser.admin_only']);
    }
    expect((await call('GET', '/organiser/accounts', { token: admin })).body.accounts.map((a: { username: string }) => a.username)).toEqual(
      ['hung', 'lan'],
    );
    expect((await call('GET', '/organiser/accounts', { token: lan })).status).toBe(200);
    expect(refusal(await call('GET', '/organiser/me'))).toEqual([401, 'auth.header_missing']);
    // The admin key has no account of its own to describe or sign out.
    expect(refusal(await call('GET', '/organiser/me', { token: admin }))).toEqual([403, 'organiser.only']);
  });

  it('refuses a join token with organiser.only', async () => {
    const spec = {
      id: 'hn',
      title: 'Hội nghị thử',
      organiser: 'Ủy ban',
      startsAt: '2026-05-01T08:00:00+07:00',
      centralPointId: 'trung-uong',
      points: [{ id: 'trung-uong', name: 'Điểm cầu Trung ương', level: 'central' }],
    };
    expect((await call('POST', '/conferences', { token: admin, json: spec })).status).toBe(201);
    const { token } = await hub.credentials.issue({ conferenceId: 'hn', pointId: 'trung-uong', role: 'host' }, 600);
    expect(refusal(await call('GET', '/organiser/accounts', { token }))).toEqual([403, 'organiser.only']);
    expect(refusal(await call('GET', '/organiser/me', { token }))).toEqual([403, 'organiser.only']);
    expect(refusal(await call('PUT', '/organiser/password', { token, json: { current: PASSWORD, password: PASSWORD } }))).toEqual([
      403,
      'organiser.only',
    ]);
  });

  it('refuses an administrator disabling itself, and an unknown account', async () => {
    expect(refusal(await call('PATCH', '/organiser/accounts/lan', { token: lan, json: { disabled: true } }))).toEqual([
      409,
      'organiser.self',
    ]);
    expect(refusal(await call('PATCH', '/organiser/accounts/lan', { token: lan, json: { admin: false } }))).toEqual([
      409,
      'organiser.self',
    ]);
    expect(refusal(await call('PATCH', '/organiser/accounts/nobody', { token: lan, json: { admin: true } }))).toEqual([
      404,
      'organiser.unknown',
    ]);
    const taken = await call('POST', '/organiser/accounts', {
      token: lan,
      json: { username: 'hung', displayName: 'X', password: PASSWORD },
    });
    expect(refusal(taken)).toEqual([409, 'organiser.exists']);
  });
});

describe('sessions', () => {
  it('a new password ends the other sessions and answers a fresh one; signing out ends it too', async () => {
    const mai = { username: 'mai', displayName: 'Lê Thị Mai', password: PASSWORD };
    expect((await call('POST', '/organiser/accounts', { token: lan, json: mai })).status).toBe(201);
    const [first, second] = [
      (await signIn('mai', PASSWORD, '127.0.0.8')).body.token,
      (await signIn('mai', PASSWORD, '127.0.0.8')).body.token,
    ];
    const wrong = await call('PUT', '/organiser/password', { token: first, json: { current: 'not it', password: 'mật khẩu mới 2026' } });
    expect(refusal(wrong)).toEqual([400, 'organiser.password_wrong']);
    const changed = await call('PUT', '/organiser/password', { token: first, json: { current: PASSWORD, password: 'mật khẩu mới 2026' } });
    expect(changed.status).toBe(200);
    for (const old of [first, second])
      expect(refusal(await call('GET', '/organiser/me', { token: old }))).toEqual([401, 'organiser.session_expired']);
    const fresh = changed.body.token as string;
    expect((await call('GET', '/organiser/me', { token: fresh })).body.account.username).toBe('mai');
    expect((await call('DELETE', '/organiser/session', { token: fresh })).status).toBe(204);
    expect(refusal(await call('GET', '/organiser/me', { token: fresh }))).toEqual([401, 'organiser.session_expired']);

    // Disabled by an administrator: its session stops at once, and signing in tells why (the password being right).
    const again = (await signIn('mai', 'mật khẩu mới 2026', '127.0.0.8')).body.token;
    expect((await call('PATCH', '/organiser/accounts/mai', { token: lan, json: { disabled: true } })).body.disabled).toBe(true);
    expect(refusal(await call('GET', '/organiser/me', { token: again }))).toEqual([403, 'organiser.disabled']);
    expect(refusal(await signIn('mai', 'mật khẩu mới 2026', '127.0.0.8'))).toEqual([403, 'organiser.disabled']);
  });
});

describe('audit log', () => {
  it('records who did what and when, newest first, and pages back', async () => {
    const { body } = await call('GET', '/organiser/audit?limit=500', { token: lan });
    const entries = body.entries as Array<{ seq: number; at: number; actor: string; action: string; target: string; details: never }>;
    for (const e of entries) expect(e.at).toBeGreaterThanOrEqual(started);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
    const find = (action: string, target: string) => entries.find((e) => e.action === action && e.target === target);
    expect(find('account.create', 'lan')).toMatchObject({ actor: 'admin-key', details: { admin: true } });
    expect(find('account.create', 'hung')).toMatchObject({ actor: 'lan', details: { admin: false } });
    const lanSignIns = entries.filter((e) => e.action === 'signin.ok' && e.target === 'lan');
    expect(lanSignIns.map((e) => [e.actor, (e.details as { address: string }).address])).toEqual([
      ['lan', '127.0.0.6'],
      ['lan', '127.0.0.2'],
    ]);
    expect(find('signin.failed', 'hung')).toMatchObject({ actor: 'hung', details: { reason: 'password' } });
    expect(find('account.update', 'mai')).toMatchObject({ actor: 'lan', details: { changed: ['disabled'], disabled: true } });
    const own = entries.filter((e) => e.action === 'account.update' && e.target === 'mai' && e.actor === 'mai');
    expect(own.map((e) => e.details)).toEqual([{ changed: ['password'] }]);
    expect(JSON.stringify(entries)).not.toContain('mật khẩu');

    const page = await call('GET', `/organiser/audit?limit=2&before=${entries[1]?.seq}`, { token: admin });
    expect(page.body.entries.map((e: { seq: number }) => e.seq)).toEqual(entries.slice(2, 4).map((e) => e.seq));
    expect(refusal(await call('GET', '/organiser/audit?limit=0', { token: admin }))).toEqual([400, 'request.malformed']);
  });
});
