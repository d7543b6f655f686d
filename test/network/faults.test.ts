// Network faults on real links: the browser client (Debian's Chromium) runs inside network namespaces
// joined to the hub by impaired links (scripts/netem: user-space TUN link, since these kernels have no
// netem), the hub and the host console in the root namespace.
//
// - A point console (technician, on the floor) under 10% loss each way and 200 ms round trip: its audio
//   keeps reaching the host, its video keeps decoding there; the hub's producer stats and the point's own
//   send stats show the NACKs, retransmissions and key-frame requests that did it.
// - The same point's link cut for 30 s: it rejoins by itself and its video plays at the host again.
// - A room display (viewer) whose link is cut for 60 s, concurrently: it plays again without anyone
//   touching it.
// Figures are printed and written to test-results/network/faults.json; only the recovery itself is asserted
// (within generous timeouts). Needs root, /dev/net/tun and Chromium; skips with the reason otherwise.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { NetLink, unsupportedReason } from '../../scripts/netem/link.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep } from '../helpers/wait.ts';
import { ensureClientBuilt, launch, openPage, playback, rtpTotals, sdps, waitPlaying } from '../helpers/browser.ts';

const reason = unsupportedReason();
if (reason) console.warn(`SKIPPED test/network/faults.test.ts: ${reason}`);

const OUT = fileURLToPath(new URL('../../test-results/network/', import.meta.url));
const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
/** The point console in the impaired namespace. */
const SPEAKER = 'xuan-loc';
/** The room display in the other namespace. */
const ROOM = 'bien-hoa';
/** Durations and conditions; a soak run sets longer ones (scripts/netem/soak.sh). */
const seconds = (name: string, fallback: number): number => Number(process.env[name] ?? fallback) * 1000;
const LOSS = Number(process.env['NETFAULT_LOSS'] ?? 0.1);
const RTT_MS = Number(process.env['NETFAULT_RTT_MS'] ?? 200);
const LOSS_MS = seconds('NETFAULT_LOSS_SECONDS', 15);
const BLIP_MS = seconds('NETFAULT_BLIP_SECONDS', 5);
const POINT_CUT_MS = seconds('NETFAULT_POINT_CUT_SECONDS', 30);
const DISPLAY_CUT_MS = seconds('NETFAULT_DISPLAY_CUT_SECONDS', 60);
const TEST_MS = 180_000 + LOSS_MS + BLIP_MS + POINT_CUT_MS + DISPLAY_CUT_MS;

let hub: Hub;
let port: number;
let pointLink: NetLink;
let displayLink: NetLink;
const browsers: Browser[] = [];
let host: Page;
const pageErrors: string[] = [];
const figures: Record<string, unknown> = {};
const t0 = Date.now();
/** What happened when, in seconds since the file started: cuts, sockets, the clients' warnings (repeats counted). */
const timeline: string[] = [];
let lastNote = { line: '', index: -1, repeats: 0 };
const note = (line: string): void => {
  const at = ((Date.now() - t0) / 1000).toFixed(1);
  if (line === lastNote.line) {
    lastNote.repeats++;
    timeline[lastNote.index] = `${timeline[lastNote.index]?.split(' (x')[0]} (x${lastNote.repeats + 1}, last at ${at})`;
    return;
  }
  timeline.push(`${at} ${line}`);
  lastNote = { line, index: timeline.length - 1, repeats: 0 };
};
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Every producer the hub makes, with its transport, seen through mediasoup's observer. */
const producers: Array<{ producer: types.Producer; transport: types.WebRtcTransport; at: number }> = [];
mediasoup.observer.on('newworker', (worker) =>
  worker.observer.on('newrouter', (router) =>
    router.observer.on('newtransport', (transport) =>
      transport.observer.on('newproducer', (producer) =>
        producers.push({ producer, transport: transport as types.WebRtcTransport, at: Date.now() }),
      ),
    ),
  ),
);

/** The open producers the hub has for whoever reaches it from `address`. */
const producersFrom = (address: string): Array<{ producer: types.Producer; at: number }> =>
  producers.filter((p) => !p.producer.closed && p.transport.iceSelectedTuple?.remoteIp === address);

/** The hub's receive-side counters of the point's producers, summed by kind. */
async function hubProducerStats(address: string): Promise<Record<string, Record<string, number>>> {
  const totals: Record<string, Record<string, number>> = {};
  for (const { producer } of producersFrom(address)) {
    const t = (totals[producer.kind] ??= {});
    t['producers'] = (t['producers'] ?? 0) + 1;
    for (const s of await producer.getStats()) {
      for (const key of [
        'packetCount',
        'packetsLost',
        'nackCount',
        'nackPacketCount',
        'pliCount',
        'firCount',
        'packetsRetransmitted',
        'packetsRepaired',
      ] as const) {
        t[key] = (t[key] ?? 0) + (s[key] ?? 0);
      }
    }
  }
  return totals;
}

