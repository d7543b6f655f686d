// The one typed client of the hub's socket protocol, for tests and benchmarks: a real socket.io connection
// opened with a token or a join code, typed requests answering the protocol's Result, every server event
// recorded in order. A join the hub refuses rejects with JoinRefused, a request it refuses (through call()
// or must()) throws RequestRefused; both carry the wire error's fields (code, message, ...) as they came.
//
// With `reconnect: true` the client reconnects with socket.io's backoff (0.5 s to 3 s, as the browser
// client) presenting the session token of its latest welcome, never the possibly single-use join code.
import { io, type Socket } from 'socket.io-client';
import type { WireError } from '../../shared/errors.ts';
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
type Ack<K extends RequestName> = (result: Result<RequestResult<K>>) => void;
export type Welcome = EventPayload<'session.welcome'>;

/** What the handshake presents: a token or a join code, or anything at all (for hostile-input tests). */
export type HubAuth = HandshakeAuth | Record<string, unknown>;

export interface RecordedEvent {
  name: EventName;
  payload: unknown;
  at: number;
}

export interface HubClientOptions {
  /** Shown in error messages; defaults to the point id and role. */
  label?: string | undefined;
  /** Rejects when no welcome came in this long; default: socket.io's connection timeout (20 s). */
  joinTimeoutMs?: number | undefined;
  /** Rejects a request that got no answer in this long; default: no limit. */
  requestTimeoutMs?: number | undefined;
  /** Reconnect by itself with the token of the latest welcome (no limit on attempts); default false. */
  reconnect?: boolean | undefined;
}

/** The hub refused the connection; carries the wire error's fields. */
export class JoinRefused extends Error implements WireError {
  override readonly name = 'JoinRefused';
  readonly code: WireError['code'];
  readonly reason: WireError['reason'];
  readonly params: WireError['params'];
  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
    this.reason = error.reason;
    this.params = error.params;
  }
}

/** The hub answered a request with { ok: false }; carries the wire error's fields and the request's name. */
export class RequestRefused extends Error implements WireError {
  override readonly name = 'RequestRefused';
  readonly code: WireError['code'];
  readonly reason: WireError['reason'];
  readonly params: WireError['params'];
  /** The request, and the client's label, when known. */
  readonly request: string | undefined;
  constructor(error: WireError, request?: string) {
    super(error.message);
    this.request = request;
    this.code = error.code;
    this.reason = error.reason;
    this.params = error.params;
  }

  /** One line for logs: the request, the code and the hub's message. */
  get detail(): string {
    return `${this.request ?? 'request'} failed: ${this.code}: ${this.message}`;
  }
}

function isWireError(data: unknown): data is WireError {
  const d = data as Partial<WireError> | undefined;
  return typeof d?.code === 'string' && typeof d.message === 'string';
}

/** An open connection that has had its welcome: what a HubClient is built from. */
export interface OpenedSocket {
  socket: HubSocket;
  welcome: Welcome;
  events: RecordedEvent[];
}

