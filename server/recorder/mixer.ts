// The programme mixer: one long-running ffmpeg that reads the relay's four RTP streams (an SDP file), draws
// the hall's stage (mixer-graph.ts) and writes MPEG-TS (H.264 1280×720 25 fps, a key frame every 2 s, AAC
// 48 kHz stereo) on its stdout, which `ts` carries to the outputs (outputs.ts). It is never restarted for a
// change: compositions and gains are filter commands sent on ffmpeg's stdin, texts are files drawtext reads
// again every few frames (replaced atomically with a rename).
//
// Quirks: ffmpeg reads one key from stdin per 100 ms, so commands leave here one per 110 ms (a later command
// for the same filter replaces one still queued); stdin interaction stays on because no input is stdin.
// `-reinit_filter 0` keeps the graph when a source changes resolution (the fit is scale+pad with eval=frame).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../logger.ts';
import { SafeEmitter } from '../safe-emitter.ts';
import { type ExitInfo, type FfmpegProcess, type Progress, spawnFfmpeg, stopFfmpeg } from './ffmpeg.ts';
import { type Composition, compositionCommands, filterGraph, swapCommand, type TextFile, TEXT_FILES, wrap } from './mixer-graph.ts';

export type { Composition } from './mixer-graph.ts';

export const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const DEJAVU_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface MixerTexts {
  /** The lower third's first line (the speaking point) and second line (the agenda item); '' hides it. */
  lowerThird: string;
  lowerThirdSub: string;
  /** The maket: region line (e.g. "HUYỆN XUÂN LỘC"), heading, subject (wrapped to 3 lines), place and date. */
  bannerRegion: string;
  bannerTitle: string;
  bannerSubtitle: string;
  bannerDate: string;
  /** The host's message in the red band at the bottom of the banner. */
  bannerMessage: string;
  /** The name on the main / second picture while it is a name card ('' for none). */
  cardMain: string;
  cardSecond: string;
}

export type GainOutput = 'centre' | 'floor';

export interface MixerOptions {
  /** The SDP of the relay's four streams (server/recorder/sdp.ts). */
  sdp: string;
  /** Where the SDP, the graph and the text files go (created if missing). */
  workDir: string;
  fontFile?: string;
  boldFontFile?: string;
  videoKbps?: number;
  /** libx264 preset (default veryfast). */
  preset?: string;
  composition?: Composition;
  texts?: Partial<MixerTexts>;
  log?: Logger;
  /** `ts` drops ffmpeg's output beyond this many buffered bytes when nobody reads it (default 8 MiB). */
  maxBufferedBytes?: number;
}

export interface MixerEvents {
  progress: [Progress];
  exit: [ExitInfo];
}

const EMPTY: MixerTexts = {
  lowerThird: '',
  lowerThirdSub: '',
  bannerRegion: '',
  bannerTitle: '',
  bannerSubtitle: '',
  bannerDate: '',
  bannerMessage: '',
  cardMain: '',
  cardSecond: '',
};

const COMMAND_GAP_MS = 110;
const STOP_GRACE_MS = 5000;

