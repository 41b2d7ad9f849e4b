// Readiness: the five flags of `statusDict`, and waiting until a condition on them holds (what
// `start()` resolves on). There is no polling: the exchange calls `notify()` whenever something a
// flag depends on changed (rules loaded, a book synced, balances fetched, the user stream spoke).
import type { ExchangeStatusDict } from './exchange-types.ts'

export interface StatusInputs {
  readonly tradingRequired: boolean
  readonly symbolCount: number
  readonly orderBooksInitialized: boolean
  readonly balancesLoaded: boolean
  readonly tradingRuleCount: number
  readonly userStreamLastReceivedAt: number
}

/**
 * The readiness flags. Trading flags are true when trading is not required.
 *
 * @example
 * computeStatusDict({ tradingRequired: false, symbolCount: 1, orderBooksInitialized: true, … }).accountBalance // true
 */
export function computeStatusDict(inputs: StatusInputs): ExchangeStatusDict {
  const publicOnly = !inputs.tradingRequired
  return {
    symbolsMappingInitialized: inputs.symbolCount > 0,
    orderBooksInitialized: inputs.orderBooksInitialized,
    accountBalance: publicOnly || inputs.balancesLoaded,
    tradingRuleInitialized: publicOnly || inputs.tradingRuleCount > 0,
    userStreamInitialized: publicOnly || inputs.userStreamLastReceivedAt > 0,
  }
}

/** True when every flag is. */
export function isReady(status: ExchangeStatusDict): boolean {
  return Object.values(status).every(Boolean)
}

interface Waiter {
  readonly holds: () => boolean
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** Promises that resolve once their condition holds, re-checked on `notify()`. */
export class ConditionWaiters {
  readonly #waiters = new Set<Waiter>()

  /**
   * Resolves once `holds()` is true (at once if it already is); rejects with the signal's reason
   * or the error given to `failAll`.
   */
  waitFor(holds: () => boolean, signal?: AbortSignal): Promise<void> {
    if (holds()) return Promise.resolve()
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const onAbort = (): void => waiter.reject(signal?.reason)
      const waiter: Waiter = {
        holds,
        resolve: () => {
          this.#waiters.delete(waiter)
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        reject: (error) => {
          this.#waiters.delete(waiter)
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      this.#waiters.add(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Re-checks every condition; those that now hold resolve. */
  notify(): void {
    for (const waiter of [...this.#waiters]) if (waiter.holds()) waiter.resolve()
  }

  /** Rejects every waiter. */
  failAll(error: unknown): void {
    for (const waiter of [...this.#waiters]) waiter.reject(error)
  }
}
