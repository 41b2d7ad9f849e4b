// How the exchange base reads a failed request: did the exchange definitely not act on it (safe to
// fail the order), or is the outcome unknown (keep tracking, reconcile later)? And the one retry
// every request gets after the exchange refused its timestamp.
import { ExchangeError, InvalidInputError, IpBannedError, RateLimitedError, UnknownRateLimitError } from '../errors.ts'

/**
 * True when a failed request certainly did not take effect: the exchange answered no (the
 * `ExchangeError` family), refused it for rate limits (429, 418: not processed), or it never left
 * (`InvalidInputError`, `UnknownRateLimitError`). Everything else (timeouts, dropped connections,
 * 5xx, unreadable answers, connector bugs) leaves the outcome unknown.
 *
 * @example
 * isDefiniteRejection(new ServerError('502')) // false: the order may exist
 */
export function isDefiniteRejection(error: unknown): boolean {
  return (
    error instanceof ExchangeError ||
    error instanceof RateLimitedError ||
    error instanceof IpBannedError ||
    error instanceof InvalidInputError ||
    error instanceof UnknownRateLimitError
  )
}

export interface TimeSyncRetry {
  /** Whether the error means "your timestamp is outside my window". */
  readonly isTimeSyncError: (error: unknown) => boolean
  /** Re-measures the server's clock; must not reject except on abort. */
  readonly resync: () => Promise<unknown>
}

/**
 * Runs `request`; when it fails on a time-sync error, resyncs the clock and runs it once more. The
 * first attempt was refused by the exchange, so sending again cannot duplicate anything (this holds
 * for order creates too). A second time-sync failure is thrown as is.
 *
 * @example
 * const balances = await withTimeSyncRetry(() => fetchBalances(signal), retry)
 */
export async function withTimeSyncRetry<Value>(request: () => Promise<Value>, retry: TimeSyncRetry): Promise<Value> {
  try {
    return await request()
  } catch (error) {
    if (!retry.isTimeSyncError(error)) throw error
    await retry.resync()
    return request()
  }
}
