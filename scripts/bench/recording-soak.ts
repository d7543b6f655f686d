// The recorder's audio/video drift over a long recording (issue #14): a hub with its recorder process, the
// centre publishing the sync pattern (scripts/lib/headless/ffmpeg-source.ts: one ffmpeg, a white flash of two
// frames and an 80 ms 2.5 kHz beep at the same instants every 2 s), a district point with the usual test
// picture and tone taking and giving back the floor every N s, the recording made for M minutes, stopped, and
// the file read back with ffmpeg:
//   - flashes: mean luma (signalstats YAVG) per frame of the region where the centre's picture always is
//     (the column of the `beside` composition: the top-right corner of the full-frame picture, the second
//     picture while the district speaks); a run of frames above the midpoint between the median and the
//     99th percentile is a flash, timed at its first frame; the frame count of each flash (2 in the source)
//     shows dropped (1) and duplicated (3+) frames at that instant;
//   - beeps: the sound to mono, three 1.8 kHz high-passes (the points' tones are 300–1100 Hz), silencedetect:
//     the end of each silence is a beep's onset, to the sample;
//   - each flash paired with the beep within 1 s: the A/V offset (audio minus video, ms) at the start, at the
//     end (medians of a window) and its trend (least-squares slope, ms per 10 minutes); the media clocks
//     (the flashes' and the beeps' times against the source's 2 s grid: ppm, ms per 10 minutes) and the
//     file's duration against the wall clock from the start to the stop order;
//   - dropped or duplicated frames from ffprobe's packet timestamps (gaps over 60 ms, steps of 0 or less);
//   - the recorder process (Node) and its ffmpeg children: CPU and RSS from /proc in the first and the last
//     window.
// Baseline in the same run: the same analysis on the source as ffmpeg encodes it (same graph and encoders,
// written straight to a Matroska file, 60 s), so what is left above it is the recorder's own doing.
//
//   npm run bench:soak -- [--minutes 30] [--seconds S] [--floor-every 60] [--size 640x360] [--baseline-s 60]
//                         [--window-s 60] [--keep] [--smoke] [--analyse <file>]
// --floor-every 0 leaves the district out; --analyse only analyses a file (one kept with --keep); --smoke:
// 20 s, a 10 s baseline, the floor every 6 s (the tests). The centre's ffmpeg must keep up: the relay stamps
// arrivals, so a starved source shows up as the recorder's jitter (its packets and key frames are counted).
// Prints a table and writes test-results/bench/recording-soak[-smoke].json.
import { execFile } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { RecordingView } from '../../shared/recording.ts';
import type { RtpCapabilities, RtpParameters } from '../../shared/media.ts';
import { FfmpegSource, SYNC_PATTERN, sourceEncoderArgs, syncPatternGraph } from '../lib/headless/ffmpeg-source.ts';
import { HeadlessPoint } from '../lib/headless/point.ts';
import { newSrtpKey, SrtcpDecryptor } from '../lib/srtp.ts';
import { startBenchHub } from './lib/bench-hub.ts';
import { machine, printTable, writeResult } from './lib/tools.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    seconds: { type: 'string' },
    'floor-every': { type: 'string' },
    size: { type: 'string', default: '640x360' },
    'baseline-s': { type: 'string' },
    'window-s': { type: 'string' },
    keep: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    analyse: { type: 'string' },
  },
});
const smoke = values.smoke;
const seconds = Number(values.seconds ?? (smoke ? 20 : Number(values.minutes) * 60));
const floorEvery = Number(values['floor-every'] ?? (smoke ? 6 : 60));
const [width, height] = (values.size ?? '640x360').split('x').map(Number) as [number, number];
const baselineS = Number(values['baseline-s'] ?? (smoke ? 10 : 60));
const windowS = Number(values['window-s'] ?? Math.min(60, Math.max(4, seconds / 4)));
const FPS = 25;
const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const DISTRICT = 'bien-hoa';
const CLK_TCK = 100;
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The region analysed for flashes, as fractions of the frame: the `beside` column (1004,20 256×144 of 1280×720). */
const REGION = { x: 1004 / 1280, y: 20 / 720, w: 256 / 1280, h: 144 / 720 };
/** A flash is SYNC_PATTERN.flashFrames long in the source; up to this many frames (a held flash frame) still counts. */
const MAX_FLASH_FRAMES = 12;
/** A pair this far from the median offset is an outlier (counted, left out of the start, end and trend). */
const OUTLIER_MS = 200;

