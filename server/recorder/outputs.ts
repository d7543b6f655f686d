// The programme's outputs: the mixer's MPEG-TS fanned out to one ffmpeg per output, each copying it
// (no re-encoding) into a fragmented MP4 recording, an HLS live playlist, or an RTMP(S) push (rtmp-push.ts).
// The source is always read (flowing), so the mixer never waits: every output gets whole TS packets, and one
// that is slow or dead has its packets dropped beyond a bounded buffer instead of holding the others back.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../logger.ts';
import { SafeEmitter } from '../safe-emitter.ts';
import { type ExitInfo, TsSink } from './ffmpeg.ts';
import { RtmpPush, type RtmpPushOptions, type RtmpState, redactUrl } from './rtmp-push.ts';

export type { RtmpState } from './rtmp-push.ts';

const TS_PACKET = 188;

export interface FileInfo {
  path: string;
  bytes: number;
  /** Media time written, from the writer's progress. */
  durationMs: number;
  startedAt: number;
  stoppedAt: number;
  /** The writer's exit (a writer killed still leaves a playable file: fragments every 2 s). */
  exit: ExitInfo;
  droppedBytes: number;
}

export interface OutputsOptions {
  log?: Logger;
  /** Per output, bytes buffered for a child before its packets are dropped (file 16 MiB, HLS 4 MiB, RTMP 2 MiB). */
  fileBufferBytes?: number;
  hlsBufferBytes?: number;
  rtmpBufferBytes?: number;
  /** HLS: segment length in s (default 2) and playlist length in segments (default 4). */
  hlsSegmentSeconds?: number;
  hlsListSize?: number;
  rtmpBackoffMs?: RtmpPushOptions['backoffMs'];
}

export interface OutputsEvents {
  rtmp: [RtmpState];
  /** An HLS or file writer exited without being asked to. */
  failed: [{ output: 'file' | 'hls'; exit: ExitInfo }];
}

/** ffmpeg output arguments of the recording: fragmented MP4, a fragment per key frame (2 s). */
export function fileArgs(path: string): string[] {
  const mp4 = ['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4'];
  // ADTS (as in MPEG-TS) to the MP4 form of AAC: ffmpeg 5.1 does not insert it itself here.
  return ['-map', '0', '-c', 'copy', '-bsf:a', 'aac_adtstoasc', ...mp4, '-y', path];
}

/** ffmpeg output arguments of the HLS live playlist `index.m3u8` in `dir`. */
export function hlsArgs(dir: string, segmentSeconds: number, listSize: number): string[] {
  return [
    ...['-map', '0', '-c', 'copy', '-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_list_size', String(listSize)],
    ...['-hls_flags', 'delete_segments+independent_segments+temp_file', '-hls_delete_threshold', '2'],
    ...['-hls_segment_filename', join(dir, 'seg-%06d.ts'), '-y', join(dir, 'index.m3u8')],
  ];
}

/**
 * Removes a playlist and its segments: a stopped stream is not served as if it were live (its playlist, ended,
 * would play its last seconds again and again), and a new one does not begin with the old one's segments.
 */
function clearHls(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (/^(index\.m3u8|seg-\d+\.ts)(\.tmp)?$/.test(name)) rmSync(join(dir, name), { force: true });
}

interface Writer {
  sink: TsSink;
  stopping: boolean;
}

export class ProgrammeOutputs extends SafeEmitter<OutputsEvents> {
  readonly #source: Readable;
  readonly #options: OutputsOptions;
  readonly #log: Logger;
  readonly #onData = (chunk: Buffer) => this.#fanOut(chunk);
  readonly #onEnd = () => void this.close();
  #rest: Buffer = Buffer.alloc(0);
  #file: (Writer & { path: string; startedAt: number; info: Promise<FileInfo> }) | null = null;
  #hls: (Writer & { dir: string }) | null = null;
  readonly #rtmp = new Map<string, RtmpPush>();
  #closed = false;

