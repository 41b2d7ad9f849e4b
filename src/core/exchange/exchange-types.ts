// The exchange base's vocabulary: its options and default intervals, what the connector hooks
// return, the events it emits and the readiness flags it reports.
import type { Clock } from '../clock.ts'
import type { Big } from '../decimal.ts'
import type { MarketStreamConnectedEvent, OrderBookMessageSink } from '../order-book/data-source.ts'
import type { OrderBookSnapshotSource, OrderBookStatusChange } from '../order-book/order-book-tracker.ts'
import type { OrderTrackerEvents } from '../orders/order-events.ts'
import type { TradeType } from '../orders/order-state.ts'
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

/** `orderBookStatus`: a pair's book changed status (`'syncing'` → `'live'`, `'live'` → `'stale'`, …). */
export type OrderBookStatusEvent = OrderBookStatusChange

/** `orderBookUpdate`: a snapshot or a diff message was applied to a pair's book. */
export interface OrderBookUpdateEvent {
  readonly tradingPair: string
  /** The book's update id after it (Binance: the snapshot's `lastUpdateId`, then each diff's `u`). */
  readonly updateId: number
}

/** `marketTrade`: one public trade of a tracked pair (anyone's, not only this account's). */
export interface MarketTradeEvent {
  readonly tradingPair: string
  readonly tradeId: string
  readonly price: Big
  readonly amount: Big
  /** When the trade happened, epoch ms (Binance: the trade time `T`). */
  readonly timestamp: number
  /** The side that took liquidity (Binance: `m` true, the buyer was the maker, is `'SELL'`). */
  readonly takerSide: TradeType
}

export type { MarketStreamConnectedEvent }

/**
 * The seven order events (payloads as the order tracker emits them), the market events and
 * `error`. Market events come from the books and their public stream, need no keys, and stop with
 * `stop()` (none fires once it was called). A handler that throws is reported on `error`.
 */
export interface ExchangeEvents extends Omit<OrderTrackerEvents, 'error'> {
  /** Failed background work (`ExchangeTaskError`), malformed payloads, tracker notes, throwing handlers. */
  error: Error
  /**
   * A pair's book changed status: `{ tradingPair, status, previous }` (a gap turns it `'live'` →
   * `'stale'`, the resync `'stale'` → `'live'`).
   */
  orderBookStatus: OrderBookStatusEvent
  /** After each snapshot and each diff message applied to a pair's book: `{ tradingPair, updateId }`. */
  orderBookUpdate: OrderBookUpdateEvent
  /** Each public trade of a tracked pair: `{ tradingPair, tradeId, price, amount, timestamp, takerSide }`. */
  marketTrade: MarketTradeEvent
  /**
   * Each time the public market stream's socket opens: `{ connections }`, 1 on the first open;
   * above 1 after a reconnect (or a planned connection roll, e.g. Binance's before its 24 h cut-off).
   */
  marketStreamConnected: MarketStreamConnectedEvent
}

/** The market events' names (the ones the books and the public stream emit). */
export type MarketEventName = 'orderBookStatus' | 'orderBookUpdate' | 'marketTrade' | 'marketStreamConnected'

/**
 * What the exchange needs from a connector's order-book data source: the tracker's snapshot source
 * plus a way to attach the tracker, a public stream to run, an error channel and a `connected` event.
 * The core's `OrderBookDataSource` provides all but `listenForSubscriptions`, which the connector
 * adds (it owns the socket: connect, `notifyConnected()` and `subscribeAll()` on every open,
 * `handleRawMessage` for every message).
 */
export interface ExchangeOrderBookDataSource extends OrderBookSnapshotSource {
  attach(sink: OrderBookMessageSink): () => void
  on(name: 'error', handler: (error: Error) => void): () => void
  /** Each open of the public stream's socket (`OrderBookDataSource.notifyConnected` emits it). */
  on(name: 'connected', handler: (event: MarketStreamConnectedEvent) => void): () => void
  /** Runs the public stream until `signal` aborts; may resolve at once if it runs in the background. */
  listenForSubscriptions(signal: AbortSignal): void | Promise<void>
}