// ---------------------------------------------------------------------------------------------------------
// Analysis of a file

interface Flash {
  at: number;
  frames: number;
}

/**
 * Flashes from the per-frame mean luma of REGION, and the frozen stretches of the whole picture (freezedetect,
 * the same pass): a stretch of bright frames up to MAX_FLASH_FRAMES long is a flash (a longer one is something
 * else, a bright picture during a switch).
 */
async function flashes(file: string) {
  const r = REGION;
  const crop = `crop=w=iw*${r.w}:h=ih*${r.h}:x=iw*${r.x}:y=ih*${r.y},signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=-`;
  const vf = `freezedetect=n=0.0005:d=1,${crop}`;
  const args = ['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin', '-i', file, '-map', '0:v:0', '-vf', vf, '-f', 'null', '-'];
  const { stdout, stderr } = await run('ffmpeg', args, { maxBuffer: 1 << 30 });
  const series: Array<{ t: number; y: number }> = [];
  let t = Number.NaN;
  for (const line of stdout.split('\n')) {
    const pts = /pts_time:(-?[\d.]+)/.exec(line);
    if (pts) t = Number(pts[1]);
    const y = /YAVG=([\d.]+)/.exec(line);
    if (y) series.push({ t, y: Number(y[1]) });
  }
  const frozenS = [...stderr.matchAll(/freeze_duration: ([\d.]+)/g)].map((m) => Number(m[1]));
  const sorted = series.map((s) => s.y).sort((a, b) => a - b);
  const dark = quantile(sorted, 0.5);
  const bright = quantile(sorted, 0.99);
  const found: Flash[] = [];
  let rejected = 0;
  const frozen = {
    stretches: frozenS.length,
    seconds: round(
      frozenS.reduce((a, b) => a + b, 0),
      2,
    ),
    longestS: round(Math.max(0, ...frozenS), 2),
  };
  if (bright - dark < 30) return { flashes: found, rejected, frames: series.length, dark, bright, frozen };
  const threshold = (dark + bright) / 2;
  let start: number | undefined;
  let count = 0;
  const close = () => {
    if (start === undefined) return;
    if (count <= MAX_FLASH_FRAMES) found.push({ at: start, frames: count });
    else rejected++;
    start = undefined;
    count = 0;
  };
  for (const s of series) {
    if (s.y > threshold) {
      if (start === undefined) start = s.t;
      count++;
    } else close();
  }
  close();
  return { flashes: found, rejected, frames: series.length, dark, bright, frozen };
}

/** Beep onsets (s) and lengths (ms) from silencedetect on the high-passed sound. */
async function beeps(file: string): Promise<{ onsets: number[]; lengthsMs: number[] }> {
  const hp = 'highpass=f=1800,highpass=f=1800,highpass=f=1800';
  const af = `pan=mono|c0=0.5*c0+0.5*c1,${hp},silencedetect=n=-26dB:d=0.3`;
  const args = ['-hide_banner', '-nostats', '-nostdin', '-i', file, '-map', '0:a:0', '-af', af, '-f', 'null', '-'];
  const { stderr } = await run('ffmpeg', args, { maxBuffer: 1 << 28 });
  const events = [...stderr.matchAll(/silence_(start|end): (-?[\d.]+)/g)].map((m) => ({ kind: m[1], t: Number(m[2]) }));
  const onsets: number[] = [];
  const lengthsMs: number[] = [];
  events.forEach((e, i) => {
    if (e.kind !== 'end') return;
    const next = events.slice(i + 1).find((x) => x.kind === 'start');
    const length = next ? (next.t - e.t) * 1000 : Number.NaN;
    // An onset that is no beep (the end of the file's opening silence into a long sound) is left out.
    if (Number.isNaN(length) || (length > 20 && length < 300)) {
      onsets.push(e.t);
      lengthsMs.push(length);
    }
  });
  return { onsets, lengthsMs };
}

