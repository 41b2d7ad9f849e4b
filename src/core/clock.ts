// Time, injected. Wall time (`now`) stamps events and signed requests; monotonic time measures
// intervals (round trips, liveness) and cannot jump when the system clock is adjusted.
import { watchAbort } from './abort-watch.ts'

export interface Clock {
  /** Wall-clock time, epoch ms. */
  now(): number
  /** Monotonic time in ms from an arbitrary origin. */
  monotonic(): number
}

/** The platform clock: `Date.now()` and `performance.now()` (both exist in every target runtime). */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. Leaves no timer
 * behind either way.
 *
 * @example
 * await sleep(500, controller.signal)
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(() => {
      unwatch?.()
      resolve()
    }, ms)
    const unwatch =
      signal &&
      watchAbort(signal, () => {
        clearTimeout(timer)
        reject(signal.reason)
      })
  })
}
