// Credentials under attack, against a real in-process hub: tampered, unsigned, foreign, expired and revoked
// tokens at the socket handshake and at the REST API; a join code replayed (single use for the roles that
// act, reusable for viewers); and the limits on floods: failed code guesses and connection attempts from
// one address, questions and floor requests from one point. Every refusal is a typed error.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { connect, type HubClient as SignalClient } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const SECRET = 'test-secret-test-secret-test-secret-0123';

let hub: Hub;
let url: string;
const open: SignalClient[] = [];

beforeAll(async () => {
  ({ hub, url } = await startHub({
    DIEMCAU_AUTH_SECRET: SECRET,
    DIEMCAU_FAILED_AUTH_PER_10_MINUTES: '1000',
    DIEMCAU_POINT_ACTIONS_PER_MINUTE: '5',
  }));
});

afterAll(async () => {
  for (const c of open) c.close();
  await hub?.close('test done');
});

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function join(auth: { token: string } | { code: string }): Promise<SignalClient> {
  const client = await connect(url, auth);
  open.push(client);
  return client;
}

const issue = (pointId: string, role: Role, ttl = 600) => hub.credentials.issue({ conferenceId: CONF, pointId, role }, ttl);

async function rest(path: string, token: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return { status: res.status, body: (await res.json()) as never };
}

