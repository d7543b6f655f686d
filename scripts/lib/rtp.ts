// Minimal RTP/RTCP helpers for tests and benchmarks that feed and count real packets.

export interface RtpFields {
  payloadType: number;
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  marker?: boolean;
  payload: Buffer;
}

/** Serialises an RTP packet (version 2, no padding, no extension, no CSRC). */
export function rtpPacket(f: RtpFields): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (f.marker ? 0x80 : 0) | (f.payloadType & 0x7f);
  header.writeUInt16BE(f.sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(f.timestamp >>> 0, 4);
  header.writeUInt32BE(f.ssrc >>> 0, 8);
  return Buffer.concat([header, f.payload]);
}

/** RTCP packet types 192..223 share the byte where RTP has marker + payload type (RFC 5761). */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1] ?? 0;
  return packet.length >= 4 && type >= 192 && type <= 223;
}

export function rtpPayloadType(packet: Buffer): number {
  return (packet[1] ?? 0) & 0x7f;
}

/**
 * A VP8 RTP payload that mediasoup parses as the start of a key frame: payload descriptor with S=1,
 * PID=0, then a VP8 key-frame tag (P=0, show_frame), the start code and a 320x240 size, then `fill`.
 */
export function vp8KeyFramePayload(fill: Buffer): Buffer {
  const head = Buffer.from([0x10, 0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00]);
  return Buffer.concat([head, fill]);
}
