// Join codes from the host's console over the real socket protocol on a real hub (Đồng Nai demo): issue,
// reissue (the old code and the session token signed for it stop, the old device's session ends), revoke,
// the list of states (never a code or a token), the day's codes for every point in one transaction (a
// failure part-way stores nothing), refusals for everyone but the host, and the event log without codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import { normaliseCode, roleBelongsAt } from '../../shared/rules.ts';
import type { Hub } from '../../server/hub.ts';
import { RecordStore } from '../../server/store/records.ts';
import { connect, JoinRefused, nextEvent, type HubClient } from '../../scripts/lib/hub-client.ts';

import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const POINT = 'xuan-loc';

let hub: Hub;
let url: string;
let host: HubClient;
const open: HubClient[] = [];

async function join(auth: { token: string } | { code: string }): Promise<HubClient> {
  const client = await connect(url, auth);
  open.push(client);
  return client;
}

const tokenFor = async (pointId: string, role: Role): Promise<string> =>
  (await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600)).token;

beforeAll(async () => {
  ({ hub, url } = await startHub());
  host = await join({ token: await tokenFor(CENTRE, 'host') });
});

afterAll(async () => {
  for (const c of open) c.close();
  await hub?.close('test done');
});

describe('credentials from the console', () => {
  it('issues a code the hub accepts for that point and role', async () => {
    const issued = await host.call('credentials.issue', { pointId: POINT, role: 'secretary', ttlSeconds: 600 });
    expect(issued.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const secretary = await join({ code: issued.code });
    expect(secretary.welcome.self).toMatchObject({ pointId: POINT, role: 'secretary' });
  });

  it('reissues: the old code and the old token are refused, the old session ends, the fresh code joins', async () => {
    const first = await host.call('credentials.reissue', { pointId: POINT, role: 'technician', ttlSeconds: 600 });
    const old = await join({ code: first.code });
    const oldToken = old.welcome.self.token;
    const ended = nextEvent(old, 'session.ended');

    const fresh = await host.call('credentials.reissue', { pointId: POINT, role: 'technician', ttlSeconds: 600 });
    expect(fresh.revoked).toBeGreaterThanOrEqual(1);
    expect(fresh.code).not.toBe(first.code);
    expect(await ended).toEqual({ reason: 'replaced' });
    await expect(connect(url, { token: oldToken })).rejects.toMatchObject({ reason: 'token.revoked' });
    await expect(connect(url, { code: first.code })).rejects.toMatchObject({ reason: 'join.code_unknown' });
    const next = await join({ code: fresh.code });
    expect(next.welcome.self).toMatchObject({ pointId: POINT, role: 'technician' });
  });

  it('revokes a point and role: its viewer code stops working', async () => {
    const viewer = await host.call('credentials.issue', { pointId: 'bien-hoa', role: 'viewer', ttlSeconds: 600 });
    const display = await join({ code: viewer.code });
    const ended = nextEvent(display, 'session.ended');
    expect(await host.call('credentials.revoke', { pointId: 'bien-hoa', role: 'viewer' })).toEqual({ revoked: 1 });
    expect(await ended).toEqual({ reason: 'replaced' });
    await expect(connect(url, { code: viewer.code })).rejects.toBeInstanceOf(JoinRefused);
  });

  it('lists each credential with its dates and state, never a code or a token', async () => {
    const { code } = await host.call('credentials.reissue', { pointId: 'long-khanh', role: 'technician', ttlSeconds: 3600 });
    const before = Date.now();
    await join({ code });
    const { credentials } = await host.call('credentials.list', {});
    const mine = credentials.filter((c) => c.pointId === 'long-khanh' && c.role === 'technician');
    expect(mine).toHaveLength(1);
    const [record] = mine;
    expect(record?.redeemedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(record?.revokedAt).toBeNull();
    expect(record?.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(credentials.some((c) => c.pointId === POINT && c.role === 'technician' && c.revokedAt !== null)).toBe(true);
    const text = JSON.stringify(credentials);
    expect(text).not.toContain(normaliseCode(code).slice(0, 8));
    expect(text).not.toMatch(/token|code|eyJ/);
  });

  it('issues the day’s codes for every point and chosen role in one action; each joins', async () => {
    const conference = hub.conferences.get(CONF);
    if (!conference) throw new Error('no demo conference');
    const roles: ('technician' | 'secretary' | 'viewer')[] = ['technician', 'secretary', 'viewer'];
    const { credentials } = await host.call('credentials.issueAll', { roles, ttlSeconds: 3600 });
    const expected = conference.spec.points.flatMap((p) =>
      roles.filter((r) => roleBelongsAt(r, p, conference.spec.centralPointId)).map((role) => ({ pointId: p.id, role })),
    );
    expect(credentials.map(({ pointId, role }) => ({ pointId, role }))).toEqual(expected);
    expect(expected).toHaveLength(11 * 3 + 1);
    const nhonTrach = credentials.find((c) => c.pointId === 'nhon-trach' && c.role === 'secretary');
    const client = await join({ code: nhonTrach?.code ?? '' });
    expect(client.welcome.self).toMatchObject({ pointId: 'nhon-trach', role: 'secretary' });
  });

  it('stores nothing of the day’s codes when one of them fails to store', async () => {
    const count = (): number => hub.db.get<{ n: number }>('SELECT count(*) AS n FROM credentials')?.n ?? -1;
    const events = (): number => hub.db.get<{ n: number }>('SELECT count(*) AS n FROM events')?.n ?? -1;
    const [credentialsBefore, eventsBefore] = [count(), events()];
    hub.db.run(
      "CREATE TEMP TRIGGER fail_last BEFORE INSERT ON main.credentials WHEN NEW.point_id = 'xuan-loc' BEGIN SELECT RAISE(ABORT, 'x'); END",
    );
    try {
      const result = await host.request('credentials.issueAll', { roles: ['technician', 'viewer'] });
      expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    } finally {
      hub.db.run('DROP TRIGGER fail_last');
    }
    expect([count(), events()]).toEqual([credentialsBefore, eventsBefore]);
  });

  it('refuses every credentials request to the roles that do not control, with the reason', async () => {
    const clients = await Promise.all([
      join({ token: await tokenFor('bien-hoa', 'technician') }),
      join({ token: await tokenFor('bien-hoa', 'secretary') }),
      join({ token: await tokenFor('bien-hoa', 'viewer') }),
    ]);
    for (const client of clients) {
      for (const [name, params] of [
        ['credentials.issue', { pointId: 'bien-hoa', role: 'technician' }],
        ['credentials.reissue', { pointId: 'bien-hoa', role: 'technician' }],
        ['credentials.revoke', { pointId: 'bien-hoa', role: 'technician' }],
        ['credentials.list', {}],
        ['credentials.issueAll', { roles: ['technician'] }],
      ] as const) {
        expect(await client.raw(name, params)).toMatchObject({
          ok: false,
          error: { code: 'forbidden', reason: 'request.role', params: { request: name, role: client.role } },
        });
      }
    }
  });

  it('refuses a role that does not belong at the point, and the host revoking its own credential', async () => {
    expect(await host.request('credentials.reissue', { pointId: CENTRE, role: 'technician' })).toMatchObject({
      ok: false,
      error: { reason: 'role.wrong_point', params: { role: 'technician', pointId: CENTRE } },
    });
    expect(await host.request('credentials.revoke', { pointId: CENTRE, role: 'host' })).toMatchObject({
      ok: false,
      error: { reason: 'credentials.own', params: { role: 'host', pointId: CENTRE } },
    });
    expect(await host.request('credentials.reissue', { pointId: 'khong-co', role: 'viewer' })).toMatchObject({
      ok: false,
      error: { reason: 'point.unknown' },
    });
  });

  it('logs every issue and revocation with the host as actor, never a code', async () => {
    const { code } = await host.call('credentials.reissue', { pointId: 'dinh-quan', role: 'viewer', ttlSeconds: 600 });
    const log = new RecordStore(hub.db).events(CONF).filter((e) => e.action.startsWith('credentials.'));
    const tail = log.filter((e) => 'pointId' in e.detail && e.detail.pointId === 'dinh-quan');
    expect(tail.slice(-2).map((e) => [e.action, e.actorPoint, e.actorRole])).toEqual([
      ['credentials.revoke', CENTRE, 'host'],
      ['credentials.issue', CENTRE, 'host'],
    ]);
    expect(JSON.stringify(log)).not.toContain(normaliseCode(code));
    expect(JSON.stringify(log)).not.toContain(code);
  });
});
