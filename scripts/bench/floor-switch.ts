// Floor switch: the host of the Đồng Nai demo conference hands the floor from one district to the next
// (round robin over its eleven districts); for every receiving point except the speaking one, the time
// from just before the grant request to the first packet of the new speaker's stage audio and of its
// stage video (every packet the headless senders emit is a VP8 key frame, so the first video packet of a
// switch is the first key frame). Baseline in the same run: a bare mediasoup router with the same eleven
// simulcast senders and the same receivers on plain SRTP transports, where a "switch" closes the previous
// stage consumers and creates (resume + requestKeyFrame) consumers of the new speaker on every receiver
// transport. Prints p50/p95 and misses, the packets a second the receivers got during the switches against
// the loopback UDP ceiling measured in the same run; writes test-results/bench/floor-switch.json.
//
//   node scripts/bench/floor-switch.ts [--receivers 20] [--switches 50] [--timeout-ms 5000] [--smoke]
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { HeadlessPoint } from '../lib/headless/point.ts';
import { MediaReceiver, type ConsumerCounter } from '../lib/headless/receiver.ts';
import { MediaSender } from '../lib/headless/sender.ts';
import { newSrtpKey, SRTP_SUITE } from '../lib/srtp.ts';
import { machine, printTable, udpCeiling, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    receivers: { type: 'string', default: '20' },
    switches: { type: 'string', default: '50' },
    'timeout-ms': { type: 'string', default: '5000' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const VIEWERS = smoke ? 2 : Number(values.receivers);
const SWITCHES = smoke ? 3 : Number(values.switches);
const TIMEOUT_MS = smoke ? 3000 : Number(values['timeout-ms']);
const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
/** Senders run at most this long (bounded), far longer than the run needs. */
const MAX_SEND_MS = 30 * 60_000;
const silent = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One receiving point: where it sits, and its counters. */
interface Receiving {
  pointId: string;
  receiver: MediaReceiver;
}

/** One switch: every receiver's delay to the new speaker's first stage audio and video packet (null = missed). */
interface SwitchResult {
  audio: Array<number | null>;
  video: Array<number | null>;
}

interface Target {
  name: 'bare' | 'hub';
  districts: string[];
  /** Gives the floor to `pointId`; resolves once asked (the caller starts its clock just before). */
  grant(pointId: string): Promise<void>;
  receivers(): Receiving[];
  /** The counter of the stage consumer of `pointId` and `kind` created at or after `since` at `r`. */
  stageCounter(r: Receiving, pointId: string, kind: 'audio' | 'video', since: number): ConsumerCounter | undefined;
  close(): Promise<void>;
}

function newest(counters: ConsumerCounter[], since: number): ConsumerCounter | undefined {
  return counters.filter((c) => c.createdAt >= since).sort((a, b) => b.createdAt - a.createdAt)[0];
}

/** Viewers sit at the districts in turn. */
const viewerPoint = (districts: string[], i: number): string => districts[i % districts.length] as string;

async function hubTarget(): Promise<Target> {
  const { hub, url } = await startBenchHub();
  const spec = hub.conferences.get(CONFERENCE)?.spec;
  if (!spec) throw new Error('demo conference missing');
  const districts = spec.points.filter((p) => p.id !== CENTRE && !p.centralSide).map((p) => p.id);
  const points: HeadlessPoint[] = [];
  const join = async (pointId: string, role: 'host' | 'technician' | 'viewer'): Promise<HeadlessPoint> => {
    const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
    const p = await HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs: MAX_SEND_MS, requestTimeoutMs: 20_000 });
    points.push(p);
    return p;
  };
  try {
    const host = await join(CENTRE, 'host');
    const receiving: Array<{ point: HeadlessPoint; r: Receiving }> = [];
    for (const district of districts) {
      const tech = await join(district, 'technician');
      await tech.publish({ audio: true, video: true });
      receiving.push({ point: tech, r: { pointId: district, receiver: await tech.receive() } });
    }
    for (let i = 0; i < VIEWERS; i++) {
      const pointId = viewerPoint(districts, i);
      const viewer = await join(pointId, 'viewer');
      receiving.push({ point: viewer, r: { pointId, receiver: await viewer.receive() } });
    }
    return {
      name: 'hub',
      districts,
      grant: async (pointId) => {
        await host.call('floor.grant', { pointId, seconds: 3600 });
      },
      receivers: () => receiving.map((x) => x.r),
      stageCounter: (r, pointId, kind, since) => newest(r.receiver.list({ purpose: 'stage', pointId, kind }), since),
      close: async () => {
        for (const p of points) await p.close();
        await hub.close('bench done');
      },
    };
  } catch (error) {
    for (const p of points) await p.close();
    await hub.close('bench failed');
    throw error;
  }
}

