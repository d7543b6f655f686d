// The conferences this hub serves, loaded at start from JSON specs (the demo ones in config/demo/).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConferenceSpec } from '../../shared/domain.ts';
import type { Logger } from '../logger.ts';
import { ConferenceMedia, type MediaSettings } from '../media/conference-media.ts';
import type { WorkerPool } from '../media/worker-pool.ts';
import { Conference } from './conference.ts';

/** Reads and validates every `*.json` conference spec in `dir`; throws naming the file and the field. */
export function loadSpecs(dir: string): ConferenceSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const result = ConferenceSpec.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(`conference spec ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
      }
      const spec = result.data;
      const ids = new Set(spec.points.map((p) => p.id));
      if (ids.size !== spec.points.length) throw new Error(`conference spec ${file}: duplicate point ids`);
      if (!ids.has(spec.centralPointId)) throw new Error(`conference spec ${file}: centralPointId is not a point`);
      for (const p of spec.points) {
        if (p.parentId !== null && !ids.has(p.parentId)) throw new Error(`conference spec ${file}: ${p.id} has unknown parent`);
      }
      return spec;
    });
}

export class ConferenceRegistry {
  readonly #conferences = new Map<string, Conference>();
  readonly #pool: WorkerPool;
  readonly #settings: MediaSettings;
  readonly #logger: Logger;

  constructor(pool: WorkerPool, settings: MediaSettings, logger: Logger) {
    this.#pool = pool;
    this.#settings = settings;
    this.#logger = logger;
  }

  add(spec: ConferenceSpec): Conference {
    if (this.#conferences.has(spec.id)) throw new Error(`conference ${spec.id} exists already`);
    const media = new ConferenceMedia(this.#pool, this.#settings, this.#logger.child({ conferenceId: spec.id }));
    const conference = new Conference(spec, media, this.#logger);
    this.#conferences.set(spec.id, conference);
    return conference;
  }

  get(id: string): Conference | undefined {
    return this.#conferences.get(id);
  }

  list(): Conference[] {
    return [...this.#conferences.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.list().map((c) => c.close()));
  }
}
