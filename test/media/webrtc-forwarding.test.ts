// A real mediasoup worker forwards RTP to a real WebRTC peer (werift) over ICE + DTLS + SRTP on
// 127.0.0.1. The DTLS handshake here is the one that crashes a worker linked against Debian's OpenSSL
// without the BIO callback fix in scripts/worker.
import { createSocket, type Socket } from 'node:dgram';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtpPacket, vp8KeyFramePayload } from '../../scripts/lib/rtp.ts';
import { connectWeriftReceiver } from '../../scripts/lib/werift-receiver.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { useBareRouter } from '../helpers/bare-router.ts';

const PACKETS = 150;
const AUDIO_SSRC = 11111111;
const VIDEO_SSRC = 22222222;

const bare = useBareRouter();
let socket: Socket;

beforeAll(() => {
  socket = createSocket('udp4');
});

afterAll(() => {
  socket?.close();
});

const audioPayload = (i: number): Buffer => Buffer.from(`diemcau-opus-${String(i).padStart(4, '0')}`.padEnd(80, '.'));

describe('router', () => {
  it('offers Opus, VP8 and H264', () => {
    const mimeTypes = bare.router.rtpCapabilities.codecs?.map((c) => c.mimeType) ?? [];
    expect(mimeTypes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
  });
});

describe('WebRtcTransport to a werift peer', () => {
  it('completes ICE and DTLS and delivers decrypted RTP', async () => {
    // Ingress: plain RTP from this test's UDP socket (comedia learns our address from the first packet).
    const ingress = await bare.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const audio = await ingress.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: AUDIO_SSRC }],
      },
    });
    const video = await ingress.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
        encodings: [{ ssrc: VIDEO_SSRC }],
      },
    });

    // Egress: a WebRTC transport on loopback, consumers created paused and resumed once connected.
    const egress = await bare.router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
    const consumers = [
      await egress.consume({ producerId: audio.id, rtpCapabilities: bare.router.rtpCapabilities, paused: true }),
      await egress.consume({ producerId: video.id, rtpCapabilities: bare.router.rtpCapabilities, paused: true }),
    ];
    const receiver = await connectWeriftReceiver(egress, consumers);
    try {
      await receiver.connected();
      await waitFor(() => egress.dtlsState === 'connected', 'mediasoup DTLS connected');
      expect(egress.iceState).toMatch(/connected|completed/);
      for (const consumer of consumers) await consumer.resume();

      const port = ingress.tuple.localPort;
      for (let i = 0; i < PACKETS; i++) {
        const common = { sequenceNumber: 1000 + i, marker: true };
        socket.send(
          rtpPacket({ ...common, payloadType: 111, ssrc: AUDIO_SSRC, timestamp: i * 960, payload: audioPayload(i) }),
          port,
          '127.0.0.1',
        );
        socket.send(
          rtpPacket({
            ...common,
            payloadType: 96,
            ssrc: VIDEO_SSRC,
            timestamp: i * 3000,
            payload: vp8KeyFramePayload(Buffer.alloc(300, i & 0xff)),
          }),
          port,
          '127.0.0.1',
        );
        await sleep(4);
      }
      await waitFor(
        () => receiver.packets.audio.length >= PACKETS && receiver.packets.video.length >= PACKETS,
        'all packets at the werift peer',
      ).catch(() => undefined);

      // Loopback loses nothing in practice; allow 2% for a busy CI machine, never more than was sent.
      for (const kind of ['audio', 'video'] as const) {
        expect(receiver.packets[kind].length).toBeGreaterThanOrEqual(Math.floor(PACKETS * 0.98));
        expect(receiver.packets[kind].length).toBeLessThanOrEqual(PACKETS);
      }
      // Decrypted payloads are byte for byte what was sent, under the consumer's own SSRC.
      const audioConsumer = consumers[0] as types.Consumer;
      const first = receiver.packets.audio[0];
      expect(first?.header.ssrc).toBe(audioConsumer.rtpParameters.encodings?.[0]?.ssrc);
      const sent = new Set(Array.from({ length: PACKETS }, (_, i) => audioPayload(i).toString()));
      for (const packet of receiver.packets.audio) expect(sent.has(packet.payload.toString())).toBe(true);
      expect(bare.pool.health().every((w) => w.alive)).toBe(true);
    } finally {
      await receiver.close();
      egress.close();
      ingress.close();
    }
  });
});
