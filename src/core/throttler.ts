// Keeps requests inside the exchange's rate limits (DESIGN.md rule 6).
//
// A request may go once every pool it draws on has room. Requests wait in one local queue
// (throttler-queue.ts: FIFO per pool, one timer, no polling); the counters live in a store
// (throttler-store.ts: in memory by default, or shared by a fleet of isolates). Pauses and bans are
// also kept here, so they hold at once whatever the store's latency.
//
// Times are wall-clock epoch ms (`clock.now()`): a store shared by several isolates needs a time
// base they all agree on, and bans and Retry-After arrive as wall-clock moments.
import type { Clock } from './clock.ts'
import { systemClock } from './clock.ts'
import { InvalidInputError, IpBannedError, SpotwireError, UnknownRateLimitError, asError } from './errors.ts'
import type { RateLimit, ResolvedRateLimit } from './throttler-limits.ts'
import { requireWeight, resolveRateLimits } from './throttler-limits.ts'
import type { AdmissionDecision } from './throttler-queue.ts'
import { AdmissionQueue } from './throttler-queue.ts'
import type { RateLimitConsumeResult, RateLimitDraw, RateLimitStore } from './throttler-store.ts'
import { InMemoryRateLimitStore } from './throttler-store.ts'

export type { LinkedRateLimit, RateLimit, ResolvedRateLimit } from './throttler-limits.ts'

export interface ThrottlerOptions {
  /** Defaults to the system clock; tests inject one they drive. */
  readonly clock?: Clock
  /** Where counters live; defaults to a new `InMemoryRateLimitStore`. Share one to share a budget. */
  readonly store?: RateLimitStore
  /** Use only this share of every limit (several processes on one API key or IP). Default 100. */
  readonly sharePercent?: number
  /** Keep each draw counted this much longer than its interval, against clock skew. Default 0. */
  readonly safetyMarginPercent?: number
  /** Receives store failures while recording a usage report, pause or ban (those never reject). */
  readonly onError?: (error: Error) => void
}

export interface AcquireOptions {
  /** Stops waiting: the promise rejects with the signal's reason and the request leaves the queue. */
  readonly signal?: AbortSignal
  /** Replaces the named limit's own weight for this request; linked pools keep their link weights. */
  readonly weight?: number
}

/**
 * A rate limiter for one exchange's limits, with linked pools, FIFO admission, server-side
 * corrections (usage headers, Retry-After, bans) and a pluggable counter store.
 *
 * @example
 * const throttler = new Throttler(RATE_LIMITS, { sharePercent: 50 })
 * await throttler.acquire('/api/v3/depth', { signal })
 * const book = await throttler.run('/api/v3/depth', () => fetchDepth(), { signal })
 */
export class Throttler {
  readonly #limits: Map<string, ResolvedRateLimit>
  readonly #clock: Clock
  readonly #store: RateLimitStore
  readonly #onError: ((error: Error) => void) | undefined
  /** Pauses are kept here too, so they hold at once even when the store is remote and slow. */
  readonly #pausedUntil = new Map<string, number>()
  readonly #queue = new AdmissionQueue((draws) => this.#tryAdmit(draws))
  #bannedUntil = 0
  #stopped = false

