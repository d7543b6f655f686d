// Standby at a floor switch: the consumers a session already has of the next speakers (purpose 'standby',
// paused at the hub) become its stage by changing purpose in place (resumed, a key frame asked for, the
// client told with `media.consumerPurpose`) instead of being closed and made again, which would cost an SDP
// renegotiation and a resume round trip at every display. The reverse (stage → standby) pauses them again.
import type { PeerMedia } from '../media/peer-media.ts';
import type { Session } from './session.ts';
import type { Wanted } from './wanted.ts';

/** Purposes a consumer moves between without being made again. */
const SWAPPABLE: ReadonlySet<string> = new Set(['stage', 'standby']);

export interface Repurposing {
  from: string;
  to: string;
  purpose: Wanted['purpose'];
}

/** `purpose:producerId` → its two parts. */
function parts(key: string): [purpose: string, producerId: string] {
  const at = key.indexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}

/**
 * The consumers to move to a new key: each wanted key missing from `have` whose producer is consumed under
 * another key that is no longer wanted, both of them stage or standby.
 */
export function repurposings(have: readonly string[], wanted: ReadonlyMap<string, Wanted>): Repurposing[] {
  const spare = new Map<string, string>();
  for (const key of have) {
    const [purpose, producerId] = parts(key);
    if (SWAPPABLE.has(purpose) && !wanted.has(key)) spare.set(producerId, key);
  }
  const moves: Repurposing[] = [];
  for (const [key, want] of wanted) {
    if (!SWAPPABLE.has(want.purpose) || have.includes(key)) continue;
    const from = spare.get(want.producer.id);
    if (from === undefined) continue;
    spare.delete(want.producer.id);
    moves.push({ from, to: key, purpose: want.purpose });
  }
  return moves;
}

/**
 * Moves `session`'s consumers as `repurposings` says, telling its client of each new purpose before the
 * hub resumes (or pauses) it, so that the client picks it while its first key frame is on the way.
 */
export async function repurpose(session: Session, wanted: ReadonlyMap<string, Wanted>): Promise<void> {
  const peer = session.peer;
  const moves = repurposings(peer.consumerKeys(), wanted);
  await Promise.all(
    moves.map(async ({ from, to, purpose }) => {
      const consumer = peer.moveConsumer(from, to);
      if (!consumer) return;
      session.sink.emit('media.consumerPurpose', { consumerId: consumer.id, purpose });
      await peer.applyPurpose(consumer, purpose);
    }),
  );
}

/**
 * Right after a switch the displays are busy with the new speaker's first frames: standby consumers they do
 * not have yet (the point that moved up the queue) wait this long, so that no SDP renegotiation competes.
 */
export const STANDBY_AFTER_SWITCH_MS = 1000;

/** `wanted` without the standby consumers `peer` does not have yet (those already there stay). */
export function withoutNewStandby(wanted: Map<string, Wanted>, peer: PeerMedia): Map<string, Wanted> {
  for (const [key, want] of wanted) if (want.purpose === 'standby' && !peer.hasConsumer(key)) wanted.delete(key);
  return wanted;
}
