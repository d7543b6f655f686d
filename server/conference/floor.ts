// Who holds the floor: the centre, or one remote point for a limited time, plus the ordered queue of
// requests to speak. Pure domain with timers: it knows nothing of media or sockets and reports every
// change by a typed event; the conference turns those into media switches and messages.
import { EventEmitter } from 'node:events';
import type { FloorView } from '../../shared/domain.ts';
import { conflict, notFound } from '../errors.ts';

export type FloorCause = 'request' | 'cancel' | 'grant' | 'revoke' | 'extend' | 'expire' | 'reorder' | 'drop';

export interface FloorEvents {
  changed: [view: FloorView, cause: FloorCause];
  warning: [info: { pointId: string; secondsLeft: number }];
}

interface Holder {
  pointId: string;
  since: number;
  endsAt: number;
}

interface Request {
  pointId: string;
  note: string;
  requestedAt: number;
}

export interface FloorOptions {
  defaultSeconds: number;
  /** How long before the end the speaker is warned. */
  warningSeconds?: number;
  now?: () => number;
}

export class Floor extends EventEmitter<FloorEvents> {
  readonly #defaultSeconds: number;
  readonly #warningMs: number;
  readonly #now: () => number;
  #holder: Holder | null = null;
  #centreSince: number;
  #queue: Request[] = [];
  #warningTimer: NodeJS.Timeout | undefined;
  #endTimer: NodeJS.Timeout | undefined;

  constructor(options: FloorOptions) {
    super();
    this.#defaultSeconds = options.defaultSeconds;
    this.#warningMs = (options.warningSeconds ?? 30) * 1000;
    this.#now = options.now ?? Date.now;
    this.#centreSince = this.#now();
  }

  /** Puts back a floor stored before a restart; a grant that ran out meanwhile returns to the centre. */
  restore(view: FloorView): void {
    this.#queue = view.queue.map((r) => ({ ...r }));
    if (view.pointId !== null && view.endsAt !== null && view.endsAt > this.#now()) {
      this.#holder = { pointId: view.pointId, since: view.since, endsAt: view.endsAt };
      this.#schedule();
    } else {
      this.#holder = null;
      this.#centreSince = view.pointId === null ? view.since : this.#now();
    }
  }

  get holder(): string | null {
    return this.#holder?.pointId ?? null;
  }

  view(): FloorView {
    return {
      pointId: this.#holder?.pointId ?? null,
      since: this.#holder?.since ?? this.#centreSince,
      endsAt: this.#holder?.endsAt ?? null,
      queue: this.#queue.map((r) => ({ ...r })),
    };
  }

  /** 1-based position in the queue, or 0 when not queued. */
  position(pointId: string): number {
    return this.#queue.findIndex((r) => r.pointId === pointId) + 1;
  }

  request(pointId: string, note: string): number {
    if (this.#holder?.pointId === pointId) throw conflict('this point already holds the floor');
    if (this.position(pointId) > 0) throw conflict('this point has already asked for the floor');
    this.#queue.push({ pointId, note, requestedAt: this.#now() });
    this.#changed('request');
    return this.#queue.length;
  }

  cancel(pointId: string): void {
    this.#remove(pointId);
    this.#changed('cancel');
  }

  grant(pointId: string, seconds = this.#defaultSeconds): void {
    if (this.#holder?.pointId === pointId) throw conflict('this point already holds the floor; extend instead');
    this.#queue = this.#queue.filter((r) => r.pointId !== pointId);
    const now = this.#now();
    this.#holder = { pointId, since: now, endsAt: now + seconds * 1000 };
    this.#schedule();
    this.#changed('grant');
  }

  revoke(): void {
    if (!this.#holder) throw conflict('the floor is already at the centre');
    this.#toCentre('revoke');
  }

  extend(seconds: number): void {
    if (!this.#holder) throw conflict('the floor is at the centre; nothing to extend');
    this.#holder.endsAt += seconds * 1000;
    this.#schedule();
    this.#changed('extend');
  }

  /** Moves a queued request to `position` (0 = first), clamped to the queue. */
  reorder(pointId: string, position: number): void {
    const request = this.#remove(pointId);
    this.#queue.splice(Math.min(position, this.#queue.length), 0, request);
    this.#changed('reorder');
  }

  drop(pointId: string): void {
    this.#remove(pointId);
    this.#changed('drop');
  }

  /** Stops the timers; safe to call twice. */
  close(): void {
    clearTimeout(this.#warningTimer);
    clearTimeout(this.#endTimer);
    this.removeAllListeners();
  }

  #remove(pointId: string): Request {
    const index = this.#queue.findIndex((r) => r.pointId === pointId);
    if (index < 0) throw notFound('this point has not asked for the floor');
    return this.#queue.splice(index, 1)[0] as Request;
  }

  #toCentre(cause: FloorCause): void {
    clearTimeout(this.#warningTimer);
    clearTimeout(this.#endTimer);
    this.#holder = null;
    this.#centreSince = this.#now();
    this.#changed(cause);
  }

  #schedule(): void {
    clearTimeout(this.#warningTimer);
    clearTimeout(this.#endTimer);
    const holder = this.#holder;
    if (!holder) return;
    const left = holder.endsAt - this.#now();
    this.#warningTimer = setTimeout(
      () => this.emit('warning', { pointId: holder.pointId, secondsLeft: Math.round((holder.endsAt - this.#now()) / 1000) }),
      Math.max(0, left - this.#warningMs),
    );
    this.#endTimer = setTimeout(() => this.#toCentre('expire'), Math.max(0, left));
  }

  #changed(cause: FloorCause): void {
    this.emit('changed', this.view(), cause);
  }
}
