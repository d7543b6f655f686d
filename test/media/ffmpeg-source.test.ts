// A headless point that publishes real media (publish({ media: 'ffmpeg' })): Debian's ffmpeg encodes a test
// picture as VP8 and a tone as Opus, the point forwards them as SRTP into a real hub, and a room display
// receives the centre's programme over its own plain transport. The received video is decrypted,
// depacketised into an IVF file and decoded by ffprobe: every frame must decode at the size the source was
// set to, before and after a size change mid-stream. The same check turns the synthetic generator's packets
// down, so it can fail. Received Opus packets must carry sane TOC bytes (stereo, one 20 ms frame).
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.ts';
import {
  FfmpegSource,
  parseVp8Descriptor,
  SYNC_PATTERN,
  syncPatternGraph,
  vp8KeyFrameSize,
} from '../../scripts/lib/headless/ffmpeg-source.ts';
import { vp8Payload } from '../../scripts/lib/headless/marks.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { isRtcp } from '../../scripts/lib/rtp.ts';
import { newSrtpKey, rtpPayload, rtpSequenceNumber, rtpSsrc, SrtpDecryptor } from '../../scripts/lib/srtp.ts';
import { MTTQ_CONFERENCE, MTTQ_POINT_FOR_ROLE } from '../helpers/demo-points.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const run = promisify(execFile);
const CENTRE = MTTQ_POINT_FOR_ROLE.host;
const DISPLAY_AT = MTTQ_POINT_FOR_ROLE.viewer;

interface RtpIn {
  seq: number;
  ts: number;
  marker: boolean;
  payload: Buffer;
  at: number;
}

/** VP8 frames from RTP packets in arrival order: payloads of one timestamp up to the marker, descriptors removed. */
function depacketise(packets: readonly RtpIn[]): Array<{ ts: number; data: Buffer; at: number }> {
  const frames: Array<{ ts: number; data: Buffer; at: number }> = [];
  let parts: Buffer[] = [];
  let ts: number | undefined;
  let lastSeq: number | undefined;
  let broken = false;
  for (const p of packets) {
    const d = parseVp8Descriptor(p.payload);
    if (ts !== p.ts || (d?.start && d.partitionId === 0)) {
      parts = [];
      ts = p.ts;
      broken = !(d?.start && d.partitionId === 0);
    } else if (lastSeq !== undefined && p.seq !== ((lastSeq + 1) & 0xffff)) {
      broken = true;
    }
    lastSeq = p.seq;
    if (!d) broken = true;
    else parts.push(p.payload.subarray(d.length));
    if (p.marker && !broken) frames.push({ ts: p.ts, data: Buffer.concat(parts), at: p.at });
    if (p.marker) ts = undefined;
  }
  return frames;
}

/** An IVF file (the container of libvpx's tools) of VP8 frames, on a 90 kHz clock. */
function ivf(frames: ReadonlyArray<{ ts: number; data: Buffer }>, width: number, height: number): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'ascii');
  header.writeUInt16LE(0, 4);
  header.writeUInt16LE(32, 6);
  header.write('VP80', 8, 'ascii');
  header.writeUInt16LE(width, 12);
  header.writeUInt16LE(height, 14);
  header.writeUInt32LE(90_000, 16);
  header.writeUInt32LE(1, 20);
  header.writeUInt32LE(frames.length, 24);
  const first = frames[0]?.ts ?? 0;
  const chunks: Buffer[] = [header];
  for (const f of frames) {
    const fh = Buffer.alloc(12);
    fh.writeUInt32LE(f.data.length, 0);
    fh.writeBigUInt64LE(BigInt((f.ts - first) >>> 0), 4);
    chunks.push(fh, f.data);
  }
  return Buffer.concat(chunks);
}

