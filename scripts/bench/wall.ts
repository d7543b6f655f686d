// The monitoring wall's cost: the MTTQ conference's remote points (2 central-side + 63 provinces) publish
// three-layer VP8 simulcast over plain RTP + SRTP (headless points), and one host receives the wall. The same
// run measures the host's downlink and the hub's worker CPU with every tile shown, with one screenful shown
// (wall.visible, as the browser reports it when the wall scrolls or is filtered), and with none shown (the
// publishing alone: the baseline the others are read against).
//
// The host receiving the wall is, by default (--receiver webrtc), a full WebRTC peer (werift: ICE, DTLS, SRTP,
// transport-cc feedback) joined as the MTTQ host over the hub's protocol; its downlink is the size of the SRTP
// packets werift decrypts on its wall consumers (RTP header + payload + the 10-byte SRTP tag). With
// --receiver plain it is a headless plain-RTP point (bytes arriving at its UDP socket): mediasoup then has
// no congestion feedback and shares the transport's default outgoing bitrate among the wall's consumers.
// Also shows how many tiles got packets and the host transport's bandwidth estimate (mediasoup's
// availableOutgoingBitrate, WebRTC only). Prints a table with ratios against "all shown" and writes
// test-results/bench/wall(-plain)(-smoke).json.
//
//   npm run bench:wall -- [--receiver webrtc|plain] [--points 65] [--page 24] [--seconds 6] [--smoke]
import { parseArgs } from 'node:util';
import { observer, type types } from 'mediasoup';
import { RTCPeerConnection, RTCRtpCodecParameters, useAbsSendTime, useSdesMid, useTransportWideCC, useTWCC } from 'werift';
import type { EventPayload } from '../../shared/protocol.ts';
import { HeadlessPoint } from '../lib/headless/point.ts';
import { connect, type HubClient } from '../lib/hub-client.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { cpuMicros, machine, printTable, writeResult } from './lib/tools.ts';
import { type OfferConsumer, WebRtcReceiver } from './lib/webrtc.ts';

const { values } = parseArgs({
  options: {
    receiver: { type: 'string', default: 'webrtc' },
    points: { type: 'string', default: '65' },
    page: { type: 'string', default: '24' },
    seconds: { type: 'string', default: '6' },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const RECEIVER = values.receiver;
if (RECEIVER !== 'webrtc' && RECEIVER !== 'plain') throw new Error(`--receiver webrtc|plain, not ${RECEIVER}`);
const POINTS = smoke ? 6 : Number(values.points);
const PAGE = smoke ? 2 : Number(values.page);
const SECONDS = smoke ? 1.5 : Number(values.seconds);
const CONFERENCE = 'mttq-giam-sat-bau-cu-dot-1';
const SRTP_TAG = 10; // bytes of SRTP authentication tag (AES_CM_128_HMAC_SHA1_80) on every packet
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The host receiving the wall, whichever its transport. */
interface WallHost {
  /** Bytes received so far on each wall consumer. */
  bytes(): Map<string, number>;
  /** Wall consumers open now (pushed and not closed). */
  open(): number;
  visible(pointIds: string[]): Promise<void>;
  /** Facts about the receiver for the result file. */
  notes(): Record<string, string | number | boolean>;
  close(): Promise<void>;
}

// The hub's WebRTC transports (only the host's, here): their bandwidth estimate goes in the table.
const webrtcTransports: types.Transport[] = [];
observer.on('newworker', (w) =>
  w.observer.on('newrouter', (r) => r.observer.on('newtransport', (t) => void (t.type === 'webrtc' && webrtcTransports.push(t)))),
);
const estimateKbps = async (): Promise<number | string> => {
  const stats = await Promise.all(
    webrtcTransports.filter((t) => !t.closed).map((t) => t.getStats() as Promise<Array<{ availableOutgoingBitrate?: number }>>),
  );
  const bitrate = stats.flat().reduce((sum, s) => sum + (s.availableOutgoingBitrate ?? 0), 0);
  return webrtcTransports.length > 0 ? round(bitrate / 1000, 0) : '-';
};

const { hub, url } = await startBenchHub(1);
const conference = hub.conferences.get(CONFERENCE);
if (!conference) throw new Error(`demo conference ${CONFERENCE} not loaded`);
const spec = conference.view();
const remote = spec.points.filter((p) => p.id !== spec.centralPointId).slice(0, POINTS);
const workerPids = hub.workers.live().map((w) => w.pid);
const points: HeadlessPoint[] = [];
const token = async (pointId: string, role: 'host' | 'cohost' | 'technician'): Promise<string> =>
  (await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600)).token;
const join = async (pointId: string, role: 'host' | 'cohost' | 'technician'): Promise<HeadlessPoint> => {
  const point = await HeadlessPoint.join(url, await token(pointId, role), { label: pointId, maxSendMs: 600_000, decryptEvery: 0 });
  points.push(point);
  return point;
};

async function plainHost(): Promise<WallHost> {
  const host = await join(spec.centralPointId, 'host');
  await host.receive();
  return {
    bytes: () => new Map(host.consumers({ purpose: 'wall' }).map((c) => [c.consumerId, c.bytes])),
    open: () => host.consumers({ purpose: 'wall', open: true }).length,
    visible: async (pointIds) => void (await host.call('wall.visible', { pointIds })),
    notes: () => ({ resumeRetries: host.resumeRetries, errors: host.errors.length }),
    close: () => host.close(),
  };
}

/** A werift peer receiving VP8 with NACK, PLI, FIR and transport-cc (the header extension negotiated too). */
function feedbackPeer(): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, useTWCC()],
        }),
      ],
    },
    headerExtensions: { audio: [useSdesMid()], video: [useSdesMid(), useTransportWideCC(), useAbsSendTime()] },
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
}

