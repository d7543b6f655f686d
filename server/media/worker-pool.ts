// The hub's mediasoup workers: one process per core. The pool owns them, reports a death upward by a
// typed event, and closes them all (waiting for each process to be gone) on shutdown.
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
  workerdied: [{ pid: number; error: Error }];
}

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

  private constructor(logger: Logger) {
    super();
    this.#logger = logger;
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

  async #spawn(logLevel: types.WorkerLogLevel): Promise<void> {
    const worker = await mediasoup.createWorker({ logLevel });
    const slot: Slot = { worker, startedAt: new Date(), alive: true };
    this.#slots.push(slot);
    worker.on('died', (error) => {
      slot.alive = false;
      this.#logger.error({ pid: worker.pid, err: error }, 'media worker died');
      this.emit('workerdied', { pid: worker.pid, error });
    });
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
