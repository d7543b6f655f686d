// A conference's media: one router per worker (created with the first session), each session's transports
// on one of them in turn, so a conference spreads its consumers over every core. Every producer is piped
// to every other router once (pipeToRouter). Audio levels of producers are observed per router. When a
// worker dies its router is forgotten and reported (`routerlost`), and the dead worker's replacement gets
// a router of its own at once (`routeradded`), so the conference soon spans every core again.
import type { types } from 'mediasoup';
import type { Logger } from '../logger.ts';
import { SafeEmitter } from '../safe-emitter.ts';
import { mediaCodecs } from './codecs.ts';
import { type MediaSettings, PeerMedia, type PeerMediaOwner } from './peer-media.ts';
import type { WorkerPool } from './worker-pool.ts';

export interface ConferenceMediaEvents {
  /** Audible producers, loudest first (dBov); an empty list means silence. */
  levels: [levels: Array<{ producerId: string; volume: number }>];
  /** A worker died with this conference's router on it: every session on `router` has lost its media. */
  routerlost: [router: types.Router];
  /** A router on a replacement worker is ready: producers elsewhere should be piped to it. */
  routeradded: [router: types.Router];
}

interface RouterSlot {
  router: types.Router;
  levels: types.AudioLevelObserver;
}

export class ConferenceMedia extends SafeEmitter<ConferenceMediaEvents> implements PeerMediaOwner {
  readonly settings: MediaSettings;
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #slots = new Map<types.Worker, Promise<RouterSlot>>();
  readonly #piped = new Map<string, Promise<void>>();
  #closed = false;
  readonly #onWorkerDied = ({ worker }: { worker: types.Worker }): void => void this.#workerDied(worker);
  readonly #onWorkerReplaced = ({ worker }: { worker: types.Worker }): void => void this.#workerReplaced(worker);

  constructor(pool: WorkerPool, settings: MediaSettings, logger: Logger) {
    super(logger);
    this.#pool = pool;
    this.settings = settings;
    this.#logger = logger;
    pool.on('workerdied', this.#onWorkerDied);
    pool.on('workerreplaced', this.#onWorkerReplaced);
  }

  /** Opens the media side of one session on the next worker in turn. */
  async openPeer(logger: Logger): Promise<PeerMedia> {
    await this.#pool.whenLive();
    // Every worker gets its router with the first session, so that producers can be piped ahead.
    await Promise.all(this.#pool.live().map((worker) => this.#slot(worker)));
    const slot = await this.#slot(this.#pool.next());
    return new PeerMedia(this, slot.router, logger);
  }

  /** Routers in use, for monitoring and tests. */
  async routers(): Promise<types.Router[]> {
    const settled = await Promise.allSettled([...this.#slots.values()]);
    return settled.flatMap((s) => (s.status === 'fulfilled' && !s.value.router.closed ? [s.value.router] : []));
  }

  /** Makes `producer` (living on `source`) consumable on `target`; a no-op when they are the same. */
  async pipe(producer: types.Producer, source: types.Router, target: types.Router): Promise<void> {
    if (source === target || producer.closed || source.closed || target.closed) return;
    const key = `${producer.id}>${target.id}`;
    let piping = this.#piped.get(key);
    if (!piping) {
      piping = source.pipeToRouter({ producerId: producer.id, router: target }).then(({ pipeProducer }) => {
        pipeProducer?.observer.once('close', () => this.#piped.delete(key));
      });
      piping.catch(() => this.#piped.delete(key));
      this.#piped.set(key, piping);
    }
    await piping;
  }

  /**
   * Pipes a new producer to every other router of the conference at once, so its RTP and sender reports
   * already flow there when a consumer appears: a simulcast consumer can only pick its layer after it has
   * seen sender reports, and a pipe made on first consume would start the stage on the low layer.
   */
  async pipeEverywhere(producer: types.Producer, source: types.Router): Promise<void> {
    const routers = await this.routers();
    await Promise.all(
      routers.map((target) =>
        this.pipe(producer, source, target).catch((error: unknown) => {
          // A router whose worker died meanwhile needs no pipe (its replacement is piped to on `routeradded`).
          if (!target.closed && !producer.closed) throw error;
        }),
      ),
    );
  }

  /** Adds a microphone producer to its router's audio level observer. */
  async observeLevels(producer: types.Producer, router: types.Router): Promise<void> {
    for (const slot of this.#slots.values()) {
      const { router: r, levels } = await slot;
      if (r === router) await levels.addProducer({ producerId: producer.id });
    }
  }

  /** Closes every router (and so every transport, producer and consumer). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool.off('workerdied', this.#onWorkerDied);
    this.#pool.off('workerreplaced', this.#onWorkerReplaced);
    for (const slot of this.#slots.values()) {
      const { router } = await slot.catch(() => ({ router: undefined }));
      router?.close();
    }
    this.#slots.clear();
    this.removeAllListeners();
  }

  async #workerDied(worker: types.Worker): Promise<void> {
    const slot = this.#slots.get(worker);
    if (!slot || this.#closed) return;
    this.#slots.delete(worker);
    const { router } = await slot.catch(() => ({ router: undefined }));
    if (!router) return;
    for (const key of this.#piped.keys()) if (key.endsWith(`>${router.id}`)) this.#piped.delete(key);
    this.#logger.warn({ routerId: router.id, workerPid: worker.pid }, 'router lost with its worker');
    this.emit('routerlost', router);
  }

  async #workerReplaced(worker: types.Worker): Promise<void> {
    // A conference nobody has joined yet makes its routers with its first session.
    if (this.#closed || this.#slots.size === 0) return;
    try {
      const { router } = await this.#slot(worker);
      this.emit('routeradded', router);
    } catch (error) {
      this.#logger.error({ err: error, workerPid: worker.pid }, 'no router on the replacement worker');
    }
  }

  #slot(worker: types.Worker): Promise<RouterSlot> {
    let slot = this.#slots.get(worker);
    if (!slot) {
      slot = (async () => {
        const router = await worker.createRouter({ mediaCodecs });
        const levels = await router.createAudioLevelObserver({ maxEntries: 64, threshold: -70, interval: 500 });
        levels.on('volumes', (volumes) =>
          this.emit(
            'levels',
            volumes.map((v) => ({ producerId: v.producer.id, volume: v.volume })),
          ),
        );
        levels.on('silence', () => this.emit('levels', []));
        this.#logger.debug({ routerId: router.id, workerPid: worker.pid }, 'router created');
        return { router, levels };
      })();
      slot.catch(() => this.#slots.delete(worker));
      this.#slots.set(worker, slot);
    }
    return slot;
  }
}
