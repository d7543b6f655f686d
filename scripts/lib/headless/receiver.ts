// The receiving half of a headless point: one UDP socket that a plain receiving transport sends to. It
// counts packets per consumer, decrypts them with the hub's key and reads their origin marks, so a test
// sees which point and which simulcast layer really arrived on each consumer.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { MediaSource } from '../../../shared/domain.ts';
import type { EventPayload } from '../../../shared/protocol.ts';
import { isRtcp } from '../rtp.ts';
import { rtpPayload, rtpSsrc, SrtpDecryptor } from '../srtp.ts';
import { originTag, readMark, type StreamId } from './marks.ts';

export type ConsumerEvent = EventPayload<'media.consumer'>;
export type Purpose = ConsumerEvent['purpose'];

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
  /** When the consumer took its current purpose (created, or standby → stage), and its first packet since then. */
  purposeAt: number;
  firstPacketInPurposeAt: number | undefined;
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
      purposeAt: Date.now(),
      firstPacketInPurposeAt: undefined,
      lastPacketAt: undefined,
      closedAt: undefined,
    };
    this.consumers.set(info.consumerId, counter);
    this.#bySsrc.set(info.ssrc, counter);
    if (info.rtxSsrc !== undefined) this.#byRtxSsrc.set(info.rtxSsrc, counter);
    return counter;
  }

  /** The hub gave the consumer a new purpose (media.consumerPurpose). */
  setPurpose(consumerId: string, purpose: Purpose): void {
    const counter = this.consumers.get(consumerId);
    if (!counter || counter.purpose === purpose) return;
    // Packets on a standby consumer come only once the hub resumed it for its new purpose, maybe just before
    // the event that says so: they count as its first packets in that purpose.
    if (counter.purpose !== 'standby') counter.firstPacketInPurposeAt = undefined;
    counter.purpose = purpose;
    counter.purposeAt = Date.now();
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
    counter.firstPacketInPurposeAt ??= now;
    counter.lastPacketAt = now;
    if (!this.#decryptor || this.#decryptEvery <= 0 || this.#seen++ % this.#decryptEvery !== 0) return;
    const plain = this.#decryptor.tryUnprotect(packet);
    if (!plain) {
      counter.authFailures++;
      return;
    }
    counter.decrypted++;
    const mark = readMark(rtpPayload(plain));
    if (!mark?.fillOk) {
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
