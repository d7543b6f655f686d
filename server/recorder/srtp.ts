// SRTP and SRTCP decryption for AES_CM_128_HMAC_SHA1_80 (RFC 3711) with node:crypto only: the recorder
// receives the stage from a mediasoup PlainTransport, whose srtpParameters are the key the hub encrypts
// with. Session keys are derived once (key derivation rate 0); every SSRC keeps its own rollover counter,
// estimated from the sequence number as in RFC 3711 section 3.3.1 and committed only once a packet
// authenticates, so a forged or corrupt packet cannot move it. No replay list: the relay behind this copes
// with duplicates itself and the socket is bound to the loopback or a private address.
import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';

export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';
const MASTER_KEY_BYTES = 16;
const MASTER_SALT_BYTES = 14;
const AUTH_KEY_BYTES = 20;
const TAG_BYTES = 10;
/** SRTCP trailer before the tag: the E flag and the 31-bit SRTCP index. */
const SRTCP_INDEX_BYTES = 4;

/** Session keys for one direction of one protocol (RTP or RTCP). */
interface SessionKeys {
  encKey: Buffer;
  authKey: Buffer;
  salt: Buffer;
}

/** AES-128 in counter mode from a 16-byte initial counter block: the keystream XORed into `data`. */
function aesCm(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** RFC 3711 4.3.1 with kdr = 0: x = (label << 48) XOR master salt, the PRF is AES-CM keyed with the master key. */
function deriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  // The label sits 7 bytes from the right of the 14-byte salt (above the 48-bit index, which is 0 here).
  iv[7] = (iv[7] ?? 0) ^ label;
  return aesCm(masterKey, iv, Buffer.alloc(length));
}

function sessionKeys(masterKey: Buffer, masterSalt: Buffer, rtcp: boolean): SessionKeys {
  const base = rtcp ? 3 : 0;
  return {
    encKey: deriveKey(masterKey, masterSalt, base, MASTER_KEY_BYTES),
    authKey: deriveKey(masterKey, masterSalt, base + 1, AUTH_KEY_BYTES),
    salt: deriveKey(masterKey, masterSalt, base + 2, MASTER_SALT_BYTES),
  };
}

/** The counter block of RFC 3711 4.1.1: (salt << 16) XOR (SSRC << 64) XOR (index << 16). */
function packetIv(salt: Buffer, ssrc: number, indexHigh: number, indexLow: number): Buffer {
  const iv = Buffer.alloc(16);
  salt.copy(iv, 0);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  // The 48-bit index occupies bytes 8..13: its upper 16 bits, then its lower 32.
  iv.writeUInt16BE(iv.readUInt16BE(8) ^ (indexHigh & 0xffff), 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ indexLow) >>> 0, 10);
  return iv;
}

function tag(authKey: Buffer, parts: Buffer[]): Buffer {
  const hmac = createHmac('sha1', authKey);
  for (const part of parts) hmac.update(part);
  return hmac.digest().subarray(0, TAG_BYTES);
}

/** Length of the fixed RTP header, CSRCs and header extension: the part SRTP leaves in the clear. */
function rtpHeaderLength(packet: Buffer): number {
  const first = packet[0] ?? 0;
  let length = 12 + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (packet.length < length + 4) return -1;
    length += 4 + packet.readUInt16BE(length + 2) * 4;
  }
  return length;
}

interface RocState {
  roc: number;
  highestSeq: number;
}

/** Why the last packet was refused, for counters. */
export type SrtpFailure = 'short' | 'auth';

/** Authenticates and decrypts SRTP and SRTCP packets with one master key (one direction). */
export class SrtpDecryptor {
  readonly #rtp: SessionKeys;
  readonly #rtcp: SessionKeys;
  readonly #roc = new Map<number, RocState>();
  /** Why the last call returned undefined. */
  lastFailure: SrtpFailure | undefined;

