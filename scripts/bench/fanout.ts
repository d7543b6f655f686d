// Fan-out: one 2.5 Mbps VP8 + Opus broadcast to N points, through the hub's real protocol (socket.io
// clients with plain RTP + SRTP receiving transports), and the same forwarding by a bare mediasoup script
// in the same run; plus the machine's loopback UDP ceiling. With --webrtc W, W full WebRTC receivers
// (werift) join first (through the hub's protocol, or on the bare router) and stay for every size: their
// join-to-first-packet times and the share of packets they get are reported apart from the plain points.
// Sizes past what the cores forward still run to the end: the broadcast pauses while points join (a
// saturated worker answers its control requests only every few seconds), and such rows are marked
// saturated, with the share delivered. Worker memory (RSS) is read at every size. Prints tables and writes test-results/bench/fanout.json.
//
//   npm run bench:fanout -- [--points 50,100,200,400,800] [--seconds 8] [--workers 1,all] [--webrtc 20] [--smoke]
import { parseArgs } from 'node:util';
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { connect, type HubClient, must } from '../lib/hub-client.ts';
import { newSrtpKey, SRTP_SUITE } from '../lib/srtp.ts';
import { record, Replayer, type Recording } from './lib/source.ts';
import { cpuMicros, machine, printTable, rssBytes, Sink, udpCeiling, writeResult } from './lib/tools.ts';
import { AUDIO_SSRC, bareBroadcast, publishBroadcast, VIDEO_SSRC } from './lib/broadcast.ts';
import { bareWebRtcReceiver, hubWebRtcReceiver, type WebRtcReceiver } from './lib/webrtc.ts';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '50,100,200,400,800' },
    seconds: { type: 'string', default: '8' },
    workers: { type: 'string', default: '1,all' },
    webrtc: { type: 'string', default: '20' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const POINTS = smoke ? [4] : values.points.split(',').map(Number);
const WINDOW_S = smoke ? 1.5 : Number(values.seconds);
const WORKER_MODES = smoke ? [1] : values.workers.split(',').map((w) => (w === 'all' ? os.availableParallelism() : Number(w)));
const WEBRTC = smoke ? 1 : Number(values.webrtc);
const silent = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  name: 'bare' | 'hub';
  workerPids: number[];
  /** Where the broadcast goes in, and with which SRTP key. */
  ingress: { ip: string; port: number; srtp: { cryptoSuite: string; keyBase64: string } };
  /** Brings the number of receiving points up to `n`. */
  grow(n: number): Promise<void>;
  /** Adds one full WebRTC receiver. */
  addWebRtc(): Promise<WebRtcReceiver>;
  close(): Promise<void>;
}

async function bareTarget(workers: number, sinkPort: number): Promise<Target> {
  const pool = await WorkerPool.start({ count: workers, logLevel: 'error' }, silent);
  const routers = await Promise.all(pool.live().map((w) => w.createRouter({ mediaCodecs })));
  const first = routers[0] as types.Router;
  const { ingress, producers } = await bareBroadcast(first, routers.slice(1));
  let count = 0;
  const webrtc: WebRtcReceiver[] = [];
  return {
    name: 'bare',
    workerPids: pool.live().map((w) => w.pid),
    ingress,
    grow: async (n) => {
      for (; count < n; count++) {
        const router = routers[count % routers.length] as types.Router;
        const t = await router.createPlainTransport({
          listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
          rtcpMux: true,
          comedia: false,
          enableSrtp: true,
          srtpCryptoSuite: SRTP_SUITE,
        });
        await t.connect({ ip: '127.0.0.1', port: sinkPort, srtpParameters: newSrtpKey() });
        for (const p of producers) await t.consume({ producerId: p.id, rtpCapabilities: router.rtpCapabilities });
      }
    },
    addWebRtc: async () => {
      const r = await bareWebRtcReceiver(routers[webrtc.length % routers.length] as types.Router, producers);
      webrtc.push(r);
      return r;
    },
    close: async () => {
      await Promise.all(webrtc.map((r) => r.close()));
      await pool.close();
    },
  };
}

