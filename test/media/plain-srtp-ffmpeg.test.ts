// ffmpeg (Debian's) sends Opus and VP8 as SRTP into a mediasoup PlainTransport; the router forwards them
// to a consumer on a plain transport that this test reads from a UDP socket. With the wrong key nothing
// passes, which proves the worker really decrypts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { types } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { isRtcp, rtpPayloadType } from '../../scripts/lib/rtp.ts';
import { useBareRouter } from '../helpers/bare-router.ts';

const SUITE = 'AES_CM_128_HMAC_SHA1_80';
const SECONDS = 3;

const bare = useBareRouter();

/** A UDP socket that counts RTP packets per payload type. */
async function rtpCounter(): Promise<{ socket: Socket; port: number; counts: Map<number, number> }> {
  const socket = createSocket('udp4');
  const counts = new Map<number, number>();
  socket.on('message', (packet) => {
    if (isRtcp(packet)) return;
    const pt = rtpPayloadType(packet);
    counts.set(pt, (counts.get(pt) ?? 0) + 1);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, counts };
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
}

// ffmpeg sends RTP and RTCP from two different sockets, so RTCP gets its own port (no rtcp-mux): with
// one muxed port, comedia would latch onto whichever socket spoke first.
async function srtpIngress(keyBase64: string): Promise<types.PlainTransport> {
  const transport = await bare.router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: false,
    comedia: true,
    enableSrtp: true,
    srtpCryptoSuite: SUITE,
  });
  await transport.connect({ srtpParameters: { cryptoSuite: SUITE, keyBase64 } });
  return transport;
}

/** Streams SECONDS of a test tone (Opus) and a test pattern (VP8) from ffmpeg as SRTP with `ffmpegKey`. */
async function forward(mediasoupKey: string, ffmpegKey: string) {
  const audioIn = await srtpIngress(mediasoupKey);
  const videoIn = await srtpIngress(mediasoupKey);
  const audio = await audioIn.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: 1234567 }],
    },
  });
  const video = await videoIn.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
      encodings: [{ ssrc: 7654321 }],
    },
  });

  const counter = await rtpCounter();
  const egress = await bare.router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
  });
  await egress.connect({ ip: '127.0.0.1', port: counter.port });
  const audioOut = await egress.consume({ producerId: audio.id, rtpCapabilities: bare.router.rtpCapabilities });
  const videoOut = await egress.consume({ producerId: video.id, rtpCapabilities: bare.router.rtpCapabilities });

  const srtp = (t: types.PlainTransport) => [
    '-srtp_out_suite',
    SUITE,
    '-srtp_out_params',
    ffmpegKey,
    `srtp://127.0.0.1:${t.tuple.localPort}?rtcpport=${t.rtcpTuple?.localPort}&pkt_size=1200`,
  ];
  await runFfmpeg([
    '-re',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=320x240:rate=25:duration=${SECONDS}`,
    '-map',
    '0:a',
    '-c:a',
    'libopus',
    '-ac',
    '2',
    '-b:a',
    '64k',
    '-payload_type',
    '111',
    '-ssrc',
    '1234567',
    '-f',
    'rtp',
    ...srtp(audioIn),
    '-map',
    '1:v',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '500k',
    '-g',
    '25',
    '-payload_type',
    '96',
    '-ssrc',
    '7654321',
    '-f',
    'rtp',
    ...srtp(videoIn),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 300));

  const received = {
    audio: counter.counts.get(audioOut.rtpParameters.codecs[0]?.payloadType ?? -1) ?? 0,
    video: counter.counts.get(videoOut.rtpParameters.codecs[0]?.payloadType ?? -1) ?? 0,
    producedAudio: (await audio.getStats()).reduce((n, s) => n + s.packetCount, 0),
  };
  counter.socket.close();
  for (const t of [audioIn, videoIn, egress]) t.close();
  return received;
}

describe('PlainTransport with SRTP fed by ffmpeg', () => {
  it('decrypts Opus and VP8 from ffmpeg and a consumer forwards them', async () => {
    const key = randomBytes(30).toString('base64');
    const received = await forward(key, key);
    // Opus at 20 ms is 50 packets a second; VP8 at 25 fps and 500 kbps is at least one packet a frame.
    expect(received.audio).toBeGreaterThanOrEqual(SECONDS * 50 * 0.8);
    expect(received.video).toBeGreaterThanOrEqual(SECONDS * 25 * 0.8);
    expect(received.producedAudio).toBeGreaterThanOrEqual(received.audio);
  });

  it('forwards nothing when ffmpeg encrypts with another key', async () => {
    const received = await forward(randomBytes(30).toString('base64'), randomBytes(30).toString('base64'));
    expect(received).toEqual({ audio: 0, video: 0, producedAudio: 0 });
  });
});
