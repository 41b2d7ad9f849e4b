// Where the throttler's counters live. The default keeps them in this isolate's memory; an edge
// deployment implements the same interface on a Durable Object, so a fleet of isolates draws from
// one exchange budget. The throttler keeps its queue (and so FIFO order) locally and only asks the
// store "may this request go now, and if not, when should I ask again?".
//
// Windows slide: a draw recorded at t counts against its pool while now < t + intervalMs. A sliding
// window never lets more than `limit` through in any span of `intervalMs`, so it also keeps within
// an exchange's fixed windows (Binance resets X-MBX-USED-WEIGHT-1M on each minute).

/** One pool's share of a request: take `weight` from `limitId`, which allows `limit` per `intervalMs`. */
export interface RateLimitDraw {
  readonly limitId: string
  readonly weight: number
  readonly limit: number
  readonly intervalMs: number
}

/** What the server says a pool has used: raise the count at `atMs` to `used` if we counted less. */
export interface RateLimitUsageReport {
  readonly limitId: string
  readonly used: number
  readonly atMs: number
  readonly intervalMs: number
}

export type RateLimitConsumeResult =
  | { readonly granted: true }
  | {
      readonly granted: false
      /** When asking again can succeed, if nobody else draws meanwhile. */
      readonly retryAfterMs: number
      /** Set when the store holds an IP ban (epoch ms), so every throttler on it refuses at once. */
      readonly bannedUntil?: number
    }

type MaybePromise<Value> = Value | Promise<Value>

/**
 * The counters behind a throttler. Times are epoch ms from the calling throttler's clock; a remote
 * store may use its own clock instead, as long as it uses one consistently.
 */
export interface RateLimitStore {
  /** All or nothing: records every draw at `nowMs` if each pool has room, otherwise records none. */
  tryConsume(draws: readonly RateLimitDraw[], nowMs: number): MaybePromise<RateLimitConsumeResult>
  /** Raises a pool's count to the server's figure; never lowers it (see `Throttler.reportUsage`). */
  reportUsage(report: RateLimitUsageReport): MaybePromise<void>
  /** Refuses draws on these pools until `untilMs`. Extends a pause, never shortens one. */
  pause(limitIds: readonly string[], untilMs: number): MaybePromise<void>
  /** Refuses every draw until `untilMs`, answering with `bannedUntil`. Extends, never shortens. */
  ban(untilMs: number): MaybePromise<void>
}

interface UsageEntry {
  readonly atMs: number
  readonly weight: number
  readonly expiresAtMs: number
}

interface PoolState {
  /** Sorted by expiry, oldest first. */
  entries: UsageEntry[]
  pausedUntilMs: number
}

/**
 * The default store: counters in this isolate's memory, answered synchronously.
 *
 * @example
 * const store = new InMemoryRateLimitStore()
 * const throttler = new Throttler(RATE_LIMITS, { store })
 * store.used('REQUEST_WEIGHT', Date.now()) // weight counted in the current window
 */
export class InMemoryRateLimitStore implements RateLimitStore {
  readonly #pools = new Map<string, PoolState>()
  #bannedUntilMs = 0

  tryConsume(draws: readonly RateLimitDraw[], nowMs: number): RateLimitConsumeResult {
    if (nowMs < this.#bannedUntilMs) {
      return { granted: false, retryAfterMs: this.#bannedUntilMs - nowMs, bannedUntil: this.#bannedUntilMs }
    }
    let retryAfterMs = 0
    for (const draw of draws) retryAfterMs = Math.max(retryAfterMs, this.#waitFor(draw, nowMs))
    if (retryAfterMs > 0) return { granted: false, retryAfterMs }
    for (const draw of draws) {
      if (draw.weight > 0) this.#record(draw.limitId, { atMs: nowMs, weight: draw.weight, expiresAtMs: nowMs + draw.intervalMs })
    }
    return { granted: true }
  }

  reportUsage(report: RateLimitUsageReport): void {
    const pool = this.#pool(report.limitId)
    let counted = 0
    for (const entry of pool.entries) {
      if (entry.atMs <= report.atMs && report.atMs < entry.expiresAtMs) counted += entry.weight
    }
    // The server saw more than we drew (another process on the IP, or our own count is off): hold
    // the difference as if drawn at the report's time, until its window ends.
    if (report.used > counted) {
      this.#record(report.limitId, { atMs: report.atMs, weight: report.used - counted, expiresAtMs: report.atMs + report.intervalMs })
    }
  }

  pause(limitIds: readonly string[], untilMs: number): void {
    for (const limitId of limitIds) {
      const pool = this.#pool(limitId)
      pool.pausedUntilMs = Math.max(pool.pausedUntilMs, untilMs)
    }
  }

  ban(untilMs: number): void {
    this.#bannedUntilMs = Math.max(this.#bannedUntilMs, untilMs)
  }

  /** Weight counted against `limitId` at `nowMs` (diagnostics and tests). */
  used(limitId: string, nowMs: number): number {
    let used = 0
    for (const entry of this.#pools.get(limitId)?.entries ?? []) {
      if (entry.atMs <= nowMs && nowMs < entry.expiresAtMs) used += entry.weight
    }
    return used
  }

  /** How long until `draw` fits in its pool (0: now), counting both pauses and capacity. */
  #waitFor(draw: RateLimitDraw, nowMs: number): number {
    const pool = this.#pools.get(draw.limitId)
    if (!pool) return draw.weight > draw.limit ? Number.POSITIVE_INFINITY : 0
    while (pool.entries.length > 0 && pool.entries[0]!.expiresAtMs <= nowMs) pool.entries.shift()
    const pauseWaitMs = pool.pausedUntilMs - nowMs
    if (draw.weight === 0) return Math.max(0, pauseWaitMs)
    let used = 0
    for (const entry of pool.entries) used += entry.weight
    const excess = used + draw.weight - draw.limit
    let capacityWaitMs = excess > 0 ? Number.POSITIVE_INFINITY : 0
    let freed = 0
    for (const entry of pool.entries) {
      if (excess <= 0) break
      freed += entry.weight
      if (freed >= excess) {
        capacityWaitMs = entry.expiresAtMs - nowMs
        break
      }
    }
    return Math.max(0, pauseWaitMs, capacityWaitMs)
  }

  #pool(limitId: string): PoolState {
    let pool = this.#pools.get(limitId)
    if (!pool) {
      pool = { entries: [], pausedUntilMs: 0 }
      this.#pools.set(limitId, pool)
    }
    return pool
  }

  #record(limitId: string, entry: UsageEntry): void {
    const entries = this.#pool(limitId).entries
    let index = entries.length
    // Draws arrive in time order; only a late usage report needs to go further back.
    while (index > 0 && entries[index - 1]!.expiresAtMs > entry.expiresAtMs) index -= 1
    entries.splice(index, 0, entry)
  }
}
