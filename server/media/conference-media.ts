// A conference's media: one router per worker (created with the first session), each session's transports
// on one of them in turn, so a conference spreads its consumers over every core. Every producer is piped
// to every other router once (pipeToRouter). Audio levels of producers are observed per router.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../logger.ts';
import { mediaCodecs } from './codecs.ts';
import { PeerMedia } from './peer-media.ts';
import type { WorkerPool } from './worker-pool.ts';

export interface MediaSettings {
  listenIp: string;
  announcedAddress: string | undefined;
  rtcMinPort: number;
  rtcMaxPort: number;
}

export interface ConferenceMediaEvents {
  /** Audible producers, loudest first (dBov); an empty list means silence. */
  levels: [levels: Array<{ producerId: string; volume: number }>];
}

interface RouterSlot {
  router: types.Router;
  levels: types.AudioLevelObserver;
}

export class ConferenceMedia extends EventEmitter<ConferenceMediaEvents> {
  readonly settings: MediaSettings;
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #slots = new Map<types.Worker, Promise<RouterSlot>>();
  readonly #piped = new Map<string, Promise<void>>();
  #closed = false;

  constructor(pool: WorkerPool, settings: MediaSettings, logger: Logger) {
    super();
    this.#pool = pool;
    this.settings = settings;
    this.#logger = logger;
  }

  /** The codecs and header extensions of this conference's routers (identical on every router). */
  async capabilities(): Promise<types.RtpCapabilities> {
    return (await this.#slot(this.#pool.next())).router.rtpCapabilities;
  }

  /** Opens the media side of one session on the next worker in turn. */
  async openPeer(logger: Logger): Promise<PeerMedia> {
    // Every worker gets its router with the first session, so that producers can be piped ahead.
    await Promise.all(this.#pool.live().map((worker) => this.#slot(worker)));
    const slot = await this.#slot(this.#pool.next());
    return new PeerMedia(this, slot.router, logger);
  }

  /** Routers in use, for monitoring and tests. */
  async routers(): Promise<types.Router[]> {
    return Promise.all([...this.#slots.values()].map(async (s) => (await s).router));
  }

  /** Makes `producer` (living on `source`) consumable on `target`; a no-op when they are the same. */
  async pipe(producer: types.Producer, source: types.Router, target: types.Router): Promise<void> {
    if (source === target) return;
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
    await Promise.all(routers.map((target) => this.pipe(producer, source, target)));
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
    for (const slot of this.#slots.values()) {
      const { router } = await slot.catch(() => ({ router: undefined }));
      router?.close();
    }
    this.#slots.clear();
    this.removeAllListeners();
  }

  #slot(worker: types.Worker): Promise<RouterSlot> {
    let slot = this.#slots.get(worker);
    if (!slot) {
      slot = (async () => {
        const router = await worker.createRouter({ mediaCodecs });
        const levels = await router.createAudioLevelObserver({ maxEntries: 64, threshold: -70, interval: 500 });
        levels.on('volumes', (volumes) =>
          this.emit('levels', volumes.map((v) => ({ producerId: v.producer.id, volume: v.volume }))),
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
