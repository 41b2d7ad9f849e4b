// What the order flows (placement, cancellation, status polling) need from the exchange, as one
// object the base builds. Connector calls arrive here already wrapped: retried once after a
// time-sync error and ended at once when the given signal aborts.
import type { Clock } from '../clock.ts'
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import type { OrderUpdate, TradeUpdate } from '../orders/order-state.ts'
import type { OrderTracker } from '../orders/order-tracker.ts'
import type { ExchangeIntervals, PlacedOrder } from './exchange-types.ts'

export interface ConnectorOrderCalls {
  placeOrder(order: InFlightOrder, signal: AbortSignal): Promise<PlacedOrder>
  placeCancel(order: InFlightOrder, signal: AbortSignal): Promise<boolean>
  requestOrderStatus(order: InFlightOrder, signal: AbortSignal): Promise<OrderUpdate>
  allTradeUpdatesForOrder(order: InFlightOrder, signal: AbortSignal): Promise<readonly TradeUpdate[]>
  isOrderNotFoundDuringStatusUpdate(error: unknown): boolean
  isOrderNotFoundDuringCancel(error: unknown): boolean
}

export interface OrderFlowContext {
  readonly tracker: OrderTracker
  readonly clock: Clock
  readonly intervals: ExchangeIntervals
  readonly calls: ConnectorOrderCalls
  /** True: an accepted cancel means CANCELED at once; false: PENDING_CANCEL until the exchange confirms. */
  readonly isCancelRequestSynchronous: boolean
  /** Client ids of orders whose create request has not been answered yet (status polls skip them). */
  readonly placing: Set<string>
  /** Reports failed background work on the exchange's `error` channel. */
  report(task: string, error: unknown): void
}
