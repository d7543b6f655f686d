// Runs the recorder of one conference as its own process (never in the hub's event loop) while the
// conference needs the programme mix, and brings it back when it dies: at once, then with a growing pause
// when it keeps dying. The recorder and its ffmpeg children share a process group, killed whole when the
// recorder ends, so nothing it started outlives it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';

const RECORDER_MAIN = fileURLToPath(new URL('../recorder/main.ts', import.meta.url));
/** Pauses before bringing a dead recorder back: the first at once, then growing, at most 10 s. */
const RESTART_DELAYS_MS = [0, 500, 1000, 2000, 5000, 10_000];
/** A recorder that ran this long is healthy again: its next death restarts it at once. */
const HEALTHY_AFTER_MS = 30_000;
/** A recorder asked to stop gets this long to close its files before it is killed. */
const STOP_GRACE_MS = 8000;
/** Deaths in a row after which the hub shows the recorder as failed (it keeps trying). */
const FAILED_AFTER = 4;

export interface RecorderLaunch {
  /** The hub as the recorder reaches it (loopback). */
  hubUrl: string;
  token: string;
  /** The recordings folder (absolute). */
  dir: string;
  videoKbps: number;
}

export interface SupervisorEvents {
  /** A recorder process was spawned. */
  started(pid: number): void;
  /** It ended; `again`: the supervisor will start another. */
  exited(info: { code: number | null; signal: string | null; again: boolean; deaths: number }): void;
}

export class RecorderSupervisor {
  readonly #launch: () => Promise<RecorderLaunch>;
  readonly #disabled: () => string | undefined;
  readonly #events: SupervisorEvents;
  readonly #logger: Logger;
  #child: ChildProcess | undefined;
  #wanted = false;
  #deaths = 0;
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #exited: Promise<void> = Promise.resolve();
  #launching = false;

  /** `disabled`: why no recorder may run on this hub now (undefined: it may). */
  constructor(launch: () => Promise<RecorderLaunch>, events: SupervisorEvents, logger: Logger, disabled: () => string | undefined) {
    this.#launch = launch;
    this.#disabled = disabled;
    this.#events = events;
    this.#logger = logger.child({ part: 'recorder' });
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** The recorder's process id while one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Deaths in a row (reset once a recorder stayed up for a while). */
  get deaths(): number {
    return this.#deaths;
  }

  get failing(): boolean {
    return this.#deaths >= FAILED_AFTER;
  }

  /** Keeps a recorder running (true) or stops it gracefully (false). */
  want(on: boolean): void {
    this.#wanted = on;
    if (on && !this.#child && !this.#timer && !this.#launching) {
      const why = this.#disabled();
      if (why) this.#logger.warn({ why }, 'no recorder on this hub');
      else void this.#spawn();
    }
    if (!on) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#stop();
    }
  }

  /** Stops the recorder and waits until it and its children are gone. */
  async close(): Promise<void> {
    this.want(false);
    await this.#exited;
  }

  async #spawn(): Promise<void> {
    this.#timer = undefined;
    this.#launching = true;
    let launch: RecorderLaunch;
    try {
      launch = await this.#launch();
    } catch (error) {
      this.#logger.error({ err: error }, 'no credential for the recorder');
      return;
    } finally {
      this.#launching = false;
    }
    if (!this.#wanted || this.#child) return;
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', RECORDER_MAIN], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DIEMCAU_RECORDER_HUB: launch.hubUrl,
        DIEMCAU_RECORDER_TOKEN: launch.token,
        DIEMCAU_RECORDER_DIR: launch.dir,
        DIEMCAU_RECORDER_VIDEO_KBPS: String(launch.videoKbps),
      },
    });
    this.#child = child;
    this.#startedAt = Date.now();
    let resolveExit = (): void => undefined;
    this.#exited = new Promise((resolve) => (resolveExit = resolve));
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.#logger.info({ recorder: line.slice(0, 2000) }, 'recorder says');
      });
    }
    child.on('error', (error) => this.#logger.error({ err: error }, 'recorder could not start'));
    child.on('exit', (code, signal) => {
      this.#killGroup(child);
      this.#child = undefined;
      const ranMs = Date.now() - this.#startedAt;
      this.#deaths = ranMs >= HEALTHY_AFTER_MS ? 1 : this.#deaths + 1;
      const again = this.#wanted;
      if (again) {
        const delay = RESTART_DELAYS_MS[Math.min(this.#deaths - 1, RESTART_DELAYS_MS.length - 1)] ?? 10_000;
        this.#logger.warn({ code, signal, ranMs, deaths: this.#deaths, delay }, 'recorder ended; starting it again');
        this.#timer = setTimeout(() => this.#spawn(), delay);
      } else {
        this.#deaths = 0;
        this.#logger.info({ code, signal }, 'recorder stopped');
      }
      this.#events.exited({ code, signal, again, deaths: this.#deaths });
      resolveExit();
    });
    if (child.pid !== undefined) {
      this.#logger.info({ pid: child.pid }, 'recorder started');
      this.#events.started(child.pid);
    }
  }

  #stop(): void {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => this.#killGroup(child), STOP_GRACE_MS);
    child.once('exit', () => clearTimeout(timer));
  }

  /** Kills the recorder's whole process group (it and the ffmpeg processes it started). */
  #killGroup(child: ChildProcess): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }
}