/** media.resumeConsumer, backing off while the hub's per-point request limit refuses (a burst of 65). */
async function resume(client: HubClient, consumerId: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const result = await client.request('media.resumeConsumer', { consumerId });
    if (result.ok) return attempt - 1;
    if (result.error.code !== 'rate_limited' || attempt >= 50) throw new Error(`resume ${consumerId}: ${result.error.code}`);
    await sleep(100 + Math.random() * 200);
  }
}

/**
 * The MTTQ host as a WebRTC peer: opens a WebRTC receiving transport, waits for the wall's consumers the hub
 * pushes (one per publishing point), answers them in one offer/answer, connects and resumes them.
 */
async function webrtcHost(): Promise<WallHost> {
  const client = await connect(url, { token: await token(spec.centralPointId, 'host') });
  const pushed = new Map<string, EventPayload<'media.consumer'>>();
  const closed = new Set<string>();
  let negotiated = false;
  let late = 0;
  client.socket.on('media.consumer', (c) => {
    if (negotiated)
      late++; // not in the SDP: left paused (none expected, the wall only shrinks here)
    else pushed.set(c.consumerId, c);
  });
  client.socket.on('media.consumerClosed', ({ consumerId }) => void closed.add(consumerId));
  try {
    await client.call('media.setCapabilities', { rtpCapabilities: client.welcome.routerRtpCapabilities });
    const info = await client.call('media.createTransport', { direction: 'recv', type: 'webrtc' });
    if (info.type !== 'webrtc') throw new Error(`asked for a WebRTC transport, got ${info.type}`);
    const wallPushed = (): number => [...pushed.values()].filter((c) => c.purpose === 'wall').length;
    const deadline = Date.now() + 30_000;
    while (wallPushed() < remote.length && Date.now() < deadline) await sleep(50);
    if (wallPushed() < remote.length) throw new Error(`only ${wallPushed()}/${remote.length} wall consumers pushed`);
    await sleep(300); // anything else pushed with them
    negotiated = true;
    const consumers = [...pushed.values()];
    const offered: OfferConsumer[] = consumers.map((c) => ({ id: c.consumerId, kind: c.kind, rtpParameters: c.rtpParameters }));
    // mediasoup probes the bandwidth with padding on ssrc 1234, payload type 127; as mediasoup-client does, an
    // m-section "probator" receives it, so that its packets are counted in the transport-cc feedback.
    const video = consumers.find((c) => c.kind === 'video')?.rtpParameters;
    const codec = video?.codecs[0];
    if (video && codec) {
      const probator = { mid: 'probator', codecs: [{ ...codec, payloadType: 127 }], headerExtensions: video.headerExtensions };
      offered.push({
        id: 'probator',
        kind: 'video',
        rtpParameters: { ...probator, encodings: [{ ssrc: 1234 }], rtcp: { cname: 'probator' } },
      });
    }
    const pc = feedbackPeer();
    const receiver = await WebRtcReceiver.negotiate(
      info,
      offered,
      async (dtlsParameters) => void (await client.call('media.connectTransport', { transportId: info.id, dtlsParameters })),
      pc,
    );
    // Bytes per consumer, by the m-section (mid) werift received them on.
    const bytes = new Map<string, number>();
    const byMid = new Map(consumers.map((c) => [c.rtpParameters.mid, c]));
    const transceivers = pc.getTransceivers();
    // werift keeps one transport-cc feedback generator per m-section, each reporting only its own packets (the
    // others' transport-wide sequence numbers would read as lost); the transport needs one: they share the first.
    const twcc = transceivers.find((t) => t.receiver.receiverTWCC)?.receiver.receiverTWCC;
    for (const t of transceivers) {
      if (twcc) t.receiver.receiverTWCC = twcc;
      const c = byMid.get(t.mid ?? undefined);
      if (c?.purpose !== 'wall') continue;
      bytes.set(c.consumerId, 0);
      t.receiver.track.onReceiveRtp.subscribe((rtp) => {
        bytes.set(c.consumerId, (bytes.get(c.consumerId) ?? 0) + rtp.serializeSize + SRTP_TAG);
      });
    }
    let retries = 0;
    for (const c of consumers) retries += await resume(client, c.consumerId);
    const wallIds = consumers.filter((c) => c.purpose === 'wall').map((c) => c.consumerId);
    return {
      bytes: () => new Map(bytes),
      open: () => wallIds.filter((id) => !closed.has(id)).length,
      visible: async (pointIds) => void (await client.call('wall.visible', { pointIds })),
      notes: () => ({ consumers: consumers.length, transportCc: twcc !== undefined, lateConsumers: late, resumeRetries: retries }),
      close: async () => {
        await receiver.close();
        client.close();
      },
    };
  } catch (error) {
    client.close();
    throw error;
  }
}