/** Packet timestamps per stream: gaps over 60 ms and steps of 0 or less (duplicates / out of order). */
async function packets(
  file: string,
): Promise<Record<'video' | 'audio', { packets: number; gapsOver60ms: number; maxGapMs: number; nonIncreasing: number }>> {
  const args = ['-v', 'error', '-show_entries', 'packet=codec_type,pts_time', '-of', 'csv=p=0', file];
  const { stdout } = await run('ffprobe', args, { maxBuffer: 1 << 30 });
  const times: Record<'video' | 'audio', number[]> = { video: [], audio: [] };
  for (const line of stdout.split('\n')) {
    const [kind, t] = line.split(',');
    if ((kind === 'video' || kind === 'audio') && t !== undefined && t !== 'N/A') times[kind].push(Number(t));
  }
  const stats = (ts: number[]) => {
    // Video packets come in decoding order (B-frames): sort by presentation time first.
    const sorted = [...ts].sort((a, b) => a - b);
    let gaps = 0;
    let maxGap = 0;
    let nonIncreasing = 0;
    for (let i = 1; i < sorted.length; i++) {
      const d = ((sorted[i] as number) - (sorted[i - 1] as number)) * 1000;
      if (d > 60) gaps++;
      if (d <= 0) nonIncreasing++;
      maxGap = Math.max(maxGap, d);
    }
    return { packets: ts.length, gapsOver60ms: gaps, maxGapMs: round(maxGap, 1), nonIncreasing };
  };
  return { video: stats(times.video), audio: stats(times.audio) };
}

async function probeDuration(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const median = (xs: readonly number[]): number =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Least-squares line y = a + b·x. */
function lineFit(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  if (n < 2) return { a: ys[0] ?? Number.NaN, b: Number.NaN };
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    sxx += ((xs[i] as number) - mx) ** 2;
  }
  return { a: my - (sxy / sxx) * mx, b: sxy / sxx };
}

/**
 * A media clock against the source's grid of one event every periodS: the grid's phase is the one most
 * events sit near (a stray event, a beep cut by a gap, does not set it), events more than 0.5 s off it are
 * left out, and the slope of the rest against their grid times gives ppm and ms per 10 minutes.
 */
function clockDrift(times: readonly number[]): { ppm: number; msPer10Min: number; used: number } {
  const period = SYNC_PATTERN.periodS;
  const off = (t: number, phase: number) => {
    const k = Math.round((t - phase) / period);
    return { k, d: t - phase - k * period };
  };
  let phase = Number.NaN;
  let best = -1;
  for (const t of times) {
    const near = times.filter((u) => Math.abs(off(u, t).d) < 0.1).length;
    if (near > best) [phase, best] = [t, near];
  }
  const on = times.map((t) => ({ t, ...off(t, phase) })).filter((e) => Math.abs(e.d) <= 0.5);
  if (on.length < 3) return { ppm: Number.NaN, msPer10Min: Number.NaN, used: on.length };
  const { b } = lineFit(
    on.map((e) => e.k * period),
    on.map((e) => e.t),
  );
  return { ppm: round((b - 1) * 1e6, 1), msPer10Min: round((b - 1) * 600_000, 2), used: on.length };
}

