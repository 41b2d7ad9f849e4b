// The exchange base's vocabulary: its options and default intervals, what the connector hooks
// return, the events it emits and the readiness flags it reports.
import type { Clock } from '../clock.ts'
import type { OrderBookMessageSink } from '../order-book/data-source.ts'
import type { OrderBookSnapshotSource } from '../order-book/order-book-tracker.ts'
import type { OrderTrackerEvents } from '../orders/order-events.ts'
import type { TradingRule } from '../orders/trading-rule.ts'
import type { Throttler } from '../throttler.ts'
import type { RateLimit } from '../throttler-limits.ts'
import type { TimeSynchronizer } from '../time-synchronizer.ts'
import type { SymbolMapping } from './symbol-map.ts'

/** How often each loop runs, in ms. Every value can be overridden (tests shorten them). */
export interface ExchangeIntervals {
  /** Status polling while the user stream is silent or down. Default 5 s. */
  readonly shortPollMs: number
  /** Status polling while the user stream is alive. Default 120 s. */
  readonly longPollMs: number
  /** A user stream with no message for longer than this counts as silent. Default 60 s. */
  readonly userStreamSilenceMs: number
  /** Lost-order reconciliation. Default 5 s. */
  readonly lostOrderPollMs: number
  /** Trading rules and symbol map refresh. Default 30 min. */
  readonly tradingRulesMs: number
  /** Trading fee refresh. Default 12 h. */
  readonly tradingFeesMs: number
  /** First wait after a loop failed; doubles per consecutive failure. Default 0.5 s. */
  readonly loopErrorBackoffMs: number
  /** Cap on that wait (never longer than the loop's own period either). Default 60 s. */
  readonly loopErrorBackoffMaxMs: number
  /** How long a cancel waits for the exchange order id of an order still being created. Default 10 s. */
  readonly cancelExchangeOrderIdWaitMs: number
}

export const DEFAULT_EXCHANGE_INTERVALS: ExchangeIntervals = {
  shortPollMs: 5_000,
  longPollMs: 120_000,
  userStreamSilenceMs: 60_000,
  lostOrderPollMs: 5_000,
  tradingRulesMs: 30 * 60_000,
  tradingFeesMs: 12 * 60 * 60_000,
  loopErrorBackoffMs: 500,
  loopErrorBackoffMaxMs: 60_000,
  cancelExchangeOrderIdWaitMs: 10_000,
}

export interface ExchangeBaseOptions {
  /** The pairs whose books are kept and whose orders may be placed, `BASE-QUOTE`. */
  readonly tradingPairs: readonly string[]
  /** False: books, prices and rules only (no balances, user stream or order polling). Default true. */
  readonly tradingRequired?: boolean
  /** The connector's rate limits (its constants); ignored when `throttler` is given. */
  readonly rateLimits?: readonly RateLimit[]
  /** A throttler to share with other clients of the same API key or IP. */
  readonly throttler?: Throttler
  /** Use only this share of every limit (several processes on one key). Default 100. */
  readonly rateLimitSharePercent?: number
  /** A time synchronizer to share; default: a new one on `clock`. */
  readonly timeSynchronizer?: TimeSynchronizer
  /** Consecutive "not found" answers that make an order lost. Default 3. */
  readonly lostOrderCountLimit?: number
  readonly intervals?: Partial<ExchangeIntervals>
  /** Default: the system clock. Tests inject one they drive. */
  readonly clock?: Clock
}

/** What `placeOrder` learns from the exchange. */
export interface PlacedOrder {
  readonly exchangeOrderId: string
  /** When the exchange accepted the order, epoch ms. */
  readonly updateTimestamp: number
}

/** The trading rules and the symbol map, read from the same exchange-info answer. */
export interface TradingRulesAndSymbols {
  readonly tradingRules: readonly TradingRule[]
  readonly symbols: readonly SymbolMapping[]
}

/** `cancelAll`'s answer for one order. */
export interface CancellationResult {
  readonly clientOrderId: string
  readonly success: boolean
}

/** The readiness flags; `ready` is true when all are. */
export interface ExchangeStatusDict {
  readonly symbolsMappingInitialized: boolean
  readonly orderBooksInitialized: boolean
  /** True when trading is not required. */
  readonly accountBalance: boolean
  /** True when trading is not required. */
  readonly tradingRuleInitialized: boolean
  /** True when trading is not required. */
  readonly userStreamInitialized: boolean
}

/** The seven order events (payloads as the order tracker emits them) and `error`. */
export interface ExchangeEvents extends Omit<OrderTrackerEvents, 'error'> {
  /** Failed background work (`ExchangeTaskError`), malformed payloads, tracker notes, throwing handlers. */
  error: Error
}

/**
 * What the exchange needs from a connector's order-book data source: the tracker's snapshot source
 * plus a way to attach the tracker, a public stream to run and an error channel. The core's
 * `OrderBookDataSource` provides all but `listenForSubscriptions`, which the connector adds (it owns
 * the socket: connect, `subscribeAll()` on every open, `handleRawMessage` for every message).
 */
export interface ExchangeOrderBookDataSource extends OrderBookSnapshotSource {
  attach(sink: OrderBookMessageSink): () => void
  on(name: 'error', handler: (error: Error) => void): () => void
  /** Runs the public stream until `signal` aborts; may resolve at once if it runs in the background. */
  listenForSubscriptions(signal: AbortSignal): void | Promise<void>
}