/** Connects and resolves on session.welcome; rejects with JoinRefused when the hub refuses the join. */
export async function openHubSocket(url: string, auth: HubAuth, options: HubClientOptions = {}): Promise<OpenedSocket> {
  const socket: HubSocket = io(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: options.reconnect === true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    ...(options.joinTimeoutMs === undefined ? {} : { timeout: options.joinTimeoutMs }),
  });
  const events: RecordedEvent[] = [];
  socket.onAny((name: EventName, payload: unknown) => events.push({ name, payload, at: Date.now() }));
  let timer: NodeJS.Timeout | undefined;
  try {
    const welcome = await new Promise<Welcome>((resolve, reject) => {
      const ms = options.joinTimeoutMs;
      if (ms !== undefined) timer = setTimeout(() => reject(new Error(`no session.welcome within ${ms} ms`)), ms);
      socket.once('session.welcome', resolve);
      socket.once('connect_error', (error: Error & { data?: unknown }) =>
        reject(isWireError(error.data) ? new JoinRefused(error.data) : new Error(`connect_error: ${error.message}`)),
      );
      socket.once('disconnect', (reason) => reject(new Error(`disconnected before welcome: ${reason}`)));
    });
    return { socket, welcome, events };
  } catch (error) {
    socket.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export class HubClient {
  readonly socket: HubSocket;
  /** The latest welcome (a new one after each reconnect). */
  welcome: Welcome;
  /** Every welcome received, with its time (the first one included). */
  readonly welcomes: Array<{ at: number; welcome: Welcome }> = [];
  /** Every server event in order of arrival. */
  readonly events: RecordedEvent[];
  readonly label: string;
  readonly #requestTimeoutMs: number | undefined;

  constructor(opened: OpenedSocket, options: HubClientOptions = {}) {
    const { socket, welcome, events } = opened;
    this.socket = socket;
    this.welcome = welcome;
    this.welcomes.push({ at: Date.now(), welcome });
    this.events = events;
    this.label = options.label ?? `${welcome.self.pointId}/${welcome.self.role}`;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    if (options.reconnect) {
      socket.auth = { token: welcome.self.token };
      socket.on('session.welcome', (next) => {
        this.welcome = next;
        this.welcomes.push({ at: Date.now(), welcome: next });
        socket.auth = { token: next.self.token };
      });
    }
  }

  /** Connects with a token or a join code and resolves once welcomed. */
  static async connect(url: string, auth: HubAuth, options: HubClientOptions = {}): Promise<HubClient> {
    return new HubClient(await openHubSocket(url, auth, options), options);
  }

  get pointId(): string {
    return this.welcome.self.pointId;
  }

  get role(): string {
    return this.welcome.self.role;
  }

  /** The recorded events as { event, payload } (the shape the signalling tests read). */
  get received(): Array<{ event: EventName; payload: unknown }> {
    return this.events.map((e) => ({ event: e.name, payload: e.payload }));
  }

  /** Sends one request and resolves with its Result envelope (rejects only on timeout). */
  request<K extends RequestName>(name: K, params: RequestParams<K>, timeoutMs = this.#requestTimeoutMs): Promise<Result<RequestResult<K>>> {
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => reject(new Error(`${this.label}: ${name} got no answer within ${timeoutMs} ms`)), timeoutMs);
      const emit = this.socket.emit.bind(this.socket) as unknown as (n: string, p: unknown, ack: Ack<K>) => void;
      emit(name, params, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }

  /** Like request, but resolves with the data and throws RequestRefused on { ok: false }. */
  async call<K extends RequestName>(name: K, params: RequestParams<K>, timeoutMs?: number): Promise<RequestResult<K>> {
    const result = await this.request(name, params, timeoutMs);
    if (!result.ok) throw new RequestRefused(result.error, `${this.label}: ${name}`);
    return result.data;
  }

  /** Sends anything at all (for hostile-input tests) and resolves with the acknowledgement. */
  raw(event: string, ...args: unknown[]): Promise<unknown> {
    return new Promise((done) => (this.socket.emit as (...a: unknown[]) => void)(event, ...args, done));
  }

  /** Index to pass as `since` to waitForEvent / eventsOf: only events after this moment. */
  mark(): number {
    return this.events.length;
  }

  eventsOf<K extends EventName>(name: K, since = 0): Array<EventPayload<K>> {
    return this.events
      .slice(since)
      .filter((e) => e.name === name)
      .map((e) => e.payload as EventPayload<K>);
  }

  /** Resolves with the first recorded event `name` (at or after index `since`) that satisfies `predicate`. */
  async waitForEvent<K extends EventName>(
    name: K,
    options: { since?: number; predicate?: (payload: EventPayload<K>) => boolean; timeoutMs?: number } = {},
  ): Promise<EventPayload<K>> {
    const { since = 0, predicate = () => true, timeoutMs = 5000 } = options;
    const deadline = Date.now() + timeoutMs;
    for (let i = since; ; ) {
      for (; i < this.events.length; i++) {
        const e = this.events[i] as RecordedEvent;
        if (e.name === name && predicate(e.payload as EventPayload<K>)) return e.payload as EventPayload<K>;
      }
      if (Date.now() > deadline) throw new Error(`${this.label}: no ${name} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}

/** Connects with a token or a join code; rejects with JoinRefused when the hub refuses. */
export const connect = (url: string, auth: HubAuth, options?: HubClientOptions): Promise<HubClient> =>
  HubClient.connect(url, auth, options);

/** Resolves with the next `event` (from now on) whose payload passes `match`. */
export function nextEvent<K extends EventName>(
  client: HubClient,
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

/** The data of a successful request; throws RequestRefused with the hub's error otherwise. */
export async function must<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new RequestRefused(r.error);
  return r.data;
}
