// A pre-encoded broadcast for benchmarks: ffmpeg (Debian's) encodes a few seconds of a 720p test pattern
// as VP8 at 2.5 Mbps and a tone as Opus once, the RTP packets are kept in memory, and a Replayer plays
// them in a loop at their real pace (RTP timestamps), rewriting sequence numbers and timestamps, SRTP-
// encrypted when a key is given. Encoding is done before measuring, so it does not eat the CPU measured.
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { rtcpSenderReport } from '../../lib/headless/sender.ts';
import { SrtcpEncryptor, SrtpEncryptor } from '../../lib/srtp.ts';

export interface RecordedPacket {
  payloadType: number;
  marker: boolean;
  timestamp: number;
  payload: Buffer;
}

export interface Recording {
  audio: RecordedPacket[];
  video: RecordedPacket[];
  seconds: number;
}

export const AUDIO_PT = 111;
export const VIDEO_PT = 96;

function parse(packet: Buffer): RecordedPacket | undefined {
  if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return undefined;
  const type = packet[1] ?? 0;
  if (type >= 192 && type <= 223) return undefined; // RTCP
  const cc = (packet[0] ?? 0) & 0x0f;
  let offset = 12 + cc * 4;
  if (((packet[0] ?? 0) & 0x10) !== 0) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return {
    payloadType: type & 0x7f,
    marker: (type & 0x80) !== 0,
    timestamp: packet.readUInt32BE(4),
    payload: Buffer.from(packet.subarray(offset)),
  };
}

/** Encodes `seconds` of VP8 (2.5 Mbps, 1280x720, 25 fps) and Opus with ffmpeg and records the RTP. */
export async function record(seconds = 4): Promise<Recording> {
  const sockets = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<Socket>((resolve) => {
          const s = createSocket('udp4');
          s.bind(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const [audioSocket, videoSocket] = sockets as [Socket, Socket];
  const audio: RecordedPacket[] = [];
  const video: RecordedPacket[] = [];
  audioSocket.on('message', (m) => {
    const p = parse(m);
    if (p) audio.push(p);
  });
  videoSocket.on('message', (m) => {
    const p = parse(m);
    if (p) video.push(p);
  });
  const url = (s: Socket): string => `rtp://127.0.0.1:${s.address().port}?pkt_size=1200`;
  await new Promise<void>((resolve, reject) => {
    const ff = spawn('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=25:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
      '-map',
      '0:v',
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      '2500k',
      '-minrate',
      '2500k',
      '-maxrate',
      '2500k',
      '-g',
      '25',
      '-payload_type',
      String(VIDEO_PT),
      '-f',
      'rtp',
      url(videoSocket),
      '-map',
      '1:a',
      '-c:a',
      'libopus',
      '-b:a',
      '64k',
      '-ac',
      '2',
      '-payload_type',
      String(AUDIO_PT),
      '-f',
      'rtp',
      url(audioSocket),
    ]);
    let stderr = '';
    ff.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    ff.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg: ${stderr}`))));
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const s of sockets) s.close();
  return { audio, video, seconds };
}

export interface ReplayTarget {
  ip: string;
  port: number;
  audioSsrc: number;
  videoSsrc: number;
  /** SRTP key to encrypt with; plain RTP when absent. */
  srtp?: { cryptoSuite: string; keyBase64: string } | undefined;
}

interface Track {
  packets: RecordedPacket[];
  clockRate: number;
  ssrc: number;
  seq: number;
  sent: number;
  octets: number;
  lastTimestamp: number;
}

/** Plays a recording to one target, looping, at its real pace, until stop(). */
export class Replayer {
  readonly #socket = createSocket('udp4');
  readonly #target: ReplayTarget;
  readonly #srtp: SrtpEncryptor | undefined;
  readonly #srtcp: SrtcpEncryptor | undefined;
  readonly #tracks: Track[];
  readonly #loopSeconds: number;
  #timer: NodeJS.Timeout | undefined;
  #reports: NodeJS.Timeout | undefined;
  #started = 0;
  /** While paused, packets whose time has come are skipped instead of sent (the pace is kept). */
  paused = false;
  /** Packets handed to the socket so far (RTP, both kinds). */
  sent = 0;

  constructor(recording: Recording, target: ReplayTarget) {
    this.#target = target;
    this.#srtp = target.srtp ? new SrtpEncryptor(target.srtp) : undefined;
    this.#srtcp = target.srtp ? new SrtcpEncryptor(target.srtp) : undefined;
    this.#loopSeconds = recording.seconds;
    this.#tracks = [
      { packets: recording.audio, clockRate: 48_000, ssrc: target.audioSsrc, seq: 1, sent: 0, octets: 0, lastTimestamp: 0 },
      { packets: recording.video, clockRate: 90_000, ssrc: target.videoSsrc, seq: 1, sent: 0, octets: 0, lastTimestamp: 0 },
    ];
  }

  start(): void {
    this.#started = performance.now();
    const cursors = this.#tracks.map(() => ({ index: 0, loop: 0 }));
    const tick = (): void => {
      const elapsed = (performance.now() - this.#started) / 1000;
      this.#tracks.forEach((track, t) => {
        const cursor = cursors[t] as { index: number; loop: number };
        const first = track.packets[0]?.timestamp ?? 0;
        for (;;) {
          const packet = track.packets[cursor.index];
          if (!packet) break;
          const offset = ((packet.timestamp - first) >>> 0) / track.clockRate;
          if (cursor.loop * this.#loopSeconds + offset > elapsed) break;
          const timestamp = (packet.timestamp + Math.round(cursor.loop * this.#loopSeconds * track.clockRate)) >>> 0;
          if (!this.paused) this.#send(track, packet, timestamp);
          cursor.index++;
          if (cursor.index >= track.packets.length) {
            cursor.index = 0;
            cursor.loop++;
          }
        }
      });
    };
    this.#timer = setInterval(tick, 5);
    // Sender reports: mediasoup needs them to sync and (for simulcast) to pick layers.
    this.#reports = setInterval(() => {
      for (const track of this.#tracks) {
        if (track.sent === 0) continue;
        const report = rtcpSenderReport({
          ssrc: track.ssrc,
          wallClockMs: Date.now(),
          rtpTimestamp: track.lastTimestamp,
          packets: track.sent,
          octets: track.octets,
        });
        this.#socket.send(this.#srtcp ? this.#srtcp.protect(report) : report, this.#target.port, this.#target.ip);
      }
    }, 1000);
  }

  #send(track: Track, packet: RecordedPacket, timestamp: number): void {
    const fields = {
      payloadType: packet.payloadType,
      marker: packet.marker,
      sequenceNumber: track.seq++ & 0xffff,
      timestamp,
      ssrc: track.ssrc,
      payload: packet.payload,
    };
    const wire = this.#srtp ? this.#srtp.protect(fields) : plainRtp(fields);
    track.sent++;
    this.sent++;
    track.octets += packet.payload.length;
    track.lastTimestamp = timestamp;
    this.#socket.send(wire, this.#target.port, this.#target.ip);
  }

  stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#reports);
    this.#socket.close();
  }
}

function plainRtp(f: {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (f.marker ? 0x80 : 0) | f.payloadType;
  header.writeUInt16BE(f.sequenceNumber, 2);
  header.writeUInt32BE(f.timestamp, 4);
  header.writeUInt32BE(f.ssrc, 8);
  return Buffer.concat([header, f.payload]);
}