/** One line of text as drawtext should get it: NFC (precomposed Vietnamese), no control characters. */
export function cleanLine(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The contents of every text file for the given texts. */
export function textFiles(t: MixerTexts): Record<TextFile, string> {
  const lower = cleanLine(t.lowerThird);
  const sub = cleanLine(t.lowerThirdSub);
  const subject = wrap(cleanLine(t.bannerSubtitle), 46, 3);
  return {
    lower: [lower, sub].filter(Boolean).join('\n'),
    'card-main': cleanLine(t.cardMain),
    'card-second': cleanLine(t.cardSecond),
    'banner-region': cleanLine(t.bannerRegion),
    'banner-title': cleanLine(t.bannerTitle),
    'banner-sub-0': subject[0] ?? '',
    'banner-sub-1': subject[1] ?? '',
    'banner-sub-2': subject[2] ?? '',
    'banner-date': cleanLine(t.bannerDate),
    'banner-message': cleanLine(t.bannerMessage),
  };
}

/** The ffmpeg arguments of the mixer. */
export function mixerArgs(o: { sdpFile: string; graphFile: string; videoKbps: number; preset: string }): string[] {
  const kbps = o.videoKbps;
  return [
    ...['-hide_banner', '-nostats', '-loglevel', 'info', '-progress', 'pipe:3', '-stats_period', '0.5'],
    // Input: RTP from an SDP file; probe little so the first frame comes fast (the SDP says what the codecs
    // are; the frame size comes from the first decoded frame); keep the graph on a resolution change.
    ...['-protocol_whitelist', 'file,udp,rtp', '-sdp_flags', 'rtcp_to_source', '-reorder_queue_size', '64'],
    ...['-analyzeduration', '500000', '-probesize', '100000', '-fflags', '+genpts', '-thread_queue_size', '1024'],
    ...['-reinit_filter', '0', '-i', o.sdpFile],
    ...['-filter_complex_script', o.graphFile, '-map', '[vout]', '-map', '[aout]'],
    ...['-c:v', 'libx264', '-preset', o.preset, '-pix_fmt', 'yuv420p', '-profile:v', 'high'],
    ...['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`],
    // A key frame exactly every 2 s (25 fps), none in between: clips are cut without re-encoding.
    ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-x264-params', 'open-gop=0'],
    ...['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'],
    ...['-max_muxing_queue_size', '1024', '-f', 'mpegts', 'pipe:1'],
  ];
}

export class ProgrammeMixer extends SafeEmitter<MixerEvents> {
  /** The programme as MPEG-TS; ends when ffmpeg exits. */
  readonly ts = new PassThrough({ highWaterMark: 1 << 20 });
  /** Milliseconds from start() to the first frame ffmpeg wrote; rejects if it exits before one. */
  readonly firstFrame: Promise<number>;
  readonly #options: MixerOptions;
  readonly #log: Logger;
  readonly #textDir: string;
  #texts: MixerTexts;
  #composition: Composition;
  #process: FfmpegProcess | null = null;
  #startedAt = 0;
  #lastProgress: Progress | null = null;
  #droppedBytes = 0;
  /** Command lines waiting for their turn, keyed by filter and command (a newer one replaces an older one). */
  readonly #queue = new Map<string, string>();
  #swapped = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #firstFrame!: { resolve: (ms: number) => void; reject: (err: Error) => void };
  #gotFirstFrame = false;
  readonly #replies = { ok: 0, failed: 0 };

  constructor(options: MixerOptions) {
    const log = options.log ?? pino({ level: 'silent' });
    super(log);
    this.#log = log;
    this.#options = options;
    this.#textDir = join(options.workDir, 'text');
    this.#texts = { ...EMPTY, ...options.texts };
    this.#composition = options.composition ?? 'single';
    this.firstFrame = new Promise<number>((resolve, reject) => {
      this.#firstFrame = { resolve, reject };
    });
    this.firstFrame.catch(() => {});
  }

  get composition(): Composition {
    return this.#composition;
  }

  get texts(): Readonly<MixerTexts> {
    return this.#texts;
  }

  get running(): boolean {
    return this.#process?.running === true;
  }

  get pid(): number | undefined {
    return this.#process?.child.pid;
  }

  get lastProgress(): Progress | null {
    return this.#lastProgress;
  }

  /** Bytes of ffmpeg's output dropped because nobody read `ts`. */
  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  /** ffmpeg's replies to the commands sent so far (a failed one is also logged). */
  get commandReplies(): { ok: number; failed: number } {
    return { ...this.#replies };
  }

  /** Writes the SDP, the graph and the texts, and starts ffmpeg (resolves once it runs). */
  async start(): Promise<void> {
    if (this.#process) throw new Error('the mixer is already started');
    const o = this.#options;
    mkdirSync(this.#textDir, { recursive: true });
    this.#writeTexts();
    const sdpFile = join(o.workDir, 'stage.sdp');
    const graphFile = join(o.workDir, 'mixer.graph');
    writeFileSync(sdpFile, o.sdp);
    const graph = filterGraph({
      textDir: this.#textDir,
      font: o.fontFile ?? DEJAVU,
      boldFont: o.boldFontFile ?? o.fontFile ?? DEJAVU_BOLD,
      initial: this.#composition,
    });
    writeFileSync(graphFile, graph);
    const args = mixerArgs({ sdpFile, graphFile, videoKbps: o.videoKbps ?? 3000, preset: o.preset ?? 'veryfast' });
    this.#startedAt = Date.now();
    const p = spawnFfmpeg(args, {
      stdout: true,
      onProgress: (progress) => this.#onProgress(progress),
      onStderrLine: (line) => this.#onStderr(line),
    });
    this.#process = p;
    const max = o.maxBufferedBytes ?? 8 << 20;
    p.stdout?.on('data', (chunk: Buffer) => {
      if (this.ts.readableLength + this.ts.writableLength > max) this.#droppedBytes += chunk.length;
      else this.ts.write(chunk);
    });
    p.exited.then((info) => {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.ts.end();
      if (!this.#gotFirstFrame) this.#firstFrame.reject(new Error(`ffmpeg exited before a frame: ${info.stderr.slice(-3).join(' | ')}`));
      this.#log.info({ code: info.code, signal: info.signal }, 'programme mixer exited');
      this.emit('exit', info);
    });
    await new Promise<void>((resolve, reject) => {
      p.child.once('spawn', resolve);
      p.child.once('error', reject);
    });
    this.#timer = setInterval(() => this.#sendNext(), COMMAND_GAP_MS);
  }

  setComposition(c: Composition): void {
    if (c === this.#composition) return;
    const before = new Set(compositionCommands(this.#composition));
    this.#composition = c;
    // Only the streamselects whose map changes.
    for (const line of compositionCommands(c)) if (!before.has(line)) this.#command(line);
  }

  /** Whether relay stream 1 (`second`) is the main picture now, and stream 0 the second one. */
  setSwap(swapped: boolean): void {
    if (swapped === this.#swapped) return;
    this.#swapped = swapped;
    this.#command(swapCommand(swapped), 'C');
  }

  get swapped(): boolean {
    return this.#swapped;
  }

  setTexts(t: Partial<MixerTexts>): void {
    this.#texts = { ...this.#texts, ...t };
    if (this.#process) this.#writeTexts();
  }

  /** The gain of the centre's or the floor's sound in dB (-Infinity: silent). */
  setGain(output: GainOutput, db: number): void {
    const value = Number.isFinite(db) ? `${Math.min(20, Math.max(-60, db)).toFixed(2)}dB` : '0';
    this.#command(`volume@${output} -1 volume ${value}`);
  }

  /** Asks ffmpeg to finish (`q`), SIGKILL after a grace period. */
  async stop(): Promise<ExitInfo | null> {
    const p = this.#process;
    if (!p) return null;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#queue.clear();
    return stopFfmpeg(p, 'q', STOP_GRACE_MS);
  }

  #writeTexts(): void {
    const files = textFiles(this.#texts);
    for (const name of TEXT_FILES) {
      const path = join(this.#textDir, `${name}.txt`);
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, files[name]);
      renameSync(tmp, path);
    }
  }

  /** Queues a command: `c` for the first filter that takes it, `C` for every filter of that name. */
  #command(line: string, key: 'c' | 'C' = 'c'): void {
    const [target = '', , command = ''] = line.split(' ');
    this.#queue.set(`${target} ${command}`, `${key}${line}`);
  }

  #sendNext(): void {
    const p = this.#process;
    const next = this.#queue.entries().next();
    if (!p?.running || next.done) return;
    const [key, line] = next.value;
    this.#queue.delete(key);
    this.#log.debug({ line }, 'mixer command');
    p.stdin.write(`${line}\n`);
  }

  #onProgress(progress: Progress): void {
    this.#lastProgress = progress;
    if (!this.#gotFirstFrame && progress.frame > 0) {
      this.#gotFirstFrame = true;
      this.#firstFrame.resolve(Date.now() - this.#startedAt);
    }
    this.emit('progress', progress);
  }

  #onStderr(line: string): void {
    const reply = /^Command reply for stream \d+: ret:(-?\d+)/.exec(line);
    if (!reply) return;
    if (Number(reply[1]) >= 0) this.#replies.ok++;
    else {
      this.#replies.failed++;
      this.#log.warn({ line }, 'mixer command failed');
    }
  }
}
