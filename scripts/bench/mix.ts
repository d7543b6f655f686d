// The programme mix at 720p25: CPU of the mixer's ffmpeg (utime + stime from /proc/<pid>/stat over a window)
// and the time from start to its first written frame, against a baseline measured in the same run: a plain
// transcode of the same main stream (VP8 720p → H.264, same encoder settings, one Opus → AAC) from the same
// RTP input. Both read the four streams a real-time ffmpeg sender produces (main 1280×720 VP8, second
// 640×360 VP8, two Opus), like the recorder's relay. The mix switches composition every 2 s while measured.
//
//   npm run bench:mix -- [--seconds 20] [--warmup 5]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnFfmpeg, stopFfmpeg } from '../../server/recorder/ffmpeg.ts';
import { COMPOSITIONS } from '../../server/recorder/mixer-graph.ts';
import { ProgrammeMixer } from '../../server/recorder/mixer.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, warmup: { type: 'string', default: '5' } } });
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const TICKS = 100; // USER_HZ
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function sdp(base: number): string {
  const video = (p: number) => [`m=video ${p} RTP/AVPF 96`, 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack', 'a=rtcp-fb:96 nack pli'];
  const audio = (p: number) => [`m=audio ${p} RTP/AVP 111`, 'a=rtpmap:111 opus/48000/2'];
  const media = [0, 2, 4, 6].flatMap((o, i) => [...(i < 2 ? video(base + o) : audio(base + o)), `a=rtcp:${base + o + 1}`, 'a=recvonly']);
  return [...['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=bench', 'c=IN IP4 127.0.0.1', 't=0 0'], ...media, ''].join('\r\n');
}

function senders(base: number): ChildProcess {
  const sources = ['testsrc2=s=1280x720:r=25', 'testsrc2=s=640x360:r=25', 'sine=f=440:r=48000', 'sine=f=660:r=48000'];
  const inputs = sources.flatMap((s) => ['-re', '-f', 'lavfi', '-i', s]);
  const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '50', '-b:v', '1500k', '-payload_type', '96'];
  const opus = ['-c:a', 'libopus', '-b:a', '48k', '-ac', '2', '-payload_type', '111'];
  const outputs = [0, 1, 2, 3].flatMap((i) => [
    ...['-map', String(i), ...(i < 2 ? vp8 : opus), '-ssrc', String(7000 + i)],
    ...['-f', 'rtp', `rtp://127.0.0.1:${base + 2 * i}?rtcpport=${base + 2 * i + 1}`],
  ]);
  return spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...inputs, ...outputs], { stdio: 'ignore' });
}

interface Result {
  name: string;
  firstFrameMs: number;
  cpuPercent: number;
  fps: number;
  speed: number;
}

async function measure(pid: number, progress: () => { fps: number; speed: number } | null): Promise<Omit<Result, 'name' | 'firstFrameMs'>> {
  await sleep(warmup * 1000);
  const t0 = process.hrtime.bigint();
  const c0 = cpuTicks(pid);
  await sleep((seconds - warmup) * 1000);
  const c1 = cpuTicks(pid);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const p = progress();
  return { cpuPercent: ((c1 - c0) / TICKS / wall) * 100, fps: p?.fps ?? Number.NaN, speed: p?.speed ?? Number.NaN };
}

async function runMix(dir: string, base: number): Promise<Result> {
  const mixer = new ProgrammeMixer({ sdp: sdp(base), workDir: join(dir, 'mix'), texts: { lowerThird: 'Điểm cầu huyện Xuân Lộc' } });
  mixer.ts.resume();
  await mixer.start();
  const sender = senders(base);
  try {
    const firstFrameMs = await mixer.firstFrame;
    let i = 0;
    const timer = setInterval(() => mixer.setComposition(COMPOSITIONS[++i % COMPOSITIONS.length] ?? 'single'), 2000);
    const m = await measure(mixer.pid as number, () => mixer.lastProgress);
    clearInterval(timer);
    return { name: 'programme mix (5 compositions, texts)', firstFrameMs, ...m };
  } finally {
    sender.kill('SIGKILL');
    await mixer.stop();
  }
}

async function runBaseline(dir: string, base: number): Promise<Result> {
  const file = join(dir, 'baseline.sdp');
  writeFileSync(file, sdp(base));
  let last: { fps: number; speed: number; frame: number } | null = null;
  let first = 0;
  const started = Date.now();
  const args = [
    ...['-hide_banner', '-nostats', '-progress', 'pipe:3', '-stats_period', '0.5', '-protocol_whitelist', 'file,udp,rtp'],
    ...['-analyzeduration', '500000', '-probesize', '100000', '-reinit_filter', '0', '-i', file, '-map', '0:0', '-map', '0:2'],
    ...['-vf', 'fps=25', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-b:v', '3000k', '-maxrate', '3000k'],
    ...['-bufsize', '6000k', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000'],
    ...['-f', 'mpegts', '-y', '/dev/null'],
  ];
  const p = spawnFfmpeg(args, {
    onProgress: (pr) => {
      last = pr;
      if (!first && pr.frame > 0) first = Date.now() - started;
    },
  });
  const sender = senders(base);
  try {
    while (!first && p.running) await sleep(20);
    const m = await measure(p.child.pid as number, () => last);
    return { name: 'baseline: VP8 720p → H.264 + Opus → AAC', firstFrameMs: first, ...m };
  } finally {
    sender.kill('SIGKILL');
    await stopFfmpeg(p, 'q', 3000);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'diemcau-bench-mix-'));
try {
  const base = 30_000 + 8 * Math.floor(Math.random() * 2000);
  const baseline = await runBaseline(dir, base);
  const mix = await runMix(dir, base + 8);
  const rows = [baseline, mix];
  console.log(`window ${seconds - warmup} s after ${warmup} s; ffmpeg CPU in % of one core (2 cores = 200 %)`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(42)} cpu ${r.cpuPercent.toFixed(0).padStart(4)} %  first frame ${String(r.firstFrameMs).padStart(5)} ms` +
        `  fps ${r.fps}  speed ${r.speed}`,
    );
  }
  const cpu = (mix.cpuPercent / baseline.cpuPercent).toFixed(2);
  console.log(`mix ÷ baseline: CPU ×${cpu}, first frame ×${(mix.firstFrameMs / baseline.firstFrameMs).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
