// The socket.io connection to the hub with the protocol's types: requests resolve with their data or
// throw a RequestError carrying the wire's code, reason and params (the client shows those in its own words,
// client/i18n/describe.ts; the hub's English `message` only goes to the console); events are checked
// against their zod schema on arrival.
import { io, type Socket } from 'socket.io-client';
import { ErrorCode, REASONS, type Reason } from '../../shared/errors.ts';
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

/** A refusal from the hub, or a request that got no answer (`timeout`, `offline`, `network`). */
export class RequestError extends Error {
  readonly code: ErrorCode | 'timeout' | 'offline' | 'network';
  /** The hub's stable reason; null when the hub gave none this client knows (an older or newer hub). */
  readonly reason: Reason | null;
  readonly params: Readonly<Record<string, string | number>>;
  /** `message` is English for the console only: never shown to people. */
  constructor(code: RequestError['code'], message: string, reason: Reason | null = null, params: Record<string, string | number> = {}) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.reason = reason;
    this.params = params;
  }
}

const isReason = (value: unknown): value is Reason => typeof value === 'string' && Object.hasOwn(REASONS, value);

/** A wire error as the hub sends it (request ack, handshake refusal, REST body), read defensively; undefined if it is none. */
export function fromWire(value: unknown): RequestError | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { code, reason, params, message } = value as Record<string, unknown>;
  if (typeof code !== 'string') return undefined;
  const known = ErrorCode.safeParse(code);
  const clean: Record<string, string | number> = {};
  if (params && typeof params === 'object') {
    for (const [name, v] of Object.entries(params)) if (typeof v === 'string' || typeof v === 'number') clean[name] = v;
  }
  const text = typeof message === 'string' ? message : code;
  return new RequestError(known.success ? known.data : 'internal', text, isReason(reason) ? reason : null, clean);
}

/** Why the hub refused the handshake (the middleware's wire error in `data`), or undefined for a network failure. */
export function joinRefusal(error: Error): RequestError | undefined {
  return fromWire((error as Error & { data?: unknown }).data);
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
        else reject(fromWire(result.error) ?? new RequestError('internal', `${name}: malformed refusal`));
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
