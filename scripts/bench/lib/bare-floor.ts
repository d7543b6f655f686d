// The bare baseline of the floor-switch benchmark: the same simulcast senders and receivers as the hub's
// points, on one mediasoup router without the hub, where a "switch" closes the previous stage consumers and
// creates (resume + requestKeyFrame) consumers of the new speaker on every receiver transport.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { mediaCodecs } from '../../../server/media/codecs.ts';
import { WorkerPool } from '../../../server/media/worker-pool.ts';
import { MediaReceiver, type ConsumerCounter } from '../../lib/headless/receiver.ts';
import { MediaSender, type MediaSenderOptions } from '../../lib/headless/sender.ts';
import { newSrtpKey, SRTP_SUITE, SrtcpDecryptor } from '../../lib/srtp.ts';

/** One receiving point: where it sits, and its counters. */
export interface Receiving {
  pointId: string;
  receiver: MediaReceiver;
}

export interface Target {
  name: string;
  districts: string[];
  /** Gives the floor to `pointId`; resolves once asked (the caller starts its clock just before). */
  grant(pointId: string): Promise<void>;
  /** `pointId` asks for the floor again (joins the end of the queue); nothing on the bare router. */
  request(pointId: string): Promise<void>;
  receivers(): Receiving[];
  /** The counter of the stage consumer of `pointId` and `kind` that took that purpose at or after `since` at `r`. */
  stageCounter(r: Receiving, pointId: string, kind: 'audio' | 'video', since: number): ConsumerCounter | undefined;
  close(): Promise<void>;
}

/** The counter that took its purpose last, at or after `since`. */
export function newest(counters: ConsumerCounter[], since: number): ConsumerCounter | undefined {
  return counters.filter((c) => c.purposeAt >= since).sort((a, b) => b.purposeAt - a.purposeAt)[0];
}

/** Viewers sit at the districts in turn. */
export const viewerPoint = (districts: string[], i: number): string => districts[i % districts.length] as string;

const silent = pino({ level: 'silent' });

export interface BareOptions {
  viewers: number;
  maxSendMs: number;
  keyFrames: MediaSenderOptions['keyFrames'];
}

function payloadType(router: types.Router, mimeType: string): number {
  const codec = router.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (codec?.preferredPayloadType === undefined) throw new Error(`router offers no ${mimeType}`);
  return codec.preferredPayloadType;
}

const randomSsrc = (): number => 0x1000 + Math.floor(Math.random() * 0x7ffe0000);

export async function bareTarget(districts: string[], options: BareOptions): Promise<Target> {
  const { viewers: VIEWERS, maxSendMs: MAX_SEND_MS } = options;
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
      // PLI and FIR from the router: a sender making key frames on request needs them.
      const srtcp = new SrtcpDecryptor(t.srtpParameters as { cryptoSuite: string; keyBase64: string });
      socket.on('message', (packet) => {
        try {
          sender.handleRtcp(srtcp.unprotect(packet));
        } catch {
          // Not SRTCP from the router.
        }
      });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const sender = new MediaSender({
        socket,
        remote: { ip: '127.0.0.1', port: t.tuple.localPort },
        key,
        pointId,
        audio: { ssrc: audioSsrc, payloadType: opusPt },
        video: { ssrcs, payloadType: vp8Pt },
        maxDurationMs: MAX_SEND_MS,
        keyFrames: options.keyFrames,
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
      request: async () => {},
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
