// The throttler's waiting line. Requests are tried in arrival order; a request never overtakes an
// earlier waiting request that draws on any of the same pools (FIFO per pool: a heavy request at the
// head is not starved by light ones, while a request on unrelated pools is not held behind it).
// While anyone waits, exactly one timer is set, for the earliest moment a held request can fit;
// nothing polls.
import { watchAbort } from './abort-watch.ts'
import type { RateLimitDraw } from './throttler-store.ts'

/** What one admission attempt decided. */
export type AdmissionDecision =
  | { readonly kind: 'admit' }
  | { readonly kind: 'wait'; readonly retryAfterMs: number }
  | { readonly kind: 'refuse'; readonly reason: unknown }

/** Asks whether a request may go now (and records its draw if so). */
export type AdmissionAttempt = (draws: readonly RateLimitDraw[]) => Promise<AdmissionDecision>

interface Waiter {
  readonly draws: readonly RateLimitDraw[]
  readonly resolve: () => void
  readonly reject: (reason: unknown) => void
  readonly signal: AbortSignal | undefined
  /** Stops watching the signal (the waiter was admitted or refused another way). */
  unwatch: (() => void) | undefined
  settled: boolean
}

/** setTimeout's ceiling (about 24.8 days); a longer wait is re-armed when the timer fires. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

/**
 * Holds requests until `attempt` admits them, in arrival order per pool.
 *
 * @example
 * const queue = new AdmissionQueue(async (draws) => (store.tryConsume(draws, Date.now()).granted ? { kind: 'admit' } : { kind: 'wait', retryAfterMs: 100 }))
 * await queue.enqueue([{ limitId: 'A', weight: 1, limit: 10, intervalMs: 1_000 }], signal)
 */
export class AdmissionQueue {
  readonly #attempt: AdmissionAttempt
  #waiters: Waiter[] = []
  /** Pools held by a waiting request: later requests on any of them wait behind it. */
  readonly #heldPools = new Set<string>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #walking = false
  #walkAgain = false
  #closedWith: { readonly reason: unknown } | undefined

  constructor(attempt: AdmissionAttempt) {
    this.#attempt = attempt
  }

  /** Requests waiting for room. */
  get pendingCount(): number {
    return this.#waiters.filter((waiter) => !waiter.settled).length
  }

  /** Resolves once admitted; rejects with the signal's reason on abort, or when refused. */
  enqueue(draws: readonly RateLimitDraw[], signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#closedWith) return reject(this.#closedWith.reason)
      if (signal?.aborted) return reject(signal.reason)
      const waiter: Waiter = {
        draws,
        resolve,
        reject,
        signal,
        unwatch: undefined,
        settled: false,
      }
      waiter.unwatch =
        signal &&
        watchAbort(signal, () => {
          // Whoever it held back may fit now.
          if (this.#settle(waiter, { reason: signal.reason })) this.#walk()
        })
      this.#waiters.push(waiter)
      // A running walk reaches it; behind a held request on the same pool, the timer will.
      if (this.#walking) return
      if (this.#timer !== undefined && this.#isHeld(waiter)) this.#hold(waiter)
      else this.#walk()
    })
  }

  /** Rejects every waiting request with `reason` and clears the timer. */
  refuseAll(reason: unknown): void {
    this.#clearTimer()
    for (const waiter of this.#waiters) this.#settle(waiter, { reason })
    // A running walk compacts the line itself; replacing it under the walk would skip arrivals.
    if (!this.#walking) this.#waiters = []
    this.#heldPools.clear()
  }

  /** Refuses everyone waiting and everyone later with `reason`; leaves no timer. */
  close(reason: unknown): void {
    this.#closedWith = { reason }
    this.refuseAll(reason)
  }

  #isHeld(waiter: Waiter): boolean {
    return waiter.draws.some((draw) => this.#heldPools.has(draw.limitId))
  }

  #hold(waiter: Waiter): void {
    for (const draw of waiter.draws) this.#heldPools.add(draw.limitId)
  }

  /** Starts a walk down the line, or asks the running one to walk again; never two at once. */
  #walk(): void {
    if (this.#walking) {
      this.#walkAgain = true
      return
    }
    this.#walking = true
    void this.#drain()
  }

  /**
   * Walks the line in arrival order, trying whoever is not held behind an earlier request on a
   * shared pool, then sets one timer for the earliest moment a held request can fit. Requests
   * arriving mid-walk are appended and reached by the same walk (the line only grows until the
   * walk ends); an abort or the timer asks for one more walk.
   */
  async #drain(): Promise<void> {
    try {
      do {
        this.#walkAgain = false
        this.#clearTimer()
        this.#heldPools.clear()
        let earliestRetryMs = Number.POSITIVE_INFINITY
        for (let index = 0; index < this.#waiters.length && !this.#closedWith; index += 1) {
          const waiter = this.#waiters[index]
          if (!waiter || waiter.settled) continue
          if (this.#isHeld(waiter)) {
            this.#hold(waiter)
            continue
          }
          const decision = await this.#attemptSafely(waiter.draws)
          // Admitted after an abort: the draw stays counted (a shared store cannot safely give it back).
          if (decision.kind === 'admit') this.#settle(waiter)
          else if (decision.kind === 'refuse') this.#settle(waiter, decision)
          // Told to wait, unless aborted meanwhile: then it holds nobody back.
          else if (!waiter.settled) {
            this.#hold(waiter)
            earliestRetryMs = Math.min(earliestRetryMs, decision.retryAfterMs)
          }
        }
        // From here to the end of the walk nothing awaits, so no arrival can slip past it.
        this.#waiters = this.#waiters.filter((waiter) => !waiter.settled)
        if (this.#waiters.length > 0 && earliestRetryMs < Number.POSITIVE_INFINITY && !this.#closedWith) {
          const delayMs = Math.min(MAX_TIMER_DELAY_MS, Math.max(1, Math.ceil(earliestRetryMs)))
          this.#timer = setTimeout(() => {
            this.#timer = undefined
            this.#walk()
          }, delayMs)
        }
      } while (this.#walkAgain && !this.#closedWith)
    } finally {
      this.#walking = false
    }
  }

  async #attemptSafely(draws: readonly RateLimitDraw[]): Promise<AdmissionDecision> {
    try {
      return await this.#attempt(draws)
    } catch (error) {
      return { kind: 'refuse', reason: error }
    }
  }

  /** Resolves (no outcome) or rejects a waiter once; false if it was already settled. */
  #settle(waiter: Waiter, outcome?: { readonly reason: unknown }): boolean {
    if (waiter.settled) return false
    waiter.settled = true
    waiter.unwatch?.()
    if (outcome) waiter.reject(outcome.reason)
    else waiter.resolve()
    return true
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
