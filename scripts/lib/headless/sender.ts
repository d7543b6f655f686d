// The sending half of a headless point: a steady Opus and three-layer VP8 simulcast generator over SRTP.
// Built so that a dozen of them run on a 2-core machine: one shared 20 ms ticker drives every sender, and
// each sender stops by itself after a bounded time.
import { randomInt } from 'node:crypto';
import type { Socket as UdpSocket } from 'node:dgram';
import { SrtcpEncryptor, SrtpEncryptor, type SrtpKey } from '../srtp.ts';
import { opusPayload, originTag, vp8Payload, type StreamId } from './marks.ts';

interface StreamState {
  readonly stream: StreamId;
  readonly ssrc: number;
  readonly payloadType: number;
  readonly clockRate: number;
  /** RTP timestamp at the sender's start. */
  readonly base: number;
  seq: number;
  counter: number;
  pictureId: number;
  tl0: number;
  /** A key frame was asked for (PLI, FIR): the next packet of this stream is one. */
  keyPending: boolean;
  lastKeyAt: number;
  /** For Sender Reports: packets and payload octets sent. */
  packets: number;
  octets: number;
}

export interface MediaSenderOptions {
  /** UDP socket to send from (the sender does not own it). */
  socket: UdpSocket;
  /** Where the packets go: the hub's plain transport. */
  remote: { ip: string; port: number };
  /** The key this sender encrypts with (what it gave the hub in connectTransport). */
  key: SrtpKey;
  /** Written into every packet as its origin. */
  pointId: string;
  audio?: { ssrc: number; payloadType: number } | undefined;
  /** Three SSRCs: low, mid, high. */
  video?: { ssrcs: readonly [number, number, number]; payloadType: number } | undefined;
  /** Each video layer sends one packet (a frame) every this many 20 ms ticks; default 3 (~17/s). */
  videoEveryTicks?: number;
  /**
   * 'always' (default): every video packet is a key frame. 'on-request': inter frames, and a key frame first,
   * when the hub asks (PLI or FIR, handed over with handleRtcp) and every `keyFrameIntervalMs` if set.
   */
  keyFrames?: 'always' | 'on-request';
  keyFrameIntervalMs?: number;
  audioFillBytes?: number;
  videoFillBytes?: number;
  /** Stops by itself after this long; default 120 s. */
  maxDurationMs?: number;
}

const TICK_MS = 20;
/** Sender Reports every this many ticks (and once right after the first packets). */
const SR_EVERY_TICKS = 25;
/** Seconds between 1900 (NTP) and 1970 (Unix). */
const NTP_EPOCH_OFFSET = 2_208_988_800;
const activeSenders = new Set<MediaSender>();
let ticker: NodeJS.Timeout | undefined;

