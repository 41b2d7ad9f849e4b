// A one-shot latch: set once, awaited by any number of callers, each with its own deadline and
// AbortSignal. Every wait settles (value, timeout or abort) and removes its timer and abort listener,
// so nothing is left pending or scheduled once the caller stops caring.
import { watchAbort } from '../abort-watch.ts'

/** How a wait ended. */
export type LatchWaitResult<Value> =
  | { readonly outcome: 'set'; readonly value: Value }
  | { readonly outcome: 'timeout' }
  | { readonly outcome: 'aborted'; readonly reason: unknown }

export class Latch<Value> {
  #isSet = false
  #value: Value | undefined
  readonly #waiters = new Set<(value: Value) => void>()

  /** Sets the value and wakes every waiter; later calls are ignored (the first value wins). */
  set(value: Value): void {
    if (this.#isSet) return
    this.#isSet = true
    this.#value = value
    for (const wake of [...this.#waiters]) wake(value)
    this.#waiters.clear()
  }

  /**
   * Waits until the latch is set, `timeoutMs` passes or `signal` aborts, whichever comes first.
   *
   * @example
   * const result = await latch.wait(5_000, controller.signal)
   * if (result.outcome === 'set') use(result.value)
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<LatchWaitResult<Value>> {
    if (this.#isSet) return Promise.resolve({ outcome: 'set', value: this.#value as Value })
    if (signal?.aborted) return Promise.resolve({ outcome: 'aborted', reason: signal.reason })
    return new Promise((resolve) => {
      const finish = (result: LatchWaitResult<Value>): void => {
        clearTimeout(timer)
        unwatch?.()
        this.#waiters.delete(onSet)
        resolve(result)
      }
      const onSet = (value: Value): void => finish({ outcome: 'set', value })
      const timer = setTimeout(() => finish({ outcome: 'timeout' }), Math.max(0, timeoutMs))
      this.#waiters.add(onSet)
      const unwatch = signal && watchAbort(signal, () => finish({ outcome: 'aborted', reason: signal.reason }))
    })
  }
}
