// Standby at a floor switch, with real packets: a real hub, Đồng Nai district technicians as headless points
// publishing Opus and three-layer VP8 simulcast over SRTP (key frames only when the hub asks, as an encoder
// does), room displays and the host receiving on plain SRTP transports. The first points of the floor queue
// are consumed ahead, paused, at every receiver that shows a stage: no packet flows on them; granting one
// turns those very consumers into the stage (no new offer, packets of the new speaker at once); a point
// leaving the queue loses them; at the end every receiver has exactly what it had before. With
// DIEMCAU_STANDBY=0 nothing is consumed ahead and a switch offers new consumers, as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { EventPayload } from '../../shared/protocol.ts';
import { STANDBY_POINTS } from '../../shared/rules.ts';
import type { Hub } from '../../server/hub.ts';
import { growth } from '../../scripts/lib/headless/growth.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const [A, B, C, D] = ['bien-hoa', 'long-khanh', 'tan-phu', 'dinh-quan'] as const;
const WINDOW_MS = 1000;

interface Running {
  hub: Hub;
  url: string;
  points: HeadlessPoint[];
  /** Every media.consumer offer each point got, with when. */
  offers: Map<HeadlessPoint, Array<EventPayload<'media.consumer'> & { at: number }>>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const { hub, url } = await startHub(env);
  return { hub, url, points: [], offers: new Map() };
}

async function join(run: Running, pointId: string, role: Role): Promise<HeadlessPoint> {
  const { token } = await run.hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 600);
  const point = await HeadlessPoint.join(run.url, token, { label: `${pointId}/${role}`, maxSendMs: 60_000 });
  run.points.push(point);
  const offers: Array<EventPayload<'media.consumer'> & { at: number }> = [];
  run.offers.set(point, offers);
  point.socket.on('media.consumer', (offer) => offers.push({ ...offer, at: Date.now() }));
  return point;
}

async function stop(run: Running | undefined): Promise<void> {
  if (!run) return;
  for (const p of run.points) await p.close();
  await run.hub.close('test over');
}

/** Consumers of `session` at the hub, by key (what the hub holds, not what the client was told). */
function hubKeys(run: Running, point: HeadlessPoint): string[] {
  const conference = run.hub.conferences.get(CONFERENCE);
  const session = conference?.sessions().find((s) => s.pointId === point.pointId && s.role === point.role);
  return session ? session.peer.consumerKeys().sort() : [];
}

const openOf = (p: HeadlessPoint, pointId: string, purpose?: 'stage' | 'standby'): string[] =>
  p
    .consumers({ pointId, open: true, ...(purpose ? { purpose } : {}) })
    .map((c) => `${c.purpose}:${c.kind}`)
    .sort();

