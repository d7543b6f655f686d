// The files of a recording on disk: the free space of the disk they go to, and a closed file's measures
// (size, duration read by Debian's ffprobe, SHA-256 streamed from disk without blocking the event loop).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat, statfs } from 'node:fs/promises';

/** Free bytes for an unprivileged writer on the disk that holds `dir` (created if missing). */
export async function freeBytes(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Runs ffprobe and answers its standard output, or null when it fails or takes too long. */
function ffprobe(args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn('ffprobe', ['-v', 'error', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? out : null);
    });
  });
}

/**
 * The file's duration in ms as ffprobe reads its container, or, for a file cut short (a WebM whose writer was
 * killed has no duration in its header), from its last packet; null when it cannot be read.
 */
export async function probeDurationMs(file: string, timeoutMs = 20_000): Promise<number | null> {
  const format = await ffprobe(['-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file], timeoutMs);
  const seconds = Number.parseFloat(format?.trim() ?? '');
  if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const packets = await ffprobe(['-select_streams', '0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], timeoutMs);
  const times = (packets ?? '')
    .split('\n')
    .map((line) => Number.parseFloat(line))
    .filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.round(Math.max(...times) * 1000) : null;
}

/** Hex SHA-256 of the whole file, read in chunks. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface FileMeasures {
  bytes: number;
  durationMs: number | null;
  sha256: string;
}

/** Size, duration and hash of a closed file. */
export async function measureFile(file: string): Promise<FileMeasures> {
  const [info, durationMs, sha256] = await Promise.all([stat(file), probeDurationMs(file), sha256File(file)]);
  return { bytes: info.size, durationMs, sha256 };
}
