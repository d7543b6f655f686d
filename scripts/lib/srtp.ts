// SRTP (AES_CM_128_HMAC_SHA1_80, the suite of the hub's plain transports) for headless clients of tests
// and benchmarks, on werift's SrtpSession. A key is what mediasoup calls srtpParameters: base64 of a
// 16-byte master key followed by a 14-byte master salt. One SrtpProtector per key and direction; it keeps
// the rollover state of every SSRC it has seen, so feed it the packets of a stream in order.
import { randomBytes } from 'node:crypto';
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtcpSession, SrtpSession } from 'werift';
import type { RtpFields } from './rtp.ts';

export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';
export type SrtpSuite = typeof SRTP_SUITE;

export interface SrtpKey {
  cryptoSuite: SrtpSuite;
  keyBase64: string;
}

const MASTER_KEY_BYTES = 16;
const MASTER_SALT_BYTES = 14;
/** Bytes the suite appends to every RTP packet (the truncated HMAC-SHA1). */
export const SRTP_AUTH_TAG_BYTES = 10;

/** A fresh random key for this suite. */
export function newSrtpKey(): SrtpKey {
  return { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(MASTER_KEY_BYTES + MASTER_SALT_BYTES).toString('base64') };
}

function sessionConfig(key: { cryptoSuite: string; keyBase64: string }) {
  if (key.cryptoSuite !== SRTP_SUITE) throw new Error(`unsupported SRTP suite ${key.cryptoSuite}`);
  const raw = Buffer.from(key.keyBase64, 'base64');
  if (raw.length !== MASTER_KEY_BYTES + MASTER_SALT_BYTES) {
    throw new Error(`SRTP key must be ${MASTER_KEY_BYTES + MASTER_SALT_BYTES} bytes, got ${raw.length}`);
  }
  const masterKey = raw.subarray(0, MASTER_KEY_BYTES);
  const masterSalt = raw.subarray(MASTER_KEY_BYTES);
  // One session holds a local (encrypting) and a remote (decrypting) context; both get the same key here
  // and each protector uses only one side.
  return {
    keys: { localMasterKey: masterKey, localMasterSalt: masterSalt, remoteMasterKey: masterKey, remoteMasterSalt: masterSalt },
    profile: ProtectionProfileAes128CmHmacSha1_80,
  };
}

const session = (key: { cryptoSuite: string; keyBase64: string }): SrtpSession => new SrtpSession(sessionConfig(key));

/** Encrypts RTP packets with one key. */
export class SrtpEncryptor {
  readonly #session: SrtpSession;

  constructor(key: { cryptoSuite: string; keyBase64: string }) {
    this.#session = session(key);
  }

  /** Serialises and encrypts one RTP packet (version 2, no extension, no CSRC). */
  protect(f: RtpFields): Buffer {
    const header = new RtpHeader({
      payloadType: f.payloadType & 0x7f,
      sequenceNumber: f.sequenceNumber & 0xffff,
      timestamp: f.timestamp >>> 0,
      ssrc: f.ssrc >>> 0,
      marker: f.marker ?? false,
    });
    return this.#session.encrypt(f.payload, header);
  }
}

/** Encrypts RTCP compound packets (SRTCP) with one key; with rtcp-mux they share the RTP socket. */
export class SrtcpEncryptor {
  readonly #session: SrtcpSession;

  constructor(key: { cryptoSuite: string; keyBase64: string }) {
    this.#session = new SrtcpSession(sessionConfig(key));
  }

  protect(rtcp: Buffer): Buffer {
    return this.#session.encrypt(rtcp);
  }
}

/** Authenticates and decrypts SRTCP packets with one key. */
export class SrtcpDecryptor {
  readonly #session: SrtcpSession;

  constructor(key: { cryptoSuite: string; keyBase64: string }) {
    this.#session = new SrtcpSession(sessionConfig(key));
  }

  /** The plain RTCP packet; throws when it does not authenticate. */
  unprotect(packet: Buffer): Buffer {
    return this.#session.decrypt(packet);
  }
}

/** Authenticates and decrypts SRTP packets with one key. */
export class SrtpDecryptor {
  readonly #session: SrtpSession;

  constructor(key: { cryptoSuite: string; keyBase64: string }) {
    this.#session = session(key);
  }

  /**
   * Returns the plain RTP packet (header and payload, auth tag removed); throws (werift's
   * SrtpAuthenticationError) when the packet does not authenticate with this key.
   */
  unprotect(packet: Buffer): Buffer {
    return this.#session.decrypt(packet);
  }

  /** Like unprotect, but undefined instead of an exception for a packet that does not authenticate. */
  tryUnprotect(packet: Buffer): Buffer | undefined {
    try {
      return this.#session.decrypt(packet);
    } catch {
      return undefined;
    }
  }
}

/** Offset of the RTP payload in a plain packet (fixed header, CSRCs, header extension). */
export function rtpPayloadOffset(packet: Buffer): number {
  if (packet.length < 12) return packet.length;
  const first = packet[0] ?? 0;
  let offset = 12 + (first & 0x0f) * 4;
  if (first & 0x10 && packet.length >= offset + 4) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return Math.min(offset, packet.length);
}

/** The payload of a plain RTP packet, padding removed. */
export function rtpPayload(packet: Buffer): Buffer {
  let end = packet.length;
  if ((packet[0] ?? 0) & 0x20 && end > 0) end -= packet[end - 1] ?? 0;
  return packet.subarray(rtpPayloadOffset(packet), Math.max(end, rtpPayloadOffset(packet)));
}

export const rtpSsrc = (packet: Buffer): number => (packet.length >= 12 ? packet.readUInt32BE(8) : 0);
export const rtpSequenceNumber = (packet: Buffer): number => (packet.length >= 4 ? packet.readUInt16BE(2) : 0);
