// A typed event emitter whose emit never fails because of a listener: the listeners run in turn, and one
// that throws (or returns a promise that rejects) is logged and passed over, so the code that emitted goes
// on and the other listeners still run. Domain objects report upward through it (Floor, ConferenceMedia,
// PeerMedia): a broken listener is a bug to log, never a reason to leave a state change half done.
import { EventEmitter } from 'node:events';
import type { Logger } from './logger.ts';

export type EventMap<T> = { [K in keyof T]: unknown[] };

// node's own helper types of EventEmitter<T> (not exported by @types/node), so that emit keeps its signature.
type DefaultEventMap = [never];
type Key<K, T> = T extends DefaultEventMap ? string | symbol : K | keyof T;
type Args<K, T> = T extends DefaultEventMap ? unknown[] : K extends keyof T ? T[K] : never;

export class SafeEmitter<T extends EventMap<T>> extends EventEmitter<T> {
  readonly #emitterLogger: Logger;

  constructor(logger: Logger) {
    super();
    this.#emitterLogger = logger;
  }

  /** Calls every listener of `event` with `args`; true when it had listeners. Never throws. */
  override emit<K>(event: Key<K, T>, ...args: Args<K, T>): boolean {
    // A copy: a `once` listener removes itself while the list is walked.
    const listeners: readonly unknown[] = [...this.rawListeners(event as never)];
    for (const listener of listeners) {
      try {
        const result: unknown = Reflect.apply(listener as (...a: unknown[]) => unknown, this, args as unknown[]);
        if (result instanceof Promise) result.catch((error: unknown) => this.#failed(event, error));
      } catch (error) {
        this.#failed(event, error);
      }
    }
    return listeners.length > 0;
  }

  #failed(event: unknown, error: unknown): void {
    this.#emitterLogger.error({ err: error, event: String(event) }, 'event listener failed');
  }
}
