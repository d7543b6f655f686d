// A headless conference point for tests: one socket.io connection to the hub, a plain SRTP transport to
// send on (Opus + three-layer VP8 simulcast from a steady generator) and one to receive on (every pushed
// consumer resumed and counted). Built so that a dozen of them run on a 2-core machine: one shared 20 ms
// ticker drives every sender, each sender stops by itself after a bounded time, and close() stops all.
//
// Like the browser client, a point rebuilds its media by itself when the hub says `media.restart` (its
// worker died), and with `reconnect: true` it reconnects with socket.io's backoff using the session token
// from its first welcome, and rebuilds its media on every new welcome.
//
// Every packet a sender emits carries an origin mark after its codec header: "DCMP", a 32-bit hash of
// the sending point's id, the stream (audio, low, mid, high) and a counter, then a fill derived from the
// counter. A receiver decrypts each packet with the hub's key and reads the mark, so a test can tell which
// point and which simulcast layer a packet really came from, independently of what the hub claims.
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { io, type Socket } from 'socket.io-client';
import type { MediaSource } from '../../shared/domain.ts';
import type { RtpCapabilities, RtpParameters } from '../../shared/media.ts';
import type {
  ClientToServerEvents,
  EventName,
  EventPayload,
  HandshakeAuth,
  RequestName,
  RequestParams,
  RequestResult,
  Result,
  ServerToClientEvents,
} from '../../shared/protocol.ts';
import { isRtcp } from './rtp.ts';
import { newSrtpKey, rtpPayload, rtpSsrc, SrtcpEncryptor, SrtpDecryptor, SrtpEncryptor, type SrtpKey } from './srtp.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Welcome = EventPayload<'session.welcome'>;
export type ConsumerEvent = EventPayload<'media.consumer'>;
export type Purpose = ConsumerEvent['purpose'];

// ---------------------------------------------------------------------------------------------------
// Origin mark

/** What a sender's packets carry: audio, or one VP8 simulcast layer. */
export type StreamId = 'audio' | 'low' | 'mid' | 'high';
const STREAMS: readonly StreamId[] = ['audio', 'low', 'mid', 'high'];
const MAGIC = Buffer.from('DCMP', 'ascii');
const MARK_BYTES = MAGIC.length + 4 + 1 + 4;