interface Analysis {
  durationS: number;
  flashes: number;
  flashesRejected: number;
  flashFrames: Record<string, number>;
  frozen: { stretches: number; seconds: number; longestS: number };
  lumaDark: number;
  lumaFlash: number;
  beeps: number;
  beepMs: number;
  periods: number;
  pairs: number;
  outliers: number;
  offsetStartMs: number;
  offsetEndMs: number;
  offsetMedianMs: number;
  offsetMinMs: number;
  offsetMaxMs: number;
  offsetP5Ms: number;
  offsetP95Ms: number;
  offsetDriftMsPer10Min: number;
  videoClock: ReturnType<typeof clockDrift>;
  audioClock: ReturnType<typeof clockDrift>;
  packets: Awaited<ReturnType<typeof packets>>;
  offsets: Array<[number, number]>;
}

async function analyse(file: string): Promise<Analysis> {
  const [v, a, p, durationS] = await Promise.all([flashes(file), beeps(file), packets(file), probeDuration(file)]);
  const pairs: Array<[number, number]> = [];
  for (const f of v.flashes) {
    let best: number | undefined;
    for (const b of a.onsets) if (Math.abs(b - f.at) < 1 && (best === undefined || Math.abs(b - f.at) < Math.abs(best - f.at))) best = b;
    if (best !== undefined) pairs.push([f.at, (best - f.at) * 1000]);
  }
  const offsets = pairs.map(([, o]) => o);
  const sorted = [...offsets].sort((x, y) => x - y);
  const mid = median(offsets);
  // Pairs more than OUTLIER_MS from the median (a flash or a beep displaced by a freeze or a gap, or paired
  // with the wrong one) are counted, and left out of the start, end and trend.
  const inliers = pairs.filter(([, o]) => Math.abs(o - mid) <= OUTLIER_MS);
  const first = inliers[0]?.[0] ?? 0;
  const last = inliers.at(-1)?.[0] ?? 0;
  const inWindow = (from: number, to: number) => inliers.filter(([t]) => t >= from && t <= to).map(([, o]) => o);
  const trend = lineFit(
    inliers.map(([t]) => t),
    inliers.map(([, o]) => o),
  );
  const flashFrames: Record<string, number> = {};
  for (const f of v.flashes) flashFrames[String(f.frames)] = (flashFrames[String(f.frames)] ?? 0) + 1;
  return {
    durationS: round(durationS, 3),
    flashes: v.flashes.length,
    flashesRejected: v.rejected,
    flashFrames,
    frozen: v.frozen,
    lumaDark: round(v.dark, 1),
    lumaFlash: round(v.bright, 1),
    beeps: a.onsets.length,
    beepMs: round(median(a.lengthsMs.filter((x) => !Number.isNaN(x))), 1),
    periods: Math.floor(durationS / SYNC_PATTERN.periodS),
    pairs: pairs.length,
    outliers: pairs.length - inliers.length,
    offsetStartMs: round(median(inWindow(first, first + windowS)), 1),
    offsetEndMs: round(median(inWindow(last - windowS, last)), 1),
    offsetMedianMs: round(median(offsets), 1),
    offsetMinMs: round(Math.min(...offsets), 1),
    offsetMaxMs: round(Math.max(...offsets), 1),
    offsetP5Ms: round(quantile(sorted, 0.05), 1),
    offsetP95Ms: round(quantile(sorted, 0.95), 1),
    offsetDriftMsPer10Min: round(trend.b * 600, 2),
    videoClock: clockDrift(v.flashes.map((f) => f.at)),
    audioClock: clockDrift(a.onsets),
    packets: p,
    offsets: pairs.map(([t, o]) => [round(t, 3), round(o, 1)]),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The baseline: the source as ffmpeg encodes it, straight to a file

async function encodeSource(file: string, durationS: number): Promise<void> {
  const graph = syncPatternGraph({ width, height, fps: FPS, label: CENTRE });
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', graph, '-t', String(durationS)];
  args.push('-map', '0:0', ...sourceEncoderArgs('video', { fps: FPS }), '-map', '0:1', ...sourceEncoderArgs('audio', {}), '-y', file);
  await run('ffmpeg', args);
}

// ---------------------------------------------------------------------------------------------------------
// The recorder's processes: CPU and RSS from /proc

interface ProcSample {
  pid: number;
  name: string;
  ticks: number;
  rssBytes: number;
}

/** What a recorder's child is, from its command line: the mixer, the file or HLS writer, a track archive. */
function roleOf(pid: number, comm: string): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (args.includes('-filter_complex_script')) return 'mixer';
  if (args.includes('hls')) return 'hls';
  if (args.includes('mp4')) return 'file';
  if (args.includes('webm')) return 'track';
  return comm;
}

function procSample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = roleOf(pid, stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { pid, name, ticks: Number(fields[11]) + Number(fields[12]), rssBytes: Number(rss ?? 0) * 1024 };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The recorder (Node) and its children (ffmpeg), at one instant. */
function sampleRecorder(pid: number): { at: number; recorder?: ProcSample; children: ProcSample[] } {
  const children = childrenOf(pid)
    .map(procSample)
    .filter((s): s is ProcSample => s !== undefined);
  return { at: performance.now(), recorder: procSample(pid), children };
}

type RecorderSample = ReturnType<typeof sampleRecorder>;

/** CPU % of one core and RSS (MiB) between two samples, for the recorder and its ffmpeg children (same pids). */
function usage(a: RecorderSample, b: RecorderSample) {
  const seconds = (b.at - a.at) / 1000;
  const cpu = (x?: ProcSample, y?: ProcSample) =>
    x && y && x.pid === y.pid ? round(((y.ticks - x.ticks) / CLK_TCK / seconds) * 100, 1) : Number.NaN;
  const mib = (x?: ProcSample) => (x ? round(x.rssBytes / 2 ** 20, 1) : Number.NaN);
  const both = b.children.filter((c) => a.children.some((x) => x.pid === c.pid));
  const ticks = (list: ProcSample[]) => list.reduce((sum, c) => sum + c.ticks, 0);
  const before = a.children.filter((x) => both.some((c) => c.pid === x.pid));
  return {
    windowS: round(seconds, 1),
    recorder: { cpuPercent: cpu(a.recorder, b.recorder), rssMiB: mib(b.recorder) },
    /** The children alive over the whole window: CPU together, RSS together at its end. */
    childrenTotal: {
      count: both.length,
      cpuPercent: round(((ticks(both) - ticks(before)) / CLK_TCK / seconds) * 100, 1),
      rssMiB: round(both.reduce((sum, c) => sum + c.rssBytes, 0) / 2 ** 20, 1),
    },
    children: b.children.map((c) => ({
      pid: c.pid,
      name: c.name,
      cpuPercent: cpu(
        a.children.find((x) => x.pid === c.pid),
        c,
      ),
      rssMiB: mib(c),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The points

/** Publishes the sync pattern from a point (the same plain transport and producers as HeadlessPoint.publish). */
async function publishSync(point: HeadlessPoint, maxDurationMs: number): Promise<{ source: FfmpegSource; socket: UdpSocket }> {
  const caps = point.welcome.routerRtpCapabilities as RtpCapabilities;
  const pt = (mime: string) => {
    const codec = caps.codecs?.find((c) => c.mimeType.toLowerCase() === mime);
    if (!codec) throw new Error(`router offers no ${mime}`);
    return codec.preferredPayloadType;
  };
  const info = await point.call('media.createTransport', { direction: 'send', type: 'plain' });
  if (info.type !== 'plain') throw new Error('no plain transport');
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const key = newSrtpKey();
  await point.call('media.connectTransport', { transportId: info.id, srtpParameters: key });
  const ssrc = () => 0x1000 + Math.floor(Math.random() * 0x7fff0000);
  const audio = { ssrc: ssrc(), payloadType: pt('audio/opus') };
  const video = { ssrc: ssrc(), payloadType: pt('video/vp8') };
  const cname = `${point.pointId}-sync`;
  const audioParameters: RtpParameters = {
    codecs: [{ mimeType: 'audio/opus', payloadType: audio.payloadType, clockRate: 48000, channels: 2 }],
    encodings: [{ ssrc: audio.ssrc }],
    rtcp: { cname },
  };
  const videoParameters: RtpParameters = {
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: video.payloadType,
        clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
      },
    ],
    encodings: [{ ssrc: video.ssrc, scalabilityMode: 'L1T1' }],
    rtcp: { cname },
  };
  await point.call('media.produce', { transportId: info.id, kind: 'audio', source: 'microphone', rtpParameters: audioParameters });
  await point.call('media.produce', { transportId: info.id, kind: 'video', source: 'camera', rtpParameters: videoParameters });
  const source = new FfmpegSource({
    socket,
    remote: { ip: info.ip, port: info.port },
    key,
    label: point.pointId,
    audio,
    video,
    width,
    height,
    fps: FPS,
    pattern: 'sync',
    maxDurationMs,
  });
  const srtcp = new SrtcpDecryptor(info.srtpParameters);
  socket.on('message', (packet) => {
    try {
      source.handleRtcp(srtcp.unprotect(packet));
    } catch {
      // not SRTCP from the hub
    }
  });
  await source.start();
  return { source, socket };
}

// ---------------------------------------------------------------------------------------------------------
// The run

if (values.analyse) {
  // Only the analysis of a file kept from an earlier run (--keep).
  console.log(JSON.stringify(await analyse(values.analyse), null, 2));
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'diemcau-bench-soak-'));
const baselineFile = join(work, 'source.mkv');
console.log(`baseline: the sync pattern ${width}x${height} encoded straight to a file, ${baselineS} s`);
await encodeSource(baselineFile, baselineS);
const baseline = await analyse(baselineFile);

const { hub, url } = await startBenchHub(1, { DIEMCAU_RECORDING: '1', DIEMCAU_RECORDING_MIN_FREE_MB: '64' });
const points: HeadlessPoint[] = [];
const maxSendMs = (seconds + 120) * 1000;
let syncSource: { source: FfmpegSource; socket: UdpSocket } | undefined;
let recordingFile = '';
const result: Record<string, unknown> = {};
try {
  const join_ = async (pointId: string, role: 'host' | 'technician') => {
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, seconds + 600);
    const point = await HeadlessPoint.join(url, token, { label: `${pointId}/${role}`, maxSendMs });
    points.push(point);
    return point;
  };
  const host = await join_(CENTRE, 'host');
  syncSource = await publishSync(host, maxSendMs);
  if (floorEvery > 0) {
    const district = await join_(DISTRICT, 'technician');
    await district.publish({ audio: true, video: true, media: 'ffmpeg', width: 640, height: 360, fps: FPS });
  }
  await host.call('conference.setStatus', { status: 'live' });
  const view = (): Promise<RecordingView> => host.call('recording.view', {});
  const waitForView = async (what: string, ok: (v: RecordingView) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let last: RecordingView | undefined;
    while (Date.now() < deadline) {
      last = await view();
      if (ok(last)) return last;
      await sleep(200);
    }
    throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
  };
  await host.call('recording.start', {});
  await waitForView('the recorder writing', (v) => v.recorder === 'running' && v.writtenMs > 0, 30_000);
  const conference = hub.conferences.get(CONF);
  if (!conference) throw new Error(`no conference ${CONF}`);
  const pid = hub.recording.of(conference).recorderPid;
  if (pid === undefined) throw new Error('no recorder process');
  console.log(`recording ${seconds} s (recorder pid ${pid}${floorEvery > 0 ? `, the floor moving every ${floorEvery} s` : ''})`);

  const startedAt = performance.now();
  const sent0 = { audio: syncSource.source.sent.audio, keyFrames: syncSource.source.keyFramesSent };
  const samples: RecorderSample[] = [sampleRecorder(pid)];
  let floorHeld = false;
  let switches = 0;
  let nextFloor = floorEvery > 0 ? floorEvery : Number.POSITIVE_INFINITY;
  const sampleEvery = Math.min(10, windowS / 4);
  let nextSample = sampleEvery;
  let nextReport = 60;
  for (;;) {
    const elapsed = (performance.now() - startedAt) / 1000;
    if (elapsed >= seconds) break;
    if (elapsed >= nextFloor) {
      if (floorHeld) await host.call('floor.revoke', {});
      else await host.call('floor.grant', { pointId: DISTRICT, seconds: Math.max(30, floorEvery * 2) });
      floorHeld = !floorHeld;
      switches++;
      nextFloor += floorEvery;
    }
    if (elapsed >= nextSample) {
      samples.push(sampleRecorder(pid));
      nextSample += sampleEvery;
    }
    if (elapsed >= nextReport) {
      const v = await view();
      console.log(`  ${Math.round(elapsed)} s: written ${Math.round(v.writtenMs / 1000)} s, ${v.fps} fps, recorder ${v.recorder}`);
      nextReport += 60;
    }
    await sleep(Math.min(250, Math.max(10, (seconds - elapsed) * 1000)));
  }
  samples.push(sampleRecorder(pid));
  const stopOrderedAt = Date.now();
  const recordedS = (performance.now() - startedAt) / 1000;
  // Whether the centre's ffmpeg kept up (the relay stamps arrivals: a starved source shows as the recorder's jitter).
  const sourceKeptUp = {
    audioPackets: syncSource.source.sent.audio - sent0.audio,
    audioPacketsExpected: Math.round(recordedS * 50),
    keyFrames: syncSource.source.keyFramesSent - sent0.keyFrames,
    keyFramesExpected: Math.round(recordedS),
  };
  await host.call('recording.stop', {});
  const done = await waitForView('the file measured', (v) => v.files.some((f) => f.kind === 'programme' && f.sha256 !== null), 60_000);
  const stored = done.files.find((f) => f.kind === 'programme');
  if (!stored) throw new Error('no programme file');
  recordingFile = join(hub.recording.root, CONF, stored.name);
  const wallS = (stopOrderedAt - stored.startedAt) / 1000;

  // Usage over the first and the last window: the first sample windowS after the start, the last one windowS before the end.
  const s0 = samples[0] as RecorderSample;
  const sEnd = samples.at(-1) as RecorderSample;
  const afterStart = samples.find((s) => s.at >= s0.at + windowS * 1000) ?? sEnd;
  const beforeEnd = samples.findLast((s) => s.at <= sEnd.at - windowS * 1000) ?? s0;
  const usageStart = usage(s0, afterStart);
  const usageEnd = usage(beforeEnd, sEnd);
  const errors = [...(syncSource.source.errors ?? []), ...points.flatMap((p) => [...p.errors, ...(p.ffmpeg?.errors ?? [])])];

  console.log(`analysing ${recordingFile} (${round((stored.bytes ?? 0) / 2 ** 20)} MiB)`);
  const recording = await analyse(recordingFile);
  const drift = round(recording.offsetDriftMsPer10Min - baseline.offsetDriftMsPer10Min, 2);
  const recorderMinusBaseline = {
    offsetStartMs: round(recording.offsetStartMs - baseline.offsetMedianMs, 1),
    offsetEndMs: round(recording.offsetEndMs - baseline.offsetMedianMs, 1),
    offsetDriftMsPer10Min: drift,
  };
  const fileMinusWallMs = round((recording.durationS - wallS) * 1000);
  Object.assign(result, {
    machine: machine(),
    settings: { seconds, floorEvery, size: `${width}x${height}`, fps: FPS, baselineS, windowS, pattern: SYNC_PATTERN, smoke },
    wall: { recordingS: round(wallS, 3), fileDurationS: recording.durationS, fileMinusWallMs },
    floorSwitches: switches,
    sourceKeptUp,
    baseline: { ...baseline, offsets: undefined },
    recording: { ...recording, offsets: undefined },
    recorderMinusBaseline,
    usage: { start: usageStart, end: usageEnd },
    /** Every sample: seconds into the recording, RSS (MiB) of the recorder and of its mixer ffmpeg. */
    rssSeries: samples.map((x) => [
      round((x.at - s0.at) / 1000),
      round((x.recorder?.rssBytes ?? 0) / 2 ** 20, 1),
      round((x.children.find((c) => c.name === 'mixer')?.rssBytes ?? 0) / 2 ** 20, 1),
    ]),
    offsets: recording.offsets,
    sourceErrors: errors,
  });
  const row = (name: string, a: Analysis) => ({
    file: name,
    'length s': a.durationS,
    periods: a.periods,
    flashes: a.flashes,
    beeps: a.beeps,
    pairs: a.pairs,
    outliers: a.outliers,
    'A−V start ms': a.offsetStartMs,
    'A−V end ms': a.offsetEndMs,
    'median ms': a.offsetMedianMs,
    'p5..p95 ms': `${a.offsetP5Ms}..${a.offsetP95Ms}`,
    'trend ms/10min': a.offsetDriftMsPer10Min,
    'video clock ppm': a.videoClock.ppm,
    'audio clock ppm': a.audioClock.ppm,
    'flash frames': Object.entries(a.flashFrames)
      .map(([k, n]) => `${k}:${n}`)
      .join(' '),
    'frozen ≥1 s': `${a.frozen.stretches} (${a.frozen.seconds} s)`,
    'v gaps>60ms': a.packets.video.gapsOver60ms,
    'a gaps>60ms': a.packets.audio.gapsOver60ms,
  });
  console.log('');
  printTable([row('source (baseline)', baseline), row('recording', recording)]);
  console.log('');
  const d = recorderMinusBaseline;
  console.log(`recorder − baseline: A−V at start ${d.offsetStartMs} ms, at end ${d.offsetEndMs} ms, drift ${drift} ms per 10 min`);
  console.log(`file ${recording.durationS} s against ${round(wallS, 3)} s of wall clock, start to the stop order (${fileMinusWallMs} ms)`);
  const u = (x: ReturnType<typeof usage>) =>
    [
      `recorder ${x.recorder.cpuPercent} % ${x.recorder.rssMiB} MiB`,
      ...x.children.map((c) => `${c.name} ${c.pid} ${c.cpuPercent} % ${c.rssMiB} MiB`),
    ].join('; ');
  console.log(`usage, first ${usageStart.windowS} s: ${u(usageStart)}`);
  console.log(`usage, last ${usageEnd.windowS} s: ${u(usageEnd)}`);
  const k = sourceKeptUp;
  console.log(`centre source: ${k.audioPackets}/${k.audioPacketsExpected} Opus packets, ${k.keyFrames}/${k.keyFramesExpected} key frames`);
  if (errors.length > 0) console.log(`source errors: ${errors.join(' | ')}`);
} finally {
  syncSource?.source.stop();
  syncSource?.socket.close();
  for (const p of points) await p.close();
  await hub.close('bench over');
  if (!values.keep) {
    rmSync(work, { recursive: true, force: true });
    if (recordingFile) rmSync(join(hub.recording.root, CONF), { recursive: true, force: true });
  } else console.log(`kept: ${work}, ${recordingFile}`);
}
const file = writeResult(smoke ? 'recording-soak-smoke' : 'recording-soak', result);
console.log('');
console.log(
  JSON.stringify(
    { ...result, rssSeries: '(in the file)', offsets: `${(result.offsets as unknown[] | undefined)?.length ?? 0} pairs (in ${file})` },
    null,
    2,
  ),
);
