// socket.io: the handshake proves who the client is (token or join code → conference, point, role), the
// client joins its conference as a session, and its requests go through the registrar.
import type { Server as HttpServer } from 'node:http';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server, type Socket } from 'socket.io';
import { HandshakeAuth, type ClientToServerEvents, type EventName, type EventPayload, type ServerToClientEvents } from '../../shared/protocol.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import type { Session, SessionSink } from '../conference/session.ts';
import { notFound, rateLimited, toWireError, unauthenticated } from '../errors.ts';
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
}

function sinkFor(socket: Socket): SessionSink {
  return {
    emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
      socket.emit(event, payload);
    },
    end(reason, message): void {
      socket.emit('session.ended', { reason, message });
      socket.disconnect(true);
    },
  };
}

export function createSocketServer(
  httpServer: HttpServer,
  deps: { registry: ConferenceRegistry; credentials: CredentialIssuer; logger: Logger },
  options: SocketServerOptions,
): HubSocketServer {
  const io: HubSocketServer = new Server(httpServer, { serveClient: false, maxHttpBufferSize: options.maxMessageBytes });
  const joins = new RateLimiterMemory({ points: options.joinsPerMinutePerAddress, duration: 60 });
  const register = createRegistrar({ requestsPerSecond: options.requestsPerSecond });
  const log = deps.logger.child({ component: 'signal' });

  io.use(async (socket, next) => {
    try {
      await joins.consume(socket.handshake.address).catch(() => {
        throw rateLimited('too many connection attempts from this address; wait a minute');
      });
      const auth = HandshakeAuth.safeParse(socket.handshake.auth);
      if (!auth.success) throw unauthenticated('a join token or join code is required');
      const claims = await deps.credentials.verify(auth.data);
      const conference = deps.registry.get(claims.conferenceId);
      if (!conference) throw notFound('this conference is not on this hub');
      const token = await deps.credentials.sessionToken(auth.data);
      const { session, welcome } = await conference.join(claims, token, sinkFor(socket));
      socket.data.session = session;
      socket.data.welcome = welcome;
      // Also covers a client that drops before the connection completes (no 'disconnect' then).
      socket.conn.once('close', () => conference.leave(session));
      next();
    } catch (error) {
      const { wire, internal } = toWireError(error);
      if (internal) log.error({ err: error }, 'join failed');
      else log.info({ address: socket.handshake.address, code: wire.code, reason: wire.message }, 'join refused');
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
    register(socket, { conference, session, credentials: deps.credentials });
    socket.emit('session.welcome', welcome);
  });

  return io;
}
