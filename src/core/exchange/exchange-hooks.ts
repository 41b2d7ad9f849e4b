// The connector's side of the exchange base (the recipe's abstract surface): everything a
// connector supplies. `ExchangeBase` extends this class and calls these members; a connector
// extends `ExchangeBase` and implements them. Requests receive an AbortSignal that aborts on
// `stop()`, and throw the library's typed errors: the base decides what a failure means by class
// (see `request-outcome.ts`), never by message text.
import type { Big } from '../decimal.ts'
import { OrderNotFoundError, TimestampOutsideWindowError } from '../errors.ts'
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import type { OrderType, OrderUpdate, TradeUpdate } from '../orders/order-state.ts'
import type { AccountBalance } from './balances.ts'
import type { ExchangeOrderBookDataSource, PlacedOrder, TradingRulesAndSymbols } from './exchange-types.ts'
import type { UserStreamDataSource } from './user-stream-data-source.ts'

export abstract class ExchangeHooks<UserStreamEvent> {
  /** The exchange's name in messages (`'binance'`). */
  abstract readonly name: string
  /** The order types this exchange accepts; others fail before sending. */
  abstract readonly supportedOrderTypes: readonly OrderType[]
  /** True when an accepted cancel means the order is cancelled (CANCELED at once, not PENDING_CANCEL). */
  abstract readonly isCancelRequestSynchronous: boolean
  /** Put first in every client order id (a broker tag); '' for none. */
  protected abstract readonly clientOrderIdPrefix: string
  /** The exchange's limit on client order id length (Binance: 36), or undefined. */
  protected abstract readonly clientOrderIdMaxLength: number | undefined

  /**
   * Sends a tracked order: `order.amount` and (limit types) `order.price` are already quantized,
   * `order.clientOrderId` must be sent as the exchange's client id. Sent at most once per order
   * (again only after a time-sync refusal).
   */
  protected abstract placeOrder(order: InFlightOrder, signal: AbortSignal): Promise<PlacedOrder>
  /** Asks the exchange to cancel; true when it accepted. The exchange order id is known by now. */
  protected abstract placeCancel(order: InFlightOrder, signal: AbortSignal): Promise<boolean>
  /**
   * The order's state. Query by client order id: after an unanswered create the exchange id is
   * unknown. Throw `OrderNotFoundError` when the exchange does not know the order.
   */
  protected abstract requestOrderStatus(order: InFlightOrder, signal: AbortSignal): Promise<OrderUpdate>
  /** Every fill of the order so far (fills already seen are ignored by trade id); [] when none can be known yet. */
  protected abstract allTradeUpdatesForOrder(order: InFlightOrder, signal: AbortSignal): Promise<readonly TradeUpdate[]>
  /** Every balance of the account; assets left out are removed. */
  protected abstract fetchBalances(signal: AbortSignal): Promise<readonly AccountBalance[]>
  /**
   * Trading rules and the symbol map, from one exchange-info answer. A rule that fails to parse is
   * left out (report it with `reportError`); the others still count.
   */
  protected abstract fetchTradingRules(signal: AbortSignal): Promise<TradingRulesAndSymbols>
  /** Last traded price per requested pair. */
  protected abstract fetchLastTradedPrices(tradingPairs: readonly string[], signal: AbortSignal): Promise<Record<string, Big>>
  /** The exchange's clock in epoch **milliseconds**. */
  protected abstract fetchServerTime(signal: AbortSignal): Promise<number>
  /**
   * The public books' data source, built once on first use. It must start nothing until the base
   * calls its `listenForSubscriptions(signal)` (at `start()`).
   */
  protected abstract createOrderBookDataSource(): ExchangeOrderBookDataSource
  /** The private stream, built at `start()` when trading is required. */
  protected abstract createUserStreamDataSource(): UserStreamDataSource<UserStreamEvent>
  /**
   * Applies one user-stream event: a fill with `orderTracker.processTradeUpdate` first, then the
   * state with `orderTracker.processOrderUpdate`; balances with `setBalance`. Events are handled
   * one at a time, in order; a throw is reported and the next event handled. Do not await a FILLED
   * update whose fills come in a later message (it waits up to 5 s for them): `void` it.
   */
  protected abstract handleUserStreamEvent(event: UserStreamEvent): void | Promise<void>

  /** Refreshes fee rates (the 12 h loop). Nothing by default. */
  protected updateTradingFees(_signal: AbortSignal): Promise<void> {
    return Promise.resolve()
  }

  /** The exchange refused the request's timestamp: the base resyncs the clock and retries once. */
  protected isTimeSyncError(error: unknown): boolean {
    return error instanceof TimestampOutsideWindowError
  }

  /** A status query failed because the exchange does not know the order. */
  protected isOrderNotFoundDuringStatusUpdate(error: unknown): boolean {
    return error instanceof OrderNotFoundError
  }

  /** A cancel failed because the exchange does not know the order (counts towards "lost"). */
  protected isOrderNotFoundDuringCancel(error: unknown): boolean {
    return error instanceof OrderNotFoundError
  }
}
