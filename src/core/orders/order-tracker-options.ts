// The order tracker's options, defaults and the id pair its lookups take.
import type { Clock } from '../clock.ts'
import type { InFlightOrder } from './in-flight-order.ts'
import type { OrderEventSink } from './order-events.ts'

/** How long a finished order stays findable (fills may still arrive for it). */
export const CACHED_ORDER_TTL_MS = 30_000
/** At most this many finished orders are kept; the oldest go first. */
export const MAX_CACHED_ORDERS = 1_000
/** How long a FILLED update waits for the fills that complete its order. */
export const TRADE_FILLS_WAIT_TIMEOUT_MS = 5_000
/** Consecutive "not found" answers that make an order lost. */
export const LOST_ORDER_COUNT_LIMIT = 3
/** `errorType` of the orderFailure event an order gets when it is declared lost. */
export const LOST_ORDER_ERROR_TYPE = 'OrderLost'

/** Names an order by either id (an OrderUpdate or TradeUpdate fits). */
export interface OrderIds {
  readonly clientOrderId?: string | undefined
  readonly exchangeOrderId?: string | undefined
}

export interface OrderTrackerOptions {
  /** Stamps events (`now`) and ages the cache (`monotonic`). Default: the system clock. */
  readonly clock?: Clock
  /** Where events go: an `EventEmitter<OrderTrackerEvents>`, or the exchange's emitter. */
  readonly events: OrderEventSink
  /** Consecutive "not found" answers that make an order lost. Default 3. */
  readonly lostOrderCountLimit?: number
  readonly cachedOrderTtlMs?: number
  readonly maxCachedOrders?: number
  /** How long a FILLED update waits for its fills. Default 5 s. */
  readonly tradeFillsWaitTimeoutMs?: number
  /**
   * Called when an order reaches a final state (or FILLED is announced) while its fills fall short
   * of what the exchange executed; the order is then in `ordersAwaitingFills` until they add up.
   * The exchange base fetches the order's fills from here. Must not throw.
   */
  readonly onFillsMissing?: (order: InFlightOrder) => void
}
