// What the exchange reports on its `error` channel when background work fails: a polling loop, an
// order create whose outcome is unknown, a cancel the exchange did not answer. The original typed
// error stays reachable as `cause` (and through `walk()`), so callers can still ask "network or
// exchange?" of it.
import { asError, SpotwireError } from '../errors.ts'

export class ExchangeTaskError extends SpotwireError {
  override name = 'ExchangeTaskError'
  /** Which piece of work failed: `'status polling'`, `'placing order x-1'`, … */
  readonly task: string

  constructor(exchangeName: string, task: string, cause: unknown) {
    const error = asError(cause)
    super(`${exchangeName}: ${task} failed: ${error.message}`, { cause: error })
    this.task = task
  }
}

/** `start()` could not finish: the exchange was stopped before it became ready. */
export class ExchangeStoppedError extends SpotwireError {
  override name = 'ExchangeStoppedError'
}
