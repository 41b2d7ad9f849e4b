// Fetching a snapshot until one can be used: the tracker's retry loop, on its own so its timing
// rules are easy to read and test. It never throws into the caller: failures are reported and
// retried after a backoff (never sooner than a 429's Retry-After or the end of a 418 ban), and
// aborting the signal ends it at once with no timer left behind.
import { sleep } from '../clock.ts'
import { IpBannedError, PayloadValidationError, RateLimitedError, SpotwireError } from '../errors.ts'
import { findMessageProblem, type OrderBookMessage, type OrderBookSnapshotMessage } from './order-book-message.ts'

/** A snapshot request failed; the tracker retries after `retryInMs`. The cause is the original error. */
export class SnapshotFetchError extends SpotwireError {
  override name = 'SnapshotFetchError'
  readonly tradingPair: string
  readonly attempt: number
  readonly retryInMs: number
  constructor(tradingPair: string, attempt: number, retryInMs: number, cause: unknown) {
    super(`Fetching the order book snapshot for ${tradingPair} failed (attempt ${attempt}); retrying in ${retryInMs} ms`, {
      cause,
    })
    this.tradingPair = tradingPair
    this.attempt = attempt
    this.retryInMs = retryInMs
  }
}

/**
 * Default retry schedule: 0.5 s, 1 s, 2 s, … capped at 30 s.
 *
 * @example
 * defaultSnapshotRetryDelay(3) // 2000
 */
export function defaultSnapshotRetryDelay(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1))
}

export interface SnapshotSyncOptions {
  readonly tradingPair: string
  readonly fetchSnapshot: (tradingPair: string, signal: AbortSignal) => Promise<OrderBookSnapshotMessage>
  /** Returns true when the snapshot was applied; false asks for another one (too old, say). */
  readonly apply: (snapshot: OrderBookSnapshotMessage) => boolean
  readonly report: (error: Error) => void
  readonly retryDelayMs: (attempt: number) => number
  readonly signal: AbortSignal
}

/**
 * Fetches snapshots until `apply` accepts one or the signal aborts. A failed or malformed fetch is
 * reported as `SnapshotFetchError`; a snapshot `apply` turns down is fetched again after the same
 * backoff without an error (it is expected, e.g. a REST snapshot older than the stream).
 */
export async function syncSnapshot(options: SnapshotSyncOptions): Promise<void> {
  const { tradingPair, signal } = options
  for (let attempt = 1; !signal.aborted; attempt++) {
    let failure: unknown
    try {
      const snapshot = await options.fetchSnapshot(tradingPair, signal)
      if (signal.aborted) return
      const problem = findMessageProblem(snapshot) ?? findWrongSnapshot(snapshot, tradingPair)
      if (problem === undefined && options.apply(snapshot)) return
      if (problem !== undefined) {
        failure = new PayloadValidationError(`order book snapshot for ${tradingPair}`, snapshot, { details: problem })
      }
    } catch (error) {
      if (signal.aborted) return
      failure = error
    }
    // A 429 or 418 names its own wait: asking again sooner is what turns a 429 into a ban.
    const delay = Math.max(options.retryDelayMs(attempt), waitDemandedBy(failure, Date.now()))
    if (failure !== undefined) options.report(new SnapshotFetchError(tradingPair, attempt, delay, failure))
    try {
      await sleep(delay, signal)
    } catch {
      return
    }
  }
}

/** How long the exchange told us to stay away (a 429's Retry-After, a 418's ban), in ms; else 0. */
function waitDemandedBy(failure: unknown, now: number): number {
  const isRateLimit = (error: unknown): boolean => error instanceof RateLimitedError || error instanceof IpBannedError
  const found = failure instanceof SpotwireError ? failure.walk(isRateLimit) : failure
  if (found instanceof IpBannedError) return Math.max(0, found.bannedUntil - now)
  if (found instanceof RateLimitedError) return found.retryAfterMs ?? 0
  return 0
}

function findWrongSnapshot(message: OrderBookMessage, tradingPair: string): string | undefined {
  if (message.type !== 'snapshot') return `expected a snapshot, got a ${message.type} message`
  if (message.tradingPair !== tradingPair) return `expected a snapshot for ${tradingPair}, got ${message.tradingPair}`
  return undefined
}
