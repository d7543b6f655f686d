// The hub's mediasoup workers: one process per core. The pool owns them, replaces a worker that dies
// (reporting the death and then the replacement upward by typed events), and closes them all on shutdown:
// a replacement still starting is waited for and closed too, and a worker that does not exit within the
// grace period is killed, so no worker process outlives close().
import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { WorkerHealth } from '../../shared/health.ts';
import type { Logger } from '../logger.ts';
import { SafeEmitter } from '../safe-emitter.ts';

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
/**
 * How long close() lets workers exit by themselves before it kills them. A worker normally exits within
 * milliseconds, but one with an ICE-TCP connection whose peer is unreachable (a cut link, a vanished
 * browser) waits for that socket's queued data to drain before it exits: minutes, until TCP gives up.
 */
const CLOSE_GRACE_MS = 3000;

interface Slot {
  readonly worker: types.Worker;
  readonly startedAt: Date;
  alive: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether the worker's process has exited and been reaped (by this process: so its pid cannot have been
 * given to another process yet while this says false).
 */
const exited = (worker: types.Worker): boolean => worker.subprocessClosed || worker.died;

/** Resolves when every worker's process has exited, or at `deadline`; returns the workers still running. */
async function waitExited(workers: types.Worker[], deadline: number): Promise<types.Worker[]> {
  while (workers.some((w) => !exited(w)) && Date.now() < deadline) await sleep(20);
  return workers.filter((w) => !exited(w));
}

export class WorkerPool extends SafeEmitter<WorkerPoolEvents> {
  /** The binary mediasoup spawns (MEDIASOUP_WORKER_BIN or the one inside the package). */
  static readonly workerBin: string = mediasoup.workerBin;

  readonly #slots: Slot[] = [];
  readonly #logger: Logger;
  #next = 0;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Workers being started (createWorker not settled yet): close() waits for them. */
  readonly #starting = new Set<Promise<types.Worker>>();
  /** The workers close() found and stopped (set once it has looked). */
  #collected: Set<types.Worker> | undefined;
  #logLevel: types.WorkerLogLevel = 'warn';
  /** Dead workers whose replacement has not started yet. */
  #replacing = 0;
  #replaced = 0;

  private constructor(logger: Logger) {
    super(logger);
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
      throw new WorkerUnavailableError(`mediasoup worker ${resolved} failed to start (${(error as Error).message}). ${HOW_TO_GET_ONE}`);
    }
    pool.#logger.info(
      { workerBin: bin, resolvedBin: resolved, mediasoupVersion: mediasoup.version, pids: pool.#slots.map((s) => s.worker.pid) },
      'media workers started',
    );
    return pool;
  }

  async #spawn(logLevel: types.WorkerLogLevel): Promise<types.Worker> {
    const starting = mediasoup.createWorker({ logLevel });
    this.#starting.add(starting);
    let worker: types.Worker;
    try {
      worker = await starting;
    } finally {
      this.#starting.delete(starting);
    }
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
          // close() stops the workers it finds once the ones starting have started; one that took longer
          // than it waits is stopped here, the same way.
          if (this.#collected && !this.#collected.has(worker)) await this.#stop([worker]);
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
        await sleep(delay);
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
      await sleep(50);
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

  /**
   * Closes every worker, a replacement still starting included, and waits until each process has exited;
   * one still running after CLOSE_GRACE_MS is killed (SIGKILL). Safe to call twice.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      // A replacement being started ends up in #slots once started: wait for it (not forever: mediasoup
      // never settles createWorker for a worker closed while starting), then close it with the rest.
      if (this.#starting.size > 0) await Promise.race([Promise.allSettled(this.#starting), sleep(CLOSE_GRACE_MS)]);
      const workers = this.#slots.map((s) => s.worker);
      this.#collected = new Set(workers);
      await this.#stop(workers);
    })();
    return this.#closing;
  }

  /** Closes `workers`, waits up to CLOSE_GRACE_MS for their processes to exit, then kills those left. */
  async #stop(workers: types.Worker[]): Promise<void> {
    const pids = workers.map((w) => w.pid);
    for (const worker of workers) worker.close();
    const left = await waitExited(workers, Date.now() + CLOSE_GRACE_MS);
    if (left.length === 0) {
      this.#logger.info({ pids }, 'media workers closed');
      return;
    }
    const leftPids = left.map((w) => w.pid);
    this.#logger.warn({ pids: leftPids, graceMs: CLOSE_GRACE_MS }, 'media workers still running after close: killing them');
    for (const pid of leftPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    const stuck = await waitExited(left, Date.now() + 1000);
    if (stuck.length > 0) this.#logger.error({ pids: stuck.map((w) => w.pid) }, 'media workers still running after SIGKILL');
  }
}
