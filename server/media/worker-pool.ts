// The hub's mediasoup workers: one process per core. The pool owns them, replaces a worker that dies
// (reporting the death and then the replacement upward by typed events), and closes them all (waiting
// for each process to be gone) on shutdown.
import { EventEmitter } from 'node:events';
import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { WorkerHealth } from '../../shared/health.ts';
import type { Logger } from '../logger.ts';

const HOW_TO_GET_ONE =
  'Run `npm run setup` to download or build it (README, "Offline install"), ' +
  'or set MEDIASOUP_WORKER_BIN to a mediasoup-worker binary of version ' +
  mediasoup.version +
  '.';

export class WorkerUnavailableError extends Error {
  override readonly name = 'WorkerUnavailableError';
}

export interface WorkerPoolOptions {
  count: number;
  logLevel: types.WorkerLogLevel;
}

export interface WorkerPoolEvents {
  /** A worker died: its routers (and everything on them) are closed already. */
  workerdied: [{ pid: number; error: Error; worker: types.Worker }];
  /** A new worker took the place of a dead one. */
  workerreplaced: [{ diedPid: number; worker: types.Worker }];
}

/** Delay before another attempt when a replacement worker fails to start (capped backoff, never gives up). */
const RESPAWN_MIN_MS = 200;
const RESPAWN_MAX_MS = 5000;

interface Slot {
  readonly worker: types.Worker;
  readonly startedAt: Date;
  alive: boolean;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  /** The binary mediasoup spawns (MEDIASOUP_WORKER_BIN or the one inside the package). */
  static readonly workerBin: string = mediasoup.workerBin;

  readonly #slots: Slot[] = [];
  readonly #logger: Logger;
  #next = 0;
  #closed = false;
  #logLevel: types.WorkerLogLevel = 'warn';
  /** Dead workers whose replacement has not started yet. */
  #replacing = 0;
  #replaced = 0;

  private constructor(logger: Logger) {
    super();
    this.#logger = logger;
    // Every open conference listens for deaths and replacements.
    this.setMaxListeners(0);
  }

  /** Checks the worker binary, then starts `count` workers; throws WorkerUnavailableError if it can't. */
  static async start(options: WorkerPoolOptions, logger: Logger): Promise<WorkerPool> {
    const bin = WorkerPool.workerBin;
    let resolved: string;
    try {
      await access(bin, constants.X_OK);
      resolved = await realpath(bin);
    } catch {
      throw new WorkerUnavailableError(`mediasoup worker binary missing or not executable at ${bin}. ${HOW_TO_GET_ONE}`);
    }

    const pool = new WorkerPool(logger.child({ component: 'workers' }));
    pool.#logLevel = options.logLevel;
    try {
      for (let i = 0; i < options.count; i++) await pool.#spawn(options.logLevel);
    } catch (error) {
      await pool.close();
      throw new WorkerUnavailableError(
        `mediasoup worker ${resolved} failed to start (${(error as Error).message}). ${HOW_TO_GET_ONE}`,
      );
    }
    pool.#logger.info(
      { workerBin: bin, resolvedBin: resolved, mediasoupVersion: mediasoup.version, pids: pool.#slots.map((s) => s.worker.pid) },
      'media workers started',
    );
    return pool;
  }

  async #spawn(logLevel: types.WorkerLogLevel): Promise<types.Worker> {
    const worker = await mediasoup.createWorker({ logLevel });
    const slot: Slot = { worker, startedAt: new Date(), alive: true };
    this.#slots.push(slot);
    worker.on('died', (error) => {
      slot.alive = false;
      this.#logger.error({ pid: worker.pid, err: error }, 'media worker died');
      this.#replacing++;
      this.emit('workerdied', { pid: worker.pid, error, worker });
      void this.#replace(slot);
    });
    return worker;
  }

  /** Starts a worker in the place of a dead one, trying again with a capped backoff until it works. */
  async #replace(dead: Slot): Promise<void> {
    for (let delay = RESPAWN_MIN_MS; !this.#closed; delay = Math.min(delay * 2, RESPAWN_MAX_MS)) {
      try {
        const worker = await this.#spawn(this.#logLevel);
        if (this.#closed) {
          worker.close();
          return;
        }
        this.#slots.splice(this.#slots.indexOf(dead), 1);
        this.#replacing--;
        this.#replaced++;
        this.#logger.warn({ diedPid: dead.worker.pid, pid: worker.pid, replaced: this.#replaced }, 'media worker replaced');
        this.emit('workerreplaced', { diedPid: dead.worker.pid, worker });
        return;
      } catch (error) {
        this.#logger.error({ err: error, retryInMs: delay }, 'media worker replacement failed to start');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Workers that died and were replaced since the start. */
  get replacedCount(): number {
    return this.#replaced;
  }

  /** Dead workers whose replacement is still starting. */
  get replacingCount(): number {
    return this.#replacing;
  }

  /** Resolves once at least one worker is alive (at once, unless every worker died together). */
  async whenLive(): Promise<void> {
    while (this.live().length === 0) {
      if (this.#closed) throw new WorkerUnavailableError('the worker pool is closed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Live workers in round-robin order, for spreading routers over cores. */
  next(): types.Worker {
    const live = this.#slots.filter((s) => s.alive);
    if (live.length === 0) throw new WorkerUnavailableError('no live mediasoup worker');
    const slot = live[this.#next++ % live.length] as Slot;
    return slot.worker;
  }

  /** Every live worker. */
  live(): types.Worker[] {
    return this.#slots.filter((s) => s.alive).map((s) => s.worker);
  }

  health(): WorkerHealth[] {
    return this.#slots.map((s) => ({
      pid: s.worker.pid,
      alive: s.alive && !s.worker.closed,
      version: mediasoup.version,
      startedAt: s.startedAt.toISOString(),
    }));
  }

  /** Closes every worker and waits (up to 3 s) until each process has exited. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pids = this.#slots.map((s) => s.worker.pid);
    for (const slot of this.#slots) slot.worker.close();
    const deadline = Date.now() + 3000;
    while (pids.some((pid) => !processGone(pid)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const left = pids.filter((pid) => !processGone(pid));
    if (left.length > 0) this.#logger.warn({ pids: left }, 'media workers still running after close');
    else this.#logger.info({ pids }, 'media workers closed');
  }
}
