// Fan-out: one 2.5 Mbps VP8 + Opus broadcast to N points, through the hub's real protocol (socket.io
// clients with plain RTP + SRTP receiving transports), and the same forwarding by a bare mediasoup script
// in the same run; plus the machine's loopback UDP ceiling. Prints a table and writes
// test-results/bench/fanout.json.
//
//   npm run bench:fanout -- [--points 50,100,200,400,800] [--seconds 8] [--workers 1,all] [--smoke]
import { parseArgs } from 'node:util';
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { loadConfig } from '../../config/config.ts';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';
import { createHub, type Hub } from '../../server/hub.ts';
import { tempDataDir } from '../../test/helpers/data-dir.ts';
import { connect, type SignalClient, must } from '../../test/helpers/signal-client.ts';
import { newSrtpKey, SRTP_SUITE } from '../../test/helpers/srtp.ts';
import { AUDIO_PT, record, Replayer, VIDEO_PT, type Recording } from './lib/source.ts';
import { cpuMicros, machine, printTable, Sink, udpCeiling, writeResult } from './lib/tools.ts';
import { AUDIO_SSRC, publishBroadcast, VIDEO_SSRC } from './lib/broadcast.ts';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '50,100,200,400,800' },
    seconds: { type: 'string', default: '8' },
    workers: { type: 'string', default: '1,all' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const POINTS = smoke ? [4] : values.points.split(',').map(Number);
const WINDOW_S = smoke ? 1.5 : Number(values.seconds);
const WORKER_MODES = smoke ? [1] : values.workers.split(',').map((w) => (w === 'all' ? os.availableParallelism() : Number(w)));
const silent = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  name: 'bare' | 'hub';
  workerPids: number[];
  /** Where the broadcast goes in, and with which SRTP key. */
  ingress: { ip: string; port: number; srtp: { cryptoSuite: string; keyBase64: string } };
  /** Brings the number of receiving points up to `n`. */
  grow(n: number): Promise<void>;
  close(): Promise<void>;
}

async function bareTarget(workers: number, sinkPort: number): Promise<Target> {
  const pool = await WorkerPool.start({ count: workers, logLevel: 'error' }, silent);
  const routers = await Promise.all(pool.live().map((w) => w.createRouter({ mediaCodecs })));
  const first = routers[0] as types.Router;
  const key = newSrtpKey();
  const ingress = await first.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true, enableSrtp: true, srtpCryptoSuite: SRTP_SUITE,
  });
  await ingress.connect({ srtpParameters: key });
  const producers = [
    await ingress.produce({ kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: AUDIO_SSRC }] } }),
    await ingress.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] } }),
  ];
  for (const router of routers.slice(1)) for (const p of producers) await first.pipeToRouter({ producerId: p.id, router });
  let count = 0;
  return {
    name: 'bare',
    workerPids: pool.live().map((w) => w.pid),
    ingress: { ip: '127.0.0.1', port: ingress.tuple.localPort, srtp: key },
    grow: async (n) => {
      for (; count < n; count++) {
        const router = routers[count % routers.length] as types.Router;
        const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: SRTP_SUITE });
        await t.connect({ ip: '127.0.0.1', port: sinkPort, srtpParameters: newSrtpKey() });
        for (const p of producers) await t.consume({ producerId: p.id, rtpCapabilities: router.rtpCapabilities });
      }
    },
    close: () => pool.close(),
  };
}


