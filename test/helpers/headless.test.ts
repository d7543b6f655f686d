// Self-test of the headless point's media pieces. First without a worker: SRTP round trip and the origin
// mark. Then against a bare mediasoup router: the harness's sender feeds an SRTP plain transport
// (Opus + three-layer VP8 simulcast), consumers on an SRTP plain transport send to the harness's receiver,
// which must decrypt every packet, find the sender's mark and see the simulcast layer each consumer asked
// for. With a wrong key on either side nothing may count as received.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { types } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { originTag, readMark } from '../../scripts/lib/headless/marks.ts';
import { MediaReceiver, type ConsumerInfo } from '../../scripts/lib/headless/receiver.ts';
import { MediaSender } from '../../scripts/lib/headless/sender.ts';
import { isRtcp } from '../../scripts/lib/rtp.ts';
import { newSrtpKey, rtpPayload, SrtcpDecryptor, SrtpDecryptor, SrtpEncryptor, type SrtpKey } from '../../scripts/lib/srtp.ts';
import { sleep, waitFor } from './wait.ts';
import { useBareRouter } from './bare-router.ts';

describe('SRTP and the origin mark (no worker)', () => {
  it('round-trips a packet through encrypt and decrypt, across a sequence number wrap', () => {
    const key = newSrtpKey();
    const enc = new SrtpEncryptor(key);
    const dec = new SrtpDecryptor(key);
    for (let i = 0; i < 20; i++) {
      const seq = (65_530 + i) & 0xffff;
      const payload = Buffer.from(`payload ${i}`);
      const packet = enc.protect({ payloadType: 100, ssrc: 0x1234_5678, sequenceNumber: seq, timestamp: i * 960, marker: true, payload });
      expect(packet.length).toBe(12 + payload.length + 10);
      expect(packet.subarray(12, 12 + payload.length).equals(payload)).toBe(false);
      const plain = dec.unprotect(packet);
      expect(plain.readUInt16BE(2)).toBe(seq);
      expect(rtpPayload(plain).toString()).toBe(`payload ${i}`);
    }
  });

  it('refuses a packet under another key or with a flipped bit', () => {
    const key = newSrtpKey();
    const packet = new SrtpEncryptor(key).protect({
      payloadType: 96,
      ssrc: 7,
      sequenceNumber: 1,
      timestamp: 1,
      payload: Buffer.alloc(40, 1),
    });
    expect(new SrtpDecryptor(newSrtpKey()).tryUnprotect(packet)).toBeUndefined();
    const tampered = Buffer.from(packet);
    tampered[20] = (tampered[20] ?? 0) ^ 0x01;
    expect(new SrtpDecryptor(key).tryUnprotect(tampered)).toBeUndefined();
    expect(new SrtpDecryptor(key).tryUnprotect(packet)).toBeDefined();
  });

  it('writes a mark that names the point and the stream', async () => {
    const key = newSrtpKey();
    const socket = createSocket('udp4');
    const got: Buffer[] = [];
    socket.on('message', (m) => got.push(m));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const sender = new MediaSender({
      socket,
      remote: { ip: '127.0.0.1', port: socket.address().port },
      key,
      pointId: 'bien-hoa',
      audio: { ssrc: 11, payloadType: 100 },
      video: { ssrcs: [21, 22, 23], payloadType: 101 },
      videoEveryTicks: 1,
      maxDurationMs: 5000,
    });
    sender.tick();
    sender.tick(); // the second tick also sends a Sender Report per stream
    await waitFor(() => got.length >= 12, 'eight looped-back RTP packets and four SRTCP Sender Reports', 2000);
    socket.close();
    const rtp = got.filter((p) => !isRtcp(p));
    const rtcp = got.filter((p) => isRtcp(p));
    const dec = new SrtpDecryptor(key);
    const marks = rtp.map((p) => readMark(rtpPayload(dec.unprotect(p))));
    expect(marks.every((m) => m?.origin === originTag('bien-hoa') && m.fillOk)).toBe(true);
    expect(marks.map((m) => m?.stream).sort()).toEqual(['audio', 'audio', 'high', 'high', 'low', 'low', 'mid', 'mid']);
    const rtcpDec = new SrtcpDecryptor(key);
    const reports = rtcp.map((p) => rtcpDec.unprotect(p));
    expect(reports.map((r) => r[1])).toEqual([200, 200, 200, 200]);
    expect(reports.map((r) => r.readUInt32BE(4)).sort((a, b) => a - b)).toEqual([11, 21, 22, 23]);
    // Each report counts the packets of its stream so far (one each after the first tick, two after the second).
    expect(reports.map((r) => r.readUInt32BE(20))).toEqual([2, 2, 2, 2]);
    expect(originTag('bien-hoa')).not.toBe(originTag('long-khanh'));
  });
});

