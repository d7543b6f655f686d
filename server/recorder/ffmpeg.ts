// Spawning ffmpeg for the recorder (the programme mixer and its outputs): `-progress` read from a pipe of its
// own (fd 3) and parsed into blocks, the last lines of stderr kept for the exit report, and a graceful stop
// (`q` on stdin, or the end of its input) followed by SIGKILL after a grace period.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export const FFMPEG = process.env['DIEMCAU_FFMPEG'] ?? 'ffmpeg';

/** One `-progress` block. Times in ms; sizes in bytes; NaN where ffmpeg wrote N/A. */
export interface Progress {
  frame: number;
  fps: number;
  /** Output time: how much media has been written. */
  outTimeMs: number;
  totalSize: number;
  speed: number;
  dup: number;
  drop: number;
  /** 'end' on the last block. */
  state: 'continue' | 'end';
  /** When the block arrived (Date.now()). */
  at: number;
}

function num(value: string | undefined): number {
  if (value === undefined || value === 'N/A') return Number.NaN;
  return Number.parseFloat(value);
}

/** Reads `-progress` output (key=value lines, each block closed by `progress=...`) and calls `onBlock`. */
export function progressReader(stream: Readable, onBlock: (p: Progress) => void): void {
  let rest = '';
  let fields: Record<string, string> = {};
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key !== 'progress') {
        fields[key] = value;
        continue;
      }
      // out_time_ms is in microseconds despite its name (an old ffmpeg quirk); out_time_us says so.
      const us = num(fields['out_time_us'] ?? fields['out_time_ms']);
      onBlock({
        frame: num(fields['frame']),
        fps: num(fields['fps']),
        outTimeMs: us / 1000,
        totalSize: num(fields['total_size']),
        speed: num(fields['speed']?.replace(/x$/, '')),
        dup: num(fields['dup_frames']),
        drop: num(fields['drop_frames']),
        state: value === 'end' ? 'end' : 'continue',
        at: Date.now(),
      });
      fields = {};
    }
  });
  stream.on('error', () => {});
}

/** The last `max` lines of a stream (ffmpeg's stderr), for the exit report. */
export class LineTail {
  readonly #lines: string[] = [];
  readonly #max: number;
  #partial = '';

  constructor(stream: Readable, max = 30, onLine?: (line: string) => void) {
    this.#max = max;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      // ffmpeg ends its status line with \r; treat it as a line end too.
      const parts = (this.#partial + chunk).split(/\r?\n|\r/);
      this.#partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        this.#lines.push(line);
        if (this.#lines.length > this.#max) this.#lines.shift();
        onLine?.(line);
      }
    });
    stream.on('error', () => {});
  }

  get lines(): string[] {
    return this.#partial.trim() ? [...this.#lines, this.#partial] : [...this.#lines];
  }
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg wrote on stderr. */
  stderr: string[];
}

export interface FfmpegProcess {
  child: ChildProcess;
  stdin: Writable;
  stdout: Readable | null;
  tail: LineTail;
  /** Resolves when the process has exited (never rejects; a failed spawn resolves with code null). */
  exited: Promise<ExitInfo>;
  readonly running: boolean;
}

export interface SpawnOptions {
  /** Receives each `-progress` block (the args must hold `-progress pipe:3`). */
  onProgress?: (p: Progress) => void;
  /** Whether stdout is a pipe to read (the mixer's MPEG-TS), else ignored. */
  stdout?: boolean;
  onStderrLine?: (line: string) => void;
  tailLines?: number;
}

/** Starts ffmpeg with stdin piped, progress on fd 3, stderr kept. */
export function spawnFfmpeg(args: string[], options: SpawnOptions = {}): FfmpegProcess {
  const child = spawn(FFMPEG, args, {
    stdio: ['pipe', options.stdout ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const stdin = child.stdin as Writable;
  // A child that died makes writes to its stdin fail with EPIPE: that is reported by its exit, not here.
  stdin.on('error', () => {});
  const tail = new LineTail(child.stderr as Readable, options.tailLines ?? 30, options.onStderrLine);
  const progress = child.stdio[3] as Readable | null;
  if (progress) progressReader(progress, options.onProgress ?? (() => {}));
  let running = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      running = false;
      resolve({ code: null, signal: null, stderr: [...tail.lines, String(err)] });
    });
    child.once('close', (code, signal) => {
      running = false;
      resolve({ code, signal, stderr: tail.lines });
    });
  });
  return {
    child,
    stdin,
    stdout: options.stdout ? (child.stdout as Readable) : null,
    tail,
    exited,
    get running() {
      return running;
    },
  };
}