  constructor(limits: readonly RateLimit[], options: ThrottlerOptions = {}) {
    this.#limits = resolveRateLimits(limits, {
      sharePercent: options.sharePercent ?? 100,
      safetyMarginPercent: options.safetyMarginPercent ?? 0,
    })
    this.#clock = options.clock ?? systemClock
    this.#store = options.store ?? new InMemoryRateLimitStore()
    this.#onError = options.onError
  }

  /** The limit as enforced (after share and margin), or undefined for an unknown id. */
  limit(limitId: string): ResolvedRateLimit | undefined {
    return this.#limits.get(limitId)
  }

  /** Epoch ms until which the IP is banned, or undefined when no ban is in force. */
  get bannedUntil(): number | undefined {
    return this.#bannedUntil > this.#clock.now() ? this.#bannedUntil : undefined
  }

  /** Requests waiting for room. */
  get pendingCount(): number {
    return this.#queue.pendingCount
  }

  /**
   * Resolves once every pool `limitId` draws on has room and the draw is recorded. Rejects at once
   * with `UnknownRateLimitError` for an unknown id, `InvalidInputError` for a weight that can never
   * fit, `IpBannedError` during a ban; with the signal's reason when aborted.
   *
   * @example
   * await throttler.acquire('/api/v3/order', { signal })
   */
  acquire(limitId: string, options: AcquireOptions = {}): Promise<void> {
    const { signal } = options
    try {
      if (this.#stopped) throw stoppedError()
      const draws = this.#drawsFor(limitId, options.weight)
      if (signal?.aborted) throw signal.reason
      const bannedUntil = this.bannedUntil
      if (bannedUntil !== undefined) throw bannedError(bannedUntil)
      return this.#queue.enqueue(draws, signal)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Acquires, then runs `task` and returns its result.
   *
   * @example
   * const account = await throttler.run('/api/v3/account', () => rest.get('/api/v3/account'))
   */
  async run<Result>(limitId: string, task: () => Result | Promise<Result>, options: AcquireOptions = {}): Promise<Result> {
    await this.acquire(limitId, options)
    return task()
  }

  /**
   * Corrects a pool from the server's own count (Binance: `X-MBX-USED-WEIGHT-1M` for REQUEST_WEIGHT).
   * The count only goes up: if the server saw more than we drew, the difference is held until its
   * window ends, and waiting requests wait for it. If the server saw less, our figure stands: the
   * response could not yet count requests still in flight, so trusting it could overshoot.
   * With `sharePercent` below 100, usage by others up to the share left to them is not charged here.
   * Throws at once on an unknown id or a bad figure; never rejects (store failures go to `onError`).
   *
   * @example
   * await throttler.reportUsage('REQUEST_WEIGHT', Number(response.headers.get('x-mbx-used-weight-1m')))
   */
  reportUsage(limitId: string, used: number, atMs: number = this.#clock.now()): Promise<void> {
    const limit = this.#requireLimit(limitId)
    requireWeight(used, `the usage reported for '${limitId}'`)
    requireMoment(atMs, 'atMs')
    // A report whose window has already passed says nothing about the present.
    if (atMs + limit.intervalMs <= this.#clock.now()) return Promise.resolve()
    const reservedForOthers = limit.declaredLimit - limit.limit
    const report = { limitId, used: Math.max(0, used - reservedForOthers), atMs, intervalMs: limit.intervalMs }
    return this.#tellStore(() => this.#store.reportUsage(report))
  }

  /**
   * Holds every request drawing on the given limits (or on all) until `untilMs`, epoch ms, e.g.
   * after a 429 with `Retry-After`. Takes effect at once; extends a pause, never shortens one.
   * Throws at once on an unknown id; never rejects (store failures go to `onError`).
   *
   * @example
   * void throttler.pause('all', Date.now() + retryAfterMs)
   */
  pause(limitIds: readonly string[] | 'all', untilMs: number): Promise<void> {
    const ids = limitIds === 'all' ? [...this.#limits.keys()] : limitIds.map((id) => this.#requireLimit(id).id)
    requireMoment(untilMs, 'untilMs')
    for (const id of ids) this.#pausedUntil.set(id, Math.max(this.#pausedUntil.get(id) ?? 0, untilMs))
    return this.#tellStore(() => this.#store.pause(ids, untilMs))
  }

  /**
   * Records an IP ban (HTTP 418) until `untilMs`, epoch ms: every waiting request is refused with
   * `IpBannedError`, and so is every `acquire` until the ban ends. Nothing is queued for a ban,
   * which can last days. Takes effect at once; never rejects (store failures go to `onError`).
   *
   * @example
   * void throttler.ban(Date.now() + retryAfterSeconds * 1000)
   */
  ban(untilMs: number): Promise<void> {
    requireMoment(untilMs, 'untilMs')
    this.#applyBan(untilMs)
    return this.#tellStore(() => this.#store.ban(untilMs))
  }

  /** Refuses every waiting request and clears the timer; later calls to `acquire` reject. */
  stop(): void {
    this.#stopped = true
    this.#queue.close(stoppedError())
  }

  /** Passes a correction on to the store; callers fire and forget, so failures are reported. */
  async #tellStore(record: () => unknown): Promise<void> {
    try {
      await record()
    } catch (error) {
      try {
        this.#onError?.(asError(error))
      } catch {
        // A broken error handler must not turn a reported failure into an unhandled rejection.
      }
    }
  }

  #requireLimit(limitId: string): ResolvedRateLimit {
    const limit = this.#limits.get(limitId)
    if (!limit) throw new UnknownRateLimitError(limitId)
    return limit
  }

  /** What one request takes from each pool; a pool named twice (own id and a link) is summed. */
  #drawsFor(limitId: string, weightOverride: number | undefined): RateLimitDraw[] {
    const limit = this.#requireLimit(limitId)
    const weights = new Map<string, number>([[limit.id, requireWeight(weightOverride ?? limit.weight, `the weight of a '${limitId}' request`)]])
    for (const link of limit.linkedLimits) weights.set(link.id, (weights.get(link.id) ?? 0) + link.weight)
    return [...weights].map(([id, weight]) => {
      const pool = this.#requireLimit(id)
      if (weight > pool.limit) {
        throw new InvalidInputError(`A '${limitId}' request takes ${weight} from '${id}', more than its limit of ${pool.limit}; it could never be sent`)
      }
      return { limitId: id, weight, limit: pool.limit, intervalMs: pool.intervalMs }
    })
  }

  /** One admission attempt for the queue: local pause, then the store (which records the draw). */
  async #tryAdmit(draws: readonly RateLimitDraw[]): Promise<AdmissionDecision> {
    const pausedForMs = this.#pausedForMs(draws)
    if (pausedForMs > 0) return { kind: 'wait', retryAfterMs: pausedForMs }
    let result: RateLimitConsumeResult
    try {
      result = await this.#store.tryConsume(draws, this.#clock.now())
    } catch (error) {
      return { kind: 'refuse', reason: asError(error) }
    }
    if (result.granted) return { kind: 'admit' }
    // Another isolate on the same store was banned: the ban is ours too.
    if (result.bannedUntil !== undefined && result.bannedUntil > this.#clock.now()) {
      this.#applyBan(result.bannedUntil)
      return { kind: 'refuse', reason: bannedError(result.bannedUntil) }
    }
    return { kind: 'wait', retryAfterMs: result.retryAfterMs }
  }

  #pausedForMs(draws: readonly RateLimitDraw[]): number {
    const nowMs = this.#clock.now()
    let waitMs = 0
    for (const draw of draws) waitMs = Math.max(waitMs, (this.#pausedUntil.get(draw.limitId) ?? 0) - nowMs)
    return waitMs
  }

  #applyBan(untilMs: number): void {
    this.#bannedUntil = Math.max(this.#bannedUntil, untilMs)
    if (this.#bannedUntil > this.#clock.now()) this.#queue.refuseAll(bannedError(this.#bannedUntil))
  }
}

function requireMoment(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new InvalidInputError(`${name} must be a finite epoch ms, got ${value}`)
}

function stoppedError(): SpotwireError {
  return new SpotwireError('The throttler was stopped; the request was not sent')
}

function bannedError(bannedUntil: number): IpBannedError {
  return new IpBannedError(`The exchange banned this IP until ${new Date(bannedUntil).toISOString()}; the request was not sent`, { bannedUntil })
}