async function hubTarget(workers: number, sinkPort: number): Promise<Target> {
  const config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1', DIEMCAU_PORT: '0', DIEMCAU_LISTEN_IP: '127.0.0.1', DIEMCAU_WORKERS: String(workers),
    DIEMCAU_DATA_DIR: tempDataDir(), DIEMCAU_REQUESTS_PER_SECOND: '10000', DIEMCAU_JOINS_PER_MINUTE: '100000',
    DIEMCAU_WORKER_LOG_LEVEL: 'error',
  });
  const hub: Hub = await createHub(config, silent);
  const url = `http://127.0.0.1:${(await hub.listen()).port}`;
  const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
  const conference = hub.conferences.get(conferenceId);
  if (!conference) throw new Error('demo conference missing');
  const issue = async (pointId: string, role: 'host' | 'viewer'): Promise<string> =>
    (await hub.credentials.issue({ conferenceId, pointId, role }, 3600)).token;

  const host = await connect(url, { token: await issue('trung-uong', 'host') });
  const broadcast = await publishBroadcast(host);

  const remote = conference.spec.points.filter((p) => p.id !== conference.spec.centralPointId && !p.centralSide).map((p) => p.id);
  const clients: SignalClient[] = [host];
  let resumed = 0;
  const grow = async (n: number): Promise<void> => {
    const target = resumed + (n - (clients.length - 1)) * 2;
    while (clients.length - 1 < n) {
      const client = await connect(url, { token: await issue(remote[(clients.length - 1) % remote.length] as string, 'viewer') });
      clients.push(client);
      client.socket.on('media.consumer', (c) => {
        void must(client.request('media.resumeConsumer', { consumerId: c.consumerId })).then(() => resumed++);
      });
      await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
      const recv = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
      await must(client.request('media.connectTransport', { transportId: recv.id, ip: '127.0.0.1', port: sinkPort, srtpParameters: newSrtpKey() }));
    }
    const deadline = Date.now() + 30_000;
    while (resumed < target && Date.now() < deadline) await sleep(50);
    if (resumed < target) throw new Error(`only ${resumed}/${target} consumers resumed`);
  };
  return {
    name: 'hub',
    workerPids: hub.workers.health().map((w) => w.pid),
    ingress: broadcast,
    grow,
    close: async () => {
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
}

async function measure(target: Target, recording: Recording, sink: Sink, workers: number): Promise<Row[]> {
  const replayer = new Replayer(recording, { ...target.ingress, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  const sourcePps = (recording.audio.length + recording.video.length) / recording.seconds;
  const rows: Row[] = [];
  try {
    for (const n of POINTS) {
      await target.grow(n);
      await sleep(smoke ? 500 : 2000);
      const cpu0 = target.workerPids.reduce((s, pid) => s + cpuMicros(pid), 0);
      const sink0 = await sink.count();
      const t0 = performance.now();
      await sleep(WINDOW_S * 1000);
      const cpu1 = target.workerPids.reduce((s, pid) => s + cpuMicros(pid), 0);
      const sink1 = await sink.count();
      const seconds = (performance.now() - t0) / 1000;
      const packets = sink1.packets - sink0.packets;
      const pps = packets / seconds;
      rows.push({
        target: target.name,
        workers,
        points: n,
        workerCpuPercent: round((((cpu1 - cpu0) / 1e6 / seconds) * 100) / workers, 1),
        usPerPacket: round(packets > 0 ? (cpu1 - cpu0) / packets : NaN, 2),
        deliveredPps: Math.round(pps),
        deliveredPercent: round((pps / (sourcePps * n)) * 100, 1),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  } finally {
    replayer.stop();
  }
  return rows;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Largest N at 85% worker CPU, from a straight line through the measured points below saturation. */
function pointsAt85(rows: Row[]): number | null {
  const usable = rows.filter((r) => r.workerCpuPercent < 95 && r.deliveredPercent > 95);
  if (usable.length < 2) return null;
  const n = usable.length;
  const mx = usable.reduce((s, r) => s + r.points, 0) / n;
  const my = usable.reduce((s, r) => s + r.workerCpuPercent, 0) / n;
  const slope = usable.reduce((s, r) => s + (r.points - mx) * (r.workerCpuPercent - my), 0) / usable.reduce((s, r) => s + (r.points - mx) ** 2, 0);
  if (!(slope > 0)) return null;
  return Math.floor((85 - (my - slope * mx)) / slope);
}

async function main(): Promise<void> {
  console.log(`fan-out benchmark: points ${POINTS.join(',')}, ${WINDOW_S} s windows, workers ${WORKER_MODES.join(',')}${smoke ? ' (smoke)' : ''}`);
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s (1200-byte datagrams, one sender, one receiver)`);
  const recording = await record(smoke ? 2 : 4);
  const sourcePps = (recording.audio.length + recording.video.length) / recording.seconds;
  console.log(`source: ${recording.video.length} VP8 + ${recording.audio.length} Opus packets over ${recording.seconds} s (${Math.round(sourcePps)} packets/s)`);

  const rows: Row[] = [];
  for (const workers of WORKER_MODES) {
    for (const make of [bareTarget, hubTarget]) {
      const sink = await Sink.start(46_000 + Math.floor(Math.random() * 1000));
      const target = await make(workers, sink.port);
      try {
        rows.push(...(await measure(target, recording, sink, workers)));
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
        hubPpsOverUdpCeiling: round(hub.deliveredPps / ceiling, 3),
        barePpsOverUdpCeiling: bare ? round(bare.deliveredPps / ceiling, 3) : NaN,
      };
    });
  console.log('');
  printTable(ratios);
  const capacity = WORKER_MODES.flatMap((workers) =>
    (['bare', 'hub'] as const).map((target) => ({ target, workers, pointsAt85PercentCpu: pointsAt85(rows.filter((r) => r.target === target && r.workers === workers)) ?? 'n/a' })),
  );
  console.log('');
  printTable(capacity);
  const file = writeResult(smoke ? 'fanout-smoke' : 'fanout', {
    scenario: 'fanout',
    machine: machine(),
    mediasoup: mediasoup.version,
    sourcePacketsPerSecond: Math.round(sourcePps),
    udpCeilingPps: ceiling,
    windowSeconds: WINDOW_S,
    rows,
    ratios,
    capacity,
  });
  console.log(`\nwrote ${file}`);
}

await main();
process.exit(0);