describe('the harness against a bare mediasoup router', () => {
  const SUITE = 'AES_CM_128_HMAC_SHA1_80';
  const bare = useBareRouter();

  const ptOf = (mime: string): number => bare.router.rtpCapabilities.codecs?.find((c) => c.mimeType === mime)?.preferredPayloadType ?? -1;

  /** Sender → SRTP ingress (producers) → SRTP egress (consumers) → receiver, for `ms`. */
  async function run(opts: { senderKey: SrtpKey; ingressKey: SrtpKey; receiverKey?: SrtpKey; ms: number }) {
    const ingress = await bare.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
      enableSrtp: true,
      srtpCryptoSuite: SUITE,
    });
    await ingress.connect({ srtpParameters: opts.ingressKey });
    const audioSsrc = 100_001;
    const videoSsrcs = [200_001, 200_002, 200_003] as const;
    const audio = await ingress.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: ptOf('audio/opus'), clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: audioSsrc }],
      },
    });
    const video = await ingress.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [
          { mimeType: 'video/VP8', payloadType: ptOf('video/VP8'), clockRate: 90000, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }] },
        ],
        encodings: videoSsrcs.map((ssrc) => ({ ssrc, scalabilityMode: 'L1T1' })),
      },
    });

    const receiver = await MediaReceiver.open();
    const egress = await bare.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
      enableSrtp: true,
      srtpCryptoSuite: SUITE,
    });
    await egress.connect({ ip: receiver.ip, port: receiver.port, srtpParameters: newSrtpKey() });
    const hubKey = egress.srtpParameters;
    if (!hubKey) throw new Error('egress without SRTP parameters');
    receiver.setKey(opts.receiverKey ?? hubKey);

    const consumers: Array<[types.Consumer, ConsumerInfo['purpose']]> = [];
    const addConsumer = async (producer: types.Producer, purpose: ConsumerInfo['purpose'], spatialLayer?: number) => {
      const consumer = await egress.consume({
        producerId: producer.id,
        rtpCapabilities: bare.router.rtpCapabilities,
        ...(spatialLayer !== undefined ? { preferredLayers: { spatialLayer } } : {}),
      });
      consumers.push([consumer, purpose]);
      receiver.add({
        consumerId: consumer.id,
        producerId: consumer.producerId,
        kind: consumer.kind,
        pointId: 'long-thanh',
        source: consumer.kind === 'audio' ? 'microphone' : 'camera',
        purpose,
        ssrc: consumer.rtpParameters.encodings?.[0]?.ssrc ?? -1,
        rtxSsrc: consumer.rtpParameters.encodings?.[0]?.rtx?.ssrc,
      });
    };
    // Audio from the first packet on; video, as in the hub, from a producer that has been running a while
    // (its Sender Reports in, so the simulcast consumer can pick any layer from its first packet).
    await addConsumer(audio, 'programme');

    const socket: UdpSocket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const sender = new MediaSender({
      socket,
      remote: { ip: ingress.tuple.localAddress ?? '127.0.0.1', port: ingress.tuple.localPort },
      key: opts.senderKey,
      pointId: 'long-thanh',
      audio: { ssrc: audioSsrc, payloadType: ptOf('audio/opus') },
      video: { ssrcs: videoSsrcs, payloadType: ptOf('video/VP8') },
      maxDurationMs: opts.ms + 4000,
    });
    sender.start();
    await sleep(1000);
    await addConsumer(video, 'stage', 2);
    await addConsumer(video, 'wall', 0);
    const sentBefore = { ...sender.sent };
    await sleep(opts.ms);
    sender.stop();
    await sleep(150);
    const produced = {
      audio: (await audio.getStats()).reduce((n, s) => n + s.packetCount, 0),
      video: (await video.getStats()).reduce((n, s) => n + s.packetCount, 0),
    };
    const [audioC, stageC, wallC] = consumers.map(([c]) => receiver.consumers.get(c.id));
    const sentVideo = (['low', 'mid', 'high'] as const).map((l) => sender.sent[l] - sentBefore[l]);
    const result = {
      sent: { ...sender.sent },
      sentVideo,
      produced,
      audio: audioC,
      stage: stageC,
      wall: wallC,
      receiver,
      senderReports: sender.senderReports,
    };
    receiver.close();
    socket.close();
    ingress.close();
    egress.close();
    return result;
  }

  it('sends SRTP that the worker accepts, and decrypts and counts what its consumers send back', async () => {
    const key = newSrtpKey();
    const r = await run({ senderKey: key, ingressKey: key, ms: 1500 });
    // 2.5 s: ~125 audio packets and ~40 per video layer; generous floors for a loaded machine.
    expect(r.sent.audio).toBeGreaterThanOrEqual(60);
    expect(r.sent.low).toBeGreaterThanOrEqual(20);
    expect(r.senderReports).toBeGreaterThanOrEqual(4 * 4);
    expect(r.produced.audio).toBe(r.sent.audio);
    expect(r.produced.video).toBe(r.sent.low + r.sent.mid + r.sent.high);

    for (const c of [r.audio, r.stage, r.wall]) {
      expect(c).toBeDefined();
      if (!c) continue;
      expect(c.authFailures).toBe(0);
      expect(c.malformed).toBe(0);
      expect(c.foreign).toBe(0);
      expect(c.decrypted).toBe(c.packets);
    }
    expect(r.audio?.packets).toBeGreaterThanOrEqual(r.sent.audio - 2);
    expect(r.audio?.byStream.audio).toBe(r.audio?.packets);
    // The stage consumer asked for the high layer, the wall consumer for the low one: every packet since
    // they were created is of that layer, and (but for the last in flight) every one the sender sent.
    const [low, , high] = r.sentVideo as [number, number, number];
    expect(r.stage?.packets).toBeGreaterThanOrEqual(high - 3);
    expect(r.stage?.byStream).toEqual({ audio: 0, low: 0, mid: 0, high: r.stage?.packets });
    expect(r.wall?.packets).toBeGreaterThanOrEqual(low - 3);
    expect(r.wall?.byStream).toEqual({ audio: 0, low: r.wall?.packets, mid: 0, high: 0 });
    // What arrived from the sender's point, by its mark.
    expect(r.receiver.fromOrigin('long-thanh', 'audio')).toBe(r.audio?.packets);
    expect(r.receiver.fromOrigin('bien-hoa')).toBe(0);
  });

  it('counts nothing as decrypted when the receiver has the wrong key', async () => {
    const key = newSrtpKey();
    const r = await run({ senderKey: key, ingressKey: key, receiverKey: newSrtpKey(), ms: 800 });
    expect(r.audio?.packets).toBeGreaterThan(10);
    expect(r.audio?.decrypted).toBe(0);
    expect(r.audio?.authFailures).toBe(r.audio?.packets);
    expect(r.receiver.fromOrigin('long-thanh')).toBe(0);
  });

  it('gets nothing through when the sender encrypts with another key than it gave the transport', async () => {
    const r = await run({ senderKey: newSrtpKey(), ingressKey: newSrtpKey(), ms: 800 });
    expect(r.sent.audio).toBeGreaterThan(10);
    expect(r.produced).toEqual({ audio: 0, video: 0 });
    expect(r.audio?.packets).toBe(0);
    expect(r.stage?.packets).toBe(0);
  });
});
