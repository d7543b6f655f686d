// Small RTP and RTCP helpers for the recorder's relay: read a plain packet's header, write a fresh one
// (no extensions, no CSRCs), build a sender report, find picture-loss requests in compound RTCP, keep an
// audio source's short jitter queue, and bind a UDP socket.
import { createSocket, type Socket } from 'node:dgram';

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Where the payload starts (after CSRCs and any header extension). */
  payloadOffset: number;
  /** Where the payload ends (before any padding). */
  payloadEnd: number;
}

/** RTCP packet types 192..223 share the byte where RTP has marker and payload type (RFC 5761). */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1] ?? 0;
  return packet.length >= 8 && type >= 192 && type <= 223;
}

/** The header of a plain RTP packet, or undefined when it is not one. */
export function parseRtp(packet: Buffer): RtpHeader | undefined {
  if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return undefined;
  const first = packet[0] ?? 0;
  let offset = 12 + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (packet.length < offset + 4) return undefined;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  let end = packet.length;
  if (first & 0x20) end -= packet[end - 1] ?? 0;
  if (offset > end) return undefined;
  return {
    marker: ((packet[1] ?? 0) & 0x80) !== 0,
    payloadType: (packet[1] ?? 0) & 0x7f,
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payloadOffset: offset,
    payloadEnd: end,
  };
}

export interface RtpOut {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}

/** A new plain RTP packet: a 12-byte header (extensions and CSRCs dropped) followed by the payload parts. */
export function writeRtp(h: RtpOut, ...payload: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  header.writeUInt16BE(h.sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(h.timestamp >>> 0, 4);
  header.writeUInt32BE(h.ssrc >>> 0, 8);
  return Buffer.concat([header, ...payload]);
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

/** A sender report without report blocks (RFC 3550 6.4.1); `unixMs` is the wall clock it describes. */
export function senderReport(r: { ssrc: number; unixMs: number; rtpTimestamp: number; packets: number; octets: number }): Buffer {
  const sr = Buffer.alloc(28);
  sr[0] = 0x80;
  sr[1] = 200;
  sr.writeUInt16BE(6, 2);
  sr.writeUInt32BE(r.ssrc >>> 0, 4);
  const seconds = Math.floor(r.unixMs / 1000);
  const fraction = Math.floor(((r.unixMs - seconds * 1000) / 1000) * 2 ** 32);
  sr.writeUInt32BE((seconds + NTP_UNIX_OFFSET) >>> 0, 8);
  sr.writeUInt32BE(Math.min(fraction, 2 ** 32 - 1) >>> 0, 12);
  sr.writeUInt32BE(r.rtpTimestamp >>> 0, 16);
  sr.writeUInt32BE(r.packets >>> 0, 20);
  sr.writeUInt32BE(r.octets >>> 0, 24);
  return sr;
}

export interface KeyFrameRequest {
  kind: 'pli' | 'fir';
  mediaSsrc: number;
}

/** Every PLI (RFC 4585, PT 206 FMT 1) and FIR (RFC 5104, PT 206 FMT 4) in a compound RTCP packet. */
export function keyFrameRequests(packet: Buffer): KeyFrameRequest[] {
  const found: KeyFrameRequest[] = [];
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const first = packet[offset] ?? 0;
    const length = (packet.readUInt16BE(offset + 2) + 1) * 4;
    if (first >> 6 !== 2 || offset + length > packet.length) break;
    const type = packet[offset + 1];
    const fmt = first & 0x1f;
    if (type === 206 && fmt === 1 && length >= 12) found.push({ kind: 'pli', mediaSsrc: packet.readUInt32BE(offset + 8) });
    if (type === 206 && fmt === 4) {
      // The FCI entries (SSRC, sequence number, reserved) follow the two SSRCs of the header.
      for (let fci = offset + 12; fci + 8 <= offset + length; fci += 8) found.push({ kind: 'fir', mediaSsrc: packet.readUInt32BE(fci) });
    }
    offset += length;
  }
  return found;
}

/** Whether sequence number a comes after b, modulo 2^16. */
export const seqAfter = (a: number, b: number): boolean => a !== b && ((a - b) & 0xffff) < 0x8000;

/**
 * The short jitter queue of one audio source: payloads in sequence order without duplicates or packets
 * older than the last one played, at most `max` (the oldest go first). After a start or running dry it
 * gives nothing until `prime` are queued, so a source plays from a small reserve.
 */
export class JitterQueue {
  readonly #prime: number;
  readonly #max: number;
  #items: Array<{ seq: number; payload: Buffer }> = [];
  #lastSeq: number | undefined;
  #priming = true;
  dropped = 0;

  constructor(prime: number, max: number) {
    this.#prime = prime;
    this.#max = max;
  }

  get length(): number {
    return this.#items.length;
  }

  push(seq: number, payload: Buffer): void {
    if (this.#lastSeq !== undefined && !seqAfter(seq, this.#lastSeq)) return;
    const items = this.#items;
    let at = items.length;
    while (at > 0 && seqAfter(items[at - 1]?.seq ?? 0, seq)) at--;
    if (items[at - 1]?.seq === seq) return;
    items.splice(at, 0, { seq, payload });
    for (; items.length > this.#max; this.dropped++) items.shift();
  }

  /** The next payload, or undefined while priming or when empty (which starts priming again). */
  shift(): Buffer | undefined {
    if (this.#priming && this.#items.length >= this.#prime) this.#priming = false;
    const next = this.#priming ? undefined : this.#items.shift();
    if (!next) {
      this.#priming = true;
      return undefined;
    }
    this.#lastSeq = next.seq;
    return next.payload;
  }

  clear(): void {
    this.#items = [];
    this.#lastSeq = undefined;
    this.#priming = true;
  }
}

/**
 * A UDP socket bound to `ip` on a free port, with a receive buffer for a second of a few Mbit/s (the kernel
 * may cap it) so that a busy event loop loses nothing; send errors (nobody listening yet) are ignored.
 */
export function bindUdp(ip: string, onMessage: (packet: Buffer) => void): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
  socket.on('message', onMessage);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, ip, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}
