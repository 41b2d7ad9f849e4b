// The exchange's loops (status polling, lost orders, trading rules, fees): run, wait, repeat, on
// plain timers that an AbortSignal ends at once. A failing run is reported and retried after a
// back-off that doubles up to a cap, so a loop neither dies on an error nor hammers a failing
// exchange.
import { sleep } from '../clock.ts'

export interface LoopBackoff {
  /** Wait after the first consecutive failure. */
  readonly initialMs: number
  /** Cap on the wait (callers keep it within the loop's own period). */
  readonly maxMs: number
}

export interface PeriodicTaskOptions {
  /** One round of work; a throw is reported and the round retried after the back-off. */
  readonly run: (signal: AbortSignal) => Promise<void>
  /** Wait before the next round after a successful one; asked again after every round. */
  readonly nextDelayMs: () => number
  /** Wait before the first round. Default 0: at once. */
  readonly initialDelayMs?: number
  readonly backoff: LoopBackoff
  /** Ends the loop, including a wait in progress. */
  readonly signal: AbortSignal
  /** Receives each failure with the wait before the retry. Must not throw. */
  readonly onError: (error: unknown, retryInMs: number) => void
}

/**
 * Wait after `failures` consecutive failures: `initialMs · 2^(failures − 1)`, capped.
 *
 * @example
 * backoffDelayMs({ initialMs: 500, maxMs: 60_000 }, 3) // 2000
 */
export function backoffDelayMs(backoff: LoopBackoff, failures: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1))
}

/**
 * Runs `run` now (or after `initialDelayMs`) and then again after every `nextDelayMs()`, until the
 * signal aborts. Resolves when it has stopped; never rejects.
 *
 * @example
 * void runPeriodically({ run: refreshRules, nextDelayMs: () => 1_800_000, backoff, signal, onError })
 */
export async function runPeriodically(options: PeriodicTaskOptions): Promise<void> {
  const { signal } = options
  let failures = 0
  let delayMs = options.initialDelayMs ?? 0
  while (!signal.aborted) {
    if (delayMs > 0) {
      try {
        await sleep(delayMs, signal)
      } catch {
        return
      }
    }
    try {
      await options.run(signal)
      failures = 0
      // At least 1 ms: a loop whose period came out as 0 must still yield to timers.
      delayMs = Math.max(1, options.nextDelayMs())
    } catch (error) {
      if (signal.aborted) return
      failures += 1
      delayMs = Math.max(1, backoffDelayMs(options.backoff, failures))
      options.onError(error, delayMs)
    }
  }
}
