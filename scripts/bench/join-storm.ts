// Join storm: N points join within a window (1 s or 10 s) while the centre broadcasts; for each, the time
// from starting to connect to its first broadcast packet, through the hub's protocol (socket.io + plain
// SRTP transport), against the same joins done directly on a bare mediasoup router in the same run. With
// --webrtc W, W of the N points (spread through the storm) are full WebRTC peers (werift), whose times are
// reported apart. Every join has a deadline: one that does not finish counts as a failure, with the step
// it was stuck at (a worker asked to forward more than it can answers its control requests late: joins
// then stall there). --workers spreads the points over more workers (the broadcast piped to each, as the
// hub does); --audio-only replays only the Opus stream, so that the join path itself can be measured at
// sizes where 2.5 Mbps video would saturate the cores. Prints p50/p95/p99, failures and the loopback UDP
// ceiling measured in the same run; writes test-results/bench/join-storm[-<name>].json.
//
//   npm run bench:join -- [--points 64,500] [--windows 1,10] [--webrtc 8] [--workers 1] [--audio-only]
//                         [--timeout-ms 30000] [--targets bare,hub] [--name NAME] [--smoke]
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { connect } from '../lib/hub-client.ts';
import { newSrtpKey, SRTP_SUITE } from '../lib/srtp.ts';
import { record, Replayer, type Recording } from './lib/source.ts';
import { cpuMicros, machine, printTable, udpCeiling, writeResult } from './lib/tools.ts';
import { AUDIO_SSRC, bareBroadcast, publishBroadcast, VIDEO_SSRC } from './lib/broadcast.ts';
import { bareWebRtcReceiver, type WebRtcReceiver } from './lib/webrtc.ts';
import { runStorm, type Sample, type StormJoins } from './lib/storm.ts';
import type { StormClientsInput } from './lib/storm-clients.ts';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '64,500' },
    windows: { type: 'string', default: '1,10' },
    webrtc: { type: 'string', default: '8' },
    'timeout-ms': { type: 'string', default: '30000' },
    workers: { type: 'string', default: '1' },
    'audio-only': { type: 'boolean', default: false },
    name: { type: 'string', default: '' },
    targets: { type: 'string', default: 'bare,hub' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const POINTS = smoke ? [5] : values.points.split(',').map(Number);
const WINDOWS = smoke ? [1] : values.windows.split(',').map(Number);
const WEBRTC = smoke ? 1 : Number(values.webrtc);
const TIMEOUT_MS = smoke ? 15_000 : Number(values['timeout-ms']);
const WORKERS = smoke ? 1 : Number(values.workers);
const AUDIO_ONLY = values['audio-only'];
const silent = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Joiner {
  workerPids: number[];
  /** Runs the storm's joins; resolves with one sample per point. */
  storm(points: number, windowS: number): Promise<Sample[]>;
  close(): Promise<void>;
}

async function bare(recording: Recording): Promise<Joiner> {
  const pool = await WorkerPool.start({ count: WORKERS, logLevel: 'error' }, silent);
  const routers = await Promise.all(pool.live().map((w) => w.createRouter({ mediaCodecs })));
  const router = routers[0] as types.Router;
  const { ingress, producers } = await bareBroadcast(router, routers.slice(1));
  const on = (index: number): types.Router => routers[index % routers.length] as types.Router;
  const replayer = new Replayer(recording, { ...ingress, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  const receivers: WebRtcReceiver[] = [];
  const joins: StormJoins = {
    join: async (index, port, progress) => {
      progress.step = 'createTransport';
      const t = await on(index).createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SRTP_SUITE,
      });
      progress.step = 'connectTransport';
      await t.connect({ ip: '127.0.0.1', port, srtpParameters: newSrtpKey() });
      progress.step = 'consume';
      for (const p of producers) await t.consume({ producerId: p.id, rtpCapabilities: router.rtpCapabilities });
    },
    joinWebRtc: async (index, progress) => {
      progress.step = 'webrtc';
      const r = await bareWebRtcReceiver(on(index), producers);
      receivers.push(r);
      return r;
    },
  };
  return {
    workerPids: pool.live().map((w) => w.pid),
    storm: (points, windowS) => runStorm(joins, points, windowS, WEBRTC, TIMEOUT_MS),
    close: async () => {
      replayer.stop();
      await Promise.all(receivers.map((r) => r.close()));
      await pool.close();
    },
  };
}

async function hub(recording: Recording): Promise<Joiner> {
  const { hub: h, url } = await startBenchHub(WORKERS);
  const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
  const spec = h.conferences.get(conferenceId)?.spec;
  if (!spec) throw new Error('demo conference missing');
  const remote = spec.points.filter((p) => p.level === 'province').map((p) => p.id);
  const host = await connect(url, {
    token: (await h.credentials.issue({ conferenceId, pointId: 'trung-uong', role: 'host' }, 3600)).token,
  });
  const broadcast = await publishBroadcast(host);
  const replayer = new Replayer(recording, { ...broadcast, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  // Credentials are issued before the storm: a host does that the day before.
  const tokens = (
    await h.credentials.issueMany(
      remote.flatMap((pointId) => Array.from({ length: 8 }, () => ({ conferenceId, pointId, role: 'viewer' as const }))),
      3600,
    )
  ).map((i) => i.token);
  let thread: Worker | undefined;
  return {
    workerPids: h.workers.health().map((w) => w.pid),
    storm: async (points, windowS) => {
      const workerData: StormClientsInput = { url, tokens, points, windowS, webrtc: WEBRTC, timeoutMs: TIMEOUT_MS };
      const t = new Worker(new URL('./lib/storm-clients.ts', import.meta.url), { workerData });
      thread = t;
      return new Promise<Sample[]>((resolve) => {
        t.once('message', (message: { samples: Sample[] }) => resolve(message.samples));
        t.once('error', (error) => {
          console.error(`the storm's client thread failed: ${error.message}`);
          thread = undefined;
          resolve(Array.from({ length: points }, () => ({ kind: 'plain', ms: null, failedAt: 'client thread failed' })));
        });
      });
    },
    close: async () => {
      replayer.stop();
      if (thread) {
        thread.postMessage('close');
        await once(thread, 'message');
        await thread.terminate();
      }
      host.close();
      await h.close('bench done');
    },
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (x: number): number => Math.round(x * 10) / 10;

/** Every `step` the plain points were at when they failed, counted. */
function failureSteps(samples: Sample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) if (s.failedAt) counts.set(s.failedAt, (counts.get(s.failedAt) ?? 0) + 1);
  return [...counts].map(([step, n]) => `${step}:${n}`).join(' ') || '-';
}

async function storm(make: (r: Recording) => Promise<Joiner>, recording: Recording, points: number, windowS: number) {
  const joiner = await make(recording);
  await sleep(1000);
  const cpu = (): number => joiner.workerPids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  const cpu0 = cpu();
  // The main thread holds the hub (or, for the baseline, mediasoup's JS side): its CPU per join.
  const thread0 = process.threadCpuUsage();
  const t0 = performance.now();
  const samples = await joiner.storm(points, windowS);
  const thread = process.threadCpuUsage(thread0);
  const mainThreadMsPerJoin = Math.round(((thread.user + thread.system) / 1000 / points) * 100) / 100;
  const seconds = (performance.now() - t0) / 1000;
  const workerCpuPercent = round(((cpu() - cpu0) / 1e6 / seconds / joiner.workerPids.length) * 100);
  const closeStart = performance.now();
  await joiner.close();
  const closeMs = Math.round(performance.now() - closeStart);
  const summarise = (kind: Sample['kind']) => {
    const mine = samples.filter((s) => s.kind === kind);
    const ok = mine
      .map((s) => s.ms)
      .filter((ms): ms is number => ms !== null)
      .sort((a, b) => a - b);
    return {
      kind,
      joined: mine.length,
      p50: round(quantile(ok, 0.5)),
      p95: round(quantile(ok, 0.95)),
      p99: round(quantile(ok, 0.99)),
      max: round(ok.at(-1) ?? NaN),
      failures: mine.length - ok.length,
      failedAt: failureSteps(mine),
    };
  };
  return {
    rows: [summarise('plain'), ...(WEBRTC > 0 ? [summarise('webrtc')] : [])],
    workerCpuPercent,
    mainThreadMsPerJoin,
    stormSeconds: round(seconds),
    closeMs,
  };
}

async function main(): Promise<void> {
  console.log(
    `join storm: points ${POINTS.join(',')} within ${WINDOWS.join(',')} s, ${WEBRTC} of them WebRTC (werift), ${WORKERS} worker(s), ` +
      `${AUDIO_ONLY ? 'Opus only' : 'VP8 + Opus'}, ${TIMEOUT_MS} ms deadline${smoke ? ' (smoke)' : ''}`,
  );
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s`);
  const recorded = await record(smoke ? 2 : 4);
  const recording: Recording = AUDIO_ONLY ? { ...recorded, video: [] } : recorded;
  const sourcePps = (recording.audio.length + recording.video.length) / recording.seconds;
  interface Row {
    target: 'bare' | 'hub';
    points: number;
    windowS: number;
    kind: 'plain' | 'webrtc';
    joined: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    failures: number;
    failedAt: string;
    workerCpuPercent: number;
    /** CPU of the hub's thread (bare: mediasoup's JS side) over the storm ÷ points, ms. */
    mainThreadMsPerJoin: number;
    /** What the worker must forward once everyone has joined, against the loopback UDP ceiling. */
    offeredOverUdpCeiling: number;
  }
  const rows: Row[] = [];
  for (const points of POINTS) {
    for (const windowS of WINDOWS) {
      for (const [target, make] of (
        [
          ['bare', bare],
          ['hub', hub],
        ] as const
      ).filter(([t]) => values.targets.split(',').includes(t))) {
        const r = await storm(make, recording, points, windowS);
        for (const row of r.rows) {
          rows.push({
            target,
            points,
            windowS,
            ...row,
            workerCpuPercent: r.workerCpuPercent,
            mainThreadMsPerJoin: r.mainThreadMsPerJoin,
            offeredOverUdpCeiling: Math.round(((points * sourcePps) / ceiling) * 100) / 100,
          });
          console.log(JSON.stringify({ ...rows.at(-1), stormSeconds: r.stormSeconds, closeMs: r.closeMs }));
        }
      }
    }
  }
  console.log('');
  printTable(rows.map((r) => ({ ...r })));
  const ratios = rows
    .filter((r) => r.target === 'hub')
    .map((h) => {
      const b = rows.find((x) => x.target === 'bare' && x.points === h.points && x.windowS === h.windowS && x.kind === h.kind);
      return {
        points: h.points,
        windowS: h.windowS,
        kind: h.kind,
        hubOverBareP50: b ? round(h.p50 / b.p50) : NaN,
        hubOverBareP95: b ? round(h.p95 / b.p95) : NaN,
        hubOverBareP99: b ? round(h.p99 / b.p99) : NaN,
      };
    });
  console.log('');
  printTable(ratios);
  const file = writeResult(smoke ? 'join-storm-smoke' : `join-storm${values.name ? `-${values.name}` : ''}`, {
    scenario: 'join-storm',
    machine: machine(),
    workers: WORKERS,
    source: AUDIO_ONLY ? 'Opus only' : 'VP8 2.5 Mbps + Opus',
    mediasoup: mediasoup.version,
    unit: 'ms from starting to connect to the first broadcast packet',
    udpCeilingPps: ceiling,
    sourcePacketsPerSecond: Math.round(sourcePps),
    webrtcPerStorm: WEBRTC,
    timeoutMs: TIMEOUT_MS,
    rows,
    ratios,
  });
  console.log(`wrote ${file}`);
}

await main();
process.exit(0);
