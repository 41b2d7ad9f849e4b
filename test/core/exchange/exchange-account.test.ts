// Balances, the user-stream event handler, saved tracking states and the helpers the base offers
// connectors. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { InvalidInputError, PayloadValidationError } from '../../../src/core/errors.ts'
import { ExchangeTaskError } from '../../../src/core/exchange/exchange-errors.ts'
import type { InFlightOrderJSON, OrderState } from '../../../src/core/orders/order-state.ts'
import { OrderTrackingError } from '../../../src/core/orders/order-errors.ts'
import { FakeExchange, fillOf, flush, PAIR, startedExchange, statusOf, untilAborted, useFakeClock, wireEvent } from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

function savedOrder(clientOrderId: string, state: OrderState): InFlightOrderJSON {
  return {
    clientOrderId,
    exchangeOrderId: `EX-${clientOrderId}`,
    tradingPair: PAIR,
    orderType: 'LIMIT',
    tradeType: 'BUY',
    price: '30000',
    amount: '0.01',
    executedAmountBase: '0',
    executedAmountQuote: '0',
    state,
    creationTimestamp: 1,
    lastUpdateTimestamp: 1,
    fills: {},
  }
}

describe('exchange base: balances', () => {
  it('update balances: total and available per asset; an asset no longer listed is removed', async () => {
    const { exchange } = await startedExchange()
    expect(exchange.getBalance('USDT').toFixed()).toBe('1000')
    expect([...exchange.balances.keys()]).toEqual(['BTC', 'USDT'])
    exchange.script.fetchBalances = () => Promise.resolve([{ asset: 'BTC', total: toDecimal('2'), available: toDecimal('2') }])
    await vi.advanceTimersByTimeAsync(65_000)
    expect(exchange.getBalance('BTC').toFixed()).toBe('2')
    expect(exchange.getBalance('USDT').toFixed()).toBe('0')
    expect(exchange.getAvailableBalance('USDT').toFixed()).toBe('0')
    expect(exchange.balances.has('USDT')).toBe(false)
    await exchange.stop()
  })

  it('user stream balance update sets one asset', async () => {
    const { exchange } = await startedExchange()
    exchange.server.last().say(wireEvent({ kind: 'balance', balance: { asset: 'ETH', total: toDecimal('15'), available: toDecimal('10') } }))
    await flush()
    expect(exchange.getBalance('ETH').toFixed()).toBe('15')
    expect(exchange.getAvailableBalance('ETH').toFixed()).toBe('10')
    expect(exchange.getBalance('BTC').toFixed()).toBe('1.5')
    await exchange.stop()
  })

  it('connector helpers set and remove single balances; an inconsistent one is refused', () => {
    const exchange = new FakeExchange()
    exchange.balance({ asset: 'SOL', total: toDecimal('3'), available: toDecimal('1') })
    expect(exchange.getAvailableBalance('SOL').toFixed()).toBe('1')
    exchange.dropBalance('SOL')
    expect(exchange.balances.size).toBe(0)
    expect(() => exchange.balance({ asset: 'SOL', total: toDecimal('1'), available: toDecimal('3') })).toThrow(InvalidInputError)
    expect(() => exchange.balance({ asset: '', total: toDecimal('1'), available: toDecimal('1') })).toThrow(InvalidInputError)
  })
})

describe('exchange base: user stream events', () => {
  async function openOrder(exchange: FakeExchange) {
    exchange.script.placeOrder = () => new Promise(() => {}) // the stream brings the news
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    const order = exchange.inFlightOrders.get(id)
    if (!order) throw new Error('order not tracked')
    return order
  }

  it('user stream update for new order: created event', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'OPEN', 'EX-42') }))
    await flush()
    expect(events.payloadsOf('buyOrderCreated')[0]).toMatchObject({ clientOrderId: order.clientOrderId, exchangeOrderId: 'EX-42' })
    expect(order.isOpen).toBe(true)
    await exchange.stop()
  })

  it('user stream update for canceled order: cancelled event, order no longer in flight', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'OPEN', 'EX-42') }))
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'CANCELED', 'EX-42') }))
    await flush()
    expect(events.names()).toEqual(['buyOrderCreated', 'orderCancelled'])
    expect(exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
    await exchange.stop()
  })

  it('user stream update for order full fill: filled, then completed', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'OPEN', 'EX-42') }))
    exchange.server.last().say(wireEvent({ kind: 'trade', update: { ...fillOf(order, 'T9'), exchangeOrderId: 'EX-42' } }))
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'FILLED', 'EX-42') }))
    await flush()
    expect(events.names()).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
    expect(events.payloadsOf('orderFilled')[0]?.amount.toFixed()).toBe('0.01')
    expect(order.isFilled && order.isDone).toBe(true)
    await exchange.stop()
  })

  it('user stream logs errors: a failing handler is reported and the next event still handled', async () => {
    const { exchange, events } = await startedExchange()
    exchange.server.last().say(wireEvent({ kind: 'boom' }))
    exchange.server.last().say(wireEvent({ kind: 'balance', balance: { asset: 'ETH', total: toDecimal('1'), available: toDecimal('1') } }))
    await flush()
    const [error] = events.errors()
    expect(error).toBeInstanceOf(ExchangeTaskError)
    expect((error as ExchangeTaskError).task).toBe('handling a user stream event')
    expect(exchange.getBalance('ETH').toFixed()).toBe('1')
    await exchange.stop()
  })

  it('a malformed user stream message is reported as a payload error and skipped', async () => {
    const { exchange, events } = await startedExchange()
    exchange.server.last().say({ nonsense: true })
    await flush()
    expect(events.errors()[0]).toBeInstanceOf(PayloadValidationError)
    expect(exchange.handled).toEqual([])
    await exchange.stop()
  })

  it('stop while a handler is still busy leaves nothing pending', async () => {
    const { exchange } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.server.last().say(wireEvent({ kind: 'order', update: statusOf(order, 'FILLED', 'EX-42') })) // waits for fills
    await flush()
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a fill for an unknown order reaches the error event as an Error', async () => {
    const { exchange, events } = await startedExchange()
    const order = await openOrder(exchange)
    exchange.server.last().say(wireEvent({ kind: 'trade', update: { ...fillOf(order, 'T1'), clientOrderId: 'unknown', exchangeOrderId: 'unknown' } }))
    await flush()
    expect(events.errors()[0]).toBeInstanceOf(OrderTrackingError)
    await exchange.stop()
  })
})

