// What every part of the records shares: the narrow view of their conference (RecordsHost), the one write
// path (state rows and the event-log row in one transaction, then the broadcast) and the audience rule type.
import type { ConferenceSpec } from '../../../shared/domain.ts';
import type { ActionDetail, ActionName, Actor } from '../../../shared/event-log.ts';
import type { EventName, EventPayload } from '../../../shared/protocol.ts';
import type { RecordStore } from '../../store/records.ts';
import type { Session } from '../session.ts';

/** What the records need from their conference. */
export interface RecordsHost {
  readonly spec: ConferenceSpec;
  sessions(): readonly Session[];
  grantFloor(pointId: string, seconds: number | undefined, actor: Session): void;
  /** The point that holds the floor now, or null at the centre. */
  floorHolder(): string | null;
  /** Takes the floor back to the centre (its own transaction and log row). */
  revokeFloor(actor: Session): void;
}

/**
 * Who may see a part's records: the one rule a part uses both for its live events and for what it puts in a
 * session's snapshot, so the two never disagree.
 */
export type Audience<T> = (session: Session, record: T) => boolean;

/** The actor of a session's action, as the event log keeps it (one definition, in session.ts). */
export { actorOf } from '../session.ts';

/** One change on its way to the store: who did what (typed by action), and the rows it writes. */
export interface Change<A extends ActionName, T> {
  actor: Actor;
  action: A;
  detail: ActionDetail<A>;
  /** Writes the state rows (inside the transaction); what it returns is handed to `announce`. */
  write: () => T;
  /** Tells the sessions, once the transaction has committed. */
  announce: (stored: T) => void;
}

export class RecordsContext {
  readonly host: RecordsHost;
  readonly store: RecordStore;

  constructor(host: RecordsHost, store: RecordStore) {
    this.host = host;
    this.store = store;
  }

  get conferenceId(): string {
    return this.host.spec.id;
  }

  /**
   * The one write path of the records, run after the part has checked the change: the state rows and the
   * event-log row in one transaction (all stored or none), then the broadcast. A failed write sends nothing.
   */
  commit<A extends ActionName, T>(change: Change<A, T>): T {
    const stored = this.store.transaction(() => {
      const rows = change.write();
      this.store.log(this.conferenceId, change.actor, change.action, change.detail);
      return rows;
    });
    change.announce(stored);
    return stored;
  }

  /** Sends `event` to every session of the conference that `audience` admits. */
  tell<K extends EventName>(event: K, payload: EventPayload<K>, audience: (session: Session) => boolean): void {
    for (const session of this.host.sessions()) if (audience(session)) session.sink.emit(event, payload);
  }
}
