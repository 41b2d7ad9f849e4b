// The order events (DESIGN.md "Public API": names and fields are a contract). Every payload names
// the order (clientOrderId, exchangeOrderId, tradingPair) and carries `timestamp`: the tracker's
// clock when the event was emitted, not the exchange's time.
import type { Big } from '../decimal.ts'
import type { TradeFee } from './fees.ts'
import type { InFlightOrder } from './in-flight-order.ts'
import type { OrderState, OrderType, OrderUpdate, TradeType, TradeUpdate } from './order-state.ts'

export interface OrderEventBase {
  readonly clientOrderId: string
  readonly exchangeOrderId: string | undefined
  readonly tradingPair: string
  /** Epoch ms, from the tracker's clock. */
  readonly timestamp: number
}

/** `buyOrderCreated` / `sellOrderCreated`: the exchange accepted the order. */
export interface OrderCreatedEvent extends OrderEventBase {
  readonly orderType: OrderType
  readonly tradeType: TradeType
  readonly amount: Big
  readonly price: Big | undefined
  readonly creationTimestamp: number
}

/** `orderFilled`: one new fill (never repeated for the same trade id). */
export interface OrderFilledEvent extends OrderEventBase {
  readonly tradeType: TradeType
  readonly orderType: OrderType
  readonly price: Big
  /** Base amount of this fill. */
  readonly amount: Big
  readonly fee: TradeFee
  readonly tradeId: string
  readonly isTaker: boolean
}

/** `orderCancelled`. */
export type OrderCancelledEvent = OrderEventBase

/** `buyOrderCompleted` / `sellOrderCompleted`: the order is completely filled. */
export interface OrderCompletedEvent extends OrderEventBase {
  readonly orderType: OrderType
  readonly tradeType: TradeType
  readonly baseAsset: string
  readonly quoteAsset: string
  readonly executedAmountBase: Big
  readonly executedAmountQuote: Big
}

/** `orderFailure`: the exchange refused the order, it failed before sending, or it was lost. */
export interface OrderFailureEvent extends OrderEventBase {
  readonly orderType: OrderType
  readonly tradeType: TradeType
  readonly errorMessage: string | undefined
  readonly errorType: string | undefined
}

/** Event names and payloads of the order tracker (and of the exchange's order events). */
export interface OrderTrackerEvents {
  buyOrderCreated: OrderCreatedEvent
  sellOrderCreated: OrderCreatedEvent
  orderFilled: OrderFilledEvent
  orderCancelled: OrderCancelledEvent
  buyOrderCompleted: OrderCompletedEvent
  sellOrderCompleted: OrderCompletedEvent
  orderFailure: OrderFailureEvent
  /** A throwing handler's error, or an `OrderTrackingError` (unknown fill, late fills, …). */
  error: unknown
}

/**
 * Where the tracker sends events: any emitter that knows at least these events, such as an
 * `EventEmitter<OrderTrackerEvents>` or the exchange's own emitter with more events.
 */
export interface OrderEventSink {
  emit<Name extends keyof OrderTrackerEvents>(name: Name, payload: OrderTrackerEvents[Name]): void
}

function eventBase(order: InFlightOrder, timestamp: number): OrderEventBase {
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: order.exchangeOrderId,
    tradingPair: order.tradingPair,
    timestamp,
  }
}

export function orderCreatedEvent(order: InFlightOrder, timestamp: number): OrderCreatedEvent {
  return {
    ...eventBase(order, timestamp),
    orderType: order.orderType,
    tradeType: order.tradeType,
    amount: order.amount,
    price: order.price,
    creationTimestamp: order.creationTimestamp,
  }
}

export function orderFilledEvent(order: InFlightOrder, fill: TradeUpdate, timestamp: number): OrderFilledEvent {
  return {
    ...eventBase(order, timestamp),
    exchangeOrderId: fill.exchangeOrderId ?? order.exchangeOrderId,
    tradeType: order.tradeType,
    orderType: order.orderType,
    price: fill.fillPrice,
    amount: fill.fillBaseAmount,
    fee: fill.fee,
    tradeId: fill.tradeId,
    isTaker: fill.isTaker,
  }
}

export function orderCancelledEvent(order: InFlightOrder, timestamp: number): OrderCancelledEvent {
  return eventBase(order, timestamp)
}

export function orderCompletedEvent(order: InFlightOrder, timestamp: number): OrderCompletedEvent {
  return {
    ...eventBase(order, timestamp),
    orderType: order.orderType,
    tradeType: order.tradeType,
    baseAsset: order.baseAsset,
    quoteAsset: order.quoteAsset,
    executedAmountBase: order.executedAmountBase,
    executedAmountQuote: order.executedAmountQuote,
  }
}

export function orderFailureEvent(
  order: InFlightOrder,
  timestamp: number,
  error: { readonly errorMessage?: string | undefined; readonly errorType?: string | undefined },
): OrderFailureEvent {
  return {
    ...eventBase(order, timestamp),
    orderType: order.orderType,
    tradeType: order.tradeType,
    errorMessage: error.errorMessage,
    errorType: error.errorType,
  }
}

/**
 * Emits `buyOrderCreated` / `sellOrderCreated` when an order just left PENDING_CREATE for a state
 * that shows the exchange accepted it (OPEN, PARTIALLY_FILLED or FILLED; an order that is FILLED at
 * once is created, then completed). CANCELED or FAILED straight from PENDING_CREATE is no creation.
 */
export function emitCreatedEventIfAccepted(sink: OrderEventSink, order: InFlightOrder, previous: OrderState, timestamp: number): void {
  const accepted = order.state === 'OPEN' || order.state === 'PARTIALLY_FILLED' || order.state === 'FILLED'
  if (previous !== 'PENDING_CREATE' || !accepted) return
  sink.emit(order.tradeType === 'BUY' ? 'buyOrderCreated' : 'sellOrderCreated', orderCreatedEvent(order, timestamp))
}

/** Emits the one event of an order that just reached a final state: cancelled, completed or failure. */
export function emitFinalEvent(sink: OrderEventSink, order: InFlightOrder, update: OrderUpdate, timestamp: number): void {
  if (order.isCancelled) sink.emit('orderCancelled', orderCancelledEvent(order, timestamp))
  else if (order.isFilled) {
    sink.emit(order.tradeType === 'BUY' ? 'buyOrderCompleted' : 'sellOrderCompleted', orderCompletedEvent(order, timestamp))
  } else sink.emit('orderFailure', orderFailureEvent(order, timestamp, update)) // FAILED: the only final state left
}
