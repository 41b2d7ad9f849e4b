// The exchange base's loops: status polling (and its 5 s ↔ 120 s switch on user-stream liveness),
// the lost-order loop, the trading rules and fees loops, and what happens when a loop fails.
// Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import {
  IpBannedError,
  NetworkError,
  OrderNotFoundError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SocketClosedError,
} from '../../../src/core/errors.ts'
import { ExchangeTaskError } from '../../../src/core/exchange/exchange-errors.ts'
import { createTradingRule } from '../../../src/core/orders/trading-rule.ts'
import { FakeExchange, fillOf, flush, PAIR, startedExchange, statusOf, untilAborted, useFakeClock } from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

async function openOrder(exchange: FakeExchange): Promise<string> {
  const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
  await flush()
  return id
}

/** Makes the next status polls happen: the user stream falls silent after 60 s. */
async function pollSoon(): Promise<void> {
  await vi.advanceTimersByTimeAsync(65_000)
}

describe('exchange base: status polling', () => {
  it('polls every 120 s while the user stream speaks and every 5 s once it falls silent', async () => {
    const { exchange } = await startedExchange()
    expect(exchange.count('fetchBalances')).toBe(1)
    await vi.advanceTimersByTimeAsync(55_000)
    expect(exchange.count('fetchBalances')).toBe(1) // alive: the next poll is due at 120 s
    await vi.advanceTimersByTimeAsync(10_000) // silent for more than 60 s
    expect(exchange.count('fetchBalances')).toBe(2)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(exchange.count('fetchBalances')).toBe(6)
    exchange.server.last().say({ type: 'pong' }) // the stream speaks again
    await vi.advanceTimersByTimeAsync(60_000)
    expect(exchange.count('fetchBalances')).toBe(6)
    await exchange.stop()
  })

  it('polls every 5 s while the user stream is disconnected', async () => {
    const { exchange } = await startedExchange()
    exchange.server.last().drop()
    exchange.server.factory = () => {
      throw new Error('no server')
    }
    await vi.advanceTimersByTimeAsync(5_000)
    expect(exchange.count('fetchBalances')).toBe(2)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(exchange.count('fetchBalances')).toBe(4)
    await exchange.stop()
  })

  it('syncs the clock on every poll', async () => {
    const { exchange } = await startedExchange()
    const before = exchange.count('fetchServerTime')
    await pollSoon()
    expect(exchange.count('fetchServerTime') - before).toBe(exchange.count('fetchBalances') - 1)
    await exchange.stop()
  })

  it('update order status when filled: fills first, then the state', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = (order) => Promise.resolve([fillOf(order, 'T1')])
    exchange.script.requestOrderStatus = (order) => Promise.resolve(statusOf(order, 'FILLED'))
    exchange.calls.length = 0
    await pollSoon()
    const orderCalls = exchange.calls.filter((call) => call.endsWith(id))
    expect(orderCalls.slice(0, 2)).toEqual([`allTradeUpdatesForOrder:${id}`, `requestOrderStatus:${id}`])
    expect(events.names()).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
    expect(events.payloadsOf('buyOrderCompleted')[0]?.executedAmountQuote.toFixed()).toBe('300')
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    await exchange.stop()
  })

  it('update order status when canceled', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    exchange.script.requestOrderStatus = (order) => Promise.resolve(statusOf(order, 'CANCELED'))
    await pollSoon()
    expect(events.payloadsOf('orderCancelled').map((event) => event.clientOrderId)).toEqual([id])
    await exchange.stop()
  })

  it('update order status when order has not changed', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    await pollSoon()
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    expect(events.names()).toEqual(['buyOrderCreated'])
    await exchange.stop()
  })

  // The recipe counts any failed status query as "not found"; here the outcome is unknown, so the
  // order is left as it was (DESIGN.md rule 4).
  it('update order status when request fails leaves the order tracked and untouched, and reports it', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1 })
    const id = await openOrder(exchange)
    exchange.script.requestOrderStatus = () => Promise.reject(new ServerError('HTTP 500'))
    await pollSoon()
    await vi.advanceTimersByTimeAsync(10_000) // two more rounds: still nothing counts against it
    expect(exchange.count('requestOrderStatus')).toBeGreaterThan(2)
    expect(events.payloadsOf('orderFailure')).toEqual([])
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    expect(exchange.trackingStates[id]?.state).toBe('OPEN')
    expect(events.errors().some((error) => /fetching the status of order/.test(error.message))).toBe(true)
    await exchange.stop()
  })

  it('update order status: 5xx, timeout, 429, 418 and socket failures never mark an order lost', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    const failures = [
      () => new ServerError('HTTP 503'),
      () => new RequestTimeoutError('timed out'),
      () => new RateLimitedError('HTTP 429', { retryAfterMs: 1_000 }),
      () => new IpBannedError('HTTP 418', { bannedUntil: Date.now() + 1_000 }),
      () => new SocketClosedError('socket closed'),
      () => new NetworkError('fetch failed'),
    ]
    let round = 0
    exchange.script.requestOrderStatus = () => Promise.reject((failures[round++ % failures.length] as () => Error)())
    await pollSoon()
    await vi.advanceTimersByTimeAsync(60_000) // a dozen more rounds, every kind of failure twice or more
    expect(round).toBeGreaterThanOrEqual(2 * failures.length)
    expect(events.payloadsOf('orderFailure')).toEqual([])
    expect(exchange.inFlightOrders.get(id)?.isOpen).toBe(true)
    expect(exchange.trackingStates[id]?.state).toBe('OPEN')
    await exchange.stop()
  })

  it('update order status: only "order does not exist" answers count toward lost, failures in between change nothing', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    const answers = [
      () => new OrderNotFoundError('Order does not exist.'),
      () => new ServerError('HTTP 500'),
      () => new OrderNotFoundError('Order does not exist.'),
      () => new RateLimitedError('HTTP 429'),
    ]
    let round = 0
    exchange.script.requestOrderStatus = () => Promise.reject((answers[round++] ?? (() => new OrderNotFoundError('Order does not exist.')))())
    await pollSoon() // round 1
    await vi.advanceTimersByTimeAsync(15_000) // rounds 2-4: two misses so far
    expect(round).toBe(4)
    expect(events.payloadsOf('orderFailure')).toEqual([])
    await vi.advanceTimersByTimeAsync(5_000) // round 5: the third miss
    expect(events.payloadsOf('orderFailure').map((event) => [event.clientOrderId, event.errorType])).toEqual([[id, 'OrderLost']])
    await exchange.stop()
  })

  it('update order status when filled correctly processed even when trade fill update fails', async () => {
    const { exchange, events } = await startedExchange()
    const id = await openOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = () => Promise.reject(new NetworkError('fills request failed'))
    exchange.script.requestOrderStatus = (order) => Promise.resolve(statusOf(order, 'FILLED'))
    await pollSoon()
    await vi.advanceTimersByTimeAsync(5_000) // the tracker waits that long for the missing fills
    const completed = events.payloadsOf('buyOrderCompleted')
    expect(completed.map((event) => event.clientOrderId)).toEqual([id])
    expect(completed[0]?.executedAmountBase.toFixed()).toBe('0')
    expect(events.payloadsOf('orderFilled')).toEqual([])
    await exchange.stop()
  })

  it('a failing status poll is reported and retried after a growing back-off', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.fetchBalances = () => Promise.reject(new ServerError('HTTP 503'))
    await pollSoon()
    expect(exchange.count('fetchBalances')).toBe(2)
    await vi.advanceTimersByTimeAsync(500)
    expect(exchange.count('fetchBalances')).toBe(3)
    await vi.advanceTimersByTimeAsync(999)
    expect(exchange.count('fetchBalances')).toBe(3)
    await vi.advanceTimersByTimeAsync(1)
    expect(exchange.count('fetchBalances')).toBe(4)
    const tasks = events.errors().map((error) => (error as ExchangeTaskError).task)
    expect(tasks).toEqual(['status polling (retrying in 500 ms)', 'status polling (retrying in 1000 ms)', 'status polling (retrying in 2000 ms)'])
    // Capped at the short poll interval.
    await vi.advanceTimersByTimeAsync(2_000 + 4_000 + 5_000)
    expect(tasks.length + 3).toBe(events.errors().length)
    expect((events.errors().at(-1) as ExchangeTaskError).task).toBe('status polling (retrying in 5000 ms)')
    await exchange.stop()
  })

  it('stop during a status poll leaves no timer or pending promise', async () => {
    const { exchange, events } = await startedExchange()
    await openOrder(exchange)
    exchange.script.requestOrderStatus = (_order, signal) => untilAborted(signal)
    await pollSoon()
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
    expect(events.payloadsOf('orderFailure')).toEqual([])
  })
})

