// The recording of every conference on this hub: one ConferenceRecording per conference, made when first
// needed, each with a supervisor that runs its recorder process against this hub over loopback with a
// recorder credential the hub issues itself. Started after the hub listens (the recorder needs its address).
import { isAbsolute, join } from 'node:path';
import type { Config } from '../../config/config.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { Conference } from '../conference/conference.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { Logger } from '../logger.ts';
import type { RecordingStore } from '../store/recording.ts';
import type { RecordStore } from '../store/records.ts';
import { ConferenceRecording } from './conference-recording.ts';
import { RecorderSupervisor } from './supervisor.ts';

/** The recordings folder: `recording.dir` under the data folder unless it is absolute (the hub and the CLI). */
export const recordingsRoot = (config: Pick<Config, 'dataDir' | 'recording'>): string =>
  isAbsolute(config.recording.dir) ? config.recording.dir : join(config.dataDir, config.recording.dir);

/** A recorder's credential lasts a day; the hub issues a fresh one when less than this is left. */
const TOKEN_TTL_SECONDS = 86_400;
const TOKEN_RENEW_MS = 3_600_000;

export class RecordingService {
  readonly root: string;
  readonly #config: Config;
  readonly #registry: ConferenceRegistry;
  readonly #credentials: CredentialIssuer;
  readonly #stores: { recording: RecordingStore; records: RecordStore };
  readonly #logger: Logger;
  readonly #parts = new Map<string, ConferenceRecording>();
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();
  #hubUrl: string | undefined;

  constructor(
    config: Config,
    deps: { registry: ConferenceRegistry; credentials: CredentialIssuer; recording: RecordingStore; records: RecordStore },
    logger: Logger,
  ) {
    this.#config = config;
    this.#registry = deps.registry;
    this.#credentials = deps.credentials;
    this.#stores = { recording: deps.recording, records: deps.records };
    this.#logger = logger.child({ part: 'recording' });
    this.root = recordingsRoot(config);
  }

  /** The recording part of `conference` (made on first use, following the conference's status). */
  of(conference: Conference): ConferenceRecording {
    let part = this.#parts.get(conference.id);
    if (part) return part;
    // An organiser's edit before the day opens the conference again (registry.replace): always the current one.
    const id = conference.id;
    const current = (): Conference => this.#registry.get(id) ?? conference;
    part = new ConferenceRecording(
      {
        get spec() {
          return current().spec;
        },
        status: () => current().status,
        sessions: () => current().sessions(),
      },
      {
        store: this.#stores.recording,
        log: this.#stores.records,
        root: this.root,
        minFreeBytes: this.#config.recording.minFreeMb * 2 ** 20,
        logger: this.#logger.child({ conferenceId: conference.id }),
        supervisor: (p) => this.#supervisor(current(), p),
      },
    );
    this.#parts.set(conference.id, part);
    conference.statusListeners.add((status) => part.statusChanged(status));
    return part;
  }

  /** A conference of this hub by id (opened from the store on first use). */
  conference(id: string): Conference | undefined {
    return this.#registry.get(id);
  }

  /** Once the hub listens: every conference whose recording, pushes or press page were on starts its recorder again. */
  async start(hubUrl: string): Promise<void> {
    this.#hubUrl = hubUrl;
    await Promise.all(this.#registry.list().map((c) => this.of(c).resume()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#parts.values()].map((p) => p.close()));
  }

  #supervisor(conference: Conference, part: ConferenceRecording): RecorderSupervisor {
    const logger = this.#logger.child({ conferenceId: conference.id });
    const enabled = this.#config.recording.enabled;
    return new RecorderSupervisor(
      async () => ({
        hubUrl: this.#hubUrl ?? '',
        token: await this.#token(conference),
        dir: this.root,
        videoKbps: this.#config.recording.videoKbps,
      }),
      { started: () => part.recorderStarted(), exited: ({ again }) => part.recorderExited(again) },
      logger,
      () => (!enabled ? 'switched off (recording.enabled)' : this.#hubUrl === undefined ? 'the hub is not listening yet' : undefined),
    );
  }

  async #token(conference: Conference): Promise<string> {
    const cached = this.#tokens.get(conference.id);
    if (cached && cached.expiresAt - Date.now() > TOKEN_RENEW_MS) return cached.token;
    const claims = { conferenceId: conference.id, pointId: conference.spec.centralPointId, role: 'recorder' as const };
    const issued = await this.#credentials.issue(claims, TOKEN_TTL_SECONDS);
    this.#tokens.set(conference.id, { token: issued.token, expiresAt: issued.expiresAt });
    return issued.token;
  }
}
