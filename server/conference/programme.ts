// The programme of one conference, as a part of it: the layout every hall shows (and the banner message),
// whether the point holding the floor may share its screen, the host stopping any sharing, and the gain per
// point that every display applies. One write path: the state row and its event-log row in one transaction,
// then in memory, then to every session (a room display draws the layout, so everyone gets it), then the
// media work (closing screens). Kept across restarts: it is loaded with the conference.
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import type { Layout, ProgrammeView } from '../../shared/programme.ts';
import { refuse } from '../errors.ts';
import type { ProgrammeStore } from '../store/programme.ts';
import type { RecordStore } from '../store/records.ts';
import { actorOf, type Session } from './session.ts';

/** What the programme needs from its conference. */
export interface ProgrammeHost {
  readonly spec: ConferenceSpec;
  /** Sends to every session of the conference. */
  broadcast<K extends EventName>(event: K, payload: EventPayload<K>): void;
  /** Closes the screens shared by the points `which` selects; returns those that stopped. */
  stopScreens(which: (pointId: string) => boolean): string[];
}

export class Programme {
  readonly #host: ProgrammeHost;
  readonly #store: ProgrammeStore;
  readonly #log: RecordStore;
  #view: ProgrammeView;

  constructor(host: ProgrammeHost, store: ProgrammeStore, log: RecordStore) {
    this.#host = host;
    this.#store = store;
    this.#log = log;
    this.#view = store.load(host.spec.id);
  }

  get #id(): string {
    return this.#host.spec.id;
  }

  view(): ProgrammeView {
    return { ...this.#view, gains: { ...this.#view.gains } };
  }

  /** Whether the point holding the floor may share its screen now. */
  get pointSharing(): boolean {
    return this.#view.pointSharing;
  }

  /** The layout every hall shows; the message is kept for the banner layout (unchanged when not given). */
  setLayout(session: Session, layout: Layout, message: string | undefined): ProgrammeView {
    const next = { ...this.#view, layout, message: message ?? this.#view.message };
    this.#store.transaction(() => {
      this.#store.save(this.#id, next);
      this.#log.log(this.#id, actorOf(session), 'programme.layout', { layout, message: next.message });
    });
    session.logger.info({ action: 'programme.layout', layout }, 'control action');
    return this.#apply(next);
  }

  /** The gain every display applies to `pointId`'s sound. */
  setGain(session: Session, pointId: string, gainDb: number): ProgrammeView {
    if (!this.#host.spec.points.some((p) => p.id === pointId)) {
      throw refuse('point.unknown', { pointId }, `no point ${pointId} in this conference`);
    }
    const gain = Math.round(gainDb * 10) / 10;
    const gains = { ...this.#view.gains };
    if (gain === 0) delete gains[pointId];
    else gains[pointId] = gain;
    this.#store.transaction(() => {
      this.#store.setGain(this.#id, pointId, gain);
      this.#log.log(this.#id, actorOf(session), 'programme.gain', { pointId, gainDb: gain });
    });
    session.logger.info({ action: 'programme.gain', pointId, gainDb: gain }, 'control action');
    return this.#apply({ ...this.#view, gains });
  }

  /** Lets the point holding the floor share its screen, or not: switching it off stops a point's sharing. */
  allowSharing(session: Session, allowed: boolean): ProgrammeView {
    const next = { ...this.#view, pointSharing: allowed };
    this.#store.transaction(() => {
      this.#store.save(this.#id, next);
      this.#log.log(this.#id, actorOf(session), 'programme.sharing', { allowed });
    });
    session.logger.info({ action: 'programme.sharing', allowed }, 'control action');
    const view = this.#apply(next);
    if (!allowed) this.#host.stopScreens((pointId) => pointId !== this.#host.spec.centralPointId);
    return view;
  }

  /** Stops every screen shared now (the host's own, the speaking point's). */
  stopSharing(session: Session): { stopped: string[] } {
    const stopped = this.#host.stopScreens(() => true);
    if (stopped.length === 0) throw refuse('programme.nothing_shared', {}, 'nothing is being shared');
    // The screens are closed already (media state, not conference state); the log records who stopped them.
    this.#log.log(this.#id, actorOf(session), 'programme.stop_sharing', { pointIds: stopped });
    session.logger.info({ action: 'programme.stop_sharing', pointIds: stopped }, 'control action');
    return { stopped };
  }

  #apply(next: ProgrammeView): ProgrammeView {
    this.#view = next;
    const view = this.view();
    this.#host.broadcast('programme.updated', view);
    return view;
  }
}