describe('exchange base: tracking states', () => {
  it('restore tracking states only registers open orders', () => {
    const exchange = new FakeExchange()
    exchange.restoreTrackingStates({
      OPEN1: savedOrder('OPEN1', 'OPEN'),
      CANCELED1: savedOrder('CANCELED1', 'CANCELED'),
      FILLED1: savedOrder('FILLED1', 'FILLED'),
      FAILED1: savedOrder('FAILED1', 'FAILED'),
    })
    expect([...exchange.inFlightOrders.keys()]).toEqual(['OPEN1'])
    expect(Object.keys(exchange.trackingStates).sort()).toEqual(['FAILED1', 'OPEN1'])
  })

  it('a restored open order is reconciled by the status poll', async () => {
    const exchange = new FakeExchange()
    exchange.restoreTrackingStates({ OPEN1: savedOrder('OPEN1', 'OPEN') })
    exchange.script.requestOrderStatus = (order) => Promise.resolve(statusOf(order, 'CANCELED'))
    const events: string[] = []
    exchange.on('orderCancelled', (event) => events.push(event.clientOrderId))
    void exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(events).toEqual(['OPEN1'])
    await exchange.stop()
  })
})

describe('exchange base: helpers for connectors', () => {
  it('reportError wraps a named task in an ExchangeTaskError keeping the cause', () => {
    const exchange = new FakeExchange()
    const errors: Error[] = []
    exchange.on('error', (error) => errors.push(error))
    const cause = new Error('socket hiccup')
    exchange.report(cause, 'refreshing the listen key')
    exchange.report('plain text')
    expect(errors[0]).toBeInstanceOf(ExchangeTaskError)
    expect(errors[0]?.message).toBe('fake: refreshing the listen key failed: socket hiccup')
    expect(errors[0]?.cause).toBe(cause)
    expect(errors[1]?.message).toBe('plain text')
  })

  it('waitForSymbolMap resolves once the rules loop has loaded the map', async () => {
    const exchange = new FakeExchange({ tradingRequired: false })
    let loaded = false
    void exchange.symbolsLoaded().then(() => (loaded = true))
    await flush()
    expect(loaded).toBe(false)
    void exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(loaded).toBe(true)
    const aborted = new AbortController()
    aborted.abort(new Error('gave up'))
    await exchange.stop()
    await expect(new FakeExchange().symbolsLoaded(aborted.signal)).rejects.toThrow('gave up')
  })

  it('ensureTimeSynchronized takes one server-time sample, once', async () => {
    const exchange = new FakeExchange()
    exchange.script.fetchServerTime = () => Promise.resolve(Date.now() + 1_000)
    await exchange.syncClock()
    await exchange.syncClock(new AbortController().signal)
    expect(exchange.count('fetchServerTime')).toBe(1)
    expect(exchange.timeSynchronizer.offsetMs).toBe(1_000)
  })

  it('runSignal is undefined before start and aborts on stop', async () => {
    const exchange = new FakeExchange({ tradingRequired: false })
    expect(exchange.signal).toBeUndefined()
    void exchange.start()
    const signal = exchange.signal
    expect(signal?.aborted).toBe(false)
    await exchange.stop()
    expect(signal?.aborted).toBe(true)
  })

  it('a shared throttler is left running on stop', async () => {
    const shared = new FakeExchange().throttler
    const exchange = new FakeExchange({ throttler: shared, tradingRequired: false })
    exchange.script.fetchTradingRules = (signal) => untilAborted(signal)
    void exchange.start()
    await exchange.stop()
    expect(exchange.throttler).toBe(shared)
    expect(shared.pendingCount).toBe(0)
  })
})
