// Only tiles on screen cost downlink: the host's client says which wall tiles it shows (wall.visible), and the
// hub offers wall video for those only. A real hub (mediasoup, socket.io), the Đồng Nai host and six district
// technicians as headless points publishing three-layer VP8 simulcast over SRTP; packets counted as they
// arrive at the host's UDP socket, so "off screen costs nothing" is read from the wire, not from the hub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { growth } from '../../scripts/lib/headless/growth.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep } from '../helpers/wait.ts';

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const DISTRICTS = ['bien-hoa', 'long-khanh', 'tan-phu', 'dinh-quan', 'xuan-loc', 'cam-my'] as const;
/** The tiles the host's screen shows in the paged case. */
const SHOWN = ['long-khanh', 'xuan-loc'] as const;
const HIDDEN = DISTRICTS.filter((d) => !(SHOWN as readonly string[]).includes(d));
const WINDOW_MS = 1500;
/** A 1.5 s window carries ~25 low-layer packets per camera; the floor is generous for a busy 2-core machine. */
const MIN_VIDEO = 6;

let hub: Hub;
let url: string;
const everyone: HeadlessPoint[] = [];

async function join(pointId: string, role: Role): Promise<HeadlessPoint> {
  const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 600);
  const point = await HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs: 60_000 });
  everyone.push(point);
  return point;
}

async function until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const openWall = (host: HeadlessPoint): string[] =>
  host
    .consumers({ purpose: 'wall', kind: 'video', open: true })
    .map((c) => c.pointId)
    .sort();

/** Wall video packets and bytes per district at `host` over one window. */
async function wallTraffic(host: HeadlessPoint): Promise<Record<string, number>> {
  const measures = new Map<string, () => number>();
  for (const d of DISTRICTS) measures.set(d, () => host.packets({ purpose: 'wall', pointId: d, kind: 'video' }));
  measures.set('bytes', () => host.consumers({ purpose: 'wall' }).reduce((sum, c) => sum + c.bytes, 0));
  return Object.fromEntries(await growth(WINDOW_MS, measures));
}

beforeAll(async () => {
  ({ hub, url } = await startHub());
  const technicians = await Promise.all(DISTRICTS.map((d) => join(d, 'technician')));
  await Promise.all(technicians.map((t) => t.publish({ audio: false, video: true })));
}, 45_000);

afterAll(async () => {
  await Promise.all(everyone.map((p) => p.close()));
  await hub?.close('test over');
});

describe('the wall offers video only for the tiles on screen', () => {
  it('a host that has not said receives every tile; after wall.visible only the shown ones, and nothing of the others', async () => {
    const host = await join(CENTRE, 'host');
    await host.receive();
    await until(() => openWall(host).length === DISTRICTS.length, 'a wall consumer of every district');
    const all = await wallTraffic(host);
    for (const d of DISTRICTS) expect(all[d], `wall packets of ${d}, all shown`).toBeGreaterThanOrEqual(MIN_VIDEO);

    // Unknown ids and the centre itself are not on the wall: they do not count.
    expect(await host.call('wall.visible', { pointIds: [...SHOWN, CENTRE, 'nowhere'] })).toEqual({ shown: SHOWN.length });
    await until(() => openWall(host).join() === [...SHOWN].sort().join(), 'the hidden tiles closed');
    await sleep(300); // packets already on their way
    const paged = await wallTraffic(host);
    for (const d of SHOWN) expect(paged[d], `wall packets of shown ${d}`).toBeGreaterThanOrEqual(MIN_VIDEO);
    for (const d of HIDDEN) expect(paged[d], `wall packets of hidden ${d}`).toBe(0);
    expect(paged.bytes ?? 0).toBeLessThan((all.bytes ?? 0) * 0.6);

    // Scrolled: other tiles come into view and their video comes back.
    await host.call('wall.visible', { pointIds: [...HIDDEN] });
    await until(() => openWall(host).join() === [...HIDDEN].sort().join(), 'the newly shown tiles offered');
    await sleep(300);
    const scrolled = await wallTraffic(host);
    for (const d of HIDDEN) expect(scrolled[d], `wall packets of ${d} once shown`).toBeGreaterThanOrEqual(MIN_VIDEO);
    for (const d of SHOWN) expect(scrolled[d], `wall packets of ${d} once hidden`).toBe(0);
  }, 40_000);

  it('the visible set belongs to the connection: a new session starts with every tile, and only moderators may set it', async () => {
    const host = await join(CENTRE, 'host');
    await host.receive();
    await until(() => openWall(host).length === DISTRICTS.length, 'every tile for a fresh host session');
    const technician = everyone.find((p) => p.label === 'bien-hoa/technician') as HeadlessPoint;
    const refused = await technician.request('wall.visible', { pointIds: ['xuan-loc'] });
    expect(refused.ok).toBe(false);
  }, 30_000);
});
