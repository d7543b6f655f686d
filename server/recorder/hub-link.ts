// The recorder's connection to its hub: one socket.io connection with the recorder credential the hub gave
// it, reconnecting with backoff (the recorder goes on writing what it has meanwhile), typed requests with a
// timeout, and every event of the protocol handed to one listener. Over loopback TLS the hub's own
// certificate (possibly self-signed) is accepted; anywhere else it is checked.
import { io, type Socket } from 'socket.io-client';
import type { WireError } from '../../shared/errors.ts';
import type {
  ClientToServerEvents,
  EventName,
  EventPayload,
  RequestName,
  RequestParams,
  RequestResult,
  Result,
  ServerToClientEvents,
} from '../../shared/protocol.ts';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Ack<K extends RequestName> = (result: Result<RequestResult<K>>) => void;
export type Welcome = EventPayload<'session.welcome'>;

const REQUEST_TIMEOUT_MS = 10_000;

export class HubRefused extends Error {
  override readonly name = 'HubRefused';
  readonly error: WireError;
  constructor(request: string, error: WireError) {
    super(`${request}: ${error.reason} (${error.message})`);
    this.error = error;
  }
}

const isLoopback = (url: string): boolean => /^https?:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?(\/|$)/.test(url);

export class HubLink {
  readonly #socket: HubSocket;

  /** `onEvent` gets every event; `onWelcome` every welcome (the first and each one after a reconnection). */
  constructor(url: string, token: string, handlers: { onWelcome(w: Welcome): void; onEvent(name: EventName, payload: unknown): void }) {
    this.#socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      rejectUnauthorized: !isLoopback(url),
    });
    this.#socket.on('session.welcome', (welcome) => handlers.onWelcome(welcome));
    this.#socket.onAny((name: string, payload: unknown) => {
      if (name !== 'session.welcome') handlers.onEvent(name as EventName, payload);
    });
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Why the hub refused the connection, when it did (the recorder then stops). */
  onRefused(listener: (error: WireError | undefined) => void): void {
    this.#socket.on('connect_error', (error: Error & { data?: WireError }) => {
      if (error.data?.code === 'unauthenticated' || error.data?.code === 'forbidden') listener(error.data);
    });
  }

  request<K extends RequestName>(name: K, params: RequestParams<K>): Promise<RequestResult<K>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no answer in ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
      const ack: Ack<K> = (result) => {
        clearTimeout(timer);
        if (result.ok) resolve(result.data);
        else reject(new HubRefused(name, result.error));
      };
      // socket.io's typed emit cannot follow the mapped request type through a generic name.
      (this.#socket.emit as (event: string, params: unknown, ack: Ack<K>) => void)(name, params, ack);
    });
  }

  close(): void {
    this.#socket.close();
  }
}
