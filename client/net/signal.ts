// The socket.io connection to the hub with the protocol's types: requests resolve with their data or
// throw a RequestError carrying the wire code; events are checked against their zod schema on arrival.
import { io, type Socket } from 'socket.io-client';
import type { ErrorCode } from '../../shared/errors.ts';
import {
  events,
  type ClientToServerEvents,
  type EventName,
  type EventPayload,
  type HandshakeAuth,
  type RequestName,
  type RequestParams,
  type RequestResult,
  type Result,
  type ServerToClientEvents,
} from '../../shared/protocol.ts';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const REQUEST_TIMEOUT_MS = 15_000;

export class RequestError extends Error {
  readonly code: ErrorCode | 'timeout' | 'offline';
  constructor(code: RequestError['code'], message: string) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
  }
}

/** Why the hub refused the handshake (the middleware's wire error), or undefined for a network failure. */
export function joinRefusal(error: Error): { code: string; message: string } | undefined {
  const data = (error as Error & { data?: { code?: unknown; message?: unknown } }).data;
  if (data && typeof data.code === 'string') return { code: data.code, message: String(data.message ?? error.message) };
  return undefined;
}

export class Signal {
  readonly socket: HubSocket;
  /** What the next (re)connection presents: the join credential, then the session token of the welcome. */
  auth: HandshakeAuth;

  constructor(auth: HandshakeAuth) {
    this.auth = auth;
    // Reconnects for ever (no attempt limit), 0.5 s growing to 3 s between attempts (±50 %): a hub that
    // restarts is rejoined within about 3 s of listening again.
    this.socket = io({
      auth,
      transports: ['websocket', 'polling'],
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      autoConnect: false,
    });
  }

  /**
   * Presents `token` on every later (re)connection instead of the credential the client started with:
   * join codes for the roles that act are redeemed by their first join.
   */
  useToken(token: string): void {
    this.auth = { token };
    this.socket.auth = this.auth;
  }

  connect(): void {
    this.socket.connect();
  }

  close(): void {
    this.socket.close();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  request<K extends RequestName>(name: K, params: RequestParams<K>): Promise<RequestResult<K>> {
    if (!this.socket.connected) return Promise.reject(new RequestError('offline', `${name}: not connected`));
    const timed = this.socket.timeout(REQUEST_TIMEOUT_MS);
    const emit = timed.emit as unknown as (
      event: string,
      params: unknown,
      ack: (err: Error | null, result: Result<RequestResult<K>>) => void,
    ) => void;
    return new Promise((resolve, reject) => {
      emit.call(timed, name, params, (err, result) => {
        if (err) reject(new RequestError('timeout', `${name}: no answer from the hub`));
        else if (result.ok) resolve(result.data);
        else reject(new RequestError(result.error.code, result.error.message));
      });
    });
  }

  /** Listens to a hub event; payloads that do not match the protocol are reported and still delivered. */
  on<K extends EventName>(name: K, handler: (payload: EventPayload<K>) => void): () => void {
    const listener = (payload: unknown): void => {
      const parsed = events[name].safeParse(payload);
      if (!parsed.success) console.error(`event ${name} does not match the protocol`, parsed.error.issues);
      handler((parsed.success ? parsed.data : payload) as EventPayload<K>);
    };
    (this.socket.on as (event: string, fn: (payload: unknown) => void) => void)(name, listener);
    return () => (this.socket.off as (event: string, fn: (payload: unknown) => void) => void)(name, listener);
  }
}