  constructor(params: { cryptoSuite: string; keyBase64: string }) {
    if (params.cryptoSuite !== SRTP_SUITE) throw new Error(`unsupported SRTP suite ${params.cryptoSuite}`);
    const raw = Buffer.from(params.keyBase64, 'base64');
    if (raw.length !== MASTER_KEY_BYTES + MASTER_SALT_BYTES)
      throw new Error(`SRTP master key and salt must be 30 bytes, got ${raw.length}`);
    const masterKey = raw.subarray(0, MASTER_KEY_BYTES);
    const masterSalt = raw.subarray(MASTER_KEY_BYTES);
    this.#rtp = sessionKeys(masterKey, masterSalt, false);
    this.#rtcp = sessionKeys(masterKey, masterSalt, true);
  }

  /** The rollover counter this decryptor holds for an SSRC (for tests and stats). */
  rolloverCounter(ssrc: number): number | undefined {
    return this.#roc.get(ssrc)?.roc;
  }

  /** The plain RTP packet (tag removed), or undefined when it is too short or does not authenticate. */
  unprotectRtp(packet: Buffer): Buffer | undefined {
    const headerLength = rtpHeaderLength(packet);
    if (packet.length < 12 + TAG_BYTES || headerLength < 0 || headerLength > packet.length - TAG_BYTES) return this.#fail('short');
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const state = this.#roc.get(ssrc);
    const roc = state ? estimateRoc(state, seq) : 0;
    if (roc < 0) return this.#fail('auth');
    const body = packet.subarray(0, packet.length - TAG_BYTES);
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc >>> 0);
    if (!timingSafeEqual(tag(this.#rtp.authKey, [body, rocBytes]), packet.subarray(packet.length - TAG_BYTES))) return this.#fail('auth');
    if (!state) this.#roc.set(ssrc, { roc, highestSeq: seq });
    else if (roc > state.roc || (roc === state.roc && seq > state.highestSeq)) {
      state.roc = roc;
      state.highestSeq = seq;
    }
    // index = ROC * 2^16 + SEQ: the upper 16 bits of the 48-bit index are ROC's upper half.
    const iv = packetIv(this.#rtp.salt, ssrc, roc >>> 16, (((roc & 0xffff) << 16) | seq) >>> 0);
    const plain = aesCm(this.#rtp.encKey, iv, body.subarray(headerLength));
    this.lastFailure = undefined;
    return Buffer.concat([body.subarray(0, headerLength), plain]);
  }

  /** The plain RTCP compound packet, or undefined when it is too short or does not authenticate. */
  unprotectRtcp(packet: Buffer): Buffer | undefined {
    if (packet.length < 8 + SRTCP_INDEX_BYTES + TAG_BYTES) return this.#fail('short');
    const authed = packet.subarray(0, packet.length - TAG_BYTES);
    if (!timingSafeEqual(tag(this.#rtcp.authKey, [authed]), packet.subarray(packet.length - TAG_BYTES))) return this.#fail('auth');
    const word = authed.readUInt32BE(authed.length - SRTCP_INDEX_BYTES);
    const encrypted = (word & 0x80000000) !== 0;
    const index = word & 0x7fffffff;
    const content = authed.subarray(0, authed.length - SRTCP_INDEX_BYTES);
    this.lastFailure = undefined;
    if (!encrypted) return Buffer.from(content);
    const iv = packetIv(this.#rtcp.salt, content.readUInt32BE(4), 0, index);
    return Buffer.concat([content.subarray(0, 8), aesCm(this.#rtcp.encKey, iv, content.subarray(8))]);
  }

  #fail(why: SrtpFailure): undefined {
    this.lastFailure = why;
    return undefined;
  }
}

/**
 * The rollover counter a sequence number most likely belongs to, given the highest one seen (RFC 3711
 * 3.3.1): a number far below the highest after it passed the middle is from the next cycle, one far above
 * while the highest is still low is a late packet from the previous cycle. -1 before the first cycle.
 */
export function estimateRoc(state: RocState, seq: number): number {
  if (state.highestSeq < 0x8000) {
    return seq - state.highestSeq > 0x8000 ? state.roc - 1 : state.roc;
  }
  return state.highestSeq - 0x8000 > seq ? state.roc + 1 : state.roc;
}