function updateTicker(): void {
  if (activeSenders.size > 0 && !ticker) {
    ticker = setInterval(() => {
      for (const sender of activeSenders) sender.tick();
    }, TICK_MS);
  } else if (activeSenders.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/** An RTCP Sender Report without report blocks (RFC 3550 6.4.1). */
export function rtcpSenderReport(f: { ssrc: number; wallClockMs: number; rtpTimestamp: number; packets: number; octets: number }): Buffer {
  const buf = Buffer.alloc(28);
  buf[0] = 0x80;
  buf[1] = 200;
  buf.writeUInt16BE(6, 2);
  buf.writeUInt32BE(f.ssrc >>> 0, 4);
  const seconds = Math.floor(f.wallClockMs / 1000);
  buf.writeUInt32BE((seconds + NTP_EPOCH_OFFSET) >>> 0, 8);
  buf.writeUInt32BE(Math.floor(((f.wallClockMs - seconds * 1000) / 1000) * 2 ** 32) >>> 0, 12);
  buf.writeUInt32BE(f.rtpTimestamp >>> 0, 16);
  buf.writeUInt32BE(f.packets >>> 0, 20);
  buf.writeUInt32BE(f.octets >>> 0, 24);
  return buf;
}

/**
 * A steady Opus (every 20 ms) and VP8 simulcast generator, SRTP-encrypted, on the shared ticker. RTP
 * timestamps follow one clock for every stream and Sender Reports tie them to the wall clock, as a real
 * encoder's do: mediasoup's simulcast consumers need that to switch layers.
 */
export class MediaSender {
  /** Packets handed to the socket, by stream. */
  readonly sent: Record<StreamId, number> = { audio: 0, low: 0, mid: 0, high: 0 };
  senderReports = 0;
  sendErrors = 0;
  /** Key frames asked for by the hub (PLI, FIR) and video key frames sent. */
  keyFrameRequests = 0;
  keyFramesSent = 0;
  readonly #options: MediaSenderOptions;
  readonly #srtp: SrtpEncryptor;
  readonly #srtcp: SrtcpEncryptor;
  readonly #origin: number;
  readonly #streams: StreamState[] = [];
  readonly #videoEvery: number;
  readonly #t0 = performance.now();
  #ticks = 0;
  #stopAt = Number.POSITIVE_INFINITY;

  constructor(options: MediaSenderOptions) {
    this.#options = options;
    this.#srtp = new SrtpEncryptor(options.key);
    this.#srtcp = new SrtcpEncryptor(options.key);
    this.#origin = originTag(options.pointId);
    this.#videoEvery = Math.max(1, options.videoEveryTicks ?? 3);
    const fresh = (stream: StreamId, ssrc: number, payloadType: number): StreamState => ({
      stream,
      ssrc,
      payloadType,
      clockRate: stream === 'audio' ? 48_000 : 90_000,
      base: randomInt(0, 0x7fffffff),
      seq: randomInt(0, 0x8000),
      counter: 0,
      pictureId: randomInt(0, 0x4000),
      tl0: randomInt(0, 0x100),
      keyPending: true,
      lastKeyAt: 0,
      packets: 0,
      octets: 0,
    });
    if (options.audio) this.#streams.push(fresh('audio', options.audio.ssrc, options.audio.payloadType));
    if (options.video) {
      const [low, mid, high] = options.video.ssrcs;
      const pt = options.video.payloadType;
      this.#streams.push(fresh('low', low, pt), fresh('mid', mid, pt), fresh('high', high, pt));
    }
  }

  get running(): boolean {
    return activeSenders.has(this);
  }

  start(): void {
    this.#stopAt = Date.now() + (this.#options.maxDurationMs ?? 120_000);
    activeSenders.add(this);
    updateTicker();
  }

  stop(): void {
    activeSenders.delete(this);
    updateTicker();
  }

  /** One 20 ms step: an audio packet, a key frame on the video layers whose turn it is, now and then SRs. */
  tick(): void {
    if (Date.now() >= this.#stopAt) {
      this.stop();
      return;
    }
    const t = this.#ticks++;
    const now = performance.now();
    for (const [index, s] of this.#streams.entries()) {
      if (s.stream === 'audio') {
        this.#send(s, now, opusPayload(this.#origin, s.counter, this.#options.audioFillBytes ?? 60));
      } else if ((t + index) % this.#videoEvery === 0) {
        const key = this.#keyFrameDue(s, now);
        const payload = vp8Payload(this.#origin, s.stream, s.counter, s.pictureId, s.tl0, this.#options.videoFillBytes ?? 160, key);
        this.#send(s, now, payload);
        s.pictureId = (s.pictureId + 1) & 0x7fff;
        s.tl0 = (s.tl0 + 1) & 0xff;
      }
    }
    if (t % SR_EVERY_TICKS === this.#videoEvery) this.#sendReports();
  }

  /**
   * A plain RTCP compound packet from the hub (decrypted by the owner of the socket): PLI and FIR for one of
   * this sender's video streams make its next packet a key frame.
   */
  handleRtcp(rtcp: Buffer): void {
    for (let at = 0; at + 12 <= rtcp.length; ) {
      const fmt = (rtcp[at] ?? 0) & 0x1f;
      const type = rtcp[at + 1];
      const end = at + (rtcp.readUInt16BE(at + 2) + 1) * 4;
      if (type === 206 && fmt === 1) this.#keyFrameAsked(rtcp.readUInt32BE(at + 8));
      if (type === 206 && fmt === 4) for (let f = at + 12; f + 8 <= end; f += 8) this.#keyFrameAsked(rtcp.readUInt32BE(f));
      at = end;
    }
  }

  #keyFrameAsked(ssrc: number): void {
    const s = this.#streams.find((x) => x.ssrc === ssrc && x.stream !== 'audio');
    if (!s) return;
    this.keyFrameRequests++;
    s.keyPending = true;
  }

  #keyFrameDue(s: StreamState, now: number): boolean {
    const interval = this.#options.keyFrameIntervalMs;
    const due = this.#options.keyFrames !== 'on-request' || s.keyPending || (interval !== undefined && now - s.lastKeyAt >= interval);
    if (due) {
      s.keyPending = false;
      s.lastKeyAt = now;
      this.keyFramesSent++;
    }
    return due;
  }

  #timestamp(s: StreamState, now: number): number {
    return (s.base + Math.round(((now - this.#t0) * s.clockRate) / 1000)) >>> 0;
  }

  #send(s: StreamState, now: number, payload: Buffer): void {
    const packet = this.#srtp.protect({
      payloadType: s.payloadType,
      ssrc: s.ssrc,
      sequenceNumber: s.seq,
      timestamp: this.#timestamp(s, now),
      marker: true,
      payload,
    });
    s.seq = (s.seq + 1) & 0xffff;
    s.counter++;
    s.packets++;
    s.octets += payload.length;
    this.sent[s.stream]++;
    this.#write(packet);
  }

  #sendReports(): void {
    const wallClockMs = performance.timeOrigin + performance.now();
    const now = performance.now();
    for (const s of this.#streams) {
      if (s.packets === 0) continue;
      const report = rtcpSenderReport({
        ssrc: s.ssrc,
        wallClockMs,
        rtpTimestamp: this.#timestamp(s, now),
        packets: s.packets,
        octets: s.octets,
      });
      this.#write(this.#srtcp.protect(report));
      this.senderReports++;
    }
  }

  #write(packet: Buffer): void {
    const { ip, port } = this.#options.remote;
    this.#options.socket.send(packet, port, ip, (error) => {
      if (error) this.sendErrors++;
    });
  }
}
