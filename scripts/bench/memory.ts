// Memory per connected point (scenario 6). The hub runs as users run it (`node server/main.ts`, its own
// process, one worker) while the centre broadcasts; N points connect through the protocol (signalling
// only), then each opens a plain SRTP receiving transport and resumes the programme's audio and video
// consumers. The hub process's and its worker's resident memory (from /proc) are read before, after the
// sockets and after the media: growth ÷ N is the memory per point, for signalling and for media apart.
// Baseline in the same run: the same transports and consumers on a bare mediasoup router (this process's
// RSS after a full GC, and its worker's). Only the Opus stream is replayed (the consumers exist for both
// kinds) so that N points do not saturate the worker, which would fill memory with queued packets.
//
//   npm run bench:memory -- [--points 300] [--smoke]
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import { pino } from 'pino';
import { CredentialIssuer } from '../../server/auth/credentials.ts';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';
import { Database } from '../../server/store/db.ts';
import { tempDataDir } from '../lib/data-dir.ts';
import { hubPort, spawnHub } from '../lib/hub-process.ts';
import { connect, must, type HubClient } from '../lib/hub-client.ts';
import { newSrtpKey, SRTP_SUITE } from '../lib/srtp.ts';
import { AUDIO_SSRC, bareBroadcast, publishBroadcast, VIDEO_SSRC } from './lib/broadcast.ts';
import { record, Replayer, type Recording } from './lib/source.ts';
import { machine, printTable, rssBytes, Sink, udpCeiling, writeResult } from './lib/tools.ts';

const { values } = parseArgs({ options: { points: { type: 'string', default: '300' }, smoke: { type: 'boolean', default: false } } });
const smoke = values.smoke;
const POINTS = smoke ? 10 : Number(values.points);
const SETTLE_MS = smoke ? 500 : 3000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const kib = (bytes: number): number => Math.round(bytes / 1024);

interface Reading {
  process: number;
  worker: number;
}

