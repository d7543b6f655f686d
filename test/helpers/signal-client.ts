// A signalling-only client: one real socket.io connection with the protocol's types.
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  EventName,
  EventPayload,
  HandshakeAuth,
  RequestName,
  RequestParams,
  RequestResult,
  Result,
  ServerToClientEvents,
} from '../../shared/protocol.ts';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SignalClient {
  readonly socket: HubSocket;
  readonly welcome: EventPayload<'session.welcome'>;
  /** Every event received, in order. */
  readonly received: Array<{ event: EventName; payload: unknown }>;
  request<K extends RequestName>(name: K, params: RequestParams<K>): Promise<Result<RequestResult<K>>>;
  /** Sends anything at all (for hostile-input tests). */
  raw(event: string, ...args: unknown[]): Promise<unknown>;
  close(): void;
}

export class JoinRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function connect(url: string, auth: HandshakeAuth | Record<string, unknown>): Promise<SignalClient> {
  const socket: HubSocket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  const received: SignalClient['received'] = [];
  socket.onAny((event: EventName, payload: unknown) => received.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      reject(new JoinRefused(error.data?.code ?? 'unknown', error.message));
    });
    socket.once('session.welcome', (welcome) =>
      resolve({
        socket,
        welcome,
        received,
        request: (name, params) =>
          new Promise((done) => (socket.emit as (...a: unknown[]) => void)(name, params, done)) as never,
        raw: (event, ...args) =>
          new Promise((done) => (socket.emit as (...a: unknown[]) => void)(event, ...args, done)),
        close: () => socket.close(),
      }),
    );
  });
}

/** Resolves with the next `event` whose payload passes `match`. */
export function nextEvent<K extends EventName>(
  client: SignalClient,
  event: K,
  match: (payload: EventPayload<K>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<EventPayload<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const listener = (payload: EventPayload<K>): void => {
      if (!match(payload)) return;
      clearTimeout(timer);
      (client.socket.off as (e: string, l: unknown) => void)(event, listener);
      resolve(payload);
    };
    (client.socket.on as (e: string, l: unknown) => void)(event, listener);
  });
}

/** The data of a successful request; throws with the hub's code and message otherwise. */
export async function must<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}