describe('exchange base: lost orders', () => {
  async function lostOrder(exchange: FakeExchange): Promise<string> {
    const id = await openOrder(exchange)
    exchange.script.requestOrderStatus = () => Promise.reject(new OrderNotFoundError('Order does not exist.'))
    exchange.script.placeCancel = () => Promise.resolve(false)
    await pollSoon()
    expect(exchange.trackingStates[id]?.state).toBe('FAILED')
    return id
  }

  it('lost order included in order fills update and not in order status update', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1, intervals: { lostOrderPollMs: 3_600_000 } })
    const id = await lostOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = (order) => Promise.resolve([fillOf(order, 'T1', '0.004')])
    exchange.calls.length = 0
    await vi.advanceTimersByTimeAsync(5_000)
    expect(exchange.calls).toContain(`allTradeUpdatesForOrder:${id}`)
    expect(exchange.calls).not.toContain(`requestOrderStatus:${id}`)
    expect(events.names()).toEqual(['buyOrderCreated', 'orderFailure', 'orderFilled'])
    await exchange.stop()
  })

  it('the lost-order loop fetches fills and status; a final state removes the order silently', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1 })
    const id = await lostOrder(exchange)
    exchange.script.allTradeUpdatesForOrder = (order) => Promise.resolve([fillOf(order, 'T1')])
    exchange.script.requestOrderStatus = (order) => Promise.resolve(statusOf(order, 'FILLED'))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(exchange.trackingStates[id]).toBeUndefined()
    expect(events.names()).toEqual(['buyOrderCreated', 'orderFailure', 'orderFilled'])
    await exchange.stop()
  })

  it('cancel lost order successfully: it leaves the lost orders with no event', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1 })
    const id = await lostOrder(exchange)
    exchange.script.placeCancel = () => Promise.resolve(true)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(exchange.calls).toContain(`placeCancel:${id}`)
    expect(exchange.trackingStates[id]).toBeUndefined()
    expect(events.payloadsOf('orderCancelled')).toEqual([])
    await exchange.stop()
  })

  it('cancel lost order raises no event when the request fails; it stays lost', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1 })
    const id = await lostOrder(exchange)
    exchange.script.placeCancel = () => Promise.reject(new ServerError('HTTP 500'))
    exchange.script.requestOrderStatus = () => Promise.reject(new ServerError('HTTP 500'))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(exchange.trackingStates[id]?.state).toBe('FAILED')
    expect(events.errors().some((error) => error.message.includes(`cancelling order ${id}`))).toBe(true)
    expect(events.errors().some((error) => error.message.includes(`status of lost order ${id}`))).toBe(true)
    await exchange.stop()
  })

  it('lost order removed if not found during order status update', async () => {
    const { exchange, events } = await startedExchange({ lostOrderCountLimit: 1 })
    const id = await lostOrder(exchange)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(exchange.trackingStates[id]).toBeUndefined()
    expect(events.names()).toEqual(['buyOrderCreated', 'orderFailure'])
    await exchange.stop()
  })
})