async function hubTarget(workers: number, sinkPort: number): Promise<Target> {
  const { hub, url } = await startBenchHub(workers);
  const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
  const conference = hub.conferences.get(conferenceId);
  if (!conference) throw new Error('demo conference missing');
  const issue = async (pointId: string, role: 'host' | 'viewer'): Promise<string> =>
    (await hub.credentials.issue({ conferenceId, pointId, role }, 3600)).token;

  const host = await connect(url, { token: await issue('trung-uong', 'host') });
  const broadcast = await publishBroadcast(host);

  const remote = conference.spec.points.filter((p) => p.id !== conference.spec.centralPointId && !p.centralSide).map((p) => p.id);
  const clients: HubClient[] = [host];
  const webrtc: WebRtcReceiver[] = [];
  let resumed = 0;
  let plain = 0;
  const grow = async (n: number): Promise<void> => {
    const target = resumed + (n - plain) * 2;
    for (; plain < n; plain++) {
      const client = await connect(url, { token: await issue(remote[plain % remote.length] as string, 'viewer') });
      clients.push(client);
      client.socket.on('media.consumer', (c) => {
        void must(client.request('media.resumeConsumer', { consumerId: c.consumerId })).then(() => resumed++);
      });
      await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
      const recv = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
      await must(
        client.request('media.connectTransport', { transportId: recv.id, ip: '127.0.0.1', port: sinkPort, srtpParameters: newSrtpKey() }),
      );
    }
    const deadline = Date.now() + 60_000;
    while (resumed < target && Date.now() < deadline) await sleep(50);
    if (resumed < target) console.warn(`only ${resumed}/${target} consumers resumed after 60 s; measuring anyway`);
  };
  return {
    name: 'hub',
    workerPids: hub.workers.health().map((w) => w.pid),
    ingress: broadcast,
    grow,
    addWebRtc: async () => {
      const client = await connect(url, { token: await issue(remote[webrtc.length % remote.length] as string, 'viewer') });
      clients.push(client);
      const r = await hubWebRtcReceiver(client);
      webrtc.push(r);
      return r;
    },
    close: async () => {
      await Promise.all(webrtc.map((r) => r.close()));
      for (const c of clients) c.close();
      await hub.close('bench done');
    },
  };
}

interface Row {
  target: string;
  workers: number;
  points: number;
  workerCpuPercent: number;
  usPerPacket: number;
  deliveredPps: number;
  deliveredPercent: number;
  /** What the replayer sent in the window against the recording's pace (below 100: the source was starved). */
  sourceSentPercent: number;
  /** Full WebRTC receivers present (besides the plain points), and the share of the source they got. */
  webrtc: number;
  webrtcDeliveredPercent: number | string;
  /** Resident memory of the workers, MiB. */
  workerRssMiB: number;
  /** The worker CPU is at 95 % or more, or less than 95 % of the packets arrive. */
  saturated: string;
}

interface WebRtcJoins {
  target: string;
  workers: number;
  receivers: number;
  failures: number;
  /** ms from starting to join to the first packet werift decrypted. */
  firstPacketP50: number;
  firstPacketMax: number;
  /** ms to the first video packet (the next key frame of the recording: one a second). */
  firstVideoP50: number;
}

