// The Đồng Nai training conference with real media end to end: a real hub (createHub, two mediasoup
// workers, socket.io), the host at the provincial hall and all eleven district technicians as headless
// points that publish Opus + three-layer VP8 simulcast over SRTP plain transports, and one room display
// (viewer). Nothing is mocked. Every packet carries a mark naming the point it came from (see
// test/helpers/headless-point.ts), so "whose audio reaches whom" is read from the decrypted packets
// themselves, not from what the hub says it is sending.
//
// Delivery is measured as packets counted over short windows with generous floors (a 2-core CI machine
// runs 13 clients and 2 workers here); zero is asserted exactly where zero is the claim.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import type { Role } from '../../shared/domain.ts';
import { createHub, type Hub } from '../../server/hub.ts';
import { growth } from '../../scripts/lib/headless/growth.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import type { ConsumerFilter } from '../../scripts/lib/headless/receiver.ts';
import { sleep } from '../helpers/wait.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
/** The room display sits at this district. */
const VIEWER_AT = 'bien-hoa';
/** Gets the floor (open-ended) first, then is muted and unmuted by the host. */
const SPEAKER = 'long-khanh';
/** Gets a 5-second grant that runs out by itself. */
const SHORT = 'xuan-loc';

const WINDOW_MS = 1500;
/** Settling time after a control action, for packets already on their way. */
const SETTLE_MS = 400;
// Expected in a 1.5 s window: ~75 audio packets (20 ms) and ~25 video packets per layer (one every 60 ms).
const MIN_AUDIO = 20;
const MIN_VIDEO = 6;

let hub: Hub;
let url: string;
let host: HeadlessPoint;
let technicians: HeadlessPoint[] = [];
let viewer: HeadlessPoint;
let districts: string[] = [];
let everyone: HeadlessPoint[] = [];

async function join(pointId: string, role: Role): Promise<HeadlessPoint> {
  const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 600);
  return HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs: 90_000 });
}

