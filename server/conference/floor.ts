// Who holds the floor: the centre, or one remote point for a limited time, plus the ordered queue of
// requests to speak. Pure domain with timers: it knows nothing of media or sockets. Every change, the
// timer's return to the centre included, is worked out first, handed to `commit` (which stores it with
// its log row), and only then applied; a commit that throws leaves the floor exactly as it was. Applied
// changes are reported by a typed event; the conference turns those into messages and media switches.
import type { FloorView } from '../../shared/domain.ts';
import type { Actor, LoggedAction } from '../../shared/event-log.ts';
import { LIMITS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { SafeEmitter } from '../safe-emitter.ts';

export type FloorCause = 'request' | 'cancel' | 'grant' | 'revoke' | 'extend' | 'expire' | 'reorder' | 'drop' | 'clear';

/** A change about to be made: its event-log entry, who made it (null: the floor's own timer) and the floor after it. */
export type FloorChange = Extract<LoggedAction, { action: `floor.${FloorCause}` }> & { actor: Actor; view: FloorView };

export interface FloorEvents {
  changed: [view: FloorView, cause: FloorCause];
  warning: [info: { pointId: string; secondsLeft: number }];
}

interface Holder {
  readonly pointId: string;
  readonly since: number;
  readonly endsAt: number;
}

interface Request {
  readonly pointId: string;
  readonly note: string;
  readonly requestedAt: number;
}

/** The whole floor as one value: each change builds the next one, and a new holder object means new timers. */
interface State {
  readonly holder: Holder | null;
  readonly centreSince: number;
  readonly queue: readonly Request[];
}

export interface FloorOptions {
  defaultSeconds: number;
  /** How long before the end the speaker is warned. */
  warningSeconds?: number;
  now?: () => number;
  logger: Logger;
  /** Stores a change before it takes effect (state and log row in one transaction); a throw cancels it. */
  commit?: (change: FloorChange) => void;
}

/** How long the timer waits before trying again when the return to the centre could not be stored. */
const EXPIRE_RETRY_MS = 1000;

export class Floor extends SafeEmitter<FloorEvents> {
  readonly #defaultSeconds: number;
  readonly #warningMs: number;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #commit: (change: FloorChange) => void;
  #state: State;
  #warningTimer: NodeJS.Timeout | undefined;
  #endTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: FloorOptions) {
    super(options.logger);
    this.#defaultSeconds = options.defaultSeconds;
    this.#warningMs = (options.warningSeconds ?? LIMITS.floorWarningSeconds) * 1000;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#commit = options.commit ?? (() => undefined);
    this.#state = { holder: null, centreSince: this.#now(), queue: [] };
  }

  /** Puts back a floor stored before a restart; a grant that ran out meanwhile returns to the centre (a stored expiry). */
  restore(view: FloorView): void {
    const holder = view.pointId !== null && view.endsAt !== null ? { pointId: view.pointId, since: view.since, endsAt: view.endsAt } : null;
    this.#state = { holder, centreSince: holder ? this.#now() : view.since, queue: view.queue.map((r) => ({ ...r })) };
    if (holder && holder.endsAt <= this.#now()) this.#expire();
    else this.#schedule();
  }

  get holder(): string | null {
    return this.#state.holder?.pointId ?? null;
  }

  view(): FloorView {
    return viewOf(this.#state);
  }

  /** 1-based position in the queue, or 0 when not queued. */
  position(pointId: string): number {
    return this.#state.queue.findIndex((r) => r.pointId === pointId) + 1;
  }

  request(pointId: string, note: string, actor: Actor = null): number {
    const s = this.#state;
    if (s.holder?.pointId === pointId) throw refuse('floor.already_holding', { pointId }, 'this point already holds the floor');
    if (this.position(pointId) > 0) throw refuse('floor.already_queued', { pointId }, 'this point has already asked for the floor');
    const queue = [...s.queue, { pointId, note, requestedAt: this.#now() }];
    this.#apply({ ...s, queue }, { action: 'floor.request', detail: { note } }, actor);
    return queue.length;
  }

  cancel(pointId: string, actor: Actor = null): void {
    this.#apply({ ...this.#state, queue: this.#without(pointId) }, { action: 'floor.cancel', detail: {} }, actor);
  }

  grant(pointId: string, seconds = this.#defaultSeconds, actor: Actor = null): void {
    const s = this.#state;
    if (s.holder?.pointId === pointId) {
      throw refuse('floor.already_holding', { pointId }, 'this point already holds the floor; extend instead');
    }
    const now = this.#now();
    const holder = { pointId, since: now, endsAt: now + seconds * 1000 };
    const queue = s.queue.filter((r) => r.pointId !== pointId);
    this.#apply({ ...s, holder, queue }, { action: 'floor.grant', detail: { pointId, seconds } }, actor);
  }

  revoke(actor: Actor = null): void {
    const holder = this.#state.holder;
    if (!holder) throw refuse('floor.at_centre', {}, 'the floor is already at the centre');
    this.#apply(this.#atCentre(), { action: 'floor.revoke', detail: { pointId: holder.pointId } }, actor);
  }

  extend(seconds: number, actor: Actor = null): void {
    const holder = this.#state.holder;
    if (!holder) throw refuse('floor.at_centre', {}, 'the floor is at the centre; nothing to extend');
    const next = { ...this.#state, holder: { ...holder, endsAt: holder.endsAt + seconds * 1000 } };
    this.#apply(next, { action: 'floor.extend', detail: { pointId: holder.pointId, seconds } }, actor);
  }

  /** Moves a queued request to `position` (0 = first), clamped to the queue. */
  reorder(pointId: string, position: number, actor: Actor = null): void {
    const request = this.#state.queue[this.position(pointId) - 1];
    const queue = this.#without(pointId);
    queue.splice(Math.min(position, queue.length), 0, request as Request);
    this.#apply({ ...this.#state, queue }, { action: 'floor.reorder', detail: { pointId, position } }, actor);
  }

  drop(pointId: string, actor: Actor = null): void {
    this.#apply({ ...this.#state, queue: this.#without(pointId) }, { action: 'floor.drop', detail: { pointId } }, actor);
  }

  /** Back to the centre with an empty queue in one change (the rehearsal set aside at go-live); false when nothing to clear. */
  clear(actor: Actor = null): boolean {
    const { holder, queue } = this.#state;
    if (!holder && queue.length === 0) return false;
    const dropped = queue.map((r) => r.pointId);
    const next = holder ? { ...this.#atCentre(), queue: [] } : { ...this.#state, queue: [] };
    this.#apply(next, { action: 'floor.clear', detail: { pointId: holder?.pointId ?? null, dropped } }, actor);
    return true;
  }

  /** Stops the timers; safe to call twice. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#warningTimer);
    clearTimeout(this.#endTimer);
    this.removeAllListeners();
  }

  /** The queue without `pointId`'s request; not_found when it has none. */
  #without(pointId: string): Request[] {
    if (this.position(pointId) === 0) throw refuse('floor.not_queued', { pointId }, 'this point has not asked for the floor');
    return this.#state.queue.filter((r) => r.pointId !== pointId);
  }

  #atCentre(): State {
    return { ...this.#state, holder: null, centreSince: this.#now() };
  }

  /** Commits `next` with its log entry, then makes it the floor: timers follow a new holder, listeners hear of it. */
  #apply(next: State, entry: Omit<FloorChange, 'actor' | 'view'>, actor: Actor): void {
    const view = viewOf(next);
    this.#commit({ ...entry, actor, view } as FloorChange);
    const timersChange = next.holder !== this.#state.holder;
    this.#state = next;
    if (timersChange) this.#schedule();
    this.emit('changed', view, entry.action.slice('floor.'.length) as FloorCause);
  }

  #schedule(): void {
    clearTimeout(this.#warningTimer);
    clearTimeout(this.#endTimer);
    const holder = this.#state.holder;
    if (!holder || this.#closed) return;
    const left = holder.endsAt - this.#now();
    this.#warningTimer = setTimeout(
      () => this.emit('warning', { pointId: holder.pointId, secondsLeft: Math.round((holder.endsAt - this.#now()) / 1000) }),
      Math.max(0, left - this.#warningMs),
    );
    this.#endTimer = setTimeout(() => this.#expire(), Math.max(0, left));
  }

  /** The grant ran out: back to the centre, stored like any change; tried again shortly if it cannot be stored. */
  #expire(): void {
    const holder = this.#state.holder;
    if (!holder || this.#closed) return;
    try {
      this.#apply(this.#atCentre(), { action: 'floor.expire', detail: { pointId: holder.pointId } }, null);
    } catch (error) {
      this.#logger.error({ err: error, pointId: holder.pointId }, 'the floor could not return to the centre; trying again');
      this.#endTimer = setTimeout(() => this.#expire(), EXPIRE_RETRY_MS);
    }
  }
}

function viewOf(s: State): FloorView {
  return {
    pointId: s.holder?.pointId ?? null,
    since: s.holder?.since ?? s.centreSince,
    endsAt: s.holder?.endsAt ?? null,
    queue: s.queue.map((r) => ({ ...r })),
  };
}