/** The same points on a bare router in this process: transports + consumers, no signalling. */
async function bare(recording: Recording, sinkPort: number): Promise<{ before: Reading; media: Reading; receivedPps: number }> {
  const pool = await WorkerPool.start({ count: 1, logLevel: 'error' }, pino({ level: 'silent' }));
  const workerPid = pool.live()[0]?.pid ?? 0;
  const router = await pool.next().createRouter({ mediaCodecs });
  const { ingress, producers } = await bareBroadcast(router);
  const replayer = new Replayer(recording, { ...ingress, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
  replayer.start();
  const read = async (): Promise<Reading> => {
    await sleep(SETTLE_MS);
    globalThis.gc?.();
    return { process: process.memoryUsage().rss, worker: rssBytes(workerPid) };
  };
  try {
    const before = await read();
    for (let i = 0; i < POINTS; i++) {
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
    const media = await read();
    return { before, media, receivedPps: 0 };
  } finally {
    replayer.stop();
    await pool.close();
  }
}

/** The hub in its own process; this process holds the clients. */
async function hub(recording: Recording, sinkPort: number): Promise<{ before: Reading; signalling: Reading; media: Reading }> {
  const dataDir = tempDataDir();
  const secret = 'memory-benchmark-secret-0123456789abcdef';
  const child = spawnHub({
    DIEMCAU_DATA_DIR: dataDir,
    DIEMCAU_AUTH_SECRET: secret,
    DIEMCAU_WORKERS: '1',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_REQUESTS_PER_SECOND: '10000',
    DIEMCAU_JOINS_PER_MINUTE: '100000',
    DIEMCAU_LOG_LEVEL: 'info',
    DIEMCAU_WORKER_LOG_LEVEL: 'error',
  });
  const clients: HubClient[] = [];
  let replayer: Replayer | undefined;
  const db = { current: undefined as Database | undefined };
  try {
    const port = await hubPort(child);
    const hubPid = child.child.pid ?? 0;
    const workerPid = ((child.logs.find((l) => Array.isArray(l.pids))?.pids as number[] | undefined) ?? [])[0];
    if (!workerPid) throw new Error('the hub did not log its worker pid');
    const url = `http://127.0.0.1:${port}`;
    db.current = new Database(dataDir);
    const issuer = new CredentialIssuer(db.current, secret);
    const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
    const provinces = Array.from({ length: 63 }, (_, i) => i);
    const [hostCredential] = await issuer.issueMany([{ conferenceId, pointId: 'trung-uong', role: 'host' }], 3600);
    const host = await connect(url, { token: hostCredential?.token ?? '' });
    clients.push(host);
    const points = host.welcome.conference.points.filter((p) => p.level === 'province').map((p) => p.id);
    if (points.length === 0) throw new Error(`no provinces in the demo conference (${provinces.length})`);
    const broadcast = await publishBroadcast(host);
    replayer = new Replayer(recording, { ...broadcast, audioSsrc: AUDIO_SSRC, videoSsrc: VIDEO_SSRC });
    replayer.start();
    const tokens = (
      await issuer.issueMany(
        Array.from({ length: POINTS }, (_, i) => ({ conferenceId, pointId: points[i % points.length] as string, role: 'viewer' as const })),
        3600,
      )
    ).map((c) => c.token);
    const read = async (): Promise<Reading> => {
      await sleep(SETTLE_MS);
      return { process: rssBytes(hubPid), worker: rssBytes(workerPid) };
    };
    const before = await read();
    const viewers: HubClient[] = [];
    for (const token of tokens) viewers.push(await connect(url, { token }));
    clients.push(...viewers);
    const signalling = await read();
    let resumed = 0;
    for (const client of viewers) {
      client.socket.on(
        'media.consumer',
        (c) => void must(client.request('media.resumeConsumer', { consumerId: c.consumerId })).then(() => resumed++),
      );
      await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
      const recv = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
      await must(
        client.request('media.connectTransport', { transportId: recv.id, ip: '127.0.0.1', port: sinkPort, srtpParameters: newSrtpKey() }),
      );
    }
    const deadline = Date.now() + 30_000;
    while (resumed < POINTS * 2 && Date.now() < deadline) await sleep(50);
    if (resumed < POINTS * 2) console.warn(`only ${resumed}/${POINTS * 2} consumers resumed`);
    const media = await read();
    return { before, signalling, media };
  } finally {
    replayer?.stop();
    for (const c of clients) c.close();
    db.current?.close();
    child.child.kill('SIGTERM');
    await child.exited;
  }
}

async function main(): Promise<void> {
  console.log(`memory per point: ${POINTS} points, Opus replayed, one worker${smoke ? ' (smoke)' : ''}`);
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s`);
  const recorded = await record(smoke ? 2 : 4);
  const recording: Recording = { ...recorded, video: [] };
  const sink = await Sink.start(47_000 + Math.floor(Math.random() * 1000));
  try {
    const b = await bare(recording, sink.port);
    const h = await hub(recording, sink.port);
    const rows = [
      {
        target: 'bare',
        part: 'process',
        signallingKiBPerPoint: '-',
        mediaKiBPerPoint: kib((b.media.process - b.before.process) / POINTS),
        totalMiB: Math.round(b.media.process / 2 ** 20),
      },
      {
        target: 'bare',
        part: 'worker',
        signallingKiBPerPoint: '-',
        mediaKiBPerPoint: kib((b.media.worker - b.before.worker) / POINTS),
        totalMiB: Math.round(b.media.worker / 2 ** 20),
      },
      {
        target: 'hub',
        part: 'process',
        signallingKiBPerPoint: kib((h.signalling.process - h.before.process) / POINTS),
        mediaKiBPerPoint: kib((h.media.process - h.signalling.process) / POINTS),
        totalMiB: Math.round(h.media.process / 2 ** 20),
      },
      {
        target: 'hub',
        part: 'worker',
        signallingKiBPerPoint: kib((h.signalling.worker - h.before.worker) / POINTS),
        mediaKiBPerPoint: kib((h.media.worker - h.signalling.worker) / POINTS),
        totalMiB: Math.round(h.media.worker / 2 ** 20),
      },
    ];
    printTable(rows);
    const hubTotal = (h.media.process - h.before.process + h.media.worker - h.before.worker) / POINTS;
    const bareTotal = (b.media.process - b.before.process + b.media.worker - b.before.worker) / POINTS;
    const workerRatio = (h.media.worker - h.signalling.worker) / Math.max(1, b.media.worker - b.before.worker);
    console.log(
      `per point, everything (process + worker): hub ${kib(hubTotal)} KiB, bare ${kib(bareTotal)} KiB; ` +
        `hub worker ÷ bare worker for the media ×${Math.round(workerRatio * 100) / 100}`,
    );
    const file = writeResult(smoke ? 'memory-smoke' : 'memory', {
      scenario: 'memory',
      machine: machine(),
      mediasoup: mediasoup.version,
      points: POINTS,
      udpCeilingPps: ceiling,
      readingsBytes: { bare: b, hub: h },
      rows,
      perPointKiB: { hub: kib(hubTotal), bare: kib(bareTotal) },
      hubOverBareWorkerMedia: Math.round(workerRatio * 100) / 100,
    });
    console.log(`wrote ${file}`);
  } finally {
    sink.stop();
  }
}

await main();
process.exit(0);
