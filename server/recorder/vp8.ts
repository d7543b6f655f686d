// The VP8 RTP payload descriptor (RFC 7741 4.2) as far as the relay needs it: where the VP8 data starts,
// whether a packet starts a frame (S=1 and partition 0), and whether that frame is a key frame (the P bit
// of the VP8 frame tag is 0, RFC 6386 9.1). `plainDescriptor` rewrites the descriptor without its
// extension (picture ID, TL0PICIDX, TID/KEYIDX): the relay splices several sources into one stream, and
// their picture IDs would jump at every cut.
import { spawn } from 'node:child_process';

export interface Vp8Descriptor {
  /** Bytes of the payload descriptor; VP8 data starts here. */
  length: number;
  /** S=1 and PID=0: the first packet of a frame. */
  startOfFrame: boolean;
  /** The first packet of a key frame. */
  keyFrame: boolean;
  /** N: the frame is not a reference for others. */
  nonReference: boolean;
}

/** The descriptor at the start of a VP8 RTP payload, or undefined when the payload is too short for it. */
export function parseVp8(payload: Buffer): Vp8Descriptor | undefined {
  const first = payload[0];
  if (first === undefined) return undefined;
  let length = 1;
  if (first & 0x80) {
    const ext = payload[1];
    if (ext === undefined) return undefined;
    length = 2;
    if (ext & 0x80) {
      const pictureId = payload[length];
      if (pictureId === undefined) return undefined;
      length += pictureId & 0x80 ? 2 : 1;
    }
    if (ext & 0x40) length += 1;
    if (ext & 0x30) length += 1;
  }
  if (length >= payload.length) return undefined;
  const startOfFrame = (first & 0x10) !== 0 && (first & 0x0f) === 0;
  const keyFrame = startOfFrame && ((payload[length] ?? 1) & 0x01) === 0;
  return { length, startOfFrame, keyFrame, nonReference: (first & 0x20) !== 0 };
}

/** The one-byte descriptor (X=0) with the N, S and PID of `d`'s packet. */
export function plainDescriptor(payload: Buffer): Buffer {
  return Buffer.from([(payload[0] ?? 0) & 0x3f]);
}

/** Largest VP8 data per RTP packet, well under a 1200-byte MTU with the RTP header. */
const MAX_VP8_CHUNK = 1100;

/** One VP8 frame as RTP payloads: a one-byte descriptor (S=1 on the first), the data cut to fit. */
export function vp8Packets(frame: Buffer): Buffer[] {
  const payloads: Buffer[] = [];
  for (let at = 0; at < frame.length; at += MAX_VP8_CHUNK) {
    payloads.push(Buffer.concat([Buffer.from([at === 0 ? 0x10 : 0x00]), frame.subarray(at, at + MAX_VP8_CHUNK)]));
  }
  return payloads;
}

/** The frames of an IVF file (32-byte file header, then a 12-byte header before each frame). */
export function ivfFrames(ivf: Buffer): Buffer[] {
  if (ivf.length < 32 || ivf.toString('latin1', 0, 4) !== 'DKIF') throw new Error('not an IVF file');
  const frames: Buffer[] = [];
  let at = ivf.readUInt16LE(6);
  while (at + 12 <= ivf.length) {
    const size = ivf.readUInt32LE(at);
    if (at + 12 + size > ivf.length) break;
    frames.push(ivf.subarray(at + 12, at + 12 + size));
    at += 12 + size;
  }
  return frames;
}

export const FILLER = { colour: '0x101828', width: 320, height: 180 };
let filler: Promise<Buffer> | undefined;

/** The filler: one dark VP8 key frame, encoded once per process by Debian's ffmpeg. */
export function vp8FillerFrame(): Promise<Buffer> {
  filler ??= encodeFiller().catch((error: unknown) => {
    filler = undefined;
    throw error;
  });
  return filler;
}

async function encodeFiller(): Promise<Buffer> {
  const source = `color=c=${FILLER.colour}:s=${FILLER.width}x${FILLER.height}:r=25`;
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', source];
  const child = spawn('ffmpeg', [...args, '-frames:v', '1', '-c:v', 'libvpx', '-f', 'ivf', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`ffmpeg could not encode the filler frame (exit ${code}): ${stderr.trim()}`);
  const frame = ivfFrames(Buffer.concat(out))[0];
  if (!frame || !parseVp8(Buffer.concat([Buffer.from([0x10]), frame]))?.keyFrame) throw new Error('ffmpeg gave no VP8 key frame');
  return frame;
}