describe('tokens', () => {
  it('refuses forged, foreign, expired and revoked tokens at the handshake and at REST, typed', async () => {
    const real = await issue('tinh-dong-nai', 'host');
    const [header, payload, signature] = real.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const key = new TextEncoder().encode(SECRET);
    const sign = (body: Record<string, unknown>, secret = key) =>
      new SignJWT(body)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(now + 600)
        .sign(secret);
    const forged: Record<string, string> = {
      'payload changed (other point)': `${header}.${b64({ ...claims, pointId: 'bien-hoa', role: 'technician' })}.${signature}`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'host' })}.`,
      'alg none, signature kept': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
      'wrong signature': `${header}.${payload}.${Buffer.from('x'.repeat(32)).toString('base64url')}`,
      'other secret': await sign({ ...claims, iss: 'diemcau' }, new TextEncoder().encode('another-secret-another-secret-0123456')),
      'wrong issuer': await sign({ ...claims, iss: 'someone-else' }),
      'no jti (never issued)': await sign({ conferenceId: CONF, pointId: 'tinh-dong-nai', role: 'host', iss: 'diemcau' }),
      'HS512 with the right secret': await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS512' }).sign(key),
      garbage: 'not.a.token-at-all',
    };
    for (const [what, token] of Object.entries(forged)) {
      await expect(join({ token }), what).rejects.toMatchObject({ code: 'unauthenticated' });
      const answer = await rest(`/conferences/${CONF}`, token);
      expect(answer, what).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: expect.any(String) } } });
    }

    const expired = await hub.credentials.issue({ conferenceId: CONF, pointId: 'tinh-dong-nai', role: 'host' }, -10);
    await expect(join({ token: expired.token })).rejects.toMatchObject({ code: 'unauthenticated', message: 'token expired' });
    await expect(join({ code: expired.code })).rejects.toMatchObject({ code: 'unauthenticated', message: 'join code expired' });
    expect(await rest(`/conferences/${CONF}`, expired.token)).toMatchObject({ status: 401, body: { error: { message: 'token expired' } } });

    // The real token works until its point and role are revoked, then both token and code are refused.
    expect((await rest(`/conferences/${CONF}`, real.token)).status).toBe(200);
    const client = await join({ token: real.token });
    client.close();
    expect(hub.credentials.revoke(CONF, 'tinh-dong-nai', 'host')).toBeGreaterThanOrEqual(1);
    await expect(join({ token: real.token })).rejects.toMatchObject({ code: 'unauthenticated', message: 'token revoked' });
    await expect(join({ code: real.code })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await rest(`/conferences/${CONF}`, real.token)).toMatchObject({ status: 401, body: { error: { message: 'token revoked' } } });
  });
});

describe('join codes', () => {
  it.each(['host', 'technician', 'secretary'] as const)(
    'a %s code joins once; the welcome token joins again; a replay is refused',
    async (role) => {
      const pointId = role === 'host' ? 'tinh-dong-nai' : 'bien-hoa';
      const { code } = await issue(pointId, role);
      const first = await join({ code });
      expect(first.welcome.self).toMatchObject({ pointId, role });
      first.close();
      const replay = join({ code: code.toLowerCase() });
      await expect(replay).rejects.toMatchObject({
        code: 'unauthenticated',
        message: expect.stringMatching(/already been used.*ask the host for a new code/),
      });
      const again = await join({ token: first.welcome.self.token });
      expect(again.welcome.self).toMatchObject({ pointId, role });
      again.close();
      // A new code from the host works once more.
      const fresh = await issue(pointId, role);
      (await join({ code: fresh.code })).close();
    },
  );

  it('two joins racing with one code: exactly one is welcomed', async () => {
    const { code } = await issue('long-khanh', 'technician');
    const results = await Promise.allSettled([join({ code }), join({ code }), join({ code })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'unauthenticated' });
  });

  it('a viewer code stays reusable (room displays, press) until it expires', async () => {
    const { code } = await issue('xuan-loc', 'viewer');
    for (let i = 0; i < 3; i++) {
      const display = await join({ code });
      expect(display.welcome.self.role).toBe('viewer');
      display.close();
    }
  });
});

describe('floods', () => {
  it('refuses a point flooding questions or floor requests with rate_limited, others unaffected', async () => {
    const conference = hub.conferences.get(CONF);
    await conference?.setStatus('live', null);
    const secretary = await join({ token: (await issue('cam-my', 'secretary')).token });
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(await secretary.request('question.submit', { asker: 'Tổ thư ký', category: 'Khác', text: `Câu hỏi ${i}` }));
    }
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    expect(answers.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/question.submit/) } });
    // Another point still submits.
    const other = await join({ token: (await issue('thong-nhat', 'secretary')).token });
    expect(await other.request('question.submit', { asker: 'Tổ thư ký', category: 'Khác', text: 'Câu hỏi khác' })).toMatchObject({
      ok: true,
    });

    const tech = await join({ token: (await issue('cam-my', 'technician')).token });
    const floor = [];
    for (let i = 0; i < 8; i++) {
      floor.push(await tech.request('floor.request', { note: '' }));
      await tech.request('floor.cancel', {});
    }
    expect(floor.filter((a) => a.ok)).toHaveLength(5);
    expect(floor.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });
});

describe('limits per address', () => {
  it('refuses repeated wrong codes from one address, typed, even a right code after that; tokens still join', async () => {
    const { hub: strict, url: strictUrl } = await startHub({ DIEMCAU_FAILED_AUTH_PER_10_MINUTES: '5' });
    try {
      const good = await strict.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'viewer' }, 600);
      // A stale token retrying (a revoked PC) is refused each time but does not lock its neighbours out.
      for (let i = 0; i < 8; i++)
        await expect(connect(strictUrl, { token: `${good.token}x` })).rejects.toMatchObject({ code: 'unauthenticated' });
      const guesses = [];
      for (let i = 0; i < 7; i++) guesses.push(await connect(strictUrl, { code: `AAAA-AAA${i}` }).catch((e: unknown) => e));
      expect(guesses.slice(0, 5)).toEqual(Array(5).fill(expect.objectContaining({ code: 'unauthenticated' })));
      expect(guesses.slice(5)).toEqual(
        Array(2).fill(expect.objectContaining({ code: 'rate_limited', message: expect.stringMatching(/wrong join codes/) })),
      );
      await expect(connect(strictUrl, { code: good.code })).rejects.toMatchObject({ code: 'rate_limited' });
      // A signed session token is not guessable: it still joins from the locked address (NAT neighbours).
      (await connect(strictUrl, { token: good.token })).close();
    } finally {
      await strict.close('test done');
    }
  });

  it('refuses connection attempts over the per-address limit, typed', async () => {
    const { hub: strict, url: strictUrl } = await startHub({ DIEMCAU_JOINS_PER_MINUTE: '3' });
    try {
      const { token } = await strict.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'viewer' }, 600);
      for (let i = 0; i < 3; i++) (await connect(strictUrl, { token })).close();
      await expect(connect(strictUrl, { token })).rejects.toMatchObject({
        code: 'rate_limited',
        message: expect.stringMatching(/connection attempts/),
      });
    } finally {
      await strict.close('test done');
    }
  });
});
