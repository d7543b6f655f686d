// Talkback, as a part of a conference: the host listens privately to one point (its microphone, paused at
// the hub off the floor, opens for one private consumer of the host) and talks privately to one point's
// technician (the host's 'talkback' producer, consumed by that technician only). Never on the stage, never
// to a room display, never in the programme. Each is one point at most; both end when the host stops, the
// point leaves or gets the floor, or the host leaves. On/off is logged; it is not a setting that outlives the
// host's connection, so it is not restored after a restart (every session starts over then).
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { TalkbackView } from '../../shared/requests/backchannel.ts';
import { isModerator } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { RecordStore } from '../store/records.ts';
import { sideOf } from './backchannel.ts';
import { actorOf, type Session } from './session.ts';

/** What talkback needs from its conference. */
export interface TalkbackHost {
  readonly spec: ConferenceSpec;
  sessions(): readonly Session[];
  /** Whether `pointId` has its connection (technician, or co-host at a central-side point) now. */
  connected(pointId: string): boolean;
  floorHolder(): string | null;
  /** Talkback changed for these points: their microphones open or close, consumers follow (media work). */
  mediaChanged(pointIds: readonly string[]): void;
}

type Mode = 'listen' | 'talk';
const FIELD = { listen: 'listeningTo', talk: 'talkingTo' } as const;

export class Talkback {
  readonly #host: TalkbackHost;
  readonly #log: RecordStore;
  #state: TalkbackView = { listeningTo: null, talkingTo: null };

  constructor(host: TalkbackHost, log: RecordStore) {
    this.#host = host;
    this.#log = log;
  }

  view(): TalkbackView {
    return { ...this.#state };
  }

  /** What `session` is told: the centre sees everything; a point's technician only what concerns its point. */
  viewFor(session: Session): TalkbackView {
    if (isModerator(session.role)) return this.view();
    const mine = (pointId: string | null): string | null => (pointId === session.pointId ? pointId : null);
    return { listeningTo: mine(this.#state.listeningTo), talkingTo: mine(this.#state.talkingTo) };
  }

  /** The host listens to `pointId` (null: stops). */
  listen(session: Session, pointId: string | null): TalkbackView {
    if (pointId !== null) this.#check(pointId, false);
    this.#set('listen', pointId, actorOf(session));
    return this.view();
  }

  /** The host talks to `pointId`'s technician (null: stops). */
  talk(session: Session, pointId: string | null): TalkbackView {
    if (pointId !== null) this.#check(pointId, true);
    this.#set('talk', pointId, actorOf(session));
    return this.view();
  }

  /** A session left: the host's ends all talkback; a point's representative's ends talkback with that point. */
  sessionLeft(session: Session, representative: boolean): void {
    if (session.role === 'host') this.#endWith(() => true);
    else if (representative) this.#endWith((p) => p === session.pointId);
  }

  /** The floor moved: talkback with the new speaker ends (everyone hears it now). */
  floorChanged(holder: string | null): void {
    if (holder !== null) this.#endWith((p) => p === holder);
  }

  #check(pointId: string, technician: boolean): void {
    const { spec } = this.#host;
    const point = spec.points.find((p) => p.id === pointId);
    if (!point) throw refuse('point.unknown', { pointId }, `no point ${pointId} in this conference`);
    if (pointId === spec.centralPointId) throw refuse('point.is_centre', { pointId }, 'the central point is the centre itself');
    if (technician && point.centralSide) throw refuse('backchannel.no_technician', { pointId }, `point ${pointId} has no technician`);
    if (!this.#host.connected(pointId)) throw refuse('talkback.point_absent', { pointId }, `point ${pointId} is not connected`);
    if (this.#host.floorHolder() === pointId) throw refuse('talkback.on_floor', { pointId }, `point ${pointId} has the floor`);
  }

  #endWith(match: (pointId: string) => boolean): void {
    for (const mode of ['listen', 'talk'] as const) {
      const current = this.#state[FIELD[mode]];
      if (current !== null && match(current)) this.#set(mode, null, null);
    }
  }

  /** The one write path: log row, then state, then the sessions told, then the media follow. */
  #set(mode: Mode, pointId: string | null, actor: Actor): void {
    const previous = this.#state[FIELD[mode]];
    if (previous === pointId) return;
    const conferenceId = this.#host.spec.id;
    this.#log.transaction(() => this.#log.log(conferenceId, actor, mode === 'listen' ? 'talkback.listen' : 'talkback.talk', { pointId }));
    this.#state = { ...this.#state, [FIELD[mode]]: pointId };
    for (const session of this.#host.sessions()) {
      const concerned =
        isModerator(session.role) || (sideOf(session) === 'point' && (session.pointId === previous || session.pointId === pointId));
      if (concerned) session.sink.emit('talkback.state', this.viewFor(session));
    }
    this.#host.mediaChanged([previous, pointId].filter((p): p is string => p !== null));
  }
}
