// Join storm: N points join within a window (1 s or 10 s) while the centre broadcasts; for each, the time
// from starting to connect to its first broadcast packet, through the hub's protocol (socket.io + plain
// SRTP transport), against the same joins done directly on a bare mediasoup router in the same run.
// Prints p50/p95/p99 and failures; writes test-results/bench/join-storm.json.
//
//   npm run bench:join -- [--points 64,500] [--windows 1,10] [--smoke]
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
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
import { machine, printTable, writeResult } from './lib/tools.ts';
import { AUDIO_SSRC, publishBroadcast, VIDEO_SSRC } from './lib/broadcast.ts';

const { values } = parseArgs({
  options: { points: { type: 'string', default: '64,500' }, windows: { type: 'string', default: '1,10' }, smoke: { type: 'boolean', default: false } },
});
const POINTS = values.smoke ? [5] : values.points.split(',').map(Number);
const WINDOWS = values.smoke ? [1] : values.windows.split(',').map(Number);
const TIMEOUT_MS = 20_000;
const silent = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A UDP socket that resolves with the time of its first datagram (null if none came), then stops listening. */
async function firstPacket(): Promise<{ port: number; arrived: Promise<number | null>; close: () => void }> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let closed = false;
  const close = (): void => {
    if (!closed) socket.close();
    closed = true;
  };
  const arrived = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      close();
      resolve(null);
    }, TIMEOUT_MS);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve(performance.now());
      close();
    });
  });
  return { port: socket.address().port, arrived, close };
}

interface Joiner {
  /** Joins one point that receives at `port`; resolves when the join is done on the server. */
  join(index: number, port: number): Promise<void>;
  close(): Promise<void>;
}

async function bare(recording: Recording): Promise<Joiner> {
  const pool = await WorkerPool.start({ count: 1, logLevel: 'error' }, silent);
  const router = await pool.next().createRouter({ mediaCodecs });
  const key = newSrtpKey();
  const ingress = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true, enableSrtp: true, srtpCryptoSuite: SRTP_SUITE });
  await ingress.connect({ srtpParameters: key });
  const producers: types.Producer[] = [
    await ingress.produce({ kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: AUDIO_SSRC }] } }),
    await ingress.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] } }),
  ];
  const replayer = new Replayer(recording, { ip: '127.0.0.1', port: ingress.tuple.localPort, srtp: key, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  const transports: types.PlainTransport[] = [];
  return {
    join: async (_index, port) => {
      const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: SRTP_SUITE });
      transports.push(t);
      await t.connect({ ip: '127.0.0.1', port, srtpParameters: newSrtpKey() });
      for (const p of producers) await t.consume({ producerId: p.id, rtpCapabilities: router.rtpCapabilities });
    },
    close: async () => {
      replayer.stop();
      await pool.close();
    },
  };
}


async function hub(recording: Recording): Promise<Joiner> {
  const config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1', DIEMCAU_PORT: '0', DIEMCAU_LISTEN_IP: '127.0.0.1', DIEMCAU_WORKERS: '1',
    DIEMCAU_DATA_DIR: tempDataDir(), DIEMCAU_REQUESTS_PER_SECOND: '10000', DIEMCAU_JOINS_PER_MINUTE: '100000', DIEMCAU_WORKER_LOG_LEVEL: 'error',
  });
  const h: Hub = await createHub(config, silent);
  const url = `http://127.0.0.1:${(await h.listen()).port}`;
  const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
  const spec = h.conferences.get(conferenceId)?.spec;
  if (!spec) throw new Error('demo conference missing');
  const remote = spec.points.filter((p) => p.level === 'province').map((p) => p.id);
  const host = await connect(url, { token: (await h.credentials.issue({ conferenceId, pointId: 'trung-uong', role: 'host' }, 3600)).token });
  const broadcast = await publishBroadcast(host);
  const replayer = new Replayer(recording, { ...broadcast, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  // Credentials are issued before the storm: a host does that the day before.
  const tokens = (await h.credentials.issueMany(remote.flatMap((pointId) => Array.from({ length: 8 }, () => ({ conferenceId, pointId, role: 'viewer' as const }))), 3600)).map((i) => i.token);
  const clients: SignalClient[] = [host];
  return {
    join: async (index, port) => {
      const client = await connect(url, { token: tokens[index % tokens.length] as string });
      clients.push(client);
      client.socket.on('media.consumer', (c) => void client.request('media.resumeConsumer', { consumerId: c.consumerId }));
      await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
      const recv = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
      await must(client.request('media.connectTransport', { transportId: recv.id, ip: '127.0.0.1', port, srtpParameters: newSrtpKey() }));
    },
    close: async () => {
      replayer.stop();
      for (const c of clients) c.close();
      await h.close('bench done');
    },
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (x: number): number => Math.round(x * 10) / 10;

async function storm(make: (r: Recording) => Promise<Joiner>, recording: Recording, points: number, windowS: number) {
  const joiner = await make(recording);
  await sleep(1000);
  const results = await Promise.all(
    Array.from({ length: points }, async (_, i) => {
      await sleep((i / points) * windowS * 1000);
      const probe = await firstPacket();
      const start = performance.now();
      try {
        await joiner.join(i, probe.port);
      } catch {
        probe.close();
        return null;
      }
      const at = await probe.arrived;
      return at === null ? null : at - start;
    }),
  );
  await joiner.close();
  const ok = results.filter((r): r is number => r !== null).sort((a, b) => a - b);
  return { points, windowS, p50: round(quantile(ok, 0.5)), p95: round(quantile(ok, 0.95)), p99: round(quantile(ok, 0.99)), failures: points - ok.length };
}

console.log(`join storm: points ${POINTS.join(',')} within ${WINDOWS.join(',')} s${values.smoke ? ' (smoke)' : ''}`);
const recording = await record(values.smoke ? 2 : 4);
interface Row {
  target: 'bare' | 'hub';
  points: number;
  windowS: number;
  p50: number;
  p95: number;
  p99: number;
  failures: number;
}
const rows: Row[] = [];
for (const points of POINTS) {
  for (const windowS of WINDOWS) {
    for (const [target, make] of [['bare', bare], ['hub', hub]] as const) {
      const r = await storm(make, recording, points, windowS);
      rows.push({ target, ...r });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
}
console.log('');
printTable(rows.map((r) => ({ ...r })));
const ratios = rows
  .filter((r) => r.target === 'hub')
  .map((h) => {
    const b = rows.find((x) => x.target === 'bare' && x.points === h.points && x.windowS === h.windowS);
    return { points: h.points, windowS: h.windowS, hubOverBareP50: b ? round(h.p50 / b.p50) : NaN, hubOverBareP99: b ? round(h.p99 / b.p99) : NaN };
  });
console.log('');
printTable(ratios);
const file = writeResult(values.smoke ? 'join-storm-smoke' : 'join-storm', { scenario: 'join-storm', machine: machine(), unit: 'ms from starting to connect to the first broadcast packet', rows, ratios });
console.log(`wrote ${file}`);
process.exit(0);