const diff = (a: Record<string, number> = {}, b: Record<string, number> = {}): Record<string, number> =>
  Object.fromEntries(Object.keys(b).map((k) => [k, round((b[k] ?? 0) - (a[k] ?? 0), 2)]));

async function credential(pointId: string, role: Role): Promise<{ token: string; code: string }> {
  return hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
}

/**
 * Samples the host's decoded video frames every 250 ms for `ms`: frames decoded, the longest time no frame
 * was decoded, and when the first key frame was decoded (ms from the start, or null).
 */
async function watchVideo(ms: number): Promise<{ frames: number; longestStallMs: number; firstKeyFrameMs: number | null }> {
  const sample = async (): Promise<[number, number]> => {
    const v = (await rtpTotals(host, 'inbound-rtp')).video;
    return [v['framesDecoded'] ?? 0, v['keyFramesDecoded'] ?? 0];
  };
  const t0 = Date.now();
  const [frames0, keys0] = await sample();
  let last = frames0;
  let lastGrowth = t0;
  let longest = 0;
  let firstKeyFrameMs: number | null = null;
  while (Date.now() - t0 < ms) {
    await sleep(250);
    const [frames, keys] = await sample();
    if (firstKeyFrameMs === null && keys > keys0) firstKeyFrameMs = Date.now() - t0;
    if (frames > last) {
      longest = Math.max(longest, Date.now() - lastGrowth);
      lastGrowth = Date.now();
      last = frames;
    }
  }
  longest = Math.max(longest, Date.now() - lastGrowth);
  return { frames: last - frames0, longestStallMs: longest, firstKeyFrameMs };
}

