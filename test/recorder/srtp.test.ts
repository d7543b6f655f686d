// The recorder's own SRTP decryption (server/recorder/srtp.ts, node:crypto only) against werift's
// encryption (scripts/lib/srtp.ts): the same packets come out, across a sequence-number wrap, a late
// packet from before the wrap, SRTCP, and a wrong key or a flipped bit is refused without moving state.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSrtpKey, SrtcpEncryptor, SrtpEncryptor } from '../../scripts/lib/srtp.ts';
import { SrtpDecryptor } from '../../server/recorder/srtp.ts';

const SSRC = 0x1234abcd;

function packet(enc: SrtpEncryptor, seq: number, ts: number) {
  const payload = randomBytes(20 + (seq % 300));
  return { payload, wire: enc.protect({ payloadType: 96, ssrc: SSRC, sequenceNumber: seq & 0xffff, timestamp: ts, payload }) };
}

describe('SrtpDecryptor', () => {
  it('decrypts werift SRTP across a sequence wrap, keeping the rollover counter', () => {
    const key = newSrtpKey();
    const enc = new SrtpEncryptor(key);
    const dec = new SrtpDecryptor(key);
    // Start near the top so the sequence wraps twice (at 65,536 and 131,072) within 70,000 packets.
    const start = 65_000;
    let late: Buffer | undefined;
    let latePayload: Buffer | undefined;
    for (let i = 0; i < 70_000; i++) {
      const seq = start + i;
      const { payload, wire } = packet(enc, seq, i * 3000);
      if (seq === 65_534) {
        // Held back and delivered after the wrap: it must still decrypt with the previous counter.
        late = wire;
        latePayload = payload;
        continue;
      }
      const plain = dec.unprotectRtp(wire);
      expect(plain, `seq ${seq}`).toBeDefined();
      expect(plain?.subarray(12).equals(payload)).toBe(true);
      expect(plain?.readUInt16BE(2)).toBe(seq & 0xffff);
      if (seq === 65_540 && late && latePayload) {
        expect(dec.unprotectRtp(late)?.subarray(12).equals(latePayload)).toBe(true);
        expect(dec.rolloverCounter(SSRC)).toBe(1);
      }
    }
    expect(dec.rolloverCounter(SSRC)).toBe(Math.floor((start + 70_000 - 1) / 65_536));
  });

  it('refuses a wrong key, a flipped bit and junk, and keeps decrypting afterwards', () => {
    const key = newSrtpKey();
    const enc = new SrtpEncryptor(key);
    const dec = new SrtpDecryptor(key);
    const other = new SrtpDecryptor(newSrtpKey());
    const first = packet(enc, 100, 0);
    expect(other.unprotectRtp(first.wire)).toBeUndefined();
    expect(other.lastFailure).toBe('auth');
    const flipped = Buffer.from(first.wire);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    expect(dec.unprotectRtp(flipped)).toBeUndefined();
    expect(dec.unprotectRtp(Buffer.from([0x80, 0x60, 0, 1]))).toBeUndefined();
    expect(dec.lastFailure).toBe('short');
    expect(dec.unprotectRtp(randomBytes(200))).toBeUndefined();
    // A forged packet far ahead must not have advanced the rollover counter.
    const forged = Buffer.from(packet(enc, 40_000, 0).wire);
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0xff;
    expect(dec.unprotectRtp(forged)).toBeUndefined();
    expect(dec.unprotectRtp(first.wire)?.subarray(12).equals(first.payload)).toBe(true);
    expect(dec.rolloverCounter(SSRC)).toBe(0);
  });

  it('decrypts werift SRTCP (a sender report)', () => {
    const key = newSrtpKey();
    const enc = new SrtcpEncryptor(key);
    const dec = new SrtpDecryptor(key);
    const sr = Buffer.alloc(28);
    sr[0] = 0x80;
    sr[1] = 200;
    sr.writeUInt16BE(6, 2);
    sr.writeUInt32BE(SSRC, 4);
    randomBytes(20).copy(sr, 8);
    for (let i = 0; i < 3; i++) expect(dec.unprotectRtcp(enc.protect(sr))?.equals(sr)).toBe(true);
    expect(new SrtpDecryptor(newSrtpKey()).unprotectRtcp(enc.protect(sr))).toBeUndefined();
  });
});
