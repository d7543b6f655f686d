// The programme mixer with real ffmpeg: four RTP streams as the relay sends them (VP8 PT 96 with nack/pli and
// RTCP on its own port, Opus PT 111) from an ffmpeg sender, the mixer's MPEG-TS written to a file, then read
// back with ffprobe/ffmpeg: H.264 1280×720 25 fps + AAC 48 kHz stereo, a key frame exactly every 2 s, and each
// composition (switched by stdin commands while running) seen in the pixels where its pictures should be,
// with Vietnamese lower third and name card drawn.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Composition, ProgrammeMixer } from '../../server/recorder/mixer.ts';

const run = promisify(execFile);

/** The relay's layout: main, second (VP8), centre, floor (Opus), each with RTCP on the next port. */
function testSdp(ports: number[]): string {
  const video = (p: number) => [`m=video ${p} RTP/AVPF 96`, 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack', 'a=rtcp-fb:96 nack pli'];
  const audio = (p: number) => [`m=audio ${p} RTP/AVP 111`, 'a=rtpmap:111 opus/48000/2'];
  const media = ports.flatMap((p, i) => [...(i < 2 ? video(p) : audio(p)), `a=rtcp:${p + 1}`, 'a=recvonly']);
  return [...['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=test', 'c=IN IP4 127.0.0.1', 't=0 0'], ...media, ''].join('\r\n');
}

/** `n` even UDP ports whose next port is free too (checked by binding both). */
async function freePorts(n: number): Promise<number[]> {
  const bind = (port: number) =>
    new Promise<ReturnType<typeof createSocket> | null>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(null));
      s.bind(port, '127.0.0.1', () => resolve(s));
    });
  const ports: number[] = [];
  while (ports.length < n) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 15_000);
    const a = await bind(port);
    const b = a && (await bind(port + 1));
    a?.close();
    b?.close();
    if (a && b && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** One ffmpeg sending the four streams in real time: main solid blue, second solid green, two tones. */
function startSenders(ports: number[]): ChildProcess {
  const sources = ['color=c=0x2050d0:s=640x360:r=25', 'color=c=0x00c000:s=320x180:r=25', 'sine=f=440:r=48000', 'sine=f=660:r=48000'];
  const inputs = sources.flatMap((s) => ['-re', '-f', 'lavfi', '-i', s]);
  const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '25', '-b:v', '300k', '-payload_type', '96'];
  const opus = ['-c:a', 'libopus', '-b:a', '48k', '-ac', '2', '-payload_type', '111'];
  const outputs = ports.flatMap((p, i) => [
    ...['-map', String(i), ...(i < 2 ? vp8 : opus), '-ssrc', String(1000 + i)],
    ...['-f', 'rtp', `rtp://127.0.0.1:${p}?rtcpport=${p + 1}`],
  ]);
  return spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...inputs, ...outputs], { stdio: 'ignore' });
}

/** One frame at `t` s from the start, scaled to w×h, as RGB bytes. */
async function frameAt(file: string, t: number, w = 64, h = 36, filter = ''): Promise<Buffer> {
  const vf = `${filter}${filter ? ',' : ''}scale=${w}:${h}:flags=area`;
  const args = ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', vf, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const { stdout } = await run('ffmpeg', args, { encoding: 'buffer', maxBuffer: 1 << 24 });
  return stdout;
}

async function startTime(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', file]);
  return Number.parseFloat(stdout);
}

type Rgb = [number, number, number];
const pixel = (f: Buffer, x: number, y: number, w = 64): Rgb => {
  const i = (y * w + x) * 3;
  return [f[i] ?? 0, f[i + 1] ?? 0, f[i + 2] ?? 0];
};
const isYellow = ([r, g, b]: Rgb) => r > 200 && g > 170 && b < 90;
const isBlue = ([r, g, b]: Rgb) => b > 150 && r < 110 && g < 140;
const isGreen = ([r, g, b]: Rgb) => g > 140 && r < 90 && b < 90;
const isDark = ([r, g, b]: Rgb) => r < 50 && g < 50 && b < 70;
const whiteCount = (f: Buffer) => {
  let n = 0;
  for (let i = 0; i + 2 < f.length; i += 3) if ((f[i] ?? 0) > 200 && (f[i + 1] ?? 0) > 200 && (f[i + 2] ?? 0) > 200) n++;
  return n;
};

