// Added latency: a synthetic Opus stream (one packet every 20 ms) whose payload carries its send time (an
// 8-byte high-resolution clock reading taken just before the datagram is sent), SRTP-encrypted, sent as
// the centre's microphone through the hub's real protocol (socket.io, plain SRTP transports, pushed
// consumers resumed) and through a bare mediasoup router in the same run, to N receiving plain SRTP
// transports. The receiving side notes each datagram's arrival time, decrypts it with its transport's key
// and reads the send time back: arrival - send is the latency through the SFU plus loopback. One worker.
// With --webrtc W, W full WebRTC receivers (werift) join first and stay: for them arrival is when werift
// hands out the decrypted packet (ICE, DTLS-SRTP and jitter-free JS path included), reported apart.
// Prints p50/p99 per target and N, and the packets a second delivered against the loopback UDP ceiling
// measured in the same run; writes test-results/bench/latency.json.
//
//   node scripts/bench/latency.ts [--points 50,300] [--seconds 5] [--webrtc 10] [--smoke]
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { mediaCodecs } from '../../server/media/codecs.ts';
import { WorkerPool } from '../../server/media/worker-pool.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { connect, type HubClient, must } from '../lib/hub-client.ts';
import { newSrtpKey, SRTP_SUITE } from '../lib/srtp.ts';
import { AUDIO_PT, AUDIO_SSRC, LatencyReceiver, MAGIC, PACKET_MS, sleep, TimestampSender } from './lib/latency-probe.ts';
import { machine, printTable, udpCeiling, writeResult } from './lib/tools.ts';
import { bareWebRtcReceiver, hubWebRtcReceiver, type WebRtcReceiver } from './lib/webrtc.ts';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '50,300' },
    seconds: { type: 'string', default: '5' },
    webrtc: { type: 'string', default: '10' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const POINTS = smoke ? [4] : values.points.split(',').map(Number);
const WINDOW_S = smoke ? 1.5 : Number(values.seconds);
const WEBRTC = smoke ? 1 : Number(values.webrtc);
const silent = pino({ level: 'silent' });

interface Target {
  name: 'bare' | 'hub';
  /** Brings the number of receiving transports up to `n`. */
  grow(n: number): Promise<void>;
  /** Adds one full WebRTC receiver. */
  addWebRtc(): Promise<WebRtcReceiver>;
  close(): Promise<void>;
}

const opusParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: AUDIO_SSRC }],
};

async function bareTarget(rx: LatencyReceiver): Promise<{ target: Target; sender: TimestampSender }> {
  const pool = await WorkerPool.start({ count: 1, logLevel: 'error' }, silent);
  const router = await pool.next().createRouter({ mediaCodecs });
  const key = newSrtpKey();
  const ingress = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: true,
    enableSrtp: true,
    srtpCryptoSuite: SRTP_SUITE,
  });
  await ingress.connect({ srtpParameters: key });
  const producer = await ingress.produce({ kind: 'audio', rtpParameters: opusParameters });
  const transports: types.PlainTransport[] = [];
  return {
    sender: new TimestampSender({ ip: '127.0.0.1', port: ingress.tuple.localPort }, key),
    target: {
      name: 'bare',
      grow: async (n) => {
        while (transports.length < n) {
          const t = await router.createPlainTransport({
            listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
            rtcpMux: true,
            comedia: false,
            enableSrtp: true,
            srtpCryptoSuite: SRTP_SUITE,
          });
          transports.push(t);
          await t.connect({ ip: '127.0.0.1', port: rx.port, srtpParameters: newSrtpKey() });
          const consumer = await t.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
          rx.add(consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0, t.srtpParameters as { cryptoSuite: string; keyBase64: string });
          await consumer.resume();
        }
      },
      addWebRtc: () => bareWebRtcReceiver(router, [producer]),
      close: () => pool.close(),
    },
  };
}