/** Polls until `condition` holds for every point; the error names the ones that lag. */
async function waitEvery(points: readonly HeadlessPoint[], condition: (p: HeadlessPoint) => boolean, what: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lagging = points.filter((p) => !condition(p));
    if (lagging.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} at: ${lagging.map((p) => p.label).join(', ')}`);
    }
    await sleep(50);
  }
}

/** Growth of `measure` at each point over one window, as { label: packets }. */
async function over(points: readonly HeadlessPoint[], measure: (p: HeadlessPoint) => number, ms = WINDOW_MS) {
  const grown = await growth(ms, new Map(points.map((p) => [p.label, () => measure(p)])));
  return Object.fromEntries(grown);
}

/** Several measures over the same window. */
async function overMany<K extends string>(
  points: readonly HeadlessPoint[],
  measures: Record<K, (p: HeadlessPoint) => number>,
  ms = WINDOW_MS,
): Promise<Record<K, Record<string, number>>> {
  const keys = Object.keys(measures) as K[];
  const map = new Map<string, () => number>();
  for (const p of points) for (const k of keys) map.set(`${k}\u0000${p.label}`, () => measures[k](p));
  const grown = await growth(ms, map);
  const out = new Map<K, Record<string, number>>(keys.map((k) => [k, {}]));
  for (const [key, n] of grown) {
    const [k, label] = key.split('\u0000') as [K, string];
    const counts = out.get(k);
    if (counts) counts[label] = n;
  }
  return Object.fromEntries(out) as Record<K, Record<string, number>>;
}

const below = (counts: Record<string, number>, min: number) => Object.entries(counts).filter(([, n]) => n < min);
const nonZero = (counts: Record<string, number>) => Object.entries(counts).filter(([, n]) => n !== 0);
const audioFrom = (pointId: string) => (p: HeadlessPoint) => p.receiver?.fromOrigin(pointId, 'audio') ?? 0;
const videoFrom = (pointId: string) => (p: HeadlessPoint) => p.receiver?.fromOrigin(pointId, 'video') ?? 0;
const packets = (filter: ConsumerFilter) => (p: HeadlessPoint) => p.packets(filter);
const hasOpen = (p: HeadlessPoint, filter: ConsumerFilter) => p.consumers({ ...filter, open: true }).length > 0;

type Layer = 'low' | 'mid' | 'high';

/**
 * Waits until, over one short window, every matching open video consumer at every point receives
 * `layer` and nothing of the other layers. mediasoup's simulcast consumers may start on another layer
 * and switch once the producer's Sender Reports have come through (through a pipe to another worker
 * this takes seconds), so the layer is checked on fresh windows, not on the totals. Resolves with the
 * time it took.
 */
async function waitForLayer(points: readonly HeadlessPoint[], filter: ConsumerFilter, layer: Layer, timeoutMs = 9000): Promise<number> {
  const started = Date.now();
  const layers: Layer[] = ['low', 'mid', 'high'];
  const snapshot = () =>
    new Map(
      points.flatMap((p) => p.consumers({ ...filter, kind: 'video', open: true }).map((c) => [c, { p, by: { ...c.byStream } }] as const)),
    );
  for (;;) {
    const before = snapshot();
    await sleep(600);
    const lagging: string[] = [];
    for (const p of points) {
      const consumers = p.consumers({ ...filter, kind: 'video', open: true });
      if (consumers.length === 0) lagging.push(`${p.label}: no consumer`);
      for (const c of consumers) {
        const was = before.get(c)?.by ?? { audio: 0, low: 0, mid: 0, high: 0 };
        const grew = Object.fromEntries(layers.map((l) => [l, c.byStream[l] - was[l]])) as Record<Layer, number>;
        if (grew[layer] === 0 || layers.some((l) => l !== layer && grew[l] > 0))
          lagging.push(`${p.label} ${c.pointId}: ${JSON.stringify(grew)}`);
      }
    }
    if (lagging.length === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `not on the ${layer} layer after ${timeoutMs} ms (${JSON.stringify(filter)}), ` +
          `packets per layer in the last 600 ms: ${lagging.join('; ')}`,
      );
    }
  }
}

/** Every client's own failures, and every packet that failed SRTP or carried no mark or a wrong origin. */
function integrityProblems(): string[] {
  const problems: string[] = [];
  for (const p of everyone) {
    for (const e of p.errors) problems.push(`${p.label}: ${e}`);
    for (const c of p.consumers()) {
      const bad = c.authFailures + c.malformed + c.foreign;
      if (bad > 0)
        problems.push(
          `${p.label}: ${c.purpose} ${c.pointId} ${c.kind}: auth ${c.authFailures}, malformed ${c.malformed}, foreign ${c.foreign}`,
        );
    }
  }
  return problems;
}

beforeAll(async () => {
  const config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1',
    DIEMCAU_PORT: '0',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_WORKERS: '2',
    DIEMCAU_DATA_DIR: tempDataDir(),
    DIEMCAU_LOG_LEVEL: 'silent',
  });
  hub = await createHub(config, pino({ level: 'silent' }));
  const { port } = await hub.listen();
  url = `http://127.0.0.1:${port}`;
  const conference = hub.conferences.get(CONFERENCE);
  if (!conference) throw new Error(`demo conference ${CONFERENCE} not loaded`);
  districts = conference
    .view()
    .points.filter((p) => p.id !== CENTRE)
    .map((p) => p.id);
  expect(districts).toHaveLength(11);

  host = await join(CENTRE, 'host');
  technicians = await Promise.all(districts.map((d) => join(d, 'technician')));
  viewer = await join(VIEWER_AT, 'viewer');
  everyone = [host, ...technicians, viewer];

  await host.publish({ audio: true, video: true });
  await Promise.all(technicians.map((t) => t.publish({ audio: true, video: true })));
  await Promise.all(everyone.map((p) => p.receive()));
}, 45_000);

afterAll(async () => {
  await Promise.all(everyone.map((p) => p.close()));
  await hub?.close('test over');
});

