// Background work the exchange has started and must be able to end. A task is a promise that never
// rejects (failures are reported where it is spawned); `settled()` waits for all of them, which
// `stop()` does after aborting their signal, so nothing is left running or pending.
import { watchAbort } from '../abort-watch.ts'

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts. The promise's
 * own late settlement is still observed, so a hook that ignores the signal cannot cause an
 * unhandled rejection or keep its caller waiting.
 *
 * @example
 * const balances = await abortable(connectorHook(signal), signal)
 */
export function abortable<Value>(promise: Promise<Value>, signal: AbortSignal): Promise<Value> {
  if (signal.aborted) {
    promise.catch(() => {})
    return Promise.reject(signal.reason)
  }
  return new Promise((resolve, reject) => {
    const unwatch = watchAbort(signal, () => reject(signal.reason))
    promise.then(
      (value) => {
        unwatch()
        resolve(value)
      },
      (error: unknown) => {
        unwatch()
        reject(error)
      },
    )
  })
}

export class TaskGroup {
  readonly #running = new Set<Promise<void>>()

  /** Number of tasks not yet settled. */
  get size(): number {
    return this.#running.size
  }

  /** Runs `work` in the background; a rejection goes to `onError` (which must not throw). */
  spawn(work: () => Promise<void>, onError: (error: unknown) => void): void {
    const task = (async () => {
      try {
        await work()
      } catch (error) {
        try {
          onError(error)
        } catch {
          // A failing error handler must not turn into an unhandled rejection.
        }
      }
    })()
    this.#running.add(task)
    void task.finally(() => this.#running.delete(task))
  }

  /** Resolves once every task spawned so far (and any they spawn meanwhile) has settled. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running])
  }
}