/**
 * Stops ffmpeg gracefully: `q` on stdin (`how: 'q'`, for one that reads commands there) or the end of its
 * stdin (`how: 'eof'`, for one that reads its input there), then SIGKILL when it has not exited after `graceMs`.
 */
export async function stopFfmpeg(p: FfmpegProcess, how: 'q' | 'eof', graceMs = 5000): Promise<ExitInfo> {
  if (p.running && p.stdin.writable) {
    if (how === 'q') p.stdin.write('q');
    p.stdin.end();
  }
  const timer = setTimeout(() => {
    if (p.running) p.child.kill('SIGKILL');
  }, graceMs);
  const info = await p.exited;
  clearTimeout(timer);
  return info;
}

/** A short code for why an ffmpeg output failed, from its last stderr lines. */
export function errorCode(info: Pick<ExitInfo, 'code' | 'signal' | 'stderr'>): string {
  const text = info.stderr.join('\n');
  const known: Array<[RegExp, string]> = [
    [/Connection refused/i, 'ECONNREFUSED'],
    [/Connection reset/i, 'ECONNRESET'],
    [/timed out/i, 'ETIMEDOUT'],
    [/Broken pipe/i, 'EPIPE'],
    [/Name or service not known|Failed to resolve|Temporary failure in name resolution/i, 'ENOTFOUND'],
    [/Network is unreachable|No route to host/i, 'ENETUNREACH'],
    [/TLS|certificate|handshake/i, 'TLS'],
    [/Server error|NetStream\.Publish|Access denied|Unauthorized|403|401/i, 'REJECTED'],
    [/Input\/output error/i, 'EIO'],
  ];
  for (const [re, code] of known) if (re.test(text)) return code;
  if (info.signal) return info.signal;
  return `EXIT_${info.code ?? 'SPAWN'}`;
}

/**
 * An ffmpeg that reads MPEG-TS on its stdin (an output of the programme: file, HLS, RTMP). `write` never
 * blocks and never buffers without limit: while the child is slow (or not reading yet) more than `maxBuffered`
 * bytes, chunks are dropped and counted. Chunks should be whole 188-byte TS packets, so a drop loses packets
 * but never the alignment.
 */
export class TsSink {
  readonly process: FfmpegProcess;
  readonly #maxBuffered: number;
  #dropped = 0;
  #written = 0;
  #lastProgress: Progress | null = null;

  constructor(args: string[], maxBuffered: number, onProgress?: (p: Progress) => void) {
    this.#maxBuffered = maxBuffered;
    const input = ['-hide_banner', '-nostats', '-nostdin', '-loglevel', 'info', '-progress', 'pipe:3', '-stats_period', '0.5'];
    const probe = ['-analyzeduration', '3000000', '-probesize', '5000000', '-f', 'mpegts', '-i', 'pipe:0'];
    this.process = spawnFfmpeg([...input, ...probe, ...args], {
      onProgress: (p) => {
        this.#lastProgress = p;
        onProgress?.(p);
      },
    });
  }

  write(chunk: Buffer): void {
    const stdin = this.process.stdin;
    if (!this.process.running || !stdin.writable || stdin.writableLength > this.#maxBuffered) {
      this.#dropped += chunk.length;
      return;
    }
    this.#written += chunk.length;
    stdin.write(chunk);
  }

  get droppedBytes(): number {
    return this.#dropped;
  }

  get writtenBytes(): number {
    return this.#written;
  }

  get lastProgress(): Progress | null {
    return this.#lastProgress;
  }

  /** Ends its input, so that it finishes what it has; SIGKILL after `graceMs`. */
  stop(graceMs = 5000): Promise<ExitInfo> {
    return stopFfmpeg(this.process, 'eof', graceMs);
  }

  kill(): void {
    if (this.process.running) this.process.child.kill('SIGKILL');
  }
}