async function measure(target: Target, recording: Recording, sink: Sink, workers: number): Promise<{ rows: Row[]; joins: WebRtcJoins }> {
  const replayer = new Replayer(recording, { ...target.ingress, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  const sourcePps = (recording.audio.length + recording.video.length) / recording.seconds;
  const rows: Row[] = [];
  const receivers: WebRtcReceiver[] = [];
  const starts: number[] = [];
  const firsts: number[] = [];
  let failures = 0;
  try {
    await sleep(500);
    for (let i = 0; i < WEBRTC; i++) {
      const start = performance.now();
      try {
        const r = await target.addWebRtc();
        receivers.push(r);
        starts.push(start);
        const at = await r.firstPacket(10_000);
        if (at === null) failures++;
        else firsts.push(at - start);
      } catch (error) {
        failures++;
        console.warn(`WebRTC receiver ${i} failed: ${(error as Error).message}`);
      }
    }
    const webrtcPackets = (): number => receivers.reduce((s, r) => s + r.total, 0);
    for (const n of POINTS) {
      replayer.paused = true;
      await target.grow(n);
      replayer.paused = false;
      await sleep(smoke ? 500 : 2000);
      const cpu0 = target.workerPids.reduce((s, pid) => s + cpuMicros(pid), 0);
      const sink0 = await sink.count();
      const web0 = webrtcPackets();
      const sent0 = replayer.sent;
      const t0 = performance.now();
      await sleep(WINDOW_S * 1000);
      const cpu1 = target.workerPids.reduce((s, pid) => s + cpuMicros(pid), 0);
      const sink1 = await sink.count();
      const web = webrtcPackets() - web0;
      // What the source really sent in the window: a starved replayer sends less, which is not loss.
      const sent = replayer.sent - sent0;
      const seconds = (performance.now() - t0) / 1000;
      const packets = sink1.packets - sink0.packets;
      const pps = packets / seconds;
      const cpuPercent = round((((cpu1 - cpu0) / 1e6 / seconds) * 100) / workers, 1);
      const deliveredPercent = round((packets / Math.max(1, sent * n)) * 100, 1);
      const webrtcDeliveredPercent = receivers.length > 0 ? round((web / Math.max(1, sent * receivers.length)) * 100, 1) : '-';
      rows.push({
        target: target.name,
        workers,
        points: n,
        workerCpuPercent: cpuPercent,
        usPerPacket: round(packets + web > 0 ? (cpu1 - cpu0) / (packets + web) : NaN, 2),
        deliveredPps: Math.round(pps),
        deliveredPercent,
        sourceSentPercent: round((sent / seconds / sourcePps) * 100, 1),
        webrtc: receivers.length,
        webrtcDeliveredPercent,
        workerRssMiB: round(target.workerPids.reduce((s, pid) => s + rssBytes(pid), 0) / 2 ** 20, 1),
        saturated: cpuPercent >= 95 || deliveredPercent < 95 ? 'yes' : 'no',
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  } finally {
    replayer.stop();
  }
  firsts.sort((a, b) => a - b);
  const videos = receivers
    .flatMap((r, i) => (r.firstVideoAt === undefined ? [] : [r.firstVideoAt - (starts[i] ?? 0)]))
    .sort((a, b) => a - b);
  const joins: WebRtcJoins = {
    target: target.name,
    workers,
    receivers: receivers.length,
    failures,
    firstPacketP50: round(firsts[Math.floor(firsts.length / 2)] ?? NaN, 1),
    firstPacketMax: round(firsts.at(-1) ?? NaN, 1),
    firstVideoP50: round(videos[Math.floor(videos.length / 2)] ?? NaN, 1),
  };
  return { rows, joins };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Largest N at 85% worker CPU, from a straight line through the measured points below saturation. */
function pointsAt85(rows: Row[]): number | null {
  const usable = rows.filter((r) => r.workerCpuPercent < 95 && r.deliveredPercent > 95);
  if (usable.length < 2) return null;
  const n = usable.length;
  const mx = usable.reduce((s, r) => s + r.points, 0) / n;
  const my = usable.reduce((s, r) => s + r.workerCpuPercent, 0) / n;
  const slope =
    usable.reduce((s, r) => s + (r.points - mx) * (r.workerCpuPercent - my), 0) / usable.reduce((s, r) => s + (r.points - mx) ** 2, 0);
  if (!(slope > 0)) return null;
  return Math.floor((85 - (my - slope * mx)) / slope);
}

async function main(): Promise<void> {
  console.log(
    `fan-out benchmark: points ${POINTS.join(',')}, ${WINDOW_S} s windows, workers ${WORKER_MODES.join(',')}${smoke ? ' (smoke)' : ''}`,
  );
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s (1200-byte datagrams, one sender, one receiver)`);
  const recording = await record(smoke ? 2 : 4);
  const sourcePps = (recording.audio.length + recording.video.length) / recording.seconds;
  const packets = `${recording.video.length} VP8 + ${recording.audio.length} Opus packets`;
  console.log(`source: ${packets} over ${recording.seconds} s (${Math.round(sourcePps)} packets/s)`);

  const rows: Row[] = [];
  const joins: WebRtcJoins[] = [];
  for (const workers of WORKER_MODES) {
    for (const make of [bareTarget, hubTarget]) {
      const sink = await Sink.start(46_000 + Math.floor(Math.random() * 1000));
      const target = await make(workers, sink.port);
      try {
        const measured = await measure(target, recording, sink, workers);
        rows.push(...measured.rows);
        joins.push(measured.joins);
      } finally {
        await target.close();
        sink.stop();
      }
    }
  }

  console.log('');
  printTable(rows.map((r) => ({ ...r })));
  const ratios = rows
    .filter((r) => r.target === 'hub')
    .map((hub) => {
      const bare = rows.find((b) => b.target === 'bare' && b.workers === hub.workers && b.points === hub.points);
      return {
        workers: hub.workers,
        points: hub.points,
        hubOverBareUsPerPacket: bare ? round(hub.usPerPacket / bare.usPerPacket, 2) : NaN,
        hubOverBareDeliveredPps: bare ? round(hub.deliveredPps / bare.deliveredPps, 2) : NaN,
        hubPpsOverUdpCeiling: round(hub.deliveredPps / ceiling, 3),
        barePpsOverUdpCeiling: bare ? round(bare.deliveredPps / ceiling, 3) : NaN,
      };
    });
  console.log('');
  printTable(ratios);
  const capacity = WORKER_MODES.flatMap((workers) =>
    (['bare', 'hub'] as const).map((target) => ({
      target,
      workers,
      pointsAt85PercentCpu: pointsAt85(rows.filter((r) => r.target === target && r.workers === workers)) ?? 'n/a',
    })),
  );
  console.log('');
  printTable(capacity);
  if (WEBRTC > 0) {
    console.log('\nWebRTC (werift) receivers: join to first packet, ms');
    printTable(joins.map((j) => ({ ...j })));
  }
  const file = writeResult(smoke ? 'fanout-smoke' : 'fanout', {
    scenario: 'fanout',
    machine: machine(),
    mediasoup: mediasoup.version,
    sourcePacketsPerSecond: Math.round(sourcePps),
    udpCeilingPps: ceiling,
    windowSeconds: WINDOW_S,
    webrtcReceivers: WEBRTC,
    rows,
    webrtcJoins: joins,
    ratios,
    capacity,
  });
  console.log(`\nwrote ${file}`);
}

await main();
process.exit(0);