function payloadType(router: types.Router, mimeType: string): number {
  const codec = router.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (codec?.preferredPayloadType === undefined) throw new Error(`router offers no ${mimeType}`);
  return codec.preferredPayloadType;
}

const randomSsrc = (): number => 0x1000 + Math.floor(Math.random() * 0x7ffe0000);

async function bareTarget(districts: string[]): Promise<Target> {
  const pool = await WorkerPool.start({ count: 1, logLevel: 'error' }, silent);
  const sockets: UdpSocket[] = [];
  const senders: MediaSender[] = [];
  const receivers: Array<Receiving & { transport: types.PlainTransport; consumers: types.Consumer[] }> = [];
  try {
    const router = await pool.next().createRouter({ mediaCodecs });
    const opusPt = payloadType(router, 'audio/opus');
    const vp8Pt = payloadType(router, 'video/VP8');
    const producers = new Map<string, { audio: types.Producer; video: types.Producer }>();
    // The same eleven publishers as the hub's technicians: Opus + three-layer VP8 simulcast over SRTP.
    for (const pointId of districts) {
      const t = await router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: true,
        enableSrtp: true,
        srtpCryptoSuite: SRTP_SUITE,
      });
      const key = newSrtpKey();
      await t.connect({ srtpParameters: key });
      const cname = `${pointId}-${randomSsrc().toString(16)}`;
      const audioSsrc = randomSsrc();
      const ssrcs = [randomSsrc(), randomSsrc(), randomSsrc()] as const;
      const audio = await t.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: opusPt, clockRate: 48000, channels: 2 }],
          encodings: [{ ssrc: audioSsrc }],
          rtcp: { cname },
        },
      });
      const video = await t.produce({
        kind: 'video',
        rtpParameters: {
          codecs: [
            {
              mimeType: 'video/VP8',
              payloadType: vp8Pt,
              clockRate: 90000,
              rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
            },
          ],
          encodings: ssrcs.map((ssrc) => ({ ssrc, scalabilityMode: 'L1T1' })),
          rtcp: { cname },
        },
      });
      producers.set(pointId, { audio, video });
      const socket = createSocket('udp4');
      sockets.push(socket);
      socket.on('message', () => {});
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const sender = new MediaSender({
        socket,
        remote: { ip: '127.0.0.1', port: t.tuple.localPort },
        key,
        pointId,
        audio: { ssrc: audioSsrc, payloadType: opusPt },
        video: { ssrcs, payloadType: vp8Pt },
        maxDurationMs: MAX_SEND_MS,
      });
      senders.push(sender);
      sender.start();
    }
    // The same receivers: one per district (its technician) plus the viewers, each a plain SRTP transport.
    const at = [...districts, ...Array.from({ length: VIEWERS }, (_, i) => viewerPoint(districts, i))];
    for (const pointId of at) {
      const receiver = await MediaReceiver.open();
      const transport = await router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SRTP_SUITE,
      });
      receiver.setKey(transport.srtpParameters as { cryptoSuite: string; keyBase64: string });
      await transport.connect({ ip: receiver.ip, port: receiver.port, srtpParameters: newSrtpKey() });
      receivers.push({ pointId, receiver, transport, consumers: [] });
    }
    const consume = async (r: (typeof receivers)[number], speaker: string, producer: types.Producer): Promise<void> => {
      const consumer = await r.transport.consume({
        producerId: producer.id,
        rtpCapabilities: router.rtpCapabilities,
        paused: true,
        preferredLayers: { spatialLayer: 2 },
      });
      r.consumers.push(consumer);
      const encoding = consumer.rtpParameters.encodings?.[0];
      r.receiver.add({
        consumerId: consumer.id,
        producerId: producer.id,
        kind: consumer.kind,
        pointId: speaker,
        source: consumer.kind === 'audio' ? 'microphone' : 'camera',
        purpose: 'stage',
        ssrc: encoding?.ssrc ?? 0,
        rtxSsrc: encoding?.rtx?.ssrc,
      });
      await consumer.resume();
      if (consumer.kind === 'video') await consumer.requestKeyFrame();
    };
    return {
      name: 'bare',
      districts,
      grant: async (speaker) => {
        const p = producers.get(speaker);
        if (!p) throw new Error(`no producers for ${speaker}`);
        await Promise.all(
          receivers.map(async (r) => {
            for (const c of r.consumers.splice(0)) {
              c.close();
              r.receiver.closeConsumer(c.id);
            }
            if (r.pointId === speaker) return;
            await Promise.all([consume(r, speaker, p.audio), consume(r, speaker, p.video)]);
          }),
        );
      },
      receivers: () => receivers,
      stageCounter: (r, pointId, kind, since) => newest(r.receiver.list({ purpose: 'stage', pointId, kind }), since),
      close: async () => {
        for (const s of senders) s.stop();
        for (const r of receivers) r.receiver.close();
        for (const s of sockets) s.close();
        await pool.close();
      },
    };
  } catch (error) {
    for (const s of senders) s.stop();
    for (const r of receivers) r.receiver.close();
    for (const s of sockets) s.close();
    await pool.close();
    throw error;
  }
}

