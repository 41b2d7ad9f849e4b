// The exchange base fetches the fills of an order that ended while its fills fall short (the user
// stream's trade events were lost, or a status poll saw FILLED before its own fills request could):
// every fill is reported exactly once, before the completed event when it comes within the
// tracker's 5 s wait, after it otherwise, and also once the order has left the cache.
// Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { NetworkError } from '../../../src/core/errors.ts'
import type { InFlightOrder } from '../../../src/core/orders/in-flight-order.ts'
import type { OrderTrackingError } from '../../../src/core/orders/order-errors.ts'
import { type FakeExchange, fillOf, flush, PAIR, startedExchange, statusOf, untilAborted, useFakeClock, wireEvent } from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

async function openOrder(exchange: FakeExchange): Promise<InFlightOrder> {
  const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
  await flush()
  const order = exchange.inFlightOrders.get(id)
  if (order === undefined) throw new Error('the order was not placed')
  return order
}

/** The user stream says FILLED; the trade event that came with it was lost. */
function streamSaysFilled(exchange: FakeExchange, order: InFlightOrder): void {
  exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'FILLED') }))
}

const orderEvents = (names: string[]): string[] => names.filter((name) => name !== 'error')

describe('exchange base: fills missing when an order ends', () => {
  it('FILLED without its fills: fetches them at once, and reports them before the completed event', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = (o) => Promise.resolve([fillOf(o, 'T1')])
    streamSaysFilled(exchange, order)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(exchange.count('allTradeUpdatesForOrder')).toBe(1)
    expect(orderEvents(events.names())).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
    expect(events.payloadsOf('buyOrderCompleted')[0]?.executedAmountBase.toFixed()).toBe('0.01')
    await vi.advanceTimersByTimeAsync(600_000)
    expect(exchange.count('allTradeUpdatesForOrder')).toBe(1) // they add up: no more asking
    await exchange.stop()
  })

  it('a completed order\'s late fills are reported once, after the completed event, even after it left the cache', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    let fillsKnown = false
    exchange.script.allTradeUpdatesForOrder = (o) =>
      fillsKnown ? Promise.resolve([fillOf(o, 'T1', '0.004'), fillOf(o, 'T2', '0.006')]) : Promise.reject(new NetworkError('HTTP 503'))
    streamSaysFilled(exchange, order)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(orderEvents(events.names())).toEqual(['buyOrderCreated', 'buyOrderCompleted'])
    expect(events.errors().some((error) => (error as OrderTrackingError).reason === 'fillsLate')).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000) // past the 30 s cache of finished orders
    expect(exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
    fillsKnown = true
    await vi.advanceTimersByTimeAsync(60_000)
    expect(orderEvents(events.names())).toEqual(['buyOrderCreated', 'buyOrderCompleted', 'orderFilled', 'orderFilled'])
    expect(events.payloadsOf('orderFilled').map((fill) => fill.tradeId)).toEqual(['T1', 'T2'])
    // The same fills again, on the stream or from a status poll, are not reported twice.
    exchange.server.last().say(wireEvent({ kind: 'trade', update: fillOf(order, 'T1', '0.004') }))
    await vi.advanceTimersByTimeAsync(600_000)
    expect(events.payloadsOf('orderFilled')).toHaveLength(2)
    await exchange.stop()
  })

  it('a status poll that sees FILLED before the fill existed: the fill is fetched again and reported once', async () => {
    const { exchange, events } = await startedExchange()
    await openOrder(exchange)
    // The poll's fills request (first) comes back empty; the status (second) says FILLED.
    let fillsRequests = 0
    exchange.script.allTradeUpdatesForOrder = (o) => Promise.resolve(fillsRequests++ === 0 ? [] : [fillOf(o, 'T1')])
    exchange.script.requestOrderStatus = (o) => Promise.resolve(statusOf(o, 'FILLED'))
    await vi.advanceTimersByTimeAsync(65_000) // the stream falls silent: the status poll runs
    await vi.advanceTimersByTimeAsync(5_000)
    expect(orderEvents(events.names())).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
    await vi.advanceTimersByTimeAsync(60_000) // more polls: still one fill
    expect(events.payloadsOf('orderFilled')).toHaveLength(1)
    await exchange.stop()
  })

  it('a cancel after a partial fill whose report was lost: the executed amount the exchange reports is fetched', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = (o) => Promise.resolve([fillOf(o, 'T1', '0.004')])
    const cancelled = { ...statusOf(order, 'CANCELED'), executedAmountBase: toDecimal('0.004') }
    exchange.server.last().say(wireEvent({ kind: 'order', update: cancelled }))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(orderEvents(events.names())).toEqual(['buyOrderCreated', 'orderCancelled', 'orderFilled'])
    expect(events.payloadsOf('orderFilled')[0]?.amount.toFixed()).toBe('0.004')
    await exchange.stop()
  })

  it('asks a bounded number of times with a growing wait, then gives up and reports fillsMissing', async () => {
    const { exchange, events } = await startedExchange({ intervals: { shortPollMs: 3_600_000, longPollMs: 3_600_000 } })
    const order = await openOrder(exchange)
    streamSaysFilled(exchange, order)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(exchange.count('allTradeUpdatesForOrder')).toBe(3) // after 1 s, 2 s and 4 s
    await vi.advanceTimersByTimeAsync(20 * 60_000)
    expect(exchange.count('allTradeUpdatesForOrder')).toBe(15)
    const missing = events.errors().filter((error) => (error as OrderTrackingError).reason === 'fillsMissing')
    expect(missing.map((error) => (error as OrderTrackingError).clientOrderId)).toEqual([order.clientOrderId])
    await vi.advanceTimersByTimeAsync(20 * 60_000)
    expect(exchange.count('allTradeUpdatesForOrder')).toBe(15)
    await exchange.stop()
  })

  it('stop while fetching missing fills leaves no timer or pending promise', async () => {
    const { exchange } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = (_o, signal) => untilAborted(signal)
    streamSaysFilled(exchange, order)
    await vi.advanceTimersByTimeAsync(2_000)
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})
