// Cancelling through the exchange base: one order (synchronous and asynchronous exchanges, not
// found, no exchange id yet) and all orders under a deadline. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InvalidInputError, OrderNotFoundError, ServerError, TimestampOutsideWindowError } from '../../../src/core/errors.ts'
import type { PlacedOrder } from '../../../src/core/exchange/exchange-types.ts'
import { deferred, FakeExchange, flush, PAIR, startedExchange, statusOf, untilAborted, useFakeClock, wireEvent } from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

async function openOrder(exchange: FakeExchange, side: 'buy' | 'sell' = 'buy'): Promise<string> {
  const id = side === 'buy' ? exchange.buy(PAIR, '0.01', 'LIMIT', '30000') : exchange.sell(PAIR, '0.01', 'LIMIT', '31000')
  await flush()
  return id
}

describe('exchange base: cancel', () => {
  it('cancel order successfully: a synchronous exchange cancels at once', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    await expect(exchange.cancel(PAIR, id)).resolves.toBe(true)
    expect(exchange.calls).toContain(`placeCancel:${id}`)
    expect(events.payloadsOf('orderCancelled').map((event) => event.clientOrderId)).toEqual([id])
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    await exchange.stop()
  })

  it('cancel order successfully: an asynchronous exchange waits for its confirmation', async () => {
    const { exchange, events } = await startedExchange({ cancelIsSynchronous: false })
    const id = await openOrder(exchange)
    await expect(exchange.cancel(PAIR, id)).resolves.toBe(true)
    expect(exchange.inFlightOrders.get(id)?.state).toBe('PENDING_CANCEL')
    expect(events.payloadsOf('orderCancelled')).toEqual([])
    const order = exchange.inFlightOrders.get(id)
    if (!order) throw new Error('order missing')
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'CANCELED') }))
    await flush()
    expect(events.payloadsOf('orderCancelled').map((event) => event.clientOrderId)).toEqual([id])
    await exchange.stop()
  })

  it('cancel order raises no event when the request fails; the failure is reported and the order kept', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    exchange.script.placeCancel = () => Promise.reject(new ServerError('DELETE /v3/order: HTTP 502'))
    await expect(exchange.cancel(PAIR, id)).resolves.toBe(false)
    expect(events.payloadsOf('orderCancelled')).toEqual([])
    expect(events.errors()[0]?.message).toMatch(new RegExp(`cancelling order ${id} failed`))
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    await exchange.stop()
  })

  it('cancel order not found in the exchange: counts a miss, and enough misses make the order lost', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 2 })
    const id = await openOrder(exchange)
    exchange.script.placeCancel = () => Promise.reject(new OrderNotFoundError('Unknown order sent.', { exchangeCode: -2011 }))
    await expect(exchange.cancel(PAIR, id)).resolves.toBe(false)
    const order = exchange.inFlightOrders.get(id)
    expect(order?.isDone).toBe(false)
    expect(order?.isFailure).toBe(false)
    expect(events.names()).toEqual(['buyOrderCreated'])
    await exchange.cancel(PAIR, id)
    expect(events.payloadsOf('orderFailure').map((event) => event.clientOrderId)).toEqual([id])
    expect(exchange.trackingStates[id]?.state).toBe('FAILED')
    await exchange.stop()
  })

  it('a cancel that the exchange declines resolves false and changes nothing', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    exchange.script.placeCancel = () => Promise.resolve(false)
    await expect(exchange.cancel(PAIR, id)).resolves.toBe(false)
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    expect(events.names()).toEqual(['buyOrderCreated'])
    await exchange.stop()
  })

  it('a cancel refused for its timestamp resyncs the clock and is sent once more', async () => {
    const { exchange } = await startedExchange()
    const id = await openOrder(exchange)
    let attempts = 0
    exchange.script.placeCancel = () =>
      ++attempts === 1 ? Promise.reject(new TimestampOutsideWindowError('outside recvWindow')) : Promise.resolve(true)
    exchange.calls.length = 0
    await expect(exchange.cancel(PAIR, id)).resolves.toBe(true)
    expect(exchange.callNames()).toEqual(['placeCancel', 'fetchServerTime', 'placeCancel'])
    await exchange.stop()
  })

  it('a cancel sent while the create is unanswered waits for the exchange order id', async () => {
    const { exchange, events } = await startedExchange()
    const pending = deferred<PlacedOrder>()
    exchange.script.placeOrder = () => pending.promise
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    const cancelled = exchange.cancel(PAIR, id)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(exchange.calls).not.toContain(`placeCancel:${id}`)
    pending.resolve({ exchangeOrderId: 'EX-5', updateTimestamp: Date.now() })
    await expect(cancelled).resolves.toBe(true)
    expect(events.names()).toEqual(['buyOrderCreated', 'orderCancelled'])
    await exchange.stop()
  })

  it('a cancel for an order that never got an exchange id gives up and counts a miss', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1 })
    exchange.script.placeOrder = () => new Promise(() => {})
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    const cancelled = exchange.cancel(PAIR, id)
    await vi.advanceTimersByTimeAsync(10_000)
    await expect(cancelled).resolves.toBe(false)
    expect(exchange.calls).not.toContain(`placeCancel:${id}`)
    expect(events.payloadsOf('orderFailure')[0]?.clientOrderId).toBe(id)
    await exchange.stop()
  })

  it('cancel resolves false for an unknown order, before start and after stop', async () => {
    const exchange = new FakeExchange()
    exchange.restoreTrackingStates({
      R1: {
        clientOrderId: 'R1', exchangeOrderId: 'EX-R1', tradingPair: PAIR, orderType: 'LIMIT', tradeType: 'BUY', price: '30000',
        amount: '0.01', executedAmountBase: '0', executedAmountQuote: '0', state: 'OPEN', creationTimestamp: 1, lastUpdateTimestamp: 1, fills: {},
      },
    })
    await expect(exchange.cancel(PAIR, 'nope')).resolves.toBe(false)
    await expect(exchange.cancel(PAIR, 'R1')).resolves.toBe(false)
    await expect(exchange.cancelAll(1_000)).resolves.toEqual([{ clientOrderId: 'R1', success: false }])
    await exchange.stop()
    await expect(exchange.cancel(PAIR, 'R1')).resolves.toBe(false)
    expect(exchange.calls).toEqual([])
  })

  it('cancel rejects with InvalidInputError when the order belongs to another pair', async () => {
    const { exchange } = await startedExchange()
    const id = await openOrder(exchange)
    await expect(exchange.cancel('ETH-USDT', id)).rejects.toBeInstanceOf(InvalidInputError)
    await exchange.stop()
  })

  it('stop during an in-flight cancel resolves it false and leaves nothing pending', async () => {
    const { exchange } = await startedExchange()
    const id = await openOrder(exchange)
    exchange.script.placeCancel = (_order, signal) => untilAborted(signal)
    const cancelled = exchange.cancel(PAIR, id)
    await flush()
    await exchange.stop()
    await expect(cancelled).resolves.toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('exchange base: cancelAll', () => {
  it('cancel two orders with cancel all and one fails', async () => {
    const { exchange, events } = await startedExchange()
    const first = await openOrder(exchange)
    const second = await openOrder(exchange, 'sell')
    exchange.script.placeCancel = (order) =>
      order.clientOrderId === second ? Promise.reject(new ServerError('HTTP 500')) : Promise.resolve(true)
    await expect(exchange.cancelAll(10_000)).resolves.toEqual([
      { clientOrderId: first, success: true },
      { clientOrderId: second, success: false },
    ])
    expect(events.payloadsOf('orderCancelled').map((event) => event.clientOrderId)).toEqual([first])
    await exchange.stop()
  })

  it('cancel all answers within its timeout; unanswered cancels count as failures', async () => {
    const { exchange } = await startedExchange()
    const slow = await openOrder(exchange)
    const quick = await openOrder(exchange, 'sell')
    exchange.script.placeCancel = (order, signal) => (order.clientOrderId === slow ? untilAborted(signal) : Promise.resolve(true))
    let results: unknown
    void exchange.cancelAll(3_000).then((value) => (results = value))
    await vi.advanceTimersByTimeAsync(2_999)
    expect(results).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(results).toEqual([
      { clientOrderId: quick, success: true },
      { clientOrderId: slow, success: false },
    ])
    expect(exchange.inFlightOrders.get(slow)?.state).toBe('OPEN')
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('cancel all with no open orders answers an empty list', async () => {
    const { exchange } = await startedExchange()
    await expect(exchange.cancelAll(1_000)).resolves.toEqual([])
    await exchange.stop()
  })
})