async function hubTarget(rx: LatencyReceiver): Promise<{ target: Target; sender: TimestampSender }> {
  const { hub, url } = await startBenchHub();
  const clients: HubClient[] = [];
  const close = async (): Promise<void> => {
    for (const c of clients) c.close();
    await hub.close('bench done');
  };
  try {
    const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
    const conference = hub.conferences.get(conferenceId);
    if (!conference) throw new Error('demo conference missing');
    const issue = async (pointId: string, role: 'host' | 'viewer'): Promise<string> =>
      (await hub.credentials.issue({ conferenceId, pointId, role }, 3600)).token;
    const host = await connect(url, { token: await issue(conference.spec.centralPointId, 'host') });
    clients.push(host);
    const send = await must(host.request('media.createTransport', { direction: 'send', type: 'plain' }));
    if (send.type !== 'plain') throw new Error('expected a plain transport');
    const key = newSrtpKey();
    await must(host.request('media.connectTransport', { transportId: send.id, srtpParameters: key }));
    await must(host.request('media.produce', { transportId: send.id, kind: 'audio', source: 'microphone', rtpParameters: opusParameters }));
    const remote = conference.spec.points.filter((p) => p.id !== conference.spec.centralPointId && !p.centralSide).map((p) => p.id);
    let viewers = 0;
    const grow = async (n: number): Promise<void> => {
      while (viewers < n) {
        const client = await connect(url, { token: await issue(remote[viewers % remote.length] as string, 'viewer') });
        clients.push(client);
        viewers++;
        let ready: Promise<{ cryptoSuite: string; keyBase64: string }> | undefined;
        client.socket.on('media.consumer', (c) => {
          void ready
            ?.then((k) => {
              rx.add(c.rtpParameters.encodings?.[0]?.ssrc ?? 0, k);
              return must(client.request('media.resumeConsumer', { consumerId: c.consumerId }));
            })
            .catch((error: unknown) => console.error(`resume: ${(error as Error).message}`));
        });
        ready = (async () => {
          await must(client.request('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities }));
          const info = await must(client.request('media.createTransport', { direction: 'recv', type: 'plain' }));
          if (info.type !== 'plain') throw new Error('expected a plain transport');
          await must(
            client.request('media.connectTransport', {
              transportId: info.id,
              ip: '127.0.0.1',
              port: rx.port,
              srtpParameters: newSrtpKey(),
            }),
          );
          return info.srtpParameters;
        })();
        await ready;
      }
      const deadline = Date.now() + 30_000;
      while (rx.receiving < n && Date.now() < deadline) await sleep(50);
      if (rx.receiving < n) throw new Error(`only ${rx.receiving}/${n} consumers pushed`);
    };
    const addWebRtc = async (): Promise<WebRtcReceiver> => {
      const client = await connect(url, { token: await issue(remote[(viewers + clients.length) % remote.length] as string, 'viewer') });
      clients.push(client);
      return hubWebRtcReceiver(client, 1);
    };
    return { sender: new TimestampSender({ ip: send.ip, port: send.port }, key), target: { name: 'hub', grow, addWebRtc, close } };
  } catch (error) {
    await close();
    throw error;
  }
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface Row {
  target: 'bare' | 'hub';
  /** plain: SRTP plain transports (arrival stamped before decryption); webrtc: werift peers. */
  kind: 'plain' | 'webrtc';
  /** Plain receivers present. */
  points: number;
  /** Receivers of this kind the samples come from. */
  receivers: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  deliveredPercent: number;
  deliveredPps: number;
  ppsOverUdpCeiling: number;
}

async function measure(
  make: (rx: LatencyReceiver) => Promise<{ target: Target; sender: TimestampSender }>,
  ceiling: number,
): Promise<Row[]> {
  const rx = await LatencyReceiver.open();
  const { target, sender } = await make(rx);
  sender.start();
  const rows: Row[] = [];
  const receivers: WebRtcReceiver[] = [];
  const web = { collecting: false, samples: [] as number[], packets: 0 };
  try {
    for (let i = 0; i < WEBRTC; i++) {
      const r = await target.addWebRtc();
      receivers.push(r);
      r.onRtp = (_kind, payload, at) => {
        if (!web.collecting) return;
        web.packets++;
        const m = payload.indexOf(MAGIC);
        if (m >= 0 && payload.length >= m + MAGIC.length + 8) web.samples.push(at - payload.readDoubleBE(m + MAGIC.length));
      };
    }
    for (const n of POINTS) {
      await target.grow(n);
      await sleep(smoke ? 500 : 1500);
      const sent0 = sender.sent;
      Object.assign(web, { collecting: true, samples: [], packets: 0 });
      const w = await rx.window(WINDOW_S * 1000);
      web.collecting = false;
      const sent = sender.sent - sent0;
      const sorted = w.samples.sort((a, b) => a - b);
      rows.push({
        target: target.name,
        kind: 'plain',
        points: n,
        receivers: n,
        samples: sorted.length,
        p50Ms: round(quantile(sorted, 0.5)),
        p99Ms: round(quantile(sorted, 0.99)),
        maxMs: round(sorted.at(-1) ?? NaN),
        deliveredPercent: round((w.packets / Math.max(1, sent * n)) * 100, 1),
        deliveredPps: Math.round(w.packets / WINDOW_S),
        ppsOverUdpCeiling: round(w.packets / WINDOW_S / ceiling, 4),
      });
      console.log(JSON.stringify(rows.at(-1)));
      if (receivers.length > 0) {
        const ws = web.samples.sort((a, b) => a - b);
        rows.push({
          target: target.name,
          kind: 'webrtc',
          points: n,
          receivers: receivers.length,
          samples: ws.length,
          p50Ms: round(quantile(ws, 0.5)),
          p99Ms: round(quantile(ws, 0.99)),
          maxMs: round(ws.at(-1) ?? NaN),
          deliveredPercent: round((web.packets / Math.max(1, sent * receivers.length)) * 100, 1),
          deliveredPps: Math.round(web.packets / WINDOW_S),
          ppsOverUdpCeiling: round(web.packets / WINDOW_S / ceiling, 4),
        });
        console.log(JSON.stringify(rows.at(-1)));
      }
    }
  } finally {
    sender.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await target.close();
    rx.close();
  }
  return rows;
}

async function main(): Promise<void> {
  console.log(
    `latency: receivers ${POINTS.join(',')}, ${WINDOW_S} s windows, one Opus packet every ${PACKET_MS} ms${smoke ? ' (smoke)' : ''}`,
  );
  const ceiling = await udpCeiling(smoke ? 1 : 3);
  console.log(`loopback UDP ceiling: ${ceiling} packets/s`);
  const rows: Row[] = [];
  rows.push(...(await measure(bareTarget, ceiling)));
  rows.push(...(await measure(hubTarget, ceiling)));
  console.log('');
  printTable(rows.map((r) => ({ ...r })));
  const ratios = rows
    .filter((r) => r.target === 'hub')
    .map((h) => {
      const b = rows.find((r) => r.target === 'bare' && r.points === h.points && r.kind === h.kind);
      return {
        points: h.points,
        kind: h.kind,
        hubOverBareP50: b ? round(h.p50Ms / b.p50Ms) : NaN,
        hubOverBareP99: b ? round(h.p99Ms / b.p99Ms) : NaN,
        hubMinusBareP50Ms: b ? round(h.p50Ms - b.p50Ms) : NaN,
        hubMinusBareP99Ms: b ? round(h.p99Ms - b.p99Ms) : NaN,
      };
    });
  console.log('');
  printTable(ratios);
  const file = writeResult(smoke ? 'latency-smoke' : 'latency', {
    scenario: 'latency',
    machine: machine(),
    mediasoup: mediasoup.version,
    unit: 'ms from just before the send to arrival at the receiving socket (send time carried in the payload)',
    windowSeconds: WINDOW_S,
    udpCeilingPps: ceiling,
    rows,
    ratios,
  });
  console.log(`\nwrote ${file}`);
}

await main();
process.exit(0);