  constructor(source: Readable, options: OutputsOptions = {}) {
    const log = options.log ?? pino({ level: 'silent' });
    super(log);
    this.#log = log;
    this.#source = source;
    this.#options = options;
    source.on('data', this.#onData);
    source.once('end', this.#onEnd);
  }

  /**
   * Starts recording the programme to `path` (fragmented MP4; one recording at a time). Resolves with the
   * file's info once the writer has exited: stopped by stopFile() or close(), or failed.
   */
  startFile(path: string): Promise<FileInfo> {
    if (this.#closed) return Promise.reject(new Error('the outputs are closed'));
    if (this.#file) return Promise.reject(new Error('a recording is already being written'));
    const sink = new TsSink(fileArgs(path), this.#options.fileBufferBytes ?? 16 << 20);
    const startedAt = Date.now();
    const writer = { sink, stopping: false, path, startedAt } as Writer & { path: string; startedAt: number };
    const info = sink.process.exited.then((exit): FileInfo => {
      if (this.#file?.sink === sink) this.#file = null;
      if (!writer.stopping) this.emit('failed', { output: 'file', exit });
      let bytes = 0;
      try {
        bytes = statSync(path).size;
      } catch {}
      const durationMs = sink.lastProgress?.outTimeMs ?? 0;
      return {
        path,
        bytes,
        durationMs: Number.isFinite(durationMs) ? durationMs : 0,
        startedAt,
        stoppedAt: Date.now(),
        exit,
        droppedBytes: sink.droppedBytes,
      };
    });
    this.#file = { ...writer, info };
    this.#log.info({ path }, 'recording started');
    return info;
  }

  /** Stops the recording (its writer finishes the file); resolves with its info, null when none. */
  async stopFile(): Promise<FileInfo | null> {
    const file = this.#file;
    if (!file) return null;
    file.stopping = true;
    this.#file = null;
    await file.sink.stop();
    return file.info;
  }

  /** The recording being written: its path, start and writer's process id. */
  get recording(): { path: string; startedAt: number; pid: number | undefined; writtenMs: number | null } | null {
    const f = this.#file;
    if (!f) return null;
    const written = f.sink.lastProgress?.outTimeMs;
    const writtenMs = written !== undefined && Number.isFinite(written) ? written : null;
    return { path: f.path, startedAt: f.startedAt, pid: f.sink.process.child.pid, writtenMs };
  }

  /** Starts the HLS playlist `index.m3u8` in `dir` (2 s segments, the last few kept). */
  startHls(dir: string): void {
    if (this.#closed) throw new Error('the outputs are closed');
    if (this.#hls) throw new Error('HLS is already on');
    mkdirSync(dir, { recursive: true });
    clearHls(dir);
    const o = this.#options;
    const sink = new TsSink(hlsArgs(dir, o.hlsSegmentSeconds ?? 2, o.hlsListSize ?? 4), o.hlsBufferBytes ?? 4 << 20);
    const hls = { sink, stopping: false, dir };
    this.#hls = hls;
    sink.process.exited.then((exit) => {
      if (this.#hls === hls) this.#hls = null;
      if (!hls.stopping) this.emit('failed', { output: 'hls', exit });
    });
  }

  async stopHls(): Promise<void> {
    const hls = this.#hls;
    if (!hls) return;
    hls.stopping = true;
    this.#hls = null;
    await hls.sink.stop();
    clearHls(hls.dir);
  }

  /** Adds or changes a push: a new address restarts it; `enabled: false` stops it (state 'off'). */
  setRtmp(id: string, url: string, enabled: boolean): void {
    if (!/^rtmps?:\/\//i.test(url)) throw new Error(`not an rtmp:// or rtmps:// address: ${redactUrl(url)}`);
    let push = this.#rtmp.get(id);
    if (!push) {
      push = new RtmpPush(id, url, {
        maxBufferedBytes: this.#options.rtmpBufferBytes ?? 2 << 20,
        onState: (state) => {
          this.#log.info({ ...state, url: redactUrl(push?.url ?? url) }, 'rtmp push');
          this.emit('rtmp', state);
        },
        backoffMs: this.#options.rtmpBackoffMs,
      });
      this.#rtmp.set(id, push);
    }
    const running = push.state.state !== 'off';
    if (!enabled || this.#closed) {
      if (running) void push.stop();
    } else if (!running || push.url !== url) {
      push.start(url);
    }
  }

  async removeRtmp(id: string): Promise<void> {
    const push = this.#rtmp.get(id);
    if (!push) return;
    this.#rtmp.delete(id);
    await push.stop();
  }

  rtmpStates(): RtmpState[] {
    return [...this.#rtmp.values()].map((p) => p.state);
  }

  /** Stops every output (the recording is finished properly) and lets go of the source. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.off('data', this.#onData);
    this.#source.off('end', this.#onEnd);
    const pushes = [...this.#rtmp.keys()].map((id) => this.removeRtmp(id));
    await Promise.all([this.stopFile(), this.stopHls(), ...pushes]);
  }

  /** Cuts the stream into whole TS packets and hands them to every output. */
  #fanOut(chunk: Buffer): void {
    const data = this.#rest.length ? Buffer.concat([this.#rest, chunk]) : chunk;
    const whole = data.length - (data.length % TS_PACKET);
    this.#rest = Buffer.from(data.subarray(whole));
    if (whole === 0) return;
    const packets = data.subarray(0, whole);
    this.#file?.sink.write(packets);
    this.#hls?.sink.write(packets);
    for (const push of this.#rtmp.values()) push.write(packets);
  }
}