let host: WallHost | undefined;
try {
  for (const p of remote) {
    const point = await join(p.id, p.centralSide ? 'cohost' : 'technician');
    await point.publish({ audio: false, video: true });
  }
  const wall = RECEIVER === 'webrtc' ? await webrtcHost() : await plainHost();
  host = wall;

  const measure = async (name: string, shown: string[] | null): Promise<Record<string, string | number>> => {
    if (shown) await wall.visible(shown);
    const want = shown ? shown.length : remote.length;
    const deadline = Date.now() + 20_000;
    while (wall.open() !== want && Date.now() < deadline) await sleep(100);
    // Consumers settle on the low layer (and a WebRTC transport's bandwidth estimate grows).
    await sleep(smoke ? 1000 : RECEIVER === 'webrtc' && !shown ? 5000 : 3000);
    const bytes0 = wall.bytes();
    const estimate0 = await estimateKbps();
    const cpu0 = workerPids.reduce((s, pid) => s + cpuMicros(pid), 0);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = ((workerPids.reduce((s, pid) => s + cpuMicros(pid), 0) - cpu0) / 1e6 / seconds) * 100;
    const deltas = [...wall.bytes()].map(([id, b]) => b - (bytes0.get(id) ?? 0));
    const kbps = (deltas.reduce((a, b) => a + b, 0) * 8) / seconds / 1000;
    const tiles = wall.open();
    return {
      case: name,
      tiles,
      tilesReceiving: deltas.filter((d) => d > 0).length,
      downlinkKbps: round(kbps, 0),
      kbpsPerTile: tiles ? round(kbps / tiles) : 0,
      estimateKbps: `${estimate0}→${await estimateKbps()}`,
      workerCpuPercent: round(cpu),
    };
  };

  const all = await measure('all shown', null);
  const paged = await measure(
    `one screen (${PAGE})`,
    remote.slice(0, PAGE).map((p) => p.id),
  );
  const none = await measure('none shown (publishing only)', []);
  const ratio = (row: Record<string, string | number>, key: string): number => round(Number(row[key]) / Number(all[key]), 2);
  const rows = [all, paged, none].map((row) => ({
    ...row,
    downlinkVsAll: ratio(row, 'downlinkKbps'),
    cpuVsAll: ratio(row, 'workerCpuPercent'),
  }));
  // Under load the senders (all in this process) send less: kbpsPerTile falling with more tiles shows it.
  console.log(`wall of ${remote.length} points publishing simulcast, one ${RECEIVER} host, ${SECONDS} s windows, 1 worker`);
  printTable(rows);
  const notes = wall.notes();
  console.log(`host receiver: ${JSON.stringify(notes)}`);
  const name = `wall${RECEIVER === 'plain' ? '-plain' : ''}${smoke ? '-smoke' : ''}`;
  const file = writeResult(name, {
    machine: machine(),
    receiver: RECEIVER,
    points: remote.length,
    page: PAGE,
    seconds: SECONDS,
    notes,
    rows,
  });
  console.log(`written ${file}`);
} finally {
  await host?.close();
  await Promise.all(points.map((p) => p.close()));
  await hub.close('bench over');
}
