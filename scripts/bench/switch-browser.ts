// Floor switch as the halls see it, in Chromium: room displays (role viewer) open on the hub's display page,
// Đồng Nai district technicians publishing their fake camera (three-layer simulcast) from Chromium consoles,
// the host (a headless client) granting the floor round robin from the head of the queue, the previous
// speaker asking again after each switch. Clock: just before `floor.grant` → the new speaker's frames
// advancing at each display (the stage's `video[data-slot="main"]` with the new `data-point-id` presents two
// frames: requestVideoFrameCallback). Every animation frame in between is sampled: the banner up, no picture
// in the main slot, or a picture without a decoded frame (black) count as a bad frame. The same run does it
// without standby (DIEMCAU_STANDBY=0, consumers made at the switch) and with it, and prints p50/p95 and the
// ratio, with where the time goes (consumer offer's SDP, first RTP, first frame). Writes
// test-results/bench/switch-browser.json.
//
//   node scripts/bench/switch-browser.ts [--displays 6] [--switches 12] [--publishers 3] [--video 360] [--smoke]
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import type { Hub } from '../../server/hub.ts';
import { buildClientIfStale, launchChromium, openPage } from '../lib/chromium.ts';
import { HubClient } from '../lib/hub-client.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { machine, printTable, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    displays: { type: 'string', default: '6' },
    switches: { type: 'string', default: '12' },
    publishers: { type: 'string', default: '3' },
    video: { type: 'string', default: '360' },
    'timeout-ms': { type: 'string', default: '8000' },
    'settle-ms': { type: 'string', default: '2500' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const DISPLAYS = smoke ? 2 : Number(values.displays);
const SWITCHES = smoke ? 3 : Number(values.switches);
const PUBLISHERS = Math.max(3, Number(values.publishers));
const TIMEOUT_MS = Number(values['timeout-ms']);
const SETTLE_MS = Number(values['settle-ms']);
const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs in every display before the client: frames presented by the stage's main video(s) with the point each
 * showed, the animation frames where the stage showed the banner, nothing or black, and the page's SDP and
 * first-RTP moments (setRemoteDescription, a received track's unmute).
 */
const SAMPLER = `(() => {
  const log = { frames: [], bad: [], sdp: [], unmute: [] };
  window.__switch = { take: () => { const out = JSON.parse(JSON.stringify(log)); for (const k in log) log[k].length = 0; return out; } };
  const watched = new WeakSet();
  const shown = (v) => !v.hidden && v.srcObject && getComputedStyle(v).visibility !== 'hidden' && getComputedStyle(v).display !== 'none';
  const watch = (v) => {
    if (watched.has(v) || !v.requestVideoFrameCallback) return;
    watched.add(v);
    const cb = (_now, meta) => {
      if (shown(v)) log.frames.push([Date.now(), v.dataset.pointId || '', meta.presentedFrames]);
      v.requestVideoFrameCallback(cb);
    };
    v.requestVideoFrameCallback(cb);
  };
  const tick = () => {
    const mains = [...document.querySelectorAll('video[data-slot="main"]')];
    mains.forEach(watch);
    const visible = mains.filter(shown);
    const tvBanner = document.querySelector('.tv-banner');
    const banner = !!document.querySelector('.display.banner-on') || !!(tvBanner && !tvBanner.hidden && !tvBanner.closest('[hidden]'));
    const black = visible.every((v) => v.readyState < 2 || v.videoWidth === 0);
    const why = banner ? 'banner' : visible.length === 0 ? 'empty' : black ? 'black' : '';
    if (why) log.bad.push([Date.now(), why, visible.map((v) => v.dataset.pointId || '').join()]);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('track', (e) => e.track.addEventListener('unmute', () => log.unmute.push([Date.now(), e.track.kind])));
    }
    async setRemoteDescription(d) {
      const at = Date.now();
      const r = await super.setRemoteDescription(d);
      log.sdp.push([at, Date.now()]);
      return r;
    }
  };
})()`;

interface Taken {
  frames: Array<[number, string, number]>;
  bad: Array<[number, string, string]>;
  sdp: Array<[number, number]>;
  unmute: Array<[number, string]>;
}

interface Sample {
  ms: number | null;
  badFrames: number;
  sdpMs: number | null;
  firstRtpMs: number | null;
}

/** At the hub, per video producer: PLIs sent to it and key frames from it; per consumer: resumed, first key frame out. */
const traced = {
  pli: new Map<string, number[]>(),
  keyIn: new Map<string, number[]>(),
  resumed: new Map<string, number[]>(),
  keyOut: new Map<string, number[]>(),
};
const note = (map: Map<string, number[]>, id: string): void => {
  const list = map.get(id) ?? [];
  list.push(Date.now());
  map.set(id, list);
};

/** Watches every video producer and consumer the hub makes (mediasoup's observer), for the breakdown. */
function traceMediasoup(): void {
  mediasoup.observer.on('newworker', (worker) =>
    worker.observer.on('newrouter', (router) =>
      router.observer.on('newtransport', (transport: types.Transport) => {
        transport.observer.on('newproducer', (producer: types.Producer) => {
          if (producer.kind !== 'video') return;
          void producer.enableTraceEvent(['pli', 'fir', 'keyframe']);
          producer.on('trace', (t) => {
            if (t.direction === 'out' && (t.type === 'pli' || t.type === 'fir')) note(traced.pli, producer.id);
            if (t.direction === 'in' && t.type === 'keyframe') note(traced.keyIn, producer.id);
          });
        });
        transport.observer.on('newconsumer', (consumer: types.Consumer) => {
          if (consumer.kind !== 'video' || transport.constructor.name === 'PipeTransport') return;
          void consumer.enableTraceEvent(['keyframe']);
          consumer.observer.on('resume', () => note(traced.resumed, consumer.producerId));
          consumer.on('trace', (t) => {
            if (t.direction === 'out' && t.type === 'keyframe') note(traced.keyOut, consumer.producerId);
          });
        });
      }),
    ),
  );
}

/** For the switch at t0 to `producerId`: the first PLI, key frame in, resume and key frame out after t0 (ms). */
function hubBreakdown(producerId: string, t0: number): Record<string, number | null> {
  const first = (map: Map<string, number[]>): number | null => {
    const at = (map.get(producerId) ?? []).find((x) => x >= t0);
    return at === undefined ? null : at - t0;
  };
  const lastResume = (traced.resumed.get(producerId) ?? []).filter((x) => x >= t0 && x < t0 + TIMEOUT_MS).at(-1);
  return {
    resumeFirst: first(traced.resumed),
    resumeLast: lastResume === undefined ? null : lastResume - t0,
    pli: first(traced.pli),
    keyIn: first(traced.keyIn),
    keyOut: first(traced.keyOut),
  };
}

const take = async (page: Page): Promise<Taken> => (await page.evaluate('window.__switch.take()')) as Taken;

/** The display's delay to the new speaker's second presented frame after t0, its bad frames until then, and the breakdown. */
function measure(log: Taken, speaker: string, t0: number): Sample {
  const frames = log.frames.filter(([at, pointId]) => at >= t0 && pointId === speaker);
  const done = frames[1]?.[0];
  const until = done ?? Number.POSITIVE_INFINITY;
  const sdp = log.sdp.find(([at]) => at >= t0);
  const rtp = log.unmute.find(([at, kind]) => at >= t0 && kind === 'video');
  return {
    ms: done === undefined ? null : done - t0,
    badFrames: log.bad.filter(([at]) => at >= t0 && at <= until).length,
    sdpMs: sdp ? sdp[1] - t0 : null,
    firstRtpMs: rtp ? rtp[0] - t0 : null,
  };
}

async function tokenUrl(hub: Hub, url: string, pointId: string, role: 'technician' | 'viewer', query = ''): Promise<string> {
  const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
  return `${url}/${query}#token=${token}`;
}

/** Asks for the floor from a technician's console (its own button, clicked in the page). */
async function ask(page: Page): Promise<void> {
  await page.evaluate(
    `(() => { const b = document.querySelector('[data-action="ask"]'); if (!b) throw new Error('no ask button'); b.click(); })()`,
  );
}

async function run(browser: Browser, standby: boolean, errors: string[]): Promise<Sample[]> {
  const { hub, url } = await startBenchHub(1, { DIEMCAU_STANDBY: standby ? '1' : '0' });
  const pages: Page[] = [];
  try {
    const conference = hub.conferences.get(CONFERENCE);
    if (!conference) throw new Error('demo conference missing');
    const districts = conference.spec.points.filter((p) => p.id !== CENTRE).map((p) => p.id);
    const speakers = districts.slice(0, PUBLISHERS);
    const rooms = Array.from({ length: DISPLAYS }, (_, i) => districts[PUBLISHERS + (i % (districts.length - PUBLISHERS))] as string);
    const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId: CENTRE, role: 'host' }, 3600);
    const host = await HubClient.connect(url, { token }, { label: 'host' });
    await host.call('conference.setStatus', { status: 'rehearsal' });
    let queue: string[] = [];
    host.socket.on('floor.updated', (floor) => (queue = floor.queue.map((r) => r.pointId)));
    const techs = new Map<string, Page>();
    for (const id of speakers) {
      const page = await openPage(browser, await tokenUrl(hub, url, id, 'technician', `?video=${values.video}`), errors, id);
      techs.set(id, page);
      pages.push(page);
    }
    const publishing = (id: string): boolean =>
      conference.sessions().some((s) => s.pointId === id && s.role === 'technician' && s.peer.producer('camera') !== undefined);
    for (let i = 0; i < 300 && !speakers.every(publishing); i++) await sleep(100);
    if (!speakers.every(publishing)) throw new Error('the technicians do not publish');
    const displays: Page[] = [];
    for (const [i, room] of rooms.entries()) {
      const page = await openPage(browser, await tokenUrl(hub, url, room, 'viewer'), errors, `display${i}@${room}`, SAMPLER);
      displays.push(page);
      pages.push(page);
    }
    for (const id of speakers) await ask(techs.get(id) as Page);
    await sleep(SETTLE_MS);
    // A first switch, not measured: every display warms up with a speaker on stage.
    let speaker = queue[0] as string;
    await host.call('floor.grant', { pointId: speaker, seconds: 3600 });
    await sleep(SETTLE_MS * 2);
    const samples: Sample[] = [];
    for (let s = 0; s < SWITCHES; s++) {
      const previous = speaker;
      speaker = queue[0] as string;
      for (const d of displays) await take(d);
      const t0 = Date.now();
      await host.call('floor.grant', { pointId: speaker, seconds: 3600 });
      const deadline = t0 + TIMEOUT_MS;
      const logs = displays.map((): Taken => ({ frames: [], bad: [], sdp: [], unmute: [] }));
      for (;;) {
        await sleep(100);
        for (const [i, d] of displays.entries()) {
          const more = await take(d);
          const log = logs[i] as Taken;
          for (const k of ['frames', 'bad', 'sdp', 'unmute'] as const) (log[k] as unknown[]).push(...more[k]);
        }
        if (logs.every((l) => measure(l, speaker, t0).ms !== null) || Date.now() > deadline) break;
      }
      const these = logs.map((l) => measure(l, speaker, t0));
      const producerId = conference
        .sessions()
        .find((x) => x.pointId === speaker && x.role === 'technician')
        ?.peer.producer('camera')?.id;
      if (producerId) console.log(`  hub: ${JSON.stringify(hubBreakdown(producerId, t0))}`);
      samples.push(...these);
      const ok = these.filter((x) => x.ms !== null).map((x) => x.ms as number);
      console.log(
        `${standby ? 'standby' : 'baseline'} switch ${s + 1}/${SWITCHES} → ${speaker}: ${ok.length}/${these.length} displays, ` +
          `max ${Math.max(...ok)} ms, bad frames ${these.reduce((n, x) => n + x.badFrames, 0)}`,
      );
      await ask(techs.get(previous) as Page);
      await sleep(SETTLE_MS);
    }
    await host.close();
    return samples;
  } finally {
    for (const page of pages) await page.context().close();
    await hub.close('bench done');
  }
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function row(mode: string, samples: Sample[]): Record<string, number | string> {
  const pick = (f: (s: Sample) => number | null): number[] =>
    samples
      .map(f)
      .filter((x): x is number => x !== null)
      .sort((a, b) => a - b);
  const ms = pick((s) => s.ms);
  const sdp = pick((s) => s.sdpMs);
  const rtp = pick((s) => s.firstRtpMs);
  return {
    mode,
    samples: samples.length,
    misses: samples.length - ms.length,
    p50: quantile(ms, 0.5),
    p95: quantile(ms, 0.95),
    max: ms.at(-1) ?? NaN,
    switchesWithBadFrames: samples.filter((s) => s.badFrames > 0).length,
    badFrames: samples.reduce((n, s) => n + s.badFrames, 0),
    sdpDoneP50: quantile(sdp, 0.5),
    firstRtpP50: quantile(rtp, 0.5),
    firstRtpP95: quantile(rtp, 0.95),
  };
}

async function main(): Promise<void> {
  console.log(`switch in Chromium: ${DISPLAYS} room displays, ${PUBLISHERS} Chromium technicians, ${SWITCHES} switches each way`);
  buildClientIfStale();
  traceMediasoup();
  const errors: string[] = [];
  const rows: Array<Record<string, number | string>> = [];
  const browser = await launchChromium();
  try {
    for (const standby of [false, true]) rows.push(row(standby ? 'standby' : 'baseline', await run(browser, standby, errors)));
  } finally {
    await browser.close();
  }
  console.log('');
  printTable(rows);
  const [base, next] = rows;
  const ratio = { p50: Number(next?.['p50']) / Number(base?.['p50']), p95: Number(next?.['p95']) / Number(base?.['p95']) };
  console.log(`\nstandby ÷ baseline: p50 ×${ratio.p50.toFixed(2)}, p95 ×${ratio.p95.toFixed(2)}`);
  if (errors.length > 0) console.log(`page errors (${errors.length}):\n  ${errors.slice(0, 10).join('\n  ')}`);
  const file = writeResult(smoke ? 'switch-browser-smoke' : 'switch-browser', {
    scenario: 'switch-browser',
    machine: machine(),
    unit: 'ms from just before floor.grant to the new speaker’s second presented frame in the display’s main video',
    displays: DISPLAYS,
    publishers: PUBLISHERS,
    switches: SWITCHES,
    rows,
    ratio,
    errors,
  });
  console.log(`wrote ${file}`);
}

await main();
process.exit(0);
