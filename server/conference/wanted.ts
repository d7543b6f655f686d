// Who receives what: the consumers one session should have now, by key, from the floor (its holder, and the
// next points of its queue on standby), the wall it shows and talkback. Pure over the conference's media
// host: MediaRouting brings each session in line with it.
import type { types } from 'mediasoup';
import type { MediaSource } from '../../shared/domain.ts';
import { isModerator } from '../../shared/rules.ts';
import type { ConsumerPurpose } from '../media/peer-media.ts';
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { TalkbackView } from '../../shared/requests/backchannel.ts';
import type { Session } from './session.ts';

/** What the rules read of the conference (MediaRouting's MediaHost extends it). */
export interface WantedHost {
  readonly spec: ConferenceSpec;
  /** The session that speaks for `pointId` now (host, co-host or technician), if one is connected. */
  representative(pointId: string): Session | undefined;
  /** The point holding the floor, or null when the centre has it. */
  floorHolder(): string | null;
  /** Who the host listens to and talks to privately (talkback), one point each at most. */
  talkback(): TalkbackView;
  /** The floor queue's points in order: receivers that show a stage keep its first ones on standby. */
  floorQueue(): readonly string[];
}

/** The roles whose screens show a stage (room displays and the consoles): they keep the next speakers on standby. */
const SHOWS_STAGE: ReadonlySet<Session['role']> = new Set(['viewer', 'host', 'cohost', 'technician']);

export interface Wanted {
  producer: types.Producer;
  router: types.Router;
  pointId: string;
  source: MediaSource;
  purpose: ConsumerPurpose;
}

/**
 * What `session` should be receiving now, by consumer key (`purpose:producerId`). `standbyPoints`: how many of
 * the floor queue's first points a session that shows a stage keeps on standby (0: none).
 */
export function wantedBy(host: WantedHost, session: Session, standbyPoints = 0): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  const add = (pointId: string, source: MediaSource, purpose: ConsumerPurpose): void => {
    const publisher = host.representative(pointId);
    const producer = publisher?.peer.producer(source);
    if (!publisher || !producer || producer.closed) return;
    wanted.set(`${purpose}:${producer.id}`, { producer, router: publisher.peer.router, pointId, source, purpose });
  };
  // The recorder sits at the central point but receives the programme like a hall's display.
  const self = session.role === 'recorder' ? null : session.pointId;
  const centre = host.spec.centralPointId;
  if (self !== centre) for (const source of ['camera', 'microphone', 'screen'] as const) add(centre, source, 'programme');
  const holder = host.floorHolder();
  if (holder && holder !== self) {
    add(holder, 'camera', 'stage');
    add(holder, 'microphone', 'stage');
    add(holder, 'screen', 'stage');
  } else if (holder && session.role === 'viewer') {
    // The room display of the speaking point shows its own speaker (and slides) large, but never plays the
    // sound back into the hall it comes from.
    add(holder, 'camera', 'stage');
    add(holder, 'screen', 'stage');
  }
  if (standbyPoints > 0 && SHOWS_STAGE.has(session.role)) {
    // As the stage will be when each of them holds the floor: consumed now, paused at the hub until then.
    for (const id of host
      .floorQueue()
      .filter((p) => p !== holder)
      .slice(0, standbyPoints)) {
      if (id !== self) add(id, 'microphone', 'standby');
      if (id !== self || session.role === 'viewer') add(id, 'camera', 'standby');
    }
  }
  for (const id of wallPoints(host, session)) if (session.wallVisible?.has(id) ?? true) add(id, 'camera', 'wall');
  // Talkback: the host alone hears the point it listens to; that point's technician alone hears the host's talkback.
  const { listeningTo, talkingTo } = host.talkback();
  if (listeningTo && session.role === 'host') add(listeningTo, 'microphone', 'talkback');
  if (talkingTo && host.representative(talkingTo) === session) add(centre, 'talkback', 'talkback');
  return wanted;
}

/** The points on `session`'s monitoring wall: every point but the centre and its own, for moderators only. */
export function wallPoints(host: WantedHost, session: Session): string[] {
  if (!isModerator(session.role)) return [];
  const centre = host.spec.centralPointId;
  return host.spec.points.filter(({ id }) => id !== centre && id !== session.pointId).map(({ id }) => id);
}
