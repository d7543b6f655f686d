// At most `count` attempts per address in any `windowMs` (a sliding window), kept in memory: a restart
// forgets it, which is fine for slowing down guessing. Addresses quiet for a window are dropped.
export class AddressLimit {
  readonly #count: number;
  readonly #windowMs: number;
  readonly #hits = new Map<string, number[]>();
  #sweptAt = 0;

  constructor(count: number, windowMs: number) {
    this.#count = count;
    this.#windowMs = windowMs;
  }

  /** Counts one attempt at `now` and answers 0, or answers how many ms to wait (the attempt is not counted). */
  take(address: string, now: number): number {
    if (now - this.#sweptAt >= this.#windowMs) this.#sweep(now);
    const hits = (this.#hits.get(address) ?? []).filter((at) => at > now - this.#windowMs);
    if (hits.length >= this.#count) {
      this.#hits.set(address, hits);
      return Math.max(1, (hits[0] as number) + this.#windowMs - now);
    }
    hits.push(now);
    this.#hits.set(address, hits);
    return 0;
  }

  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const [address, hits] of this.#hits) {
      if ((hits.at(-1) ?? 0) <= now - this.#windowMs) this.#hits.delete(address);
    }
  }
}
