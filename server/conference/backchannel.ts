// The control room's back-channel of one conference, as a part of it: private text between the centre (host
// and co-hosts) and one point's technician, a message from the centre to every technician, and the centre's
// "we hear you" confirmation after a point's test. One write path: the message row and its event-log row in
// one transaction, then the message to its audience only (never a room display), then the unread counts of
// the side that has not read it. Read marks are kept per side and per point's thread.
import { randomUUID } from 'node:crypto';
import type { ConferenceSpec, Role } from '../../shared/domain.ts';
import type { EventName, EventPayload, RequestResult } from '../../shared/protocol.ts';
import type { MessageKind, MessageSide, MessageView } from '../../shared/requests/backchannel.ts';
import { isModerator, POINT_OPERATORS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { BackchannelStore } from '../store/backchannel.ts';
import type { RecordStore } from '../store/records.ts';
import { actorOf, type Session } from './session.ts';

/** What the back-channel needs from its conference. */
export interface BackchannelHost {
  readonly spec: ConferenceSpec;
  sessions(): readonly Session[];
}

const operatesPoint = (role: Role): boolean => (POINT_OPERATORS as readonly Role[]).includes(role);

/** The side a session writes and reads for: the centre (moderators) or its point (its technician); null for others. */
export function sideOf(session: Session): MessageSide | null {
  if (isModerator(session.role)) return 'centre';
  return operatesPoint(session.role) ? 'point' : null;
}

/** Who receives a message: the centre, and the technician of its point (of every point when it is to all). */
export const messageAudience = (session: Session, message: Pick<MessageView, 'pointId'>): boolean => {
  const side = sideOf(session);
  return side === 'centre' || (side === 'point' && (message.pointId === null || message.pointId === session.pointId));
};

export class Backchannel {
  readonly #host: BackchannelHost;
  readonly #store: BackchannelStore;
  readonly #log: RecordStore;

  constructor(host: BackchannelHost, store: BackchannelStore, log: RecordStore) {
    this.#host = host;
    this.#store = store;
    this.#log = log;
  }

  get #id(): string {
    return this.#host.spec.id;
  }

  /** The centre writes to one point or (pointId null) to every technician; a technician writes to the centre. */
  send(session: Session, pointId: string | null, text: string): MessageView {
    return this.#write(session, this.#threadOf(session, pointId), 'text', text);
  }

  /** The centre confirms it hears `pointId` well; the point's console shows it large. */
  confirmHeard(session: Session, pointId: string): MessageView {
    return this.#write(session, this.#technicianPoint(pointId), 'heard', '');
  }

  /** What `session` may read, with its side's unread counts (the centre: every thread with unread messages). */
  snapshot(session: Session): Omit<RequestResult<'backchannel.snapshot'>, 'talkback'> {
    const side = this.#side(session);
    if (side === 'point') {
      return {
        messages: this.#store.messages(this.#id, session.pointId),
        unread: { [session.pointId]: this.#store.unread(this.#id, session.pointId, 'point') },
      };
    }
    const unread: Record<string, number> = {};
    for (const pointId of this.#technicianPoints()) {
      const count = this.#store.unread(this.#id, pointId, 'centre');
      if (count > 0) unread[pointId] = count;
    }
    return { messages: this.#store.messages(this.#id), unread };
  }

  /** Marks a point's thread read for the session's side; every session of that side sees the count go to 0. */
  markRead(session: Session, pointId: string): RequestResult<'backchannel.markRead'> {
    const side = this.#side(session);
    const thread = side === 'point' ? (this.#threadOf(session, pointId) ?? session.pointId) : this.#technicianPoint(pointId);
    // A read mark is not a control action: it is stored (so counts survive a restart) but not logged.
    this.#store.transaction(() => this.#store.markRead(this.#id, thread, side));
    this.#tellUnread(thread, side);
    return { [thread]: 0 };
  }

  /** The thread a session writes into: a technician, its own point's; the centre, the point named (or all). */
  #threadOf(session: Session, pointId: string | null): string | null {
    if (this.#side(session) === 'point') {
      if (pointId !== null && pointId !== session.pointId) {
        throw refuse('backchannel.other_point', { pointId }, 'a technician writes in its own point thread only');
      }
      return session.pointId;
    }
    return pointId === null ? null : this.#technicianPoint(pointId);
  }

  #side(session: Session): MessageSide {
    const side = sideOf(session);
    if (!side) throw refuse('role.not_allowed', { role: session.role }, 'this role has no back-channel');
    return side;
  }

  /** A point with a technician: a remote point, not the centre and not a central-side point. */
  #technicianPoint(pointId: string): string {
    const point = this.#host.spec.points.find((p) => p.id === pointId);
    if (!point) throw refuse('point.unknown', { pointId }, `no point ${pointId} in this conference`);
    if (point.id === this.#host.spec.centralPointId || point.centralSide) {
      throw refuse('backchannel.no_technician', { pointId }, `point ${pointId} has no technician`);
    }
    return pointId;
  }

  #technicianPoints(): string[] {
    const { spec } = this.#host;
    return spec.points.filter((p) => p.id !== spec.centralPointId && !p.centralSide).map((p) => p.id);
  }

  /** The one write path: message row and log row in one transaction, then to its audience, then unread counts. */
  #write(session: Session, pointId: string | null, kind: MessageKind, text: string): MessageView {
    const from = this.#side(session);
    const draft = { id: randomUUID(), pointId, from, kind, text, authorRole: session.role, sentAt: Date.now() };
    const message = this.#store.transaction(() => {
      const stored = this.#store.add(this.#id, draft);
      this.#log.log(this.#id, actorOf(session), 'backchannel.send', { messageId: stored.id, pointId, kind });
      return stored;
    });
    session.logger.info({ action: 'backchannel.send', messageId: message.id, pointId, kind }, 'control action');
    this.#tell('backchannel.message', message, (s) => messageAudience(s, message));
    if (from === 'point' && pointId !== null) this.#tellUnread(pointId, 'centre');
    else for (const thread of pointId === null ? this.#technicianPoints() : [pointId]) this.#tellUnread(thread, 'point');
    return message;
  }

  /** Tells `reader`'s sessions (the centre, or the point's technician) how many of `pointId`'s messages they have not read. */
  #tellUnread(pointId: string, reader: MessageSide): void {
    const count = this.#store.unread(this.#id, pointId, reader);
    this.#tell('backchannel.unread', { pointId, count }, (s) => {
      const side = sideOf(s);
      return side === reader && (side === 'centre' || s.pointId === pointId);
    });
  }

  #tell<K extends EventName>(event: K, payload: EventPayload<K>, audience: (session: Session) => boolean): void {
    for (const session of this.#host.sessions()) if (audience(session)) session.sink.emit(event, payload);
  }
}
