// The floor as a part of its conference: who may ask for it, grant, extend, revoke, reorder and drop, and
// the floor's one write path. Each change is checked, then stored with its event-log row in one transaction
// (the Floor's commit, the timer's expiry included), then broadcast, then the media work is scheduled (the
// speaker's microphone and everyone's stage follow). It sees its conference only through FloorHost.
import type { ConferenceSpec, ConferenceStatus, FloorView } from '../../shared/domain.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ConferenceStore } from '../store/conferences.ts';
import type { RecordStore } from '../store/records.ts';
import { Floor, type FloorCause, type FloorChange } from './floor.ts';
import { actorOf, type Session } from './session.ts';

/** What the floor needs from its conference. */
export interface FloorHost {
  readonly spec: ConferenceSpec;
  status(): ConferenceStatus;
  /** Refuses unless `pointId` is one of the conference's points other than the centre. */
  assertRemotePoint(pointId: string): void;
  /** Whether the point has a connected representative now (the floor goes only to a point that can speak). */
  isConnected(pointId: string): boolean;
  broadcast<K extends EventName>(event: K, payload: EventPayload<K>): void;
  /** The speaker changed: microphones open or close and every stage follows (media work, not awaited). */
  speakerChanged(): void;
  /** Only the queue (or the timer) changed: receivers follow the queue's first points on standby (media work). */
  queueChanged(): void;
}

export interface FloorStores {
  conferences: Pick<ConferenceStore, 'saveFloor'>;
  records: Pick<RecordStore, 'transaction' | 'log'>;
}

/** Changes that move the speaker; the others only reorder the queue or move the end. */
const SPEAKER_CHANGES: ReadonlySet<FloorCause> = new Set(['grant', 'revoke', 'expire', 'clear']);

export class FloorControl {
  readonly #host: FloorHost;
  readonly #stores: FloorStores;
  readonly #logger: Logger;
  readonly #floor: Floor;

  constructor(host: FloorHost, stores: FloorStores, stored: FloorView | null, logger: Logger) {
    this.#host = host;
    this.#stores = stores;
    this.#logger = logger;
    this.#floor = new Floor({ defaultSeconds: host.spec.floorSeconds, logger, commit: (change) => this.#store(change) });
    this.#floor.on('changed', (view, cause) => this.#changed(view, cause));
    this.#floor.on('warning', (info) => host.broadcast('floor.warning', info));
    if (stored) this.#floor.restore(stored);
  }

  /** The point that holds the floor, or null at the centre. */
  get holder(): string | null {
    return this.#floor.holder;
  }

  view(): FloorView {
    return this.#floor.view();
  }

  /** A remote point asks to speak; answers its place in the queue. */
  request(session: Session, note: string): number {
    this.#checkLive();
    if (session.pointId === this.#host.spec.centralPointId) {
      throw refuse('floor.centre_asks', {}, 'the central point does not ask for the floor');
    }
    return this.#floor.request(session.pointId, note, actorOf(session));
  }

  cancel(session: Session): void {
    this.#floor.cancel(session.pointId, actorOf(session));
  }

  grant(pointId: string, seconds: number | undefined, actor: Session | null): FloorView {
    this.#checkLive();
    this.#host.assertRemotePoint(pointId);
    if (!this.#host.isConnected(pointId)) throw refuse('floor.point_offline', { pointId }, 'the point is not connected');
    this.#floor.grant(pointId, seconds ?? this.#host.spec.floorSeconds, actorOf(actor));
    return this.#floor.view();
  }

  revoke(actor: Session | null): FloorView {
    this.#floor.revoke(actorOf(actor));
    return this.#floor.view();
  }

  extend(seconds: number, actor: Session | null): FloorView {
    this.#floor.extend(seconds, actorOf(actor));
    return this.#floor.view();
  }

  reorder(pointId: string, position: number, actor: Session | null): FloorView {
    this.#floor.reorder(pointId, position, actorOf(actor));
    return this.#floor.view();
  }

  drop(pointId: string, actor: Session | null): FloorView {
    this.#floor.drop(pointId, actorOf(actor));
    return this.#floor.view();
  }

  /** The rehearsal's floor set aside at go-live: the centre speaks and the queue starts empty. */
  setAside(actor: Session | null): void {
    this.#floor.clear(actorOf(actor));
  }

  /** Stops the timers; safe to call twice. */
  close(): void {
    this.#floor.close();
  }

  #checkLive(): void {
    if (this.#host.status() === 'ended') throw refuse('conference.ended', {}, 'the conference has ended');
  }

  /** The floor's state row and its log row, in one transaction; a throw leaves the floor as it was. */
  #store(change: FloorChange): void {
    const id = this.#host.spec.id;
    this.#stores.records.transaction(() => {
      this.#stores.conferences.saveFloor(id, change.view);
      this.#stores.records.log(id, change.actor, change.action, change.detail);
    });
    this.#logger.info({ action: change.action, actor: change.actor, ...change.detail }, 'control action');
  }

  #changed(view: FloorView, cause: FloorCause): void {
    this.#host.broadcast('floor.updated', view);
    if (SPEAKER_CHANGES.has(cause)) this.#host.speakerChanged();
    else this.#host.queueChanged();
  }
}
