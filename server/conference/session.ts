// One connected client: a socket bound by its credential to one conference, one point and one role.
// The domain talks to the client only through its SessionSink, never through socket.io directly.
import { randomUUID } from 'node:crypto';
import type { EndReason } from '../../shared/errors.ts';
import type { Actor } from '../../shared/event-log.ts';
import type { EventName, EventPayload } from '../../shared/protocol.ts';
import type { Claims } from '../auth/credentials.ts';
import type { Logger } from '../logger.ts';
import type { PeerMedia } from '../media/peer-media.ts';

export interface SessionSink {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void;
  /** Tells the client why (a reason it words itself), then disconnects it. */
  end(reason: EndReason): void;
}

export class Session {
  readonly id = randomUUID();
  readonly claims: Claims;
  readonly sink: SessionSink;
  readonly logger: Logger;
  /** This session's media; replaced by a fresh one when its worker dies or the client asks for a rebuild. */
  peer: PeerMedia;
  /**
   * The wall tiles this moderator's screen shows now (wall.visible), or null until it says: then every tile.
   * Live state of this connection, not a setting: a client sends it again after each welcome.
   */
  wallVisible: ReadonlySet<string> | null = null;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(claims: Claims, sink: SessionSink, peer: PeerMedia, logger: Logger) {
    this.claims = claims;
    this.sink = sink;
    this.peer = peer;
    this.logger = logger.child({ sessionId: this.id, pointId: claims.pointId, role: claims.role });
  }

  get pointId(): string {
    return this.claims.pointId;
  }

  get role(): Claims['role'] {
    return this.claims.role;
  }

  /** Runs `task` after every task queued before it on this session (media changes stay in order). */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}

/** Who acted, for the event log: the session's point and role, or null for the hub itself or the operator. */
export const actorOf = (session: Session | null): Actor => (session ? { pointId: session.pointId, role: session.role } : null);