/** One switch to `speaker`: the clock starts just before the grant, then waits for every receiver. */
async function oneSwitch(target: Target, speaker: string): Promise<SwitchResult> {
  const receivers = target.receivers().filter((r) => r.pointId !== speaker);
  const t0 = Date.now();
  await target.grant(speaker);
  const deadline = t0 + TIMEOUT_MS;
  const delay = (r: Receiving, kind: 'audio' | 'video'): number | undefined => {
    const at = target.stageCounter(r, speaker, kind, t0)?.firstPacketAt;
    return at === undefined ? undefined : at - t0;
  };
  for (;;) {
    const done = receivers.every((r) => delay(r, 'audio') !== undefined && delay(r, 'video') !== undefined);
    if (done || Date.now() > deadline) break;
    await sleep(5);
  }
  return {
    audio: receivers.map((r) => delay(r, 'audio') ?? null),
    video: receivers.map((r) => delay(r, 'video') ?? null),
  };
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface Row {
  target: 'bare' | 'hub';
  kind: 'audio' | 'video';
  switches: number;
  receivers: number;
  samples: number;
  p50: number;
  p95: number;
  max: number;
  misses: number;
  /** Packets a second all receivers got over the switches (both kinds). */
  receivedPps: number;
  ppsOverUdpCeiling: number;
}

async function run(target: Target, ceiling: number): Promise<Row[]> {
  const { districts } = target;
  // Let the senders' first Sender Reports arrive (simulcast layer choice), then a first grant not measured.
  await sleep(smoke ? 1000 : 2000);
  await oneSwitch(target, districts[0] as string);
  await sleep(300);
  const results: SwitchResult[] = [];
  const received = (): number => target.receivers().reduce((sum, r) => sum + r.receiver.packets(), 0);
  const packets0 = received();
  const t0 = performance.now();
  for (let s = 1; s <= SWITCHES; s++) {
    results.push(await oneSwitch(target, districts[s % districts.length] as string));
    await sleep(100);
  }
  const receivedPps = Math.round((received() - packets0) / ((performance.now() - t0) / 1000));
  return (['audio', 'video'] as const).map((kind) => {
    const all = results.flatMap((r) => r[kind]);
    const ok = all.filter((x): x is number => x !== null).sort((a, b) => a - b);
    return {
      target: target.name,
      kind,
      switches: SWITCHES,
      receivers: target.receivers().length,
      samples: ok.length,
      p50: round(quantile(ok, 0.5)),
      p95: round(quantile(ok, 0.95)),
      max: round(ok.at(-1) ?? NaN),
      misses: all.length - ok.length,
      receivedPps,
      ppsOverUdpCeiling: round(receivedPps / ceiling, 3),
    };
  });
}

async function main(): Promise<void> {
  console.log(
    `floor switch: ${SWITCHES} switches, 11 publishing districts, ${VIEWERS} viewers + 11 technicians receiving${smoke ? ' (smoke)' : ''}`,
  );
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s`);
  const rows: Row[] = [];
  const hub = await hubTarget();
  const districts = hub.districts;
  try {
    rows.push(...(await run(hub, ceiling)));
  } finally {
    await hub.close();
  }
  for (const row of rows) console.log(JSON.stringify(row));
  const bare = await bareTarget(districts);
  try {
    rows.push(...(await run(bare, ceiling)));
  } finally {
    await bare.close();
  }
  for (const row of rows.filter((r) => r.target === 'bare')) console.log(JSON.stringify(row));
  console.log('');
  printTable(rows.map((r) => ({ ...r })));
  const ratios = (['audio', 'video'] as const).map((kind) => {
    const h = rows.find((r) => r.target === 'hub' && r.kind === kind);
    const b = rows.find((r) => r.target === 'bare' && r.kind === kind);
    return { kind, hubOverBareP50: h && b ? round(h.p50 / b.p50, 2) : NaN, hubOverBareP95: h && b ? round(h.p95 / b.p95, 2) : NaN };
  });
  console.log('');
  printTable(ratios);
  const file = writeResult(smoke ? 'floor-switch-smoke' : 'floor-switch', {
    scenario: 'floor-switch',
    machine: machine(),
    mediasoup: mediasoup.version,
    unit: 'ms from just before the grant to the first packet of the new stage consumer (video: first key frame)',
    timeoutMs: TIMEOUT_MS,
    udpCeilingPps: ceiling,
    rows,
    ratios,
  });
  console.log(`\nwrote ${file}`);
}

await main();
process.exit(0);