describe('exchange base: rules, fees and loop failures', () => {
  it('the trading rules loop replaces the rules and the symbol map every 30 minutes', async () => {
    const { exchange } = await startedExchange()
    const rulesSeen = exchange.tradingRules
    exchange.script.fetchTradingRules = () =>
      Promise.resolve({
        tradingRules: [createTradingRule({ tradingPair: 'ETH-USDT', minOrderSize: '0.01' })],
        symbols: [{ exchangeSymbol: 'ETHUSDT', tradingPair: 'ETH-USDT' }],
      })
    await vi.advanceTimersByTimeAsync(30 * 60_000 - 1)
    expect(exchange.tradingRules.has(PAIR)).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    expect([...exchange.tradingRules.keys()]).toEqual(['ETH-USDT'])
    expect(rulesSeen).toBe(exchange.tradingRules)
    expect(exchange.symbolMap.tradingPairFor('ETHUSDT')).toBe('ETH-USDT')
    expect(exchange.symbolMap.exchangeSymbolFor(PAIR)).toBeUndefined()
    await exchange.stop()
  })

  it('the trading fees loop runs at start and every 12 hours', async () => {
    // Hourly status polls keep the 12 hours of fake time quick to run.
    const { exchange } = await startedExchange({ intervals: { shortPollMs: 3_600_000, longPollMs: 3_600_000 } })
    expect(exchange.count('updateTradingFees')).toBe(1)
    await vi.advanceTimersByTimeAsync(12 * 60 * 60_000)
    expect(exchange.count('updateTradingFees')).toBe(2)
    await exchange.stop()
  })

  it('a failing loop is reported, backs off (0.5 s, 1 s, 2 s …) and carries on', async () => {
    const exchange = new FakeExchange({ tradingRequired: false })
    const errors: Error[] = []
    exchange.on('error', (error) => errors.push(error))
    let failuresLeft = 3
    const rules = exchange.script.fetchTradingRules
    exchange.script.fetchTradingRules = (signal) => (failuresLeft-- > 0 ? Promise.reject(new ServerError('HTTP 502')) : rules(signal))
    const started = exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(exchange.count('fetchTradingRules')).toBe(1)
    await vi.advanceTimersByTimeAsync(500)
    expect(exchange.count('fetchTradingRules')).toBe(2)
    await vi.advanceTimersByTimeAsync(999)
    expect(exchange.count('fetchTradingRules')).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(exchange.count('fetchTradingRules')).toBe(3)
    await vi.advanceTimersByTimeAsync(2_000)
    await started
    expect(exchange.count('fetchTradingRules')).toBe(4)
    expect(errors.map((error) => (error as ExchangeTaskError).task)).toEqual([
      'trading rules (retrying in 500 ms)',
      'trading rules (retrying in 1000 ms)',
      'trading rules (retrying in 2000 ms)',
    ])
    expect(errors[0]?.cause).toBeInstanceOf(ServerError)
    await exchange.stop()
  })

  it('a symbol map listing a pair twice fails the refresh and keeps the old rules', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.fetchTradingRules = () =>
      Promise.resolve({
        tradingRules: [],
        symbols: [
          { exchangeSymbol: 'BTCUSDT', tradingPair: PAIR },
          { exchangeSymbol: 'XBTUSDT', tradingPair: PAIR },
        ],
      })
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(exchange.tradingRules.has(PAIR)).toBe(true)
    expect(events.errors()[0]?.message).toMatch(/twice/)
    await exchange.stop()
  })
})

describe('exchange base: last traded prices', () => {
  it('get last trade prices: one decimal per pair', async () => {
    const exchange = new FakeExchange()
    const prices = await exchange.getLastTradedPrices([PAIR])
    expect(prices[PAIR]?.eq(toDecimal('30000.5'))).toBe(true)
    await exchange.stop()
    await expect(exchange.getLastTradedPrices([PAIR])).rejects.toThrow(/stopped/)
  })
})
