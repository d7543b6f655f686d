// The registry of hubs in a cascade (issue #16, first slice): each hub that is not alone (role origin or edge)
// writes its entry to Redis with a short expiry and renews it by heartbeat, so every hub can list the live
// ones and a hub that dies drops out by itself. Conference state is not here: its authority stays the
// origin's SQLite (one write path, its transaction with the event-log row); Redis carries only what is
// about the hubs themselves and, later, messages between them. One hub alone (the default) needs no Redis.
import { createClient } from 'redis';
import type { Logger } from '../logger.ts';

export type HubRole = 'origin' | 'edge';

export interface HubEntry {
  hubId: string;
  role: HubRole;
  region: string;
  /** Where points and other hubs reach it (http(s)://host:port). */
  url: string;
  startedAt: number;
  /** The last heartbeat (epoch ms). */
  beatAt: number;
}

export interface RegistryOptions {
  redisUrl: string;
  self: Omit<HubEntry, 'startedAt' | 'beatAt'>;
  /** Renewal period; an entry lives three periods. */
  heartbeatMs?: number;
  /** Key prefix (tests use their own). */
  prefix?: string;
}

const HEARTBEAT_MS = 2000;

export class HubRegistry {
  readonly #client: ReturnType<typeof createClient>;
  readonly #self: HubEntry;
  readonly #heartbeatMs: number;
  readonly #prefix: string;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #healthy = false;

  constructor(options: RegistryOptions, logger: Logger) {
    this.#self = { ...options.self, startedAt: Date.now(), beatAt: 0 };
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.#prefix = options.prefix ?? 'diemcau';
    this.#logger = logger.child({ part: 'cascade', hubId: options.self.hubId });
    // Reconnect with a growing pause (at most 2 s), for as long as the hub runs.
    this.#client = createClient({ url: options.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
    this.#client.on('error', (error: Error) => {
      if (this.#healthy) this.#logger.warn({ err: error.message }, 'redis unreachable: the hub goes on, its entry is renewed on return');
      this.#healthy = false;
    });
  }

  get self(): HubEntry {
    return { ...this.#self };
  }

  /** Connects, writes this hub's entry and starts the heartbeat. */
  async start(): Promise<void> {
    await this.#client.connect();
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat(), this.#heartbeatMs);
    this.#timer.unref();
  }

  /** Every hub whose entry is still alive, this one included, by id. */
  async live(): Promise<HubEntry[]> {
    const ids = (await this.#client.sMembers(this.#set())).sort();
    if (ids.length === 0) return [];
    const values = await this.#client.mGet(ids.map((id) => this.#key(id)));
    const gone = ids.filter((_, i) => values[i] === null);
    if (gone.length > 0) await this.#client.sRem(this.#set(), gone);
    return values.filter((v): v is string => typeof v === 'string').map((v) => JSON.parse(v) as HubEntry);
  }

  /** Stops the heartbeat; `leave` also removes the entry at once (a clean stop; a crash just lets it expire). */
  async close(leave = true): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (!this.#client.isOpen) return;
    try {
      if (leave && this.#client.isReady) {
        await this.#client.del(this.#key(this.#self.hubId));
        await this.#client.sRem(this.#set(), this.#self.hubId);
      }
    } finally {
      this.#client.destroy();
    }
  }

  async #beat(): Promise<void> {
    if (!this.#client.isReady) return;
    this.#self.beatAt = Date.now();
    try {
      await this.#client
        .multi()
        .set(this.#key(this.#self.hubId), JSON.stringify(this.#self), { PX: this.#heartbeatMs * 3 })
        .sAdd(this.#set(), this.#self.hubId)
        .exec();
      if (!this.#healthy) this.#logger.info({ role: this.#self.role, region: this.#self.region }, 'hub registered in redis');
      this.#healthy = true;
    } catch (error) {
      this.#healthy = false;
      this.#logger.warn({ err: (error as Error).message }, 'heartbeat not written');
    }
  }

  #key(hubId: string): string {
    return `${this.#prefix}:hub:${hubId}`;
  }

  #set(): string {
    return `${this.#prefix}:hubs`;
  }
}