describe('Đồng Nai conference: media end to end with 12 points, a viewer and 2 workers', () => {
  it('delivers the central broadcast (host microphone and camera) to every point and the viewer', async () => {
    const audience = [...technicians, viewer];
    await waitEvery(
      audience,
      (p) =>
        hasOpen(p, { purpose: 'programme', pointId: CENTRE, kind: 'audio' }) &&
        hasOpen(p, { purpose: 'programme', pointId: CENTRE, kind: 'video' }),
      'programme consumers of the centre',
    );
    await sleep(SETTLE_MS);
    const got = await overMany(audience, {
      audio: packets({ purpose: 'programme', pointId: CENTRE, kind: 'audio' }),
      video: packets({ purpose: 'programme', pointId: CENTRE, kind: 'video' }),
      markedAudio: audioFrom(CENTRE),
      markedVideo: videoFrom(CENTRE),
    });
    expect(below(got.audio, MIN_AUDIO), 'programme audio packets in 1.5 s').toEqual([]);
    expect(below(got.video, MIN_VIDEO), 'programme video packets in 1.5 s').toEqual([]);
    expect(below(got.markedAudio, MIN_AUDIO), 'decrypted audio marked as from the centre').toEqual([]);
    expect(below(got.markedVideo, MIN_VIDEO), 'decrypted video marked as from the centre').toEqual([]);
    // The programme is the centre's high layer.
    await waitForLayer(audience, { purpose: 'programme', pointId: CENTRE }, 'high');
    // The host does not receive its own broadcast.
    expect(host.consumers({ purpose: 'programme' })).toEqual([]);
    expect(integrityProblems()).toEqual([]);
  });

  it("shows every district's camera on the host's wall at the low layer", async () => {
    await waitEvery(
      [host],
      (p) => districts.every((d) => hasOpen(p, { purpose: 'wall', pointId: d, kind: 'video' })),
      'a wall consumer of every district',
    );
    const got = await overMany(
      [host],
      Object.fromEntries(districts.map((d) => [d, packets({ purpose: 'wall', pointId: d, kind: 'video' })])) as Record<
        string,
        (p: HeadlessPoint) => number
      >,
    );
    const perDistrict = Object.fromEntries(Object.entries(got).map(([d, counts]) => [d, counts[host.label] ?? 0]));
    expect(below(perDistrict, MIN_VIDEO), 'wall video packets per district in 1.5 s').toEqual([]);
    await waitForLayer([host], { purpose: 'wall' }, 'low');
    expect(host.consumers({ purpose: 'wall', open: true })).toHaveLength(11);
    // Nobody else has a wall.
    for (const p of [...technicians, viewer]) expect(p.consumers({ purpose: 'wall' }), p.label).toEqual([]);
  });

  it('lets no district be heard while the centre holds the floor', async () => {
    await sleep(WINDOW_MS);
    for (const p of everyone) {
      const heard = Object.fromEntries(districts.map((d) => [d, audioFrom(d)(p)]));
      expect(nonZero(heard), `${p.label}: district audio packets received so far`).toEqual([]);
      expect(p.consumers({ purpose: 'stage' }), `${p.label}: stage consumers`).toEqual([]);
    }
  });

  it('puts the district with the floor on stage for everyone else, and only its audio is heard', async () => {
    const speaker = technicians.find((t) => t.pointId === SPEAKER) as HeadlessPoint;
    const asked = await speaker.call('floor.request', { note: 'Hỏi về biểu mẫu biên bản kiểm phiếu' });
    expect(asked.position).toBe(1);
    await host.waitForEvent('floor.updated', { predicate: (f) => f.queue.some((q) => q.pointId === SPEAKER) });

    const since = everyone.map((p) => p.mark());
    const grantedAt = Date.now();
    const granted = await host.call('floor.grant', { pointId: SPEAKER });
    expect(granted.pointId).toBe(SPEAKER);
    expect(granted.queue.map((q) => q.pointId)).not.toContain(SPEAKER);
    await Promise.all(
      everyone.map((p, i) => p.waitForEvent('floor.updated', { since: since[i], predicate: (f) => f.pointId === SPEAKER })),
    );

    const others = everyone.filter((p) => p.pointId !== SPEAKER);
    expect(others).toHaveLength(12); // host, ten technicians, the viewer
    await waitEvery(
      others,
      (p) =>
        hasOpen(p, { purpose: 'stage', pointId: SPEAKER, kind: 'audio' }) &&
        hasOpen(p, { purpose: 'stage', pointId: SPEAKER, kind: 'video' }),
      `stage consumers of ${SPEAKER}`,
    );
    await sleep(SETTLE_MS);
    const got = await overMany(others, {
      stageAudio: packets({ purpose: 'stage', pointId: SPEAKER, kind: 'audio' }),
      stageVideo: packets({ purpose: 'stage', pointId: SPEAKER, kind: 'video' }),
      markedAudio: audioFrom(SPEAKER),
      programmeAudio: packets({ purpose: 'programme', pointId: CENTRE, kind: 'audio' }),
    });
    expect(below(got.stageAudio, MIN_AUDIO), `stage audio of ${SPEAKER} in 1.5 s`).toEqual([]);
    expect(below(got.stageVideo, MIN_VIDEO), `stage video of ${SPEAKER} in 1.5 s`).toEqual([]);
    expect(below(got.markedAudio, MIN_AUDIO), `decrypted audio marked as from ${SPEAKER}`).toEqual([]);
    // The centre stays beside the speaker for the districts and the viewer.
    const programme = Object.fromEntries(Object.entries(got.programmeAudio).filter(([label]) => label !== host.label));
    expect(below(programme, MIN_AUDIO), 'programme audio while a district speaks').toEqual([]);
    // The speaker appears at once: its first video packet within a second of the grant, everywhere.
    const firstVideo = Object.fromEntries(
      others.map((p) => {
        const [camera] = p.consumers({ purpose: 'stage', pointId: SPEAKER, kind: 'video', open: true });
        return [p.label, (camera?.firstPacketAt ?? Number.POSITIVE_INFINITY) - grantedAt];
      }),
    );
    expect(
      Object.entries(firstVideo).filter(([, ms]) => ms > 1000),
      'ms from grant to the first stage video packet',
    ).toEqual([]);
    // The stage is the speaker's high layer (possibly after a start on another layer).
    await waitForLayer(others, { purpose: 'stage', pointId: SPEAKER }, 'high');
    // The speaker does not get itself back.
    expect(speaker.consumers({ purpose: 'stage' })).toEqual([]);

    // No audio from any other district has reached anyone, ever.
    for (const p of everyone) {
      const heard = Object.fromEntries(districts.filter((d) => d !== SPEAKER).map((d) => [d, audioFrom(d)(p)]));
      expect(nonZero(heard), `${p.label}: audio packets from districts without the floor`).toEqual([]);
    }
    expect(integrityProblems()).toEqual([]);
  });

  it("stops the floor point's audio everywhere while the host mutes it, and restores it on unmute", async () => {
    const speaker = technicians.find((t) => t.pointId === SPEAKER) as HeadlessPoint;
    const others = everyone.filter((p) => p.pointId !== SPEAKER);
    const since = speaker.mark();
    const muted = await host.call('point.mute', { pointId: SPEAKER, kind: 'audio', muted: true });
    expect(muted.mutedByHost).toEqual({ audio: true, video: false });
    await speaker.waitForEvent('point.updated', { since, predicate: (v) => v.id === SPEAKER && v.mutedByHost.audio });
    await sleep(SETTLE_MS);
    const silent = await overMany(others, { audio: audioFrom(SPEAKER), video: videoFrom(SPEAKER) });
    expect(nonZero(silent.audio), `audio packets from ${SPEAKER} while muted`).toEqual([]);
    expect(below(silent.video, MIN_VIDEO), `video of ${SPEAKER} while its audio is muted`).toEqual([]);

    const unmuted = await host.call('point.mute', { pointId: SPEAKER, kind: 'audio', muted: false });
    expect(unmuted.mutedByHost.audio).toBe(false);
    await sleep(SETTLE_MS);
    const back = await over(others, audioFrom(SPEAKER));
    expect(below(back, MIN_AUDIO), `audio packets from ${SPEAKER} after unmute`).toEqual([]);
  });

  it('returns the floor to the centre by itself when a 5-second grant runs out, warning first', async () => {
    const since = everyone.map((p) => p.mark());
    const granted = await host.call('floor.grant', { pointId: SHORT, seconds: 5 });
    expect(granted.pointId).toBe(SHORT);
    expect(granted.endsAt).not.toBeNull();
    const others = everyone.filter((p) => p.pointId !== SHORT);

    // The previous speaker leaves the stage at once and is silent again.
    await waitEvery(
      others,
      (p) => hasOpen(p, { purpose: 'stage', pointId: SHORT, kind: 'audio' }) && !hasOpen(p, { purpose: 'stage', pointId: SPEAKER }),
      `the stage to switch from ${SPEAKER} to ${SHORT}`,
    );
    await sleep(SETTLE_MS);
    const during = await overMany(others, { short: audioFrom(SHORT), previous: audioFrom(SPEAKER) }, 1000);
    expect(below(during.short, (MIN_AUDIO * 2) / 3), `audio from ${SHORT} during its grant`).toEqual([]);
    expect(nonZero(during.previous), `audio from ${SPEAKER} after the floor left it`).toEqual([]);

    // Warning (immediately, the grant being shorter than the warning time), then back to the centre.
    await Promise.all(
      everyone.map((p, i) => p.waitForEvent('floor.updated', { since: since[i], predicate: (f) => f.pointId === null, timeoutMs: 9000 })),
    );
    const ended = Date.now();
    for (const [i, p] of everyone.entries()) {
      const events = p.events.slice(since[i]);
      const warning = events.findIndex((e) => e.name === 'floor.warning' && (e.payload as { pointId: string }).pointId === SHORT);
      const centre = events.findIndex((e) => e.name === 'floor.updated' && (e.payload as { pointId: string | null }).pointId === null);
      expect(warning, `${p.label}: floor.warning for ${SHORT}`).toBeGreaterThanOrEqual(0);
      expect(warning, `${p.label}: warning before the return to the centre`).toBeLessThan(centre);
    }
    const grantedAt = granted.since;
    expect(ended - grantedAt).toBeGreaterThanOrEqual(4500);

    // The stage consumers close everywhere and no district is heard any more.
    await waitEvery(everyone, (p) => p.consumers({ purpose: 'stage', open: true }).length === 0, 'every stage consumer to close', 5000);
    for (const p of others) {
      expect(
        p.consumers({ purpose: 'stage', pointId: SHORT }).every((c) => c.closedAt !== undefined),
        p.label,
      ).toBe(true);
    }
    await sleep(SETTLE_MS);
    const after = await overMany(
      everyone,
      Object.fromEntries(districts.map((d) => [d, audioFrom(d)])) as Record<string, (p: HeadlessPoint) => number>,
    );
    for (const [d, counts] of Object.entries(after)) expect(nonZero(counts), `audio from ${d} with the floor at the centre`).toEqual([]);
    // The programme goes on.
    const programme = await over([...technicians, viewer], audioFrom(CENTRE), 1000);
    expect(below(programme, (MIN_AUDIO * 2) / 3)).toEqual([]);
    expect(integrityProblems()).toEqual([]);
  });

  it('spreads the sessions over both workers and still delivers to every point', async () => {
    const conference = hub.conferences.get(CONFERENCE);
    if (!conference) throw new Error('conference gone');
    const routerOf = new Map<string, string>(conference.sessions().map((s) => [s.id, s.peer.router.id]));
    const routers = new Set(routerOf.values());
    expect(routers.size).toBe(2);
    // The routers are on different worker processes.
    const pids = new Set(hub.workers.health().map((w) => w.pid));
    expect(pids.size).toBe(2);

    const audience = [...technicians, viewer];
    const got = await over(audience, audioFrom(CENTRE), 1000);
    for (const router of routers) {
      const there = audience.filter((p) => routerOf.get(p.welcome.self.sessionId) === router);
      expect(there.length, `clients on router ${router}`).toBeGreaterThan(0);
      const counts = Object.fromEntries(there.map((p) => [p.label, got[p.label] ?? 0]));
      expect(below(counts, (MIN_AUDIO * 2) / 3), `programme audio on router ${router}`).toEqual([]);
    }
    // The host's producers live on one router; clients on the other get them through a pipe.
    const hostRouter = routerOf.get(host.welcome.self.sessionId);
    expect(audience.some((p) => routerOf.get(p.welcome.self.sessionId) !== hostRouter)).toBe(true);
    expect(integrityProblems()).toEqual([]);
  });
});