/** Decodes the frames with ffprobe: the size and key flag of every decoded frame, and what it complained about. */
async function decode(frames: ReadonlyArray<{ ts: number; data: Buffer }>, width: number, height: number) {
  const dir = mkdtempSync(join(tmpdir(), 'diemcau-vp8-'));
  try {
    const file = join(dir, 'video.ivf');
    writeFileSync(file, ivf(frames, width, height));
    const { stdout, stderr } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'frame=key_frame,width,height',
      '-of',
      'csv=p=0',
      file,
    ]);
    const decoded = stdout
      .trim()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const [key, w, h] = l.split(',').map(Number);
        return { key: key === 1, width: w, height: h };
      });
    return { decoded, errors: stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Duration in ms of the frames of an Opus packet from its TOC byte (RFC 6716 3.1). */
function opusFrameMs(toc: number): number {
  const config = toc >> 3;
  if (config < 12) return [10, 20, 40, 60][config % 4] ?? 0;
  if (config < 16) return [10, 20][config % 2] ?? 0;
  return [2.5, 5, 10, 20][config % 4] ?? 0;
}

describe('the VP8 checker (no hub)', () => {
  it("reads a key frame's size and refuses the generator's synthetic frames", async () => {
    const synthetic = Array.from({ length: 10 }, (_, i) => vp8Payload(1, 'high', i, i, i, 160, true));
    expect(vp8KeyFrameSize(synthetic[0] ?? Buffer.alloc(0))).toEqual({ width: 1280, height: 720 });
    const packets = synthetic.map((payload, i) => ({ seq: i, ts: i * 3600, marker: true, payload, at: i * 40 }));
    const frames = depacketise(packets);
    expect(frames).toHaveLength(10);
    const { decoded, errors } = await decode(frames, 1280, 720);
    // Marked payloads only look like key frames: nothing decodes, or ffprobe complains.
    expect(decoded.length === 0 || errors.length > 0).toBe(true);
  });

  it("counts the hub's PLI and FIR for its video SSRC only", () => {
    const socket = createSocket('udp4');
    const source = new FfmpegSource({
      socket,
      remote: { ip: '127.0.0.1', port: 9 },
      key: newSrtpKey(),
      label: 'x',
      video: { ssrc: 42, payloadType: 101 },
    });
    const pli = (media: number) => Buffer.from([0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, media]);
    const fir = Buffer.from([0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 42, 7, 0, 0, 0]);
    source.handleRtcp(Buffer.concat([pli(42), pli(43)]));
    source.handleRtcp(fir);
    socket.close();
    expect(source.keyFrameRequests).toBe(2);
    expect(source.rtcpReceived).toBe(2);
  });
});

describe('the sync pattern (no hub)', () => {
  it('flashes two frames and starts an 80 ms beep at the same instants every 2 s, from one ffmpeg for both kinds', async () => {
    const graph = syncPatternGraph({ width: 320, height: 180, fps: 25, label: 'sync' });
    const lavfi = ['-hide_banner', '-nostats', '-nostdin', '-f', 'lavfi', '-i', graph, '-t', '4.5'];
    const video = await run('ffmpeg', [
      ...lavfi,
      '-map',
      '0:0',
      '-vf',
      'signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=-',
      '-f',
      'null',
      '-',
    ]);
    const luma = [...video.stdout.matchAll(/YAVG=([\d.]+)/g)].map((m) => Number(m[1]));
    const bright = luma.flatMap((y, n) => (y > 200 ? [n] : []));
    expect(bright).toEqual([0, 1, 50, 51, 100, 101]);
    expect(Math.max(...luma.filter((y) => y <= 200))).toBeLessThan(80);
    const audio = await run('ffmpeg', [...lavfi, '-map', '0:1', '-af', 'silencedetect=n=-30dB:d=0.5', '-f', 'null', '-']);
    const onsets = [...audio.stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
    const ends = [...audio.stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(onsets.map((t) => Math.round(t * 1000))).toEqual([2000, 4000]);
    expect(ends.slice(0, 2).map((t) => Math.round(t * 1000))).toEqual([SYNC_PATTERN.beepMs, 2000 + SYNC_PATTERN.beepMs]);

    const socket = createSocket('udp4');
    const source = new FfmpegSource({
      socket,
      remote: { ip: '127.0.0.1', port: 9 },
      key: newSrtpKey(),
      label: 'sync',
      audio: { ssrc: 41, payloadType: 100 },
      video: { ssrc: 42, payloadType: 101 },
      width: 320,
      height: 180,
      pattern: 'sync',
    });
    try {
      await source.start();
      await waitFor(() => source.sent.audio > 10 && source.keyFramesSent > 0, 'both kinds from the sync ffmpeg', 10_000);
      expect(source.spawned).toBe(1);
      await expect(source.setSize(640, 360)).rejects.toThrow(/keeps its size/);
      expect(source.errors).toEqual([]);
    } finally {
      source.stop();
      socket.close();
    }
  }, 30_000);
});

describe('a point publishing real media from ffmpeg through the hub', () => {
  let hub: Hub;
  let centre: HeadlessPoint;
  let display: HeadlessPoint;
  const video: RtpIn[] = [];
  const audio: RtpIn[] = [];

  beforeAll(async () => {
    const started = await startHub();
    hub = started.hub;
    const join = async (pointId: string, role: 'host' | 'viewer') => {
      const { token } = await hub.credentials.issue({ conferenceId: MTTQ_CONFERENCE, pointId, role }, 600);
      return HeadlessPoint.join(started.url, token, { label: `${pointId}/${role}`, maxSendMs: 30_000 });
    };
    centre = await join(CENTRE, 'host');
    display = await join(DISPLAY_AT, 'viewer');
    await centre.publish({ audio: true, video: true, media: 'ffmpeg' });
    const receiver = await display.receive();
    const key = display.recvSrtpParameters;
    if (!key) throw new Error('no receiving key');
    // A second decryptor on the same packets as the receiver's own: it keeps the payloads.
    const decryptor = new SrtpDecryptor(key);
    receiver.socket.on('message', (packet: Buffer) => {
      if (packet.length < 12 || isRtcp(packet)) return;
      const consumer = display.consumers({ pointId: CENTRE, open: true }).find((c) => c.ssrc === rtpSsrc(packet));
      if (!consumer) return;
      const plain = decryptor.tryUnprotect(packet);
      if (!plain) return;
      const p = {
        seq: rtpSequenceNumber(plain),
        ts: plain.readUInt32BE(4),
        marker: ((plain[1] ?? 0) & 0x80) !== 0,
        payload: Buffer.from(rtpPayload(plain)),
        at: Date.now(),
      };
      (consumer.kind === 'video' ? video : audio).push(p);
    });
  }, 30_000);

  afterAll(async () => {
    await centre?.close();
    await display?.close();
    await hub?.close('test over');
  });

  it('delivers VP8 that decodes at the size set, across a size change, and sane Opus', async () => {
    await waitFor(() => video.length > 0 && audio.length > 0, 'the first programme packets at the display', 10_000);
    await sleep(3000);
    const source = centre.ffmpeg;
    if (!source) throw new Error('no ffmpeg source');
    await source.setSize(640, 360);
    await sleep(2500);
    const seconds = (Date.now() - (audio[0]?.at ?? 0)) / 1000;

    expect(source.errors).toEqual([]);
    expect(centre.errors).toEqual([]);
    expect(display.errors).toEqual([]);
    expect(source.spawned).toBe(3);

    // Opus: ~50 packets a second, each one stereo 20 ms frame (TOC code 0).
    expect(audio.length).toBeGreaterThan(seconds * 50 * 0.8);
    const badToc = audio.filter(
      (p) => p.payload.length < 2 || opusFrameMs(p.payload[0] ?? 0) !== 20 || ((p.payload[0] ?? 0) & 0x07) !== 0x04,
    );
    expect(badToc.length, `first bad TOC ${badToc[0]?.payload.subarray(0, 4).toString('hex')}`).toBe(0);

    // VP8: whole frames (~25 a second) that all decode, at 1280×720 and then at 640×360.
    const frames = depacketise(video);
    expect(frames.length).toBeGreaterThan(seconds * 25 * 0.8);
    const { decoded, errors } = await decode(frames, 1280, 720);
    expect(errors).toBe('');
    expect(decoded.length).toBe(frames.length);
    const sizes = [...new Set(decoded.map((f) => `${f.width}x${f.height}`))];
    expect(sizes).toEqual(['1280x720', '640x360']);
    // Key frames at least every second (ffmpeg's -g), seen in the received packets themselves.
    const keyTimes = video.filter((p) => vp8KeyFrameSize(p.payload)).map((p) => p.at);
    const keyGaps = keyTimes.slice(1).map((t, i) => t - (keyTimes[i] ?? t));
    expect(Math.max(...keyGaps)).toBeLessThan(1400);
    expect(decoded.filter((f) => f.key).length).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
    // The size change leaves no hole: no pause between frames over 300 ms, timestamps keep growing.
    const frameGaps = frames.slice(1).map((f, i) => f.at - (frames[i]?.at ?? f.at));
    expect(Math.max(...frameGaps)).toBeLessThan(300);
    const tsSteps = frames.slice(1).map((f, i) => (f.ts - (frames[i]?.ts ?? f.ts)) | 0);
    expect(tsSteps.filter((d) => d <= 0 || d > 90_000 / 2)).toEqual([]);
    // Sender Reports went out for both streams (lip sync for a recorder).
    expect(source.senderReports).toBeGreaterThanOrEqual(2 * Math.floor(seconds));
  }, 30_000);

  it('leaves no ffmpeg behind once the point is closed', async () => {
    const source = centre.ffmpeg;
    expect(source?.running).toBe(true);
    expect((await children('ffmpeg')).length).toBe(2);
    await centre.close();
    expect(source?.running).toBe(false);
    let left = await children('ffmpeg');
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await sleep(50);
      left = await children('ffmpeg');
    }
    expect(left).toEqual([]);
  });
});

/** This process's children named `name` (pgrep exits 1 when there is none). */
async function children(name: string): Promise<string[]> {
  try {
    const { stdout } = await run('pgrep', ['-P', String(process.pid), '-x', name]);
    return stdout.trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
