// Shared test helpers for the order model. Imports only from src/ so the tracker suites also run
// inside workerd and Deno.
import type { Clock } from '../../../src/core/clock.ts'
import { toDecimal } from '../../../src/core/decimal.ts'
import { EventEmitter } from '../../../src/core/events.ts'
import { createTradeFeeSchema, TradeFee } from '../../../src/core/orders/fees.ts'
import { InFlightOrder } from '../../../src/core/orders/in-flight-order.ts'
import type { OrderTrackerEvents } from '../../../src/core/orders/order-events.ts'
import type { InFlightOrderInit, OrderState, OrderUpdate, TradeUpdate } from '../../../src/core/orders/order-state.ts'
import { OrderTracker } from '../../../src/core/orders/order-tracker.ts'
import type { OrderTrackerOptions } from '../../../src/core/orders/order-tracker-options.ts'

export const START_TIME = 1_700_000_000_000

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  time = START_TIME
  now(): number {
    return this.time
  }
  monotonic(): number {
    return this.time
  }
  advance(ms: number): void {
    this.time += ms
  }
}

export const binanceFeeSchema = createTradeFeeSchema({
  makerPercentFeeDecimal: '0.001',
  takerPercentFeeDecimal: '0.001',
  buyPercentFeeDeductedFromReturns: true,
})

export function makeOrder(overrides: Partial<InFlightOrderInit> = {}): InFlightOrder {
  return new InFlightOrder({
    clientOrderId: 'OID1',
    tradingPair: 'BTC-USDT',
    orderType: 'LIMIT',
    tradeType: 'BUY',
    amount: '1',
    price: '30000',
    creationTimestamp: START_TIME,
    ...overrides,
  })
}

export function orderUpdate(newState: OrderState, extra: Partial<OrderUpdate> = {}): OrderUpdate {
  return { clientOrderId: 'OID1', tradingPair: 'BTC-USDT', updateTimestamp: START_TIME + 1, newState, ...extra }
}

/** A fill of `base` at `price`, fee paid in USDT. */
export function tradeUpdate(tradeId: string, base: string, price = '30000', extra: Partial<TradeUpdate> = {}): TradeUpdate {
  const fillBaseAmount = toDecimal(base)
  const fillPrice = toDecimal(price)
  return {
    tradeId,
    clientOrderId: 'OID1',
    exchangeOrderId: 'EX1',
    tradingPair: 'BTC-USDT',
    fillTimestamp: START_TIME + 2,
    fillPrice,
    fillBaseAmount,
    fillQuoteAmount: fillBaseAmount.times(fillPrice),
    fee: TradeFee.spot(binanceFeeSchema, 'BUY', { flatFees: [{ token: 'USDT', amount: '0.5' }] }),
    isTaker: true,
    ...extra,
  }
}

export type RecordedEvent = { [Name in keyof OrderTrackerEvents]: { name: Name; payload: OrderTrackerEvents[Name] } }[keyof OrderTrackerEvents]

const EVENT_NAMES: ReadonlyArray<keyof OrderTrackerEvents> = [
  'buyOrderCreated',
  'sellOrderCreated',
  'orderFilled',
  'orderCancelled',
  'buyOrderCompleted',
  'sellOrderCompleted',
  'orderFailure',
  'error',
]

/** A tracker on a manual clock whose every event is recorded in order. */
export function trackerWithRecorder(options: Partial<OrderTrackerOptions> = {}) {
  const clock = new ManualClock()
  const events = new EventEmitter<OrderTrackerEvents>()
  const recorded: RecordedEvent[] = []
  for (const name of EVENT_NAMES) {
    events.on(name, (payload) => recorded.push({ name, payload } as RecordedEvent))
  }
  const tracker = new OrderTracker({ clock, events, ...options })
  return {
    clock,
    events,
    tracker,
    recorded,
    names: (): string[] => recorded.map((event) => event.name),
    payloadsOf: <Name extends keyof OrderTrackerEvents>(name: Name): Array<OrderTrackerEvents[Name]> =>
      recorded.filter((event) => event.name === name).map((event) => event.payload as OrderTrackerEvents[Name]),
  }
}
