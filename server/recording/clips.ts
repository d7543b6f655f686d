// Cutting a clip from a programme file with Debian's ffmpeg, without re-encoding: the cut starts at the key
// frame at or before `fromMs` (the mix has one every 2 s), so a clip starts at most 2 s early, never late.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export async function cutClip(source: string, target: string, fromMs: number, toMs: number, timeoutMs = 120_000): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const args = [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', seconds(fromMs), '-to', seconds(toMs), '-i', source],
    ...['-map', '0', '-c', 'copy', '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', '-f', 'mp4', '-y', target],
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg cut ended with ${code}: ${stderr.trim()}`));
    });
  });
}
