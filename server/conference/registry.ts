// The conferences this hub serves, loaded at start from JSON specs (the demo ones in config/demo/, which are
// also the organiser page's templates), and an organiser's edits applied to them (editing.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { Logger } from '../logger.ts';
import { ConferenceMedia } from '../media/conference-media.ts';
import type { MediaSettings } from '../media/peer-media.ts';
import type { WorkerPool } from '../media/worker-pool.ts';
import { refuse } from '../errors.ts';
import type { StoredConference } from '../store/conferences.ts';
import { Conference, type ConferenceStores } from './conference.ts';
import { applyInUse, currentSpec, type EditSummary, storeEdit, type WithinEdit } from './editing.ts';
import { parseConferenceSpec } from './spec.ts';

/** The shipped seed plans: the demo conferences, and the organiser page's templates. */
export const DEMO_DIR = fileURLToPath(new URL('../../config/demo/', import.meta.url));

/** Reads and checks every `*.json` conference spec in `dir`; throws naming the file and the field. */
export function loadSpecs(dir: string): ConferenceSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      try {
        return parseConferenceSpec(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      } catch (error) {
        throw new Error(`conference spec ${file}: ${(error as Error).message}`);
      }
    });
}

export class ConferenceRegistry {
  readonly #conferences = new Map<string, Conference>();
  readonly #pool: WorkerPool;
  readonly #settings: MediaSettings;
  readonly #logger: Logger;
  readonly #stores: ConferenceStores;

  constructor(pool: WorkerPool, settings: MediaSettings, stores: ConferenceStores, logger: Logger) {
    this.#pool = pool;
    this.#settings = settings;
    this.#stores = stores;
    this.#logger = logger;
  }

  /** Stores a new conference and opens it; conflict if the id is taken. */
  create(input: unknown): Conference {
    const spec = parseConferenceSpec(input);
    if (this.#stores.conferences.has(spec.id)) {
      throw refuse('conference.exists', { conferenceId: spec.id }, `conference ${spec.id} exists already`);
    }
    this.#stores.conferences.insert(spec);
    return this.get(spec.id) as Conference;
  }

  /** Stores `spec` unless a conference with its id exists (demo data on every start). */
  seed(spec: ConferenceSpec): void {
    if (!this.#stores.conferences.has(spec.id)) this.#stores.conferences.insert(spec);
  }

  /** Opens every stored conference. */
  openAll(): void {
    for (const stored of this.#stores.conferences.loadAll()) this.#open(stored);
  }

  /** A conference by id, opened from the store on first use (the CLI may have created it). */
  get(id: string): Conference | undefined {
    const open = this.#conferences.get(id);
    if (open) return open;
    const stored = this.#stores.conferences.load(id);
    return stored ? this.#open(stored) : undefined;
  }

  /**
   * An edit before anyone uses the conference (mode full, checked by the caller): stored, then the open
   * conference (no session on it) closed and opened again from the store. Parts kept by the hub follow its
   * status through the listeners, which move to the new one.
   */
  async replace(conference: Conference, next: ConferenceSpec, actor: Actor, within?: WithinEdit): Promise<EditSummary> {
    const summary = storeEdit(this.#stores, currentSpec(conference), next, actor, within);
    const stored = this.#stores.conferences.load(next.id);
    if (!stored) throw new Error(`conference ${next.id} vanished from the store`);
    this.#conferences.delete(next.id);
    const reopened = this.#open(stored);
    for (const listener of conference.statusListeners) reopened.statusListeners.add(listener);
    await conference.close();
    return summary;
  }

  /** An edit while the conference is in use (mode in_use, checked by the caller): applied in place, nobody dropped. */
  edit(conference: Conference, next: ConferenceSpec, actor: Actor, within?: WithinEdit): EditSummary {
    return applyInUse(conference, this.#stores, next, actor, within);
  }

  list(): Conference[] {
    return [...this.#conferences.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.list().map((c) => c.close()));
  }

  #open(stored: StoredConference): Conference {
    const id = stored.spec.id;
    const logger = this.#logger.child({ conferenceId: id });
    const media = new ConferenceMedia(this.#pool, this.#settings, logger);
    const conference = new Conference(stored, this.#stores, media, this.#logger);
    this.#conferences.set(id, conference);
    return conference;
  }
}
