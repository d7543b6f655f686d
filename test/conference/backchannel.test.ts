// The control room's back-channel over the real protocol and a real database: who receives a message (the
// centre and the addressed point's technician, never a room display, never another point), a message to
// every technician, the "centre hears you" confirmation, read marks per side, and unread counts that
// survive a restart of the hub on the same data folder.
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { connect, type HubClient, must } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
const dataDir = tempDataDir();
const open: HubClient[] = [];
const hubs: Hub[] = [];

afterAll(async () => {
  for (const c of open) c.close();
  for (const h of hubs) await h.close('test done');
});

async function start(): Promise<{ hub: Hub; url: string }> {
  const started = await startHub({ DIEMCAU_DATA_DIR: dataDir });
  hubs.push(started.hub);
  return started;
}

async function join(hub: Hub, url: string, role: Role, pointId: string): Promise<HubClient> {
  const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
  const client = await connect(url, { token });
  open.push(client);
  return client;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

describe('back-channel', () => {
  it('reaches the centre and the addressed technician only, keeps unread counts per side across a restart', async () => {
    let { hub, url } = await start();
    const host = await join(hub, url, 'host', 'tinh-dong-nai');
    const centreDisplay = await join(hub, url, 'viewer', 'tinh-dong-nai');
    const bienHoa = await join(hub, url, 'technician', 'bien-hoa');
    const bienHoaSecretary = await join(hub, url, 'secretary', 'bien-hoa');
    const bienHoaDisplay = await join(hub, url, 'viewer', 'bien-hoa');
    const longKhanh = await join(hub, url, 'technician', 'long-khanh');

    // The centre to one point.
    const toBienHoa = await must(host.request('backchannel.send', { pointId: 'bien-hoa', text: '  Biên Hòa kiểm tra lại micro  ' }));
    expect(toBienHoa).toMatchObject({
      pointId: 'bien-hoa',
      from: 'centre',
      kind: 'text',
      text: 'Biên Hòa kiểm tra lại micro',
      authorRole: 'host',
    });
    await bienHoa.waitForEvent('backchannel.message', { predicate: (m) => m.id === toBienHoa.id });
    await bienHoa.waitForEvent('backchannel.unread', { predicate: (u) => u.pointId === 'bien-hoa' && u.count === 1 });
    // The point answers; the centre sees the thread's unread count.
    const reply = await must(bienHoa.request('backchannel.send', { pointId: null, text: 'Đã kiểm tra, micro tốt' }));
    expect(reply).toMatchObject({ pointId: 'bien-hoa', from: 'point', authorRole: 'technician' });
    await host.waitForEvent('backchannel.message', { predicate: (m) => m.id === reply.id });
    await host.waitForEvent('backchannel.unread', { predicate: (u) => u.pointId === 'bien-hoa' && u.count === 1 });
    // The centre to every technician.
    const toAll = await must(host.request('backchannel.send', { pointId: null, text: 'Năm phút nữa bắt đầu' }));
    await longKhanh.waitForEvent('backchannel.message', { predicate: (m) => m.id === toAll.id });
    await longKhanh.waitForEvent('backchannel.unread', { predicate: (u) => u.pointId === 'long-khanh' && u.count === 1 });
    // The confirmation after a test.
    const heard = await must(host.request('backchannel.confirmHeard', { pointId: 'bien-hoa' }));
    expect(heard).toMatchObject({ kind: 'heard', pointId: 'bien-hoa', from: 'centre' });
    await bienHoa.waitForEvent('backchannel.message', { predicate: (m) => m.id === heard.id });
    await settle();

    // Never a room display, never a secretary, never another point's technician; a viewer at the centre neither.
    for (const c of [bienHoaDisplay, bienHoaSecretary, centreDisplay]) {
      expect(c.eventsOf('backchannel.message')).toEqual([]);
      expect(c.eventsOf('backchannel.unread')).toEqual([]);
    }
    expect(longKhanh.eventsOf('backchannel.message').map((m) => m.id)).toEqual([toAll.id]);
    expect(host.eventsOf('backchannel.message').map((m) => m.id)).toEqual([toBienHoa.id, reply.id, toAll.id, heard.id]);

    // Each side reads what concerns it; refusals carry reasons.
    const theirs = await must(longKhanh.request('backchannel.snapshot', {}));
    expect(theirs.messages.map((m) => m.id)).toEqual([toAll.id]);
    expect(theirs.unread).toEqual({ 'long-khanh': 1 });
    expect(await bienHoaDisplay.request('backchannel.snapshot', {})).toMatchObject({ ok: false, error: { reason: 'request.role' } });
    expect(await bienHoaSecretary.request('backchannel.send', { pointId: null, text: 'x' })).toMatchObject({
      ok: false,
      error: { reason: 'request.role' },
    });
    expect(await longKhanh.request('backchannel.send', { pointId: 'bien-hoa', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'backchannel.other_point', params: { pointId: 'bien-hoa' } },
    });
    expect(await host.request('backchannel.send', { pointId: 'tinh-dong-nai', text: 'x' })).toMatchObject({
      ok: false,
      error: { reason: 'backchannel.no_technician' },
    });
    expect(await host.request('backchannel.send', { pointId: 'nowhere', text: 'x' })).toMatchObject({
      ok: false,
      error: { reason: 'point.unknown' },
    });
    expect(await host.request('backchannel.send', { pointId: 'bien-hoa', text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await bienHoa.request('backchannel.confirmHeard', { pointId: 'bien-hoa' })).toMatchObject({
      ok: false,
      error: { reason: 'request.role' },
    });

    // Bien Hoa reads its thread: its count goes to 0, the centre's stays.
    expect(await must(bienHoa.request('backchannel.markRead', { pointId: 'bien-hoa' }))).toEqual({ 'bien-hoa': 0 });
    expect((await must(host.request('backchannel.snapshot', {}))).unread).toEqual({ 'bien-hoa': 1 });
    const rows = hub.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE action = 'backchannel.send'");
    expect(rows?.n).toBe(4);

    // A restart on the same folder: the messages and each side's read marks are still there.
    for (const c of open.splice(0)) c.close();
    await hub.close('restart');
    ({ hub, url } = await start());
    const host2 = await join(hub, url, 'host', 'tinh-dong-nai');
    const bienHoa2 = await join(hub, url, 'technician', 'bien-hoa');
    const longKhanh2 = await join(hub, url, 'technician', 'long-khanh');
    const centre = await must(host2.request('backchannel.snapshot', {}));
    expect(centre.messages.map((m) => m.id)).toEqual([toBienHoa.id, reply.id, toAll.id, heard.id]);
    expect(centre.unread).toEqual({ 'bien-hoa': 1 });
    expect((await must(bienHoa2.request('backchannel.snapshot', {}))).unread).toEqual({ 'bien-hoa': 0 });
    expect((await must(longKhanh2.request('backchannel.snapshot', {}))).unread).toEqual({ 'long-khanh': 1 });
    // The centre reads Bien Hoa's thread: every centre session hears the count go to 0.
    await must(host2.request('backchannel.markRead', { pointId: 'bien-hoa' }));
    expect((await must(host2.request('backchannel.snapshot', {}))).unread).toEqual({});
    await host2.waitForEvent('backchannel.unread', { predicate: (u) => u.pointId === 'bien-hoa' && u.count === 0 });
  });
});