/** FNV-1a of a point id: the origin written into every packet a point sends. */
export function originTag(pointId: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(pointId, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface OriginMark {
  origin: number;
  stream: StreamId;
  counter: number;
  /** The fill after the mark is intact. */
  fillOk: boolean;
}

function writeMark(origin: number, stream: StreamId, counter: number, fillBytes: number): Buffer {
  const buf = Buffer.allocUnsafe(MARK_BYTES + fillBytes);
  MAGIC.copy(buf, 0);
  buf.writeUInt32BE(origin >>> 0, 4);
  buf[8] = STREAMS.indexOf(stream);
  buf.writeUInt32BE(counter >>> 0, 9);
  for (let i = 0; i < fillBytes; i++) buf[MARK_BYTES + i] = (counter + i) & 0xff;
  return buf;
}

/** Finds and reads the origin mark in an RTP payload (within its first 48 bytes). */
export function readMark(payload: Buffer): OriginMark | undefined {
  const at = payload.subarray(0, 48).indexOf(MAGIC);
  if (at < 0 || payload.length < at + MARK_BYTES) return undefined;
  const stream = STREAMS[payload[at + 8] ?? 255];
  if (!stream) return undefined;
  const counter = payload.readUInt32BE(at + 9);
  let fillOk = true;
  for (let i = at + MARK_BYTES, j = 0; i < payload.length; i++, j++) {
    if (payload[i] !== ((counter + j) & 0xff)) {
      fillOk = false;
      break;
    }
  }
  return { origin: payload.readUInt32BE(at + 4), stream, counter, fillOk };
}

/** Opus payload: a TOC byte (CELT fullband 20 ms, stereo, one frame), then the mark. */
function opusPayload(origin: number, counter: number, fillBytes: number): Buffer {
  return Buffer.concat([Buffer.from([0xfc]), writeMark(origin, 'audio', counter, fillBytes)]);
}

const LAYER_SIZE: Record<Exclude<StreamId, 'audio'>, [number, number]> = {
  low: [320, 180],
  mid: [640, 360],
  high: [1280, 720],
};

/**
 * VP8 payload of a one-packet key frame: payload descriptor with X=1 S=1 PID=0, I=1 (15-bit PictureID)
 * and L=1 (TL0PICIDX) so mediasoup's simulcast consumer can rewrite them when it switches layers, then
 * the key-frame tag, start code and frame size, then the mark.
 */
function vp8Payload(
  origin: number,
  stream: Exclude<StreamId, 'audio'>,
  counter: number,
  pictureId: number,
  tl0: number,
  fillBytes: number,
): Buffer {
  const [w, h] = LAYER_SIZE[stream];
  const head = Buffer.from([
    0x90,
    0xc0,
    0x80 | ((pictureId >> 8) & 0x7f),
    pictureId & 0xff,
    tl0 & 0xff,
    0x50, // frame tag: key frame (P=0), version 0, show_frame
    0x01,
    0x00,
    0x9d, // start code
    0x01,
    0x2a,
    w & 0xff,
    (w >> 8) & 0x3f,
    h & 0xff,
    (h >> 8) & 0x3f,
  ]);
  return Buffer.concat([head, writeMark(origin, stream, counter, fillBytes)]);
}

// ---------------------------------------------------------------------------------------------------
// Sender

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
  /** Each video layer sends one packet (a key frame) every this many 20 ms ticks; default 3 (~17/s). */
  videoEveryTicks?: number;
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
    if (Date.now() >= this.#stopAt) return this.stop();
    const t = this.#ticks++;
    const now = performance.now();
    for (const [index, s] of this.#streams.entries()) {
      if (s.stream === 'audio') {
        this.#send(s, now, opusPayload(this.#origin, s.counter, this.#options.audioFillBytes ?? 60));
      } else if ((t + index) % this.#videoEvery === 0) {
        const payload = vp8Payload(this.#origin, s.stream, s.counter, s.pictureId, s.tl0, this.#options.videoFillBytes ?? 160);
        this.#send(s, now, payload);
        s.pictureId = (s.pictureId + 1) & 0x7fff;
        s.tl0 = (s.tl0 + 1) & 0xff;
      }
    }
    if (t % SR_EVERY_TICKS === this.#videoEvery) this.#sendReports();
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
      const report = rtcpSenderReport({ ssrc: s.ssrc, wallClockMs, rtpTimestamp: this.#timestamp(s, now), packets: s.packets, octets: s.octets });
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

// ---------------------------------------------------------------------------------------------------
// Receiver

export interface ConsumerInfo {
  consumerId: string;
  producerId: string;
  kind: 'audio' | 'video';
  pointId: string;
  source: MediaSource;
  purpose: Purpose;
  ssrc: number;
  rtxSsrc?: number | undefined;
}

export interface ConsumerCounter extends ConsumerInfo {
  /** RTP packets that arrived for this consumer's SSRC (RTX excluded). */
  packets: number;
  bytes: number;
  rtxPackets: number;
  /** Packets that authenticated and decrypted with the hub's key. */
  decrypted: number;
  authFailures: number;
  /** Decrypted packets without a readable origin mark or with a damaged fill. */
  malformed: number;
  /** Decrypted packets whose mark names another point than the consumer's pointId. */
  foreign: number;
  /** Decrypted packets by the stream their mark names (which simulcast layer arrived). */
  byStream: Record<StreamId, number>;
  createdAt: number;
  firstPacketAt: number | undefined;
  lastPacketAt: number | undefined;
  closedAt: number | undefined;
}

export interface ConsumerFilter {
  purpose?: Purpose;
  pointId?: string;
  kind?: 'audio' | 'video';
  source?: MediaSource;
  /** true: only consumers still open; false: only closed ones. */
  open?: boolean;
}

function matches(c: ConsumerCounter, f: ConsumerFilter): boolean {
  return (
    (f.purpose === undefined || c.purpose === f.purpose) &&
    (f.pointId === undefined || c.pointId === f.pointId) &&
    (f.kind === undefined || c.kind === f.kind) &&
    (f.source === undefined || c.source === f.source) &&
    (f.open === undefined || f.open === (c.closedAt === undefined))
  );
}

export interface MediaReceiverOptions {
  ip?: string;
  /** Decrypt one packet in this many (1 = all, 0 = none); default 1. */
  decryptEvery?: number;
}

/** One UDP socket that a plain recv transport sends to: counts per consumer, per origin and per layer. */
export class MediaReceiver {
  readonly socket: UdpSocket;
  readonly consumers = new Map<string, ConsumerCounter>();
  /** Decrypted packets by the origin tag in their mark, then by stream: what really arrived from whom. */
  readonly byOrigin = new Map<number, Record<StreamId, number>>();
  rtcpPackets = 0;
  /** RTP packets for an SSRC of no known consumer (mediasoup's probation packets, late packets, ...). */
  unknownPackets = 0;
  readonly #bySsrc = new Map<number, ConsumerCounter>();
  readonly #byRtxSsrc = new Map<number, ConsumerCounter>();
  readonly #decryptEvery: number;
  #decryptor: SrtpDecryptor | undefined;
  #seen = 0;
  #closed = false;

  private constructor(socket: UdpSocket, options: MediaReceiverOptions) {
    this.socket = socket;
    this.#decryptEvery = options.decryptEvery ?? 1;
    socket.on('message', (packet) => this.#onPacket(packet));
  }

  static async open(options: MediaReceiverOptions = {}): Promise<MediaReceiver> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, options.ip ?? '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new MediaReceiver(socket, options);
  }

  get port(): number {
    return this.socket.address().port;
  }

  get ip(): string {
    return this.socket.address().address;
  }

  /** The key the hub encrypts with (the transport's srtpParameters). */
  setKey(key: { cryptoSuite: string; keyBase64: string }): void {
    this.#decryptor = new SrtpDecryptor(key);
  }

  add(info: ConsumerInfo): ConsumerCounter {
    const counter: ConsumerCounter = {
      ...info,
      packets: 0,
      bytes: 0,
      rtxPackets: 0,
      decrypted: 0,
      authFailures: 0,
      malformed: 0,
      foreign: 0,
      byStream: { audio: 0, low: 0, mid: 0, high: 0 },
      createdAt: Date.now(),
      firstPacketAt: undefined,
      lastPacketAt: undefined,
      closedAt: undefined,
    };
    this.consumers.set(info.consumerId, counter);
    this.#bySsrc.set(info.ssrc, counter);
    if (info.rtxSsrc !== undefined) this.#byRtxSsrc.set(info.rtxSsrc, counter);
    return counter;
  }

  /** Marks a consumer closed; its counts stay, packets for its SSRC count as unknown from now on. */
  closeConsumer(consumerId: string): void {
    const counter = this.consumers.get(consumerId);
    if (!counter || counter.closedAt !== undefined) return;
    counter.closedAt = Date.now();
    if (this.#bySsrc.get(counter.ssrc) === counter) this.#bySsrc.delete(counter.ssrc);
    if (counter.rtxSsrc !== undefined && this.#byRtxSsrc.get(counter.rtxSsrc) === counter) this.#byRtxSsrc.delete(counter.rtxSsrc);
  }

  list(filter: ConsumerFilter = {}): ConsumerCounter[] {
    return [...this.consumers.values()].filter((c) => matches(c, filter));
  }

  /** Packets received over the matching consumers. */
  packets(filter: ConsumerFilter = {}): number {
    let n = 0;
    for (const c of this.consumers.values()) if (matches(c, filter)) n += c.packets;
    return n;
  }

  /** Decrypted packets whose origin mark names `pointId` (optionally one stream or kind). */
  fromOrigin(pointId: string, what?: StreamId | 'video'): number {
    const counts = this.byOrigin.get(originTag(pointId));
    if (!counts) return 0;
    if (what === undefined) return counts.audio + counts.low + counts.mid + counts.high;
    if (what === 'video') return counts.low + counts.mid + counts.high;
    return counts[what];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.removeAllListeners('message');
    this.socket.close();
  }

  #onPacket(packet: Buffer): void {
    if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return;
    if (isRtcp(packet)) {
      this.rtcpPackets++;
      return;
    }
    const ssrc = rtpSsrc(packet);
    const counter = this.#bySsrc.get(ssrc);
    if (!counter) {
      const rtx = this.#byRtxSsrc.get(ssrc);
      if (rtx) rtx.rtxPackets++;
      else this.unknownPackets++;
      return;
    }
    const now = Date.now();
    counter.packets++;
    counter.bytes += packet.length;
    counter.firstPacketAt ??= now;
    counter.lastPacketAt = now;
    if (!this.#decryptor || this.#decryptEvery <= 0 || this.#seen++ % this.#decryptEvery !== 0) return;
    const plain = this.#decryptor.tryUnprotect(packet);
    if (!plain) {
      counter.authFailures++;
      return;
    }
    counter.decrypted++;
    const mark = readMark(rtpPayload(plain));
    if (!mark || !mark.fillOk) {
      counter.malformed++;
      return;
    }
    counter.byStream[mark.stream]++;
    if (mark.origin !== originTag(counter.pointId)) counter.foreign++;
    let origin = this.byOrigin.get(mark.origin);
    if (!origin) this.byOrigin.set(mark.origin, (origin = { audio: 0, low: 0, mid: 0, high: 0 }));
    origin[mark.stream]++;
  }
}

// ---------------------------------------------------------------------------------------------------
// The point

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
  at: number;
}

export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly code: string;
  constructor(request: string, code: string, message: string) {
    super(`${request} failed: ${code}: ${message}`);
    this.code = code;
  }
}

export interface HeadlessPointOptions {
  /** Shown in error messages; defaults to the point id and role. */
  label?: string;
  joinTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Local address for the UDP sockets; default 127.0.0.1. */
  ip?: string;
  /** Senders stop by themselves after this long; default 120 s. */
  maxSendMs?: number;
  /** See MediaReceiverOptions.decryptEvery. */
  decryptEvery?: number;
  /** Reconnect by itself (socket.io backoff, 0.5 s to 3 s as the browser client, no limit) with the token of its welcome; default false. */
  reconnect?: boolean;
  /** Rebuild the media on `media.restart`; default true. */
  autoRestart?: boolean;
}

/** One rebuild of a point's media: after a `media.restart` or a new welcome. */
export interface MediaRebuild {
  cause: 'media.restart' | 'welcome';
  at: number;
  /** When the transports were back and the producers made again (undefined while it runs or if it failed). */
  doneAt: number | undefined;
  error: string | undefined;
}

export interface PublishOptions {
  audio?: boolean;
  video?: boolean;
  /** See MediaSenderOptions.videoEveryTicks. */
  videoEveryTicks?: number;
}

function codecPayloadType(caps: RtpCapabilities, mimeType: string): number {
  const codec = caps.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (!codec) throw new Error(`router offers no ${mimeType}`);
  return codec.preferredPayloadType;
}

const randomSsrc = (): number => randomInt(0x1000, 0x7fffffff);

export class HeadlessPoint {
  readonly socket: ClientSocket;
  /** The latest welcome (a new one after each reconnect). */
  welcome: Welcome;
  /** Every welcome received, with its time (the first one included). */
  readonly welcomes: Array<{ at: number; welcome: Welcome }> = [];
  /** Media rebuilds done by the point itself. */
  readonly rebuilds: MediaRebuild[] = [];
  readonly label: string;
  /** Every server event in order of arrival. */
  readonly events: RecordedEvent[];
  /** Failures of things the point does by itself (resuming pushed consumers, ...). */
  readonly errors: string[] = [];
  /** Resumes answered rate_limited and sent again. */
  resumeRetries = 0;
  readonly producers: Partial<Record<MediaSource, string>> = {};
  receiver: MediaReceiver | undefined;
  sender: MediaSender | undefined;
  recvTransportId: string | undefined;
  sendTransportId: string | undefined;
  readonly #options: HeadlessPointOptions;
  #sendSocket: UdpSocket | undefined;
  #publishing: PublishOptions | undefined;
  #rebuildChain: Promise<void> = Promise.resolve();
  #generation = 0;
  #closed = false;

  private constructor(socket: ClientSocket, welcome: Welcome, events: RecordedEvent[], options: HeadlessPointOptions) {
    this.socket = socket;
    this.welcome = welcome;
    this.welcomes.push({ at: Date.now(), welcome });
    this.events = events;
    this.#options = options;
    this.label = options.label ?? `${welcome.self.pointId}/${welcome.self.role}`;
    socket.on('media.consumer', (c) => void this.#onConsumer(c));
    socket.on('media.consumerClosed', ({ consumerId }) => this.receiver?.closeConsumer(consumerId));
    if (options.autoRestart !== false) {
      socket.on('media.restart', ({ routerRtpCapabilities }) => {
        this.welcome = { ...this.welcome, routerRtpCapabilities };
        this.#rebuild('media.restart');
      });
    }
    if (options.reconnect) {
      // Every reconnect presents the session's token, not the (possibly single-use) join code.
      socket.auth = { token: welcome.self.token };
      socket.on('session.welcome', (next) => {
        this.welcome = next;
        this.welcomes.push({ at: Date.now(), welcome: next });
        socket.auth = { token: next.self.token };
        this.#rebuild('welcome');
      });
    }
  }

  /** Connects with a token (or a join code) and resolves on session.welcome. */
  static async join(url: string, auth: string | HandshakeAuth, options: HeadlessPointOptions = {}): Promise<HeadlessPoint> {
    const socket: ClientSocket = io(url, {
      auth: typeof auth === 'string' ? { token: auth } : auth,
      transports: ['websocket'],
      forceNew: true,
      reconnection: options.reconnect === true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      timeout: options.joinTimeoutMs ?? 10_000,
    });
    const events: RecordedEvent[] = [];
    socket.onAny((name: EventName, payload: unknown) => events.push({ name, payload, at: Date.now() }));
    try {
      const welcome = await new Promise<Welcome>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no session.welcome within ${options.joinTimeoutMs ?? 10_000} ms`)), options.joinTimeoutMs ?? 10_000);
        socket.once('session.welcome', (w) => {
          clearTimeout(timer);
          resolve(w);
        });
        socket.once('connect_error', (error) => {
          clearTimeout(timer);
          reject(new Error(`connect_error: ${error.message}`));
        });
        socket.once('disconnect', (reason) => {
          clearTimeout(timer);
          reject(new Error(`disconnected before welcome: ${reason}`));
        });
      });
      return new HeadlessPoint(socket, welcome, events, options);
    } catch (error) {
      socket.disconnect();
      throw error;
    }
  }

  get pointId(): string {
    return this.welcome.self.pointId;
  }

  get role(): string {
    return this.welcome.self.role;
  }

  /** Sends one request and resolves with its Result envelope (rejects only on timeout). */
  request<K extends RequestName>(name: K, params: RequestParams<K>, timeoutMs?: number): Promise<Result<RequestResult<K>>> {
    const ms = timeoutMs ?? this.#options.requestTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: ${name} got no answer within ${ms} ms`)), ms);
      const emit = this.socket.emit.bind(this.socket) as unknown as (n: string, p: unknown, ack: (r: Result<RequestResult<K>>) => void) => void;
      emit(name, params, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }

  /** Like request, but resolves with the data and throws RequestError on { ok: false }. */
  async call<K extends RequestName>(name: K, params: RequestParams<K>, timeoutMs?: number): Promise<RequestResult<K>> {
    const result = await this.request(name, params, timeoutMs);
    if (!result.ok) throw new RequestError(`${this.label}: ${name}`, result.error.code, result.error.message);
    return result.data;
  }

  /** Index to pass as `since` to waitForEvent / eventsOf: only events after this moment. */
  mark(): number {
    return this.events.length;
  }

  eventsOf<K extends EventName>(name: K, since = 0): Array<EventPayload<K>> {
    return this.events.slice(since).filter((e) => e.name === name).map((e) => e.payload as EventPayload<K>);
  }

  /** Resolves with the first event `name` (at or after index `since`) that satisfies `predicate`. */
  async waitForEvent<K extends EventName>(
    name: K,
    options: { since?: number; predicate?: (payload: EventPayload<K>) => boolean; timeoutMs?: number } = {},
  ): Promise<EventPayload<K>> {
    const { since = 0, predicate = () => true, timeoutMs = 5000 } = options;
    const deadline = Date.now() + timeoutMs;
    for (let i = since; ; ) {
      for (; i < this.events.length; i++) {
        const e = this.events[i] as RecordedEvent;
        if (e.name === name && predicate(e.payload as EventPayload<K>)) return e.payload as EventPayload<K>;
      }
      if (Date.now() > deadline) throw new Error(`${this.label}: no ${name} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Opens a plain send transport and produces Opus (microphone) and three-layer VP8 simulcast (camera),
   * then starts the steady sender.
   */
  async publish(options: PublishOptions = { audio: true, video: true }): Promise<{ audio?: string; video?: string }> {
    if (this.sender) throw new Error(`${this.label}: already publishing`);
    this.#publishing = options;
    const caps = this.welcome.routerRtpCapabilities;
    const info = await this.call('media.createTransport', { direction: 'send', type: 'plain' });
    if (info.type !== 'plain') throw new Error(`${this.label}: asked for a plain transport, got ${info.type}`);
    this.sendTransportId = info.id;
    const socket = createSocket('udp4');
    this.#sendSocket = socket;
    socket.on('message', () => {}); // RTCP from the hub (receiver reports, PLI): key frames go out anyway.
    socket.on('error', (error) => this.errors.push(`send socket: ${error.message}`));
    await new Promise<void>((resolve) => socket.bind(0, this.#options.ip ?? '127.0.0.1', resolve));
    const key = newSrtpKey();
    await this.call('media.connectTransport', { transportId: info.id, srtpParameters: key });

    const cname = `${this.pointId}-${randomSsrc().toString(16)}`;
    const result: { audio?: string; video?: string } = {};
    let audio: MediaSenderOptions['audio'];
    let video: MediaSenderOptions['video'];
    if (options.audio) {
      audio = { ssrc: randomSsrc(), payloadType: codecPayloadType(caps, 'audio/opus') };
      const rtpParameters: RtpParameters = {
        codecs: [{ mimeType: 'audio/opus', payloadType: audio.payloadType, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: audio.ssrc }],
        rtcp: { cname },
      };
      const { producerId } = await this.call('media.produce', { transportId: info.id, kind: 'audio', source: 'microphone', rtpParameters });
      this.producers.microphone = result.audio = producerId;
    }
    if (options.video) {
      const ssrcs = [randomSsrc(), randomSsrc(), randomSsrc()] as const;
      video = { ssrcs, payloadType: codecPayloadType(caps, 'video/VP8') };
      const rtpParameters: RtpParameters = {
        codecs: [
          {
            mimeType: 'video/VP8',
            payloadType: video.payloadType,
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
          },
        ],
        encodings: ssrcs.map((ssrc) => ({ ssrc, scalabilityMode: 'L1T1' })),
        rtcp: { cname },
      };
      const { producerId } = await this.call('media.produce', { transportId: info.id, kind: 'video', source: 'camera', rtpParameters });
      this.producers.camera = result.video = producerId;
    }
    if (this.#closed) return result;
    this.sender = new MediaSender({
      socket,
      remote: { ip: info.ip, port: info.port },
      key,
      pointId: this.pointId,
      audio,
      video,
      videoEveryTicks: options.videoEveryTicks,
      maxDurationMs: this.#options.maxSendMs,
    });
    this.sender.start();
    return result;
  }

  /**
   * Says what it can decode (the router's own capabilities), opens a plain receive transport towards a
   * local UDP socket, and from then on resumes and counts every consumer the hub pushes.
   */
  async receive(): Promise<MediaReceiver> {
    if (this.receiver) throw new Error(`${this.label}: already receiving`);
    const receiver = await MediaReceiver.open({ ip: this.#options.ip, decryptEvery: this.#options.decryptEvery });
    this.receiver = receiver;
    if (this.#closed) {
      receiver.close();
      return receiver;
    }
    await this.#openRecvTransport(receiver);
    return receiver;
  }

  async #openRecvTransport(receiver: MediaReceiver): Promise<void> {
    await this.call('media.setCapabilities', { rtpCapabilities: this.welcome.routerRtpCapabilities });
    const info = await this.call('media.createTransport', { direction: 'recv', type: 'plain' });
    if (info.type !== 'plain') throw new Error(`${this.label}: asked for a plain transport, got ${info.type}`);
    this.recvTransportId = info.id;
    receiver.setKey(info.srtpParameters);
    await this.call('media.connectTransport', {
      transportId: info.id,
      srtpParameters: newSrtpKey(),
      ip: receiver.ip,
      port: receiver.port,
    });
  }

  /**
   * Builds the media again after the hub dropped it (worker death, new session): the old sender and
   * consumers are let go, a new receiving transport goes to the same UDP socket, and what was published
   * is published again. Rebuilds run one after another; a newer one makes an older one stop early.
   */
  #rebuild(cause: MediaRebuild['cause']): void {
    const record: MediaRebuild = { cause, at: Date.now(), doneAt: undefined, error: undefined };
    this.rebuilds.push(record);
    const generation = ++this.#generation;
    this.sender?.stop();
    this.sender = undefined;
    this.#sendSocket?.close();
    this.#sendSocket = undefined;
    this.sendTransportId = undefined;
    for (const source of Object.keys(this.producers) as MediaSource[]) delete this.producers[source];
    this.recvTransportId = undefined;
    const receiver = this.receiver;
    for (const c of receiver?.list({ open: true }) ?? []) receiver?.closeConsumer(c.consumerId);
    this.#rebuildChain = this.#rebuildChain.then(async () => {
      if (generation !== this.#generation || this.#closed) return;
      try {
        if (receiver) await this.#openRecvTransport(receiver);
        if (generation !== this.#generation || this.#closed) return;
        if (this.#publishing) {
          this.sender?.stop();
          this.sender = undefined;
          await this.publish(this.#publishing);
        }
        record.doneAt = Date.now();
      } catch (error) {
        if (generation === this.#generation && !this.#closed) {
          record.error = (error as Error).message;
          this.errors.push(`rebuild after ${cause}: ${record.error}`);
        }
      }
    });
  }

  /** Consumers received so far (closed ones included unless filtered). */
  consumers(filter: ConsumerFilter = {}): ConsumerCounter[] {
    return this.receiver?.list(filter) ?? [];
  }

  /** Packets received over the matching consumers. */
  packets(filter: ConsumerFilter = {}): number {
    return this.receiver?.packets(filter) ?? 0;
  }

  /** Stops the sender, closes the UDP sockets and the connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.sender?.stop();
    this.receiver?.close();
    this.#sendSocket?.close();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  #rebuilding(): boolean {
    const last = this.rebuilds.at(-1);
    return last !== undefined && last.doneAt === undefined && last.error === undefined;
  }

  async #onConsumer(c: ConsumerEvent): Promise<void> {
    const receiver = this.receiver;
    if (!receiver || this.#closed) {
      this.errors.push(`consumer ${c.consumerId} pushed before receive()`);
      return;
    }
    if (this.#rebuilding()) {
      // Offers may come just before the new receiving transport's answer: wait for it, and drop the
      // offers for the transport this point has just let go of.
      const deadline = Date.now() + 10_000;
      while (this.recvTransportId === undefined && this.#rebuilding() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (c.transportId !== this.recvTransportId) return;
    }
    if (this.recvTransportId !== undefined && c.transportId !== this.recvTransportId) {
      this.errors.push(`consumer ${c.consumerId} on transport ${c.transportId}, not the recv transport ${this.recvTransportId}`);
    }
    const encoding = c.rtpParameters.encodings?.[0];
    if (encoding?.ssrc === undefined) {
      this.errors.push(`consumer ${c.consumerId} without an ssrc`);
      return;
    }
    receiver.add({
      consumerId: c.consumerId,
      producerId: c.producerId,
      kind: c.kind,
      pointId: c.pointId,
      source: c.source,
      purpose: c.purpose,
      ssrc: encoding.ssrc,
      rtxSsrc: encoding.rtx?.ssrc,
    });
    // A burst of pushed consumers (the host's wall) can meet the hub's per-point request limit: a real
    // client would back off and try again, and so does this one, a bounded number of times.
    for (let attempt = 1; !this.#closed; attempt++) {
      try {
        const result = await this.request('media.resumeConsumer', { consumerId: c.consumerId });
        if (result.ok) return;
        if (result.error.code === 'rate_limited' && attempt < 20) {
          this.resumeRetries++;
          await new Promise((resolve) => setTimeout(resolve, 100 + randomInt(0, 200)));
          continue;
        }
        if (!this.#closed && result.error.code !== 'not_found') {
          this.errors.push(`resume ${c.consumerId}: ${result.error.code}: ${result.error.message}`);
        }
      } catch (error) {
        if (!this.#closed) this.errors.push(`resume ${c.consumerId}: ${(error as Error).message}`);
      }
      return;
    }
  }
}

/** Reads every measure, waits `ms`, reads again: how much each grew in that window. */
export async function growth<K>(ms: number, measures: ReadonlyMap<K, () => number>): Promise<Map<K, number>> {
  const before = new Map([...measures].map(([k, f]) => [k, f()]));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return new Map([...measures].map(([k, f]) => [k, f() - (before.get(k) ?? 0)]));
}