describe('programme mixer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diemcau-mixer-'));
  const file = join(dir, 'programme.ts');
  let senders: ChildProcess | undefined;
  let mixer: ProgrammeMixer | undefined;
  /** Each composition and the output time (s) at which it was asked for. */
  const phases: Array<{ c: Composition; at: number }> = [];
  let firstFrameMs = 0;

  beforeAll(async () => {
    const ports = await freePorts(4);
    mixer = new ProgrammeMixer({
      sdp: testSdp(ports),
      workDir: dir,
      composition: 'banner',
      texts: { bannerTitle: 'HỘI NGHỊ TRỰC TUYẾN', bannerSubtitle: 'Tập huấn chuyển đổi số', bannerMessage: 'Sắp bắt đầu' },
    });
    mixer.ts.pipe(createWriteStream(file));
    await mixer.start();
    senders = startSenders(ports);
    firstFrameMs = await mixer.firstFrame;
    const out = () => (mixer?.lastProgress?.outTimeMs ?? 0) / 1000;
    phases.push({ c: 'banner', at: 0 });
    const steps: Composition[] = ['single', 'beside', 'inset', 'split', 'single'];
    for (const c of steps) {
      await new Promise((r) => setTimeout(r, 3000));
      if (phases.length === 1) mixer.setTexts({ lowerThird: 'Điểm cầu huyện Xuân Lộc', lowerThirdSub: 'Mục 2: Tập huấn' });
      if (phases.length === 5) mixer.setTexts({ lowerThird: '', lowerThirdSub: '', cardMain: 'Điểm cầu xã Suối Cát' });
      mixer.setComposition(c);
      mixer.setGain('floor', -6);
      phases.push({ c, at: out() });
    }
    // Until the last phase's sample time (1.5 s after its command) has surely left the encoder.
    const last = phases.at(-1)?.at ?? 0;
    while (out() < last + 3) await new Promise((r) => setTimeout(r, 200));
    await mixer.stop();
  }, 60_000);

  afterAll(async () => {
    senders?.kill('SIGKILL');
    await mixer?.stop();
    if (!process.env['KEEP_MIXER_TEST']) rmSync(dir, { recursive: true, force: true });
    else console.log(dir, JSON.stringify(phases));
  });

  it('writes H.264 1280×720 at 25 fps and AAC 48 kHz stereo, from the first frame within a few seconds', async () => {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
    const info = JSON.parse(stdout) as { streams: Array<Record<string, unknown>>; format: { duration: string } };
    const video = info.streams.find((s) => s['codec_type'] === 'video');
    const audio = info.streams.find((s) => s['codec_type'] === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '25/1', pix_fmt: 'yuv420p' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Number(info.format.duration)).toBeGreaterThan(15);
    expect(firstFrameMs).toBeLessThan(5000);
    expect(mixer?.commandReplies.failed).toBe(0);
    expect(mixer?.commandReplies.ok).toBeGreaterThanOrEqual(8);
  });

  it('puts a key frame exactly every 2 s', async () => {
    const args = ['-v', 'error', '-select_streams', 'v', '-skip_frame', 'nokey', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file];
    const { stdout } = await run('ffprobe', args);
    const times = stdout
      .split('\n')
      .map((line) => Number.parseFloat(line))
      .filter((t) => Number.isFinite(t));
    expect(times.length).toBeGreaterThanOrEqual(7);
    for (let i = 1; i < times.length; i++) expect(Math.abs((times[i] ?? 0) - (times[i - 1] ?? 0) - 2)).toBeLessThan(0.002);
  });

  it('shows each composition where its pictures belong, switched while running', async () => {
    const expectations: Record<Composition, (f: Buffer) => void> = {
      banner: (f) => {
        expect(isYellow(pixel(f, 32, 2))).toBe(true);
        expect(isYellow(pixel(f, 4, 18))).toBe(true);
      },
      single: (f) => {
        expect(isBlue(pixel(f, 32, 8))).toBe(true);
        expect(isBlue(pixel(f, 60, 4))).toBe(true);
      },
      beside: (f) => {
        expect(isBlue(pixel(f, 25, 15))).toBe(true);
        expect(isGreen(pixel(f, 56, 4))).toBe(true);
        expect(isDark(pixel(f, 56, 31))).toBe(true);
      },
      inset: (f) => {
        expect(isBlue(pixel(f, 25, 15))).toBe(true);
        expect(isGreen(pixel(f, 56, 31))).toBe(true);
        expect(isDark(pixel(f, 56, 4))).toBe(true);
      },
      split: (f) => {
        expect(isBlue(pixel(f, 16, 16))).toBe(true);
        expect(isGreen(pixel(f, 48, 16))).toBe(true);
        expect(isDark(pixel(f, 32, 4))).toBe(true);
      },
    };
    const start = await startTime(file);
    for (const phase of phases) {
      // Progress times are the output's timestamps (from `start`); a command shows in frames that leave the
      // encoder up to ~1 s after it: 1.5 s later is past it and well before the next one (3 s later).
      const t = Math.max(0.5, phase.at - start + 1.5);
      const f = await frameAt(file, t);
      try {
        expectations[phase.c](f);
      } catch (err) {
        throw new Error(`${phase.c} at ${t.toFixed(2)} s: ${(err as Error).message}`);
      }
    }
  });

  it('draws the Vietnamese lower third and name card only while they have text', async () => {
    const start = await startTime(file);
    const single = (phases[1]?.at ?? 0) - start;
    const card = (phases[5]?.at ?? 0) - start;
    const lower = (t: number) => frameAt(file, t, 600, 90, 'crop=600:90:20:600');
    const middle = (t: number) => frameAt(file, t, 640, 120, 'crop=640:120:320:300');
    expect(whiteCount(await lower(single + 2))).toBeGreaterThan(800);
    expect(whiteCount(await middle(single + 2))).toBe(0);
    expect(whiteCount(await lower(card + 2))).toBe(0);
    expect(whiteCount(await middle(card + 2))).toBeGreaterThan(800);
  });
});