describe('standby consumers (DIEMCAU_STANDBY on, the default)', () => {
  let run: Running;
  let host: HeadlessPoint;
  let techs: Record<string, HeadlessPoint>;
  let display: HeadlessPoint;
  let displayA: HeadlessPoint;
  let baseline: Map<HeadlessPoint, string[]>;

  beforeAll(async () => {
    run = await start({});
    host = await join(run, CENTRE, 'host');
    await host.receive();
    techs = {};
    for (const id of [A, B, C]) {
      const tech = await join(run, id, 'technician');
      await tech.publish({ audio: true, video: true, keyFrames: 'on-request' });
      await tech.receive();
      techs[id] = tech;
    }
    display = await join(run, D, 'viewer');
    await display.receive();
    displayA = await join(run, A, 'viewer');
    await displayA.receive();
    await sleep(800);
    baseline = new Map(run.points.map((p) => [p, hubKeys(run, p)]));
  }, 60_000);
  afterAll(() => stop(run), 30_000);

  it(`consumes the first ${STANDBY_POINTS} points of the queue ahead, paused, at every receiver that shows a stage`, async () => {
    expect(STANDBY_POINTS).toBe(2);
    for (const id of [A, B, C]) await techs[id]?.call('floor.request', { note: '' });
    await waitFor(() => openOf(display, B, 'standby').length === 2, 'standby consumers of the second point at the display');
    expect(openOf(display, A)).toEqual(['standby:audio', 'standby:video']);
    expect(openOf(display, B)).toEqual(['standby:audio', 'standby:video']);
    expect(openOf(display, C)).toEqual([]);
    expect(openOf(host, A, 'standby')).toEqual(['standby:audio', 'standby:video']);
    // A point's own room display keeps its camera ready (it shows its own speaker) but never its sound;
    // its technician's console keeps the others only.
    expect(openOf(displayA, A)).toEqual(['standby:video']);
    expect(openOf(techs[A] as HeadlessPoint, A)).toEqual([]);
    expect(openOf(techs[A] as HeadlessPoint, B)).toEqual(['standby:audio', 'standby:video']);
    // Paused at the hub: nothing flows on them, while the same cameras reach the host's wall.
    const flow = await growth(
      WINDOW_MS,
      new Map([
        ['standby', () => display.packets({ purpose: 'standby' }) + host.packets({ purpose: 'standby' })],
        ['wall', () => host.packets({ purpose: 'wall', pointId: A, kind: 'video' })],
      ]),
    );
    expect(flow.get('standby')).toBe(0);
    expect(flow.get('wall')).toBeGreaterThan(3);
  });

  it('grants the floor by turning the standby consumers into the stage: no new offer, the speaker at once', async () => {
    const before = display.consumers({ pointId: A, kind: 'video', purpose: 'standby', open: true })[0];
    expect(before).toBeDefined();
    const offersBefore = run.offers.get(display)?.length ?? 0;
    const t0 = Date.now();
    await host.call('floor.grant', { pointId: A, seconds: 600 });
    await waitFor(
      () => display.consumers({ pointId: A, kind: 'video', purpose: 'stage', open: true })[0]?.firstPacketInPurposeAt !== undefined,
      'the new speaker on stage at the display',
    );
    const stage = display.consumers({ pointId: A, kind: 'video', purpose: 'stage', open: true });
    expect(stage.map((c) => c.consumerId)).toEqual([before?.consumerId]);
    expect(
      display
        .consumers({ pointId: A, purpose: 'stage', open: true })
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['audio', 'video']);
    const newOffers = (run.offers.get(display) ?? []).slice(offersBefore);
    expect(newOffers.filter((o) => o.pointId === A)).toEqual([]);
    // The third point moved up into the queue's head: its standby consumers are offered now.
    await waitFor(() => openOf(display, C, 'standby').length === 2, 'standby consumers of the point that moved up');
    // Real packets of A's camera, marked by A's sender, decrypted at the display.
    const video = await growth(WINDOW_MS, new Map([['a', () => display.receiver?.fromOrigin(A, 'video') ?? 0]]));
    expect(video.get('a')).toBeGreaterThan(3);
    const first = stage[0]?.firstPacketInPurposeAt ?? Number.NaN;
    expect(first - t0).toBeLessThan(2000);
    // Its own room display shows A's camera (the same standby consumer) and still has no sound of A.
    expect(openOf(displayA, A)).toEqual(['stage:video']);
    // The standby of A at the host became its stage too, and A's technician has no consumer of itself.
    expect(openOf(host, A).filter((k) => !k.startsWith('wall'))).toEqual(['stage:audio', 'stage:video']);
    expect(openOf(techs[A] as HeadlessPoint, A)).toEqual([]);
  });

  it('closes the standby consumers of a point that leaves the queue', async () => {
    const closedBefore = display.consumers({ pointId: B, open: false }).length;
    await techs[B]?.call('floor.cancel', {});
    await waitFor(() => openOf(display, B).length === 0, 'the standby consumers of the point that left');
    expect(display.consumers({ pointId: B, open: false }).length - closedBefore).toBe(2);
    expect(hubKeys(run, display).some((k) => k.startsWith('standby:') && k.includes(techs[B]?.producers.camera ?? '?'))).toBe(false);
    expect(openOf(host, B)).toEqual(['wall:video']);
  });

  it('leaves every receiver with what it had before once the floor is back and the queue empty', async () => {
    await techs[C]?.call('floor.cancel', {});
    await host.call('floor.revoke', {});
    await waitFor(() => run.points.every((p) => hubKeys(run, p).join() === baseline.get(p)?.join()), 'consumers back to baseline', 8000);
    // The clients are told after the hub has closed them.
    await waitFor(() => display.consumers({ open: true }).length === 0, 'the display told of every close');
    for (const p of [display, displayA, host]) {
      const open = p.consumers({ open: true }).map((c) => `${c.purpose}:${c.pointId}:${c.kind}`);
      expect(open.length, open.join()).toBe(baseline.get(p)?.length);
    }
    for (const p of run.points) expect(p.errors).toEqual([]);
  });
});

describe('without standby (DIEMCAU_STANDBY=0)', () => {
  let run: Running | undefined;
  afterAll(() => stop(run), 30_000);

  it('consumes nothing ahead, and a switch offers new consumers', async () => {
    run = await start({ DIEMCAU_STANDBY: '0' });
    const host = await join(run, CENTRE, 'host');
    const tech = await join(run, A, 'technician');
    await tech.publish({ audio: true, video: true, keyFrames: 'on-request' });
    const display = await join(run, D, 'viewer');
    await display.receive();
    await tech.call('floor.request', { note: '' });
    await sleep(WINDOW_MS);
    expect(display.consumers({ purpose: 'standby' })).toEqual([]);
    const t0 = Date.now();
    await host.call('floor.grant', { pointId: A, seconds: 600 });
    await waitFor(() => display.consumers({ pointId: A, purpose: 'stage', open: true }).length === 2, 'new stage consumers');
    expect((run.offers.get(display) ?? []).filter((o) => o.pointId === A && o.at >= t0).map((o) => o.purpose)).toEqual(['stage', 'stage']);
  }, 30_000);
});
