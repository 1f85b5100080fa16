// Remembers keys (request signatures, trigger_ids, event ids…) for a while, in bounded memory, so a request seen
// again within the window is recognised as a repeat. Pure: the clock is injected.

export interface ReplayMemoryOptions {
  /** How long a key is remembered. */
  ttlMs: number;
  /** At most this many keys are kept; the oldest are forgotten first (a flood can't grow memory without bound). */
  maxKeys: number;
  clock?: () => number;
}

export class ReplayMemory {
  // Insertion order is expiry order (one TTL for all), so the oldest entries are always at the front.
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxKeys: number;
  readonly #clock: () => number;

  constructor(options: ReplayMemoryOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxKeys = options.maxKeys;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Records every key and says whether any of them was already seen within the window. All keys are recorded
   * either way, so a repeat is recognised by whichever of its keys survives.
   */
  seenBefore(keys: readonly string[]): boolean {
    const now = this.#clock();
    this.#expire(now);
    let seen = false;
    for (const key of keys) {
      if (this.#seen.has(key)) {
        seen = true;
        continue;
      }
      this.#seen.set(key, now + this.#ttlMs);
    }
    while (this.#seen.size > this.#maxKeys) {
      const oldest = this.#seen.keys().next().value;
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
    return seen;
  }

  get size(): number {
    return this.#seen.size;
  }

  #expire(now: number): void {
    for (const [key, expiresAt] of this.#seen) {
      if (expiresAt > now) return;
      this.#seen.delete(key);
    }
  }
}
