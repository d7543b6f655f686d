// The programme's outputs with real ffmpeg and Debian's nginx-rtmp: a real-time MPEG-TS like the mixer's
// (H.264 with a key frame every 2 s, AAC) fanned out to a fragmented MP4 that stays playable when its writer
// is killed, an HLS playlist, and RTMP pushes that go live, retry while the server is gone and come back.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgrammeOutputs, type RtmpState } from '../../server/recorder/outputs.ts';
import { NginxRtmp } from '../helpers/nginx-rtmp.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function probe(target: string): Promise<{ streams: Array<Record<string, unknown>>; format: { duration?: string } }> {
  const args = ['-v', 'error', '-rw_timeout', '5000000', '-show_streams', '-show_format', '-of', 'json', target];
  const { stdout } = await run('ffprobe', args, { timeout: 15_000 });
  return JSON.parse(stdout);
}

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('programme outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diemcau-outputs-'));
  const nginx = new NginxRtmp();
  let source: ChildProcess | undefined;
  let outputs: ProgrammeOutputs | undefined;
  const states: RtmpState[] = [];

  beforeAll(async () => {
    const video = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-b:v', '800k'];
    const args = [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25'],
      ...['-re', '-f', 'lavfi', '-i', 'sine=f=440:r=48000', ...video, '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k'],
      ...['-f', 'mpegts', 'pipe:1'],
    ];
    source = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    outputs = new ProgrammeOutputs(source.stdout as Readable);
    outputs.on('rtmp', (s) => states.push(s));
    await nginx.start();
  });

  afterAll(async () => {
    await outputs?.close();
    source?.kill('SIGKILL');
    await nginx.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a fragmented MP4 that is playable after SIGKILL, and one stopped properly, with HLS alongside', async () => {
    const out = outputs as ProgrammeOutputs;
    const hls = join(dir, 'hls');
    out.startHls(hls);
    // A push to a port nobody listens on must not hold anything back.
    out.setRtmp('dead', 'rtmp://127.0.0.1:9/live/x', true);
    const killedPath = join(dir, 'killed.mp4');
    const killed = out.startFile(killedPath);
    await sleep(5500);
    const pid = out.recording?.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, 'SIGKILL');
    const killedInfo = await killed;
    expect(killedInfo.exit.signal).toBe('SIGKILL');
    const k = await probe(killedPath);
    expect(k.streams.map((s) => s['codec_name']).sort()).toEqual(['aac', 'h264']);
    expect(Number(k.format.duration)).toBeGreaterThan(2);

    const stoppedPath = join(dir, 'stopped.mp4');
    const stopped = out.startFile(stoppedPath);
    await sleep(4500);
    const info = await out.stopFile();
    expect(info).toEqual(await stopped);
    expect(info?.exit.code).toBe(0);
    expect(info?.bytes).toBeGreaterThan(100_000);
    expect(info?.durationMs).toBeGreaterThan(3000);
    const s = await probe(stoppedPath);
    expect(s.streams.find((x) => x['codec_type'] === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(Math.abs(Number(s.format.duration) * 1000 - (info?.durationMs ?? 0))).toBeLessThan(1500);

    const playlist = readFileSync(join(hls, 'index.m3u8'), 'utf8');
    expect(playlist).toMatch(/#EXT-X-TARGETDURATION:2/);
    const segments = readdirSync(hls).filter((f) => f.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(3);
    // Old segments are deleted: the playlist stays short.
    expect((playlist.match(/#EXTINF/g) ?? []).length).toBeLessThanOrEqual(4);
    expect(states.filter((x) => x.id === 'dead').map((x) => x.state)).toContain('retrying');
    expect(states.find((x) => x.id === 'dead' && x.state === 'retrying')?.error).toBe('ECONNREFUSED');
    await out.removeRtmp('dead');
    await out.stopHls();
    // A stopped stream is not left to be served as if live.
    expect(existsSync(join(hls, 'index.m3u8'))).toBe(false);
  }, 40_000);

  it('pushes to nginx-rtmp, retries while the server is gone and goes live again on its return', async () => {
    const out = outputs as ProgrammeOutputs;
    const tv = () => states.filter((x) => x.id === 'tv');
    out.setRtmp('tv', nginx.url('programme'), true);
    await until('live', () => tv().at(-1)?.state === 'live');
    const live = await probe(nginx.url('programme'));
    expect(live.streams.map((x) => x['codec_name']).sort()).toEqual(['aac', 'h264']);

    await nginx.stop();
    await until('retrying', () => tv().at(-1)?.state === 'retrying');
    await sleep(1500);
    await nginx.start();
    const since = tv().length;
    await until(
      'live again',
      () =>
        tv()
          .slice(since)
          .some((x) => x.state === 'live'),
      20_000,
    );
    const retries = tv().filter((x) => x.state === 'retrying');
    expect(retries[0]?.attempt).toBe(1);

    out.setRtmp('tv', nginx.url('programme'), false);
    expect(tv().at(-1)?.state).toBe('off');
  }, 40_000);
});
