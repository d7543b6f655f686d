// Origin marks: every packet a headless point's sender emits carries one after its codec header: "DCMP",
// a 32-bit hash of the sending point's id, the stream (audio, low, mid, high) and a counter, then a fill
// derived from the counter. A receiver decrypts each packet with the hub's key and reads the mark, so a
// test can tell which point and which simulcast layer a packet really came from, independently of what
// the hub claims. Also the Opus and VP8 payloads that carry the mark.

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

/** Whether a VP8 payload written by vp8Payload (descriptor of 5 bytes) is a key frame. */
export function isVp8KeyFrame(payload: Buffer): boolean {
  return payload.length > 5 && ((payload[5] ?? 1) & 0x01) === 0;
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
export function opusPayload(origin: number, counter: number, fillBytes: number): Buffer {
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
 * the key-frame tag, start code and frame size, then the mark. With `key` false, a one-packet inter frame
 * (P=1, no start code): what an encoder sends between the key frames it makes when asked.
 */
export function vp8Payload(
  origin: number,
  stream: Exclude<StreamId, 'audio'>,
  counter: number,
  pictureId: number,
  tl0: number,
  fillBytes: number,
  key = true,
): Buffer {
  if (!key) {
    const inter = Buffer.from([0x90, 0xc0, 0x80 | ((pictureId >> 8) & 0x7f), pictureId & 0xff, tl0 & 0xff, 0x51, 0x01, 0x00]);
    return Buffer.concat([inter, writeMark(origin, stream, counter, fillBytes)]);
  }
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
