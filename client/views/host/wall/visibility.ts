// Which wall tiles are on screen, told to the hub (wall.visible) so it sends video for those only: an
// IntersectionObserver over the tiles (a tile filtered out is not displayed, so it is not intersecting),
// sent a moment after the last change, and again after each welcome (the hub keeps it per connection).
import type { Signal } from '../../../net/signal.ts';

const SETTLE_MS = 150;

export class VisibleTiles {
  readonly #signal: Signal;
  readonly #observer: IntersectionObserver;
  readonly #shown = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sent = '';
  /** Whether the observer has reported since observe(): until then the set is unknown, not empty. */
  #reported = false;

  constructor(signal: Signal, root: HTMLElement) {
    this.#signal = signal;
    this.#observer = new IntersectionObserver((entries) => this.#onChange(entries), { root, threshold: 0 });
  }

  /** Starts over with these tiles (after a rebuild of the wall). */
  observe(tiles: Iterable<HTMLElement>): void {
    this.#observer.disconnect();
    this.#shown.clear();
    this.#sent = '';
    this.#reported = false;
    for (const el of tiles) this.#observer.observe(el);
  }

  /** The hub's session is new (a welcome): it wants the set again. */
  resend(): void {
    this.#sent = '';
    this.#schedule();
  }

  #onChange(entries: IntersectionObserverEntry[]): void {
    this.#reported = true;
    for (const entry of entries) {
      const id = (entry.target as HTMLElement).dataset['pointId'];
      if (!id) continue;
      if (entry.isIntersecting) this.#shown.add(id);
      else this.#shown.delete(id);
    }
    this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#send(), SETTLE_MS);
  }

  #send(): void {
    const pointIds = [...this.#shown].sort();
    const key = pointIds.join();
    if (!this.#reported || key === this.#sent || !this.#signal.connected) return;
    this.#sent = key;
    this.#signal.request('wall.visible', { pointIds }).catch((error: unknown) => {
      this.#sent = '';
      console.warn('wall.visible failed', error);
    });
  }
}
