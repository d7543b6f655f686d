// socket.io: the handshake proves who the client is (token or join code → conference, point, role), the
// client joins its conference as a session, and its requests go through the registrar. Before that: the
// browser Origin must be the hub's own or a listed one, and an address is limited in connection attempts
// and in refused credentials (guessing 8-character codes).
import type { Server as HttpServer } from 'node:http';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server, type Socket } from 'socket.io';
import {
  HandshakeAuth,
  type ClientToServerEvents,
  type EventName,
  type EventPayload,
  type ServerToClientEvents,
} from '../../shared/protocol.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { TurnSettings } from '../auth/turn.ts';
import type { RecordingService } from '../recording/service.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { Session, SessionSink } from '../conference/session.ts';
import { HubError, refuse, toWireError } from '../errors.ts';
import { originAllowed } from '../http/origin.ts';
import type { Logger } from '../logger.ts';
import { createRegistrar } from './registrar.ts';

interface SocketData {
  session: Session;
  welcome: EventPayload<'session.welcome'>;
}

export type HubSocketServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketServerOptions {
  requestsPerSecond: number;
  joinsPerMinutePerAddress: number;
  /** Largest message accepted; bigger ones close the connection at the transport. */
  maxMessageBytes: number;
  /** Question submissions and floor requests a minute per point. */
  pointActionsPerMinute: number;
  /** Refused credentials from one address in 10 minutes; then every attempt is refused until the window passes. */
  failedAuthPer10Minutes: number;
  /** Browser origins allowed besides the hub's own. */
  allowedOrigins: readonly string[];
  /** TURN servers handed to clients with their WebRTC transports. */
  turn: TurnSettings;
}

function sinkFor(socket: Socket): SessionSink {
  return {
    emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
      socket.emit(event, payload);
    },
    end(reason): void {
      socket.emit('session.ended', { reason });
      socket.disconnect(true);
    },
  };
}

export function createSocketServer(
  httpServer: HttpServer,
  deps: { registry: ConferenceRegistry; credentials: CredentialIssuer; recording: RecordingService; logger: Logger },
  options: SocketServerOptions,
): HubSocketServer {
  const allowed = options.allowedOrigins;
  const io: HubSocketServer = new Server(httpServer, {
    serveClient: false,
    // A dead link is noticed within 20 s (socket.io's defaults: up to 45 s), so a point that lost its
    // network is shown offline, and frees its slot, sooner; generous enough for a loaded room PC.
    pingInterval: 10_000,
    pingTimeout: 10_000,
    maxHttpBufferSize: options.maxMessageBytes,
    // Polling answers carry CORS headers for listed origins only; the WebSocket upgrade is checked below.
    cors: { origin: allowed.length > 0 ? [...allowed] : false },
    // Every transport request, the WebSocket upgrade included (browsers do not apply CORS to it).
    allowRequest: (req, callback) => callback(null, originAllowed(req.headers.origin, req.headers.host, allowed)),
  });
  const joins = new RateLimiterMemory({ points: options.joinsPerMinutePerAddress, duration: 60 });
  const failures = new RateLimiterMemory({ points: options.failedAuthPer10Minutes, duration: 600 });
  const register = createRegistrar({ requestsPerSecond: options.requestsPerSecond, pointActionsPerMinute: options.pointActionsPerMinute });
  const log = deps.logger.child({ component: 'signal' });

  io.use(async (socket, next) => {
    const address = socket.handshake.address;
    try {
      await joins.consume(address).catch(() => {
        throw refuse('rate.connections', {}, 'too many connection attempts from this address; wait a minute');
      });
      const { auth, claims } = await (async () => {
        const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
        // Only codes can be guessed: wrong codes count, and a signed token (even a stale one retrying)
        // neither counts nor is locked out (a whole district may share one address behind NAT).
        const guessable = !parsed.success || 'code' in parsed.data;
        if (guessable) {
          const failed = await failures.get(address);
          if (failed && failed.consumedPoints >= options.failedAuthPer10Minutes) {
            const minutes = Math.ceil(failed.msBeforeNext / 60_000);
            throw refuse('rate.wrong_codes', { minutes }, `too many wrong join codes from this address; wait ${minutes} min`);
          }
        }
        try {
          if (!parsed.success) throw refuse('join.credential_missing', {}, 'a join token or join code is required');
          return { auth: parsed.data, claims: await deps.credentials.verify(parsed.data) };
        } catch (error) {
          if (guessable && error instanceof HubError && error.code === 'unauthenticated') await failures.penalty(address, 1);
          throw error;
        }
      })();
      const conference = deps.registry.get(claims.conferenceId);
      if (!conference) throw refuse('join.conference_unknown', { conferenceId: claims.conferenceId }, 'this conference is not on this hub');
      const release = deps.credentials.redeem(auth, claims);
      let joined;
      try {
        const token = await deps.credentials.sessionToken(auth);
        joined = await conference.join(claims, token, sinkFor(socket));
      } catch (error) {
        release();
        throw error;
      }
      const { session, welcome } = joined;
      socket.data.session = session;
      socket.data.welcome = welcome;
      // Also covers a client that drops before the connection completes (no 'disconnect' then).
      socket.conn.once('close', () => conference.leave(session));
      next();
    } catch (error) {
      const { wire, internal } = toWireError(error);
      if (internal) log.error({ err: error }, 'join failed');
      else log.info({ address, code: wire.code, reason: wire.reason, detail: wire.message }, 'join refused');
      next(Object.assign(new Error(wire.message), { data: wire }));
    }
  });

  io.on('connection', (socket) => {
    const { session, welcome } = socket.data;
    const conference = deps.registry.get(session.claims.conferenceId);
    if (!conference) {
      socket.disconnect(true);
      return;
    }
    socket.on('disconnect', (reason) => {
      session.logger.info({ reason }, 'socket disconnected');
      conference.leave(session);
    });
    register(socket, { conference, session, credentials: deps.credentials, turn: options.turn, recording: deps.recording });
    socket.emit('session.welcome', welcome);
  });

  return io;
}
