// One RTMP or RTMPS push of the programme (a TV station, a streaming platform): an ffmpeg copying the
// mixer's MPEG-TS into FLV towards the address, restarted after a failure with a backoff of 1, 2, 4 … 30 s.
// States: 'connecting' (started, nothing sent yet), 'live' (data flows: the child's written size grows),
// 'retrying' (failed, waiting for the next attempt; `error` says why), 'off' (stopped by the host).
// A push that stalls (no growth for STALL_MS while live, or never live after CONNECT_MS) is killed and retried.
import { type Progress, TsSink, errorCode } from './ffmpeg.ts';

export type RtmpStateName = 'connecting' | 'live' | 'retrying' | 'off';

export interface RtmpState {
  id: string;
  state: RtmpStateName;
  /** Attempts since the push was last live (1 for the first). */
  attempt: number;
  /** Why the last attempt failed: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, ENOTFOUND, TLS, REJECTED, STALLED, EXIT_n… */
  error?: string;
}

export interface RtmpPushOptions {
  maxBufferedBytes: number;
  onState: (state: RtmpState) => void;
  /** Backoff steps in ms (default 1, 2, 4 … 30 s). */
  backoffMs?: (attempt: number) => number;
}

const STALL_MS = 8000;
const CONNECT_MS = 20_000;
const WATCH_MS = 1000;

export function defaultBackoff(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** The ffmpeg output arguments of a push. */
export function rtmpArgs(url: string): string[] {
  return ['-map', '0', '-c', 'copy', '-f', 'flv', '-flvflags', 'no_duration_filesize', '-rw_timeout', '10000000', url];
}

/** The address without its stream key, for logs and states. */
export function redactUrl(url: string): string {
  const m = /^(rtmps?:\/\/[^/]+\/[^/?]+)/i.exec(url);
  return m ? `${m[1]}/…` : 'rtmp://…';
}

export class RtmpPush {
  readonly id: string;
  #url: string;
  readonly #options: RtmpPushOptions;
  #sink: TsSink | null = null;
  #state: RtmpState;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #watch: ReturnType<typeof setInterval> | undefined;
  #attempt = 0;
  /** Written size at the last growth, and when. */
  #size = 0;
  #grewAt = 0;
  #startedAt = 0;
  #stopped = true;

  constructor(id: string, url: string, options: RtmpPushOptions) {
    this.id = id;
    this.#url = url;
    this.#options = options;
    this.#state = { id, state: 'off', attempt: 0 };
  }

  get url(): string {
    return this.#url;
  }

  get state(): RtmpState {
    return { ...this.#state };
  }

  /** Starts pushing (again from attempt 1), to `url` when given. */
  start(url = this.#url): void {
    this.#url = url;
    this.#halt();
    this.#stopped = false;
    this.#attempt = 0;
    this.#launch();
  }

  write(chunk: Buffer): void {
    this.#sink?.write(chunk);
  }

  /** Stops pushing: state 'off'. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const sink = this.#halt();
    this.#set({ id: this.id, state: 'off', attempt: 0 });
    if (sink) await sink.stop(2000);
  }

  /** Kills the child and clears the timers; returns the child that was running. */
  #halt(): TsSink | null {
    clearTimeout(this.#retry);
    clearInterval(this.#watch);
    this.#retry = undefined;
    this.#watch = undefined;
    const sink = this.#sink;
    this.#sink = null;
    return sink;
  }

  #launch(): void {
    this.#attempt++;
    const sink = new TsSink(rtmpArgs(this.#url), this.#options.maxBufferedBytes, (p) => this.#onProgress(sink, p));
    this.#sink = sink;
    this.#size = 0;
    this.#startedAt = Date.now();
    this.#grewAt = this.#startedAt;
    this.#set({ id: this.id, state: 'connecting', attempt: this.#attempt });
    this.#watch = setInterval(() => this.#check(sink), WATCH_MS);
    sink.process.exited.then((info) => {
      if (this.#sink !== sink) return;
      this.#failed(errorCode(info));
    });
  }

  #onProgress(sink: TsSink, p: Progress): void {
    if (this.#sink !== sink) return;
    const size = Number.isFinite(p.totalSize) ? p.totalSize : 0;
    if (size > this.#size) {
      this.#size = size;
      this.#grewAt = Date.now();
      if (this.#state.state === 'connecting' && p.outTimeMs > 0) {
        this.#attempt = 0;
        this.#set({ id: this.id, state: 'live', attempt: 0 });
      }
    }
  }

  #check(sink: TsSink): void {
    if (this.#sink !== sink) return;
    const now = Date.now();
    const live = this.#state.state === 'live';
    if ((live && now - this.#grewAt > STALL_MS) || (!live && now - this.#startedAt > CONNECT_MS)) this.#failed('STALLED');
  }

  #failed(error: string): void {
    const sink = this.#halt();
    sink?.kill();
    if (this.#stopped) return;
    const attempt = Math.max(1, this.#attempt);
    this.#set({ id: this.id, state: 'retrying', attempt, error });
    const delay = (this.#options.backoffMs ?? defaultBackoff)(attempt);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#stopped) this.#launch();
    }, delay);
  }

  #set(state: RtmpState): void {
    this.#state = state;
    this.#options.onState({ ...state });
  }
}