/** Waits until `condition` holds; returns the time it took. */
async function until(what: string, timeoutMs: number, condition: () => Promise<boolean> | boolean): Promise<number> {
  const t0 = Date.now();
  while (!(await condition())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
  return Date.now() - t0;
}

/** Cuts the point's link for `ms`, then measures how long until it is back at the hub and at the host. */
async function cutPoint(ms: number): Promise<Record<string, unknown>> {
  const before = new Set(producersFrom(pointLink.nsAddress).map((p) => p.producer.id));
  await pointLink.set({ cut: true });
  note(`point link: cut for ${ms / 1000} s`);
  await sleep(ms);
  await pointLink.set({ cut: false });
  note('point link: cut ends');
  const cutEnd = Date.now();
  const videoPackets = async (): Promise<number> => (await hubProducerStats(pointLink.nsAddress))['video']?.['packetCount'] ?? 0;
  let last = await videoPackets();
  const hubMediaBackMs = await until('the hub receiving the point again', 120_000, async () => {
    await sleep(300);
    const now = await videoPackets();
    const grew = now > last;
    last = now;
    return grew;
  });
  await waitPlaying(host, tile(SPEAKER), '', 60_000);
  const hostTileBackMs = Date.now() - cutEnd;
  const holder = await host
    .locator('.floor-holder')
    .getAttribute('data-point-id')
    .catch(() => null);
  if (holder === SPEAKER) await waitPlaying(host, stageMain, SPEAKER, 60_000);
  return {
    'cut end to its video at the hub (s)': round(hubMediaBackMs / 1000),
    'cut end to its wall tile playing at the host (s)': round(hostTileBackMs / 1000),
    'cut end to its stage video playing at the host (s)': holder === SPEAKER ? round((Date.now() - cutEnd) / 1000) : null,
    'rejoined with new producers': producersFrom(pointLink.nsAddress).some((p) => !before.has(p.producer.id)),
    'floor holder after': holder,
  };
}

const stageMain = '.stage video[data-slot="main"]';
const tile = (pointId: string): string => `.tile[data-point-id="${pointId}"] video`;

describe.skipIf(reason !== undefined)('network faults: browser points behind impaired links', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureClientBuilt();
    [pointLink, displayLink] = await Promise.all([NetLink.create(11), NetLink.create(12)]);
    // Media listens on the point link's root address: every namespace routes to it over its own link,
    // the host's browser in the root namespace reaches it locally.
    const started = await startHub({ DIEMCAU_HOST: '0.0.0.0', DIEMCAU_LISTEN_IP: pointLink.rootAddress });
    hub = started.hub;
    port = Number(new URL(started.url).port);
    hub.io.on('connection', (socket) => {
      const who = `${socket.data.session?.role ?? '?'} ${socket.data.session?.pointId ?? '?'} from ${socket.handshake.address}`;
      note(`hub: socket connected: ${who}`);
      socket.on('disconnect', (why) => note(`hub: socket disconnected (${why}): ${who}`));
    });
    const origin = (link: NetLink): string => `http://${link.rootAddress}:${port}`;
    browsers.push(await launch(), await launch(pointLink, [origin(pointLink)]), await launch(displayLink, [origin(displayLink)]));
    const hostCredential = await credential(CENTRE, 'host');
    host = await openPage(browsers[0] as Browser, `http://127.0.0.1:${port}/?video=360#token=${hostCredential.token}`, pageErrors, 'host');
    await waitPlaying(host, stageMain, CENTRE, 30_000);
    await host.click('[data-action="start"]');
  }, 120_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) {
      figures['timeline'] = timeline;
      writeFileSync(join(OUT, 'faults.json'), `${JSON.stringify(figures, null, 2)}\n`);
      console.info('network fault figures:', JSON.stringify(figures, null, 2));
    }
    if (pageErrors.length > 0) console.info('page errors:', pageErrors);
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    await hub?.close('test over');
    await Promise.all([pointLink?.close(), displayLink?.close()]);
  }, 60_000);

  it.concurrent(
    'a point console: audio and video through 10% loss and 200 ms RTT, then back by itself after a short and a 30 s cut',
    async () => {
      const technician = await credential(SPEAKER, 'technician');
      const point = await openPage(
        browsers[1] as Browser,
        `http://${pointLink.rootAddress}:${port}/?video=360&code=${technician.code}`,
        pageErrors,
        'point',
        note,
      );
      await waitPlaying(host, tile(SPEAKER), '', 40_000);
      await point.fill('input[name="floor-note"]', 'Mạng yếu');
      await point.click('[data-action="ask"]');
      const request = host.locator(`.floor-request[data-point-id="${SPEAKER}"]`);
      await request.waitFor({ timeout: 15_000 });
      await host.fill('input[name="floor-seconds"]', '3600');
      await request.locator('[data-action="grant"]').click();
      await waitPlaying(host, stageMain, SPEAKER, 30_000);

      // Opus in-band FEC must be on offer: the hub's answer to the point's send transport carries it.
      const answers = (await sdps(point)).filter((s) => s.side === 'remote').map((s) => s.sdp);
      const opusFmtp = answers.join('\n').match(/a=fmtp:\d+ .*useinbandfec=1.*/)?.[0];
      figures['opus fmtp in the hub answer'] = opusFmtp ?? 'missing';
      expect(opusFmtp).toBeDefined();

      // A clean window, then the same window under 10% loss each way and 200 ms round trip.
      const window = async (ms: number) => {
        const [h0, p0, s0] = await Promise.all([
          rtpTotals(host, 'inbound-rtp'),
          rtpTotals(point, 'outbound-rtp'),
          hubProducerStats(pointLink.nsAddress),
        ]);
        const video = await watchVideo(ms);
        const [h1, p1, s1] = await Promise.all([
          rtpTotals(host, 'inbound-rtp'),
          rtpTotals(point, 'outbound-rtp'),
          hubProducerStats(pointLink.nsAddress),
        ]);
        const hostAudio = diff(h0.audio, h1.audio);
        return {
          audioPacketsPerSecondAtHost: round((hostAudio['packetsReceived'] ?? 0) / (ms / 1000)),
          audioConcealedShare: round((hostAudio['concealedSamples'] ?? 0) / Math.max(1, hostAudio['totalSamplesReceived'] ?? 0), 3),
          hostAudio,
          hostVideo: diff(h0.video, h1.video),
          videoFramesPerSecondAtHost: round(video.frames / (ms / 1000)),
          videoLongestStallMs: video.longestStallMs,
          firstKeyFrameAtHostMs: video.firstKeyFrameMs,
          pointSendVideo: diff(p0.video, p1.video),
          pointSendAudio: diff(p0.audio, p1.audio),
          hubProducerVideo: diff(s0['video'], s1['video']),
          hubProducerAudio: diff(s0['audio'], s1['audio']),
        };
      };
      const clean = await window(6000);
      await pointLink.set({ loss: LOSS, rttMs: RTT_MS });
      note(`point link: ${LOSS * 100}% loss, ${RTT_MS} ms RTT`);
      const lossStart = Date.now();
      const lossy = await window(LOSS_MS);
      const linkStats = await pointLink.stats();
      // Still under loss: the stage shows the point's video playing.
      await waitPlaying(host, stageMain, SPEAKER, 30_000);
      const playingUnderLoss = round((Date.now() - lossStart) / 1000);
      await pointLink.set({ loss: 0, rttMs: 0 });
      note('point link: clean');
      figures['clean'] = clean;
      figures[`${LOSS * 100}% loss, ${RTT_MS} ms RTT`] = {
        ...lossy,
        link: linkStats,
        'stage checked playing under loss at (s after loss start)': playingUnderLoss,
        audioPacketRatio: round(lossy.audioPacketsPerSecondAtHost / clean.audioPacketsPerSecondAtHost, 3),
      };
      console.info('point under loss:', JSON.stringify(figures[`${LOSS * 100}% loss, ${RTT_MS} ms RTT`]));
      // Audio kept flowing (about 90% of it: Opus is not retransmitted), video kept decoding, and the hub
      // asked for and got retransmissions.
      expect(lossy.audioPacketsPerSecondAtHost).toBeGreaterThan(0.75 * clean.audioPacketsPerSecondAtHost);
      expect(lossy.videoFramesPerSecondAtHost).toBeGreaterThan(0);
      expect(lossy.hubProducerVideo['nackCount'] ?? 0).toBeGreaterThan(0);
      expect(lossy.pointSendVideo['retransmittedPacketsSent'] ?? 0).toBeGreaterThan(0);

      // A short blip, then a long cut: the point must come back by itself both times.
      figures[`${BLIP_MS / 1000} s cut`] = await cutPoint(BLIP_MS);
      figures[`${POINT_CUT_MS / 1000} s cut`] = await cutPoint(POINT_CUT_MS);
      console.info('point after cuts:', JSON.stringify([figures[`${BLIP_MS / 1000} s cut`], figures[`${POINT_CUT_MS / 1000} s cut`]]));
    },
    TEST_MS,
  );

  it.concurrent(
    'a room display recovers from a 60 s outage without anyone touching it',
    async () => {
      const viewer = await credential(ROOM, 'viewer');
      const display = await openPage(
        browsers[2] as Browser,
        `http://${displayLink.rootAddress}:${port}/?code=${viewer.code}`,
        pageErrors,
        'display',
        note,
      );
      await waitPlaying(display, stageMain, undefined, 40_000);
      const received = async (): Promise<number> => {
        const t = await rtpTotals(display, 'inbound-rtp');
        return (t.video['packetsReceived'] ?? 0) + (t.audio['packetsReceived'] ?? 0);
      };
      await displayLink.set({ cut: true });
      note(`display link: cut for ${DISPLAY_CUT_MS / 1000} s`);
      const cutStart = await displayLink.stats();
      await sleep(DISPLAY_CUT_MS);
      const cutStats = await displayLink.stats();
      // The cut is real: nothing crossed the link while the display kept trying.
      expect(cutStats.in.forwarded).toBe(cutStart.in.forwarded);
      expect(cutStats.out.forwarded).toBe(cutStart.out.forwarded);
      expect(cutStats.out.cut).toBeGreaterThan(cutStart.out.cut);
      const stuck = await playback(display, stageMain);
      await display.screenshot({ path: join(OUT, 'display-during-outage.png') });
      await displayLink.set({ cut: false });
      note('display link: cut ends');
      const cutEnd = Date.now();
      // Every 200 ms: when video packets arrive again, and when frames are decoded again.
      const firsts = { packets: Number.NaN, frames: Number.NaN };
      const atCutEnd = (await rtpTotals(display, 'inbound-rtp')).video;
      const watching = (async () => {
        while (Number.isNaN(firsts.frames) && Date.now() - cutEnd < 120_000) {
          await sleep(200);
          const v = (await rtpTotals(display, 'inbound-rtp').catch(() => undefined))?.video;
          if (!v) continue;
          if (Number.isNaN(firsts.packets) && (v['packetsReceived'] ?? 0) !== (atCutEnd['packetsReceived'] ?? 0))
            firsts.packets = Date.now() - cutEnd;
          if ((v['framesDecoded'] ?? 0) !== (atCutEnd['framesDecoded'] ?? 0)) firsts.frames = Date.now() - cutEnd;
        }
      })();
      await waitPlaying(display, stageMain, undefined, 120_000);
      const playingMs = Date.now() - cutEnd;
      await watching;
      const p0 = await received();
      await sleep(1000);
      expect(await received()).toBeGreaterThan(p0);
      await display.screenshot({ path: join(OUT, 'display-after-outage.png') });
      figures[`${DISPLAY_CUT_MS / 1000} s display outage`] = {
        'display video at the end of the cut': stuck,
        'cut end to first video packet (s)': round(firsts.packets / 1000),
        'cut end to first decoded frame (s)': round(firsts.frames / 1000),
        'cut end to display playing again (s)': round(playingMs / 1000),
        link: await displayLink.stats(),
      };
      console.info('display after a 60 s cut:', JSON.stringify(figures[`${DISPLAY_CUT_MS / 1000} s display outage`]));
    },
    TEST_MS,
  );
});
