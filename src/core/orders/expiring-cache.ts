// A small map whose entries expire after a fixed time and whose size is capped, evicting the
// oldest first. Expiry is checked lazily on every access against an injected monotonic clock, so it
// needs no timer (nothing to clear on stop, nothing to keep a Worker alive).
import type { Clock } from '../clock.ts'

export class ExpiringCache<Key, Value> {
  // Insertion order is expiry order (one TTL for all), so eviction only looks at the front.
  readonly #entries = new Map<Key, { readonly value: Value; readonly expiresAt: number }>()
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #maxSize: number

  constructor(options: { readonly clock: Clock; readonly ttlMs: number; readonly maxSize: number }) {
    this.#clock = options.clock
    this.#ttlMs = options.ttlMs
    this.#maxSize = options.maxSize
  }

  /** Adds or replaces an entry; it expires `ttlMs` from now. */
  set(key: Key, value: Value): void {
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAt: this.#clock.monotonic() + this.#ttlMs })
    this.#evict()
  }

  get(key: Key): Value | undefined {
    this.#evict()
    return this.#entries.get(key)?.value
  }

  delete(key: Key): boolean {
    return this.#entries.delete(key)
  }

  /** Live entries, oldest first. */
  entries(): Array<[Key, Value]> {
    this.#evict()
    return [...this.#entries].map(([key, entry]) => [key, entry.value])
  }

  /** Live values, oldest first. */
  values(): Value[] {
    this.#evict()
    return [...this.#entries.values()].map((entry) => entry.value)
  }

  #evict(): void {
    const now = this.#clock.monotonic()
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxSize && entry.expiresAt > now) break
      this.#entries.delete(key)
    }
  }
}
