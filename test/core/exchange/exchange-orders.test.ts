// Placing orders through the exchange base: input checks, tracking before sending, the checks
// against the trading rule (off-grid prices and amounts are refused, not rounded), and what each
// kind of failure means. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  BadRequestError,
  InsufficientFundsError,
  InvalidInputError,
  NetworkError,
  OrderNotFoundError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  TimestampOutsideWindowError,
} from '../../../src/core/errors.ts'
import { ExchangeTaskError } from '../../../src/core/exchange/exchange-errors.ts'
import { ORDER_CHECK_FAILURE } from '../../../src/core/exchange/order-placement.ts'
import type { InFlightOrder } from '../../../src/core/orders/in-flight-order.ts'
import { LOST_ORDER_ERROR_TYPE } from '../../../src/core/orders/order-tracker-options.ts'
import { createTradingRule } from '../../../src/core/orders/trading-rule.ts'
import {
  deferred,
  FakeExchange,
  fillOf,
  flush,
  PAIR,
  recordEvents,
  startedExchange,
  statusOf,
  useFakeClock,
} from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

describe('exchange base: buy and sell', () => {
  it('create buy limit order successfully: returns the id at once, tracked before the request leaves', async () => {
    const { exchange, events } = await startedExchange()
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    expect(id).toMatch(/^T-B/)
    expect(exchange.inFlightOrders.get(id)?.state).toBe('PENDING_CREATE')
    expect(exchange.calls.filter((call) => call.startsWith('placeOrder'))).toEqual([])
    await flush()
    expect(exchange.calls).toContain(`placeOrder:${id}:tracked`)
    expect(events.names()).toEqual(['buyOrderCreated'])
    expect(events.payloadsOf('buyOrderCreated')[0]).toMatchObject({ clientOrderId: id, exchangeOrderId: 'EX-1', tradingPair: PAIR })
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    await exchange.stop()
  })

  it('create sell limit order successfully: emits sellOrderCreated', async () => {
    const { exchange, events } = await startedExchange()
    const id = exchange.sell(PAIR, '0.01', 'LIMIT_MAKER', '31000')
    await flush()
    expect(events.payloadsOf('sellOrderCreated').map((event) => event.clientOrderId)).toEqual([id])
    await exchange.stop()
  })

  it('sends the amount and limit price exactly as asked when they are on the rule grid', async () => {
    const { exchange } = await startedExchange()
    const sent: InFlightOrder[] = []
    const original = exchange.script.placeOrder
    exchange.script.placeOrder = (order, signal) => {
      sent.push(order)
      return original(order, signal)
    }
    exchange.buy(PAIR, '0.1234', 'LIMIT', '30000.12')
    await flush()
    expect(sent[0]?.amount.toFixed()).toBe('0.1234')
    expect(sent[0]?.price?.toFixed()).toBe('30000.12')
    await exchange.stop()
  })

  it('malformed input throws InvalidInputError at once, and nothing is tracked or sent', async () => {
    const { exchange, events } = await startedExchange()
    const before = exchange.calls.length
    expect(() => exchange.buy(PAIR, 'lots', 'LIMIT', '30000')).toThrow(InvalidInputError)
    expect(() => exchange.buy(PAIR, '0', 'LIMIT', '30000')).toThrow(InvalidInputError)
    expect(() => exchange.buy(PAIR, '-1', 'LIMIT', '30000')).toThrow(InvalidInputError)
    expect(() => exchange.buy(PAIR, '0.01', 'STOP' as never, '30000')).toThrow(InvalidInputError)
    expect(() => exchange.buy('BTCUSDT', '0.01', 'LIMIT', '30000')).toThrow(InvalidInputError)
    expect(() => exchange.sell(PAIR, '0.01', 'LIMIT')).toThrow(InvalidInputError)
    expect(() => exchange.sell(PAIR, '0.01', 'LIMIT', 'cheap')).toThrow(InvalidInputError)
    expect(() => exchange.sell(PAIR, Number.NaN, 'MARKET')).toThrow(InvalidInputError)
    await flush()
    expect(exchange.inFlightOrders.size).toBe(0)
    expect(exchange.calls.length).toBe(before)
    expect(events.names()).toEqual([])
    await exchange.stop()
  })

  it('order events arrive after buy has returned the id', async () => {
    const { exchange, events } = await startedExchange()
    let seenDuringBuy: string[] = []
    const id = exchange.buy('ETH-USDT', '1', 'LIMIT', '2000')
    seenDuringBuy = events.names()
    await flush()
    expect(seenDuringBuy).toEqual([])
    expect(events.payloadsOf('orderFailure')[0]?.clientOrderId).toBe(id)
    await exchange.stop()
  })
})

describe('exchange base: checks before sending', () => {
  async function expectCheckFailure(exchange: FakeExchange, id: string, errorType: string, message: RegExp) {
    await flush()
    const failure = recordedFailure.payloadsOf('orderFailure').find((event) => event.clientOrderId === id)
    expect(failure).toMatchObject({ clientOrderId: id, errorType })
    expect(failure?.errorMessage).toMatch(message)
    expect(exchange.calls.some((call) => call.startsWith('placeOrder'))).toBe(false)
    expect(exchange.inFlightOrders.has(id)).toBe(false)
  }
  let recordedFailure: ReturnType<typeof recordEvents>

  it('create order fails when trading rule is missing', async () => {
    const { exchange, events } = await startedExchange()
    recordedFailure = events
    const id = exchange.buy('ETH-USDT', '1', 'LIMIT', '2000')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.missingTradingRule, /no trading rule for ETH-USDT/)
    await exchange.stop()
  })

  it('create order fails when the order type is not supported', async () => {
    const { exchange, events } = await startedExchange({ orderTypes: ['LIMIT'] })
    recordedFailure = events
    const id = exchange.sell(PAIR, '0.01', 'MARKET')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.unsupportedOrderType, /MARKET orders are not supported/)
    await exchange.stop()
  })

  it('create order fails when trading rule error: amount below the minimum order size', async () => {
    const { exchange, events } = await startedExchange()
    recordedFailure = events
    const id = exchange.buy(PAIR, '0.0005', 'LIMIT', '30000')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.tradingRuleViolation, /below the minimum order size 0.001/)
    await exchange.stop()
  })

  it('create order fails when the notional is below the minimum', async () => {
    const { exchange, events } = await startedExchange()
    recordedFailure = events
    const id = exchange.buy(PAIR, '0.001', 'LIMIT', '5000')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.tradingRuleViolation, /notional 5 is below the minimum notional 10/)
    await exchange.stop()
  })

  it('create order fails when the amount is off the step (it is not rounded)', async () => {
    const { exchange, events } = await startedExchange()
    recordedFailure = events
    const id = exchange.buy(PAIR, '0.00001', 'LIMIT', '30000')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.tradingRuleViolation, /amount 0.00001 is not a multiple of the 0.0001 step/)
    await exchange.stop()
  })

  it('create order fails when the price is off the tick (it is not rounded)', async () => {
    const { exchange, events } = await startedExchange()
    recordedFailure = events
    const id = exchange.buy(PAIR, '1', 'LIMIT', '0.001')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.tradingRuleViolation, /price 0.001 is not on the 0.01 tick/)
    await exchange.stop()
  })

  it('a MARKET order is checked against the notional at the book price', async () => {
    const exchange = new FakeExchange()
    recordedFailure = recordEvents(exchange)
    exchange.books.snapshot = (tradingPair) =>
      Promise.resolve({ type: 'snapshot', tradingPair, updateId: 1, bids: [['4990', '1']], asks: [['5000', '1']], timestamp: Date.now() })
    const started = exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    await started
    const small = exchange.buy(PAIR, '0.001', 'MARKET') // 0.001 × best ask 5000 = 5 < 10
    await expectCheckFailure(exchange, small, ORDER_CHECK_FAILURE.tradingRuleViolation, /notional 5 is below/)
    const enough = exchange.sell(PAIR, '0.003', 'MARKET') // 0.003 × best bid 4990 = 14.97
    await flush()
    expect(exchange.calls).toContain(`placeOrder:${enough}:tracked`)
    await exchange.stop()
  })

  it('a MARKET order on an empty book fails with a clear message, never NaN', async () => {
    const exchange = new FakeExchange()
    recordedFailure = recordEvents(exchange)
    exchange.books.snapshot = (tradingPair) =>
      Promise.resolve({ type: 'snapshot', tradingPair, updateId: 1, bids: [], asks: [], timestamp: Date.now() })
    const started = exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    await started
    const id = exchange.buy(PAIR, '1', 'MARKET')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.noReferencePrice, /the order book has no asks/)
    await exchange.stop()
  })

  it('a MARKET order needs no book price when the rule has no notional bound', async () => {
    const exchange = new FakeExchange()
    exchange.script.fetchTradingRules = () =>
      Promise.resolve({ tradingRules: [createTradingRule({ tradingPair: PAIR })], symbols: [{ exchangeSymbol: 'BTCUSDT', tradingPair: PAIR }] })
    exchange.books.snapshot = () => new Promise(() => {}) // the book stays empty
    void exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    const id = exchange.sell(PAIR, '0.5', 'MARKET')
    await flush()
    expect(exchange.calls).toContain(`placeOrder:${id}:tracked`)
    await exchange.stop()
  })

  it('an order placed before start fails: the exchange is not running', async () => {
    const exchange = new FakeExchange()
    recordedFailure = recordEvents(exchange)
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await expectCheckFailure(exchange, id, ORDER_CHECK_FAILURE.notRunning, /not running/)
  })
})

describe('exchange base: what a failed create means', () => {
  it('create order fails and raises failure event when the exchange refuses it', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.placeOrder = () => Promise.reject(new InsufficientFundsError('Account has insufficient balance', { exchangeCode: -2010 }))
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    expect(events.names()).toEqual(['orderFailure'])
    expect(events.payloadsOf('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: 'InsufficientFundsError' })
    expect(events.payloadsOf('orderFailure')[0]?.errorMessage).toMatch(/insufficient balance/)
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    await exchange.stop()
  })

  it('a 429 refusal fails the order: the exchange did not process it', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.placeOrder = () => Promise.reject(new RateLimitedError('Too many requests', { retryAfterMs: 1000 }))
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    expect(events.payloadsOf('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: 'RateLimitedError' })
    await exchange.stop()
  })

  const ambiguous = [
    ['a timeout', () => new RequestTimeoutError('POST /v3/order: no complete response within 10000 ms')],
    ['a 5xx', () => new ServerError('POST /v3/order: HTTP 503', { httpStatus: 503 })],
    ['a dropped connection', () => new NetworkError('POST /v3/order: the connection failed')],
  ] as const
  for (const [what, makeError] of ambiguous) {
    it(`a create that fails with ${what} stays tracked, is never re-sent, and is reconciled by a status poll`, async () => {
      const { exchange, events } = await startedExchange()
      exchange.script.placeOrder = () => Promise.reject(makeError())
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await flush()
      expect(exchange.inFlightOrders.get(id)?.state).toBe('PENDING_CREATE')
      const reported = events.errors()
      expect(reported).toHaveLength(1)
      expect(reported[0]).toBeInstanceOf(ExchangeTaskError)
      expect((reported[0] as ExchangeTaskError).task).toMatch(/outcome unknown/)
      // The exchange did take it, and filled it.
      exchange.script.allTradeUpdatesForOrder = (order) => Promise.resolve([{ ...fillOf(order, 'T1'), exchangeOrderId: 'EX-9' }])
      exchange.script.requestOrderStatus = (order) => Promise.resolve(statusOf(order, 'FILLED', 'EX-9'))
      await vi.advanceTimersByTimeAsync(120_000)
      expect(exchange.count('placeOrder')).toBe(1)
      expect(events.names()).toEqual(['error', 'orderFilled', 'buyOrderCreated', 'buyOrderCompleted'])
      expect(events.payloadsOf('buyOrderCompleted')[0]).toMatchObject({ clientOrderId: id, exchangeOrderId: 'EX-9' })
      expect(exchange.inFlightOrders.has(id)).toBe(false)
      await exchange.stop()
    })
  }

  it('an unanswered create the exchange never heard of becomes lost after repeated not-found answers', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.placeOrder = () => Promise.reject(new RequestTimeoutError('timeout'))
    exchange.script.requestOrderStatus = () => Promise.reject(new OrderNotFoundError('Order does not exist.', { exchangeCode: -2013 }))
    exchange.script.placeCancel = () => Promise.reject(new OrderNotFoundError('Unknown order sent.', { exchangeCode: -2011 }))
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(exchange.count('placeOrder')).toBe(1)
    const failure = events.payloadsOf('orderFailure')
    expect(failure).toHaveLength(1)
    expect(failure[0]).toMatchObject({ clientOrderId: id, errorType: LOST_ORDER_ERROR_TYPE })
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    expect(exchange.count('requestOrderStatus')).toBeGreaterThanOrEqual(3)
    await exchange.stop()
  })

  it('a create refused for its timestamp resyncs the clock and is sent once more', async () => {
    const { exchange, events } = await startedExchange()
    let attempts = 0
    exchange.script.placeOrder = () =>
      ++attempts === 1
        ? Promise.reject(new TimestampOutsideWindowError('Timestamp for this request is outside of the recvWindow.', { exchangeCode: -1021 }))
        : Promise.resolve({ exchangeOrderId: 'EX-7', updateTimestamp: Date.now() })
    exchange.calls.length = 0
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    expect(exchange.callNames()).toEqual(['placeOrder', 'fetchServerTime', 'placeOrder'])
    expect(events.payloadsOf('buyOrderCreated')[0]).toMatchObject({ clientOrderId: id, exchangeOrderId: 'EX-7' })
    await exchange.stop()
  })

  it('a second timestamp refusal fails the order', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.placeOrder = () => Promise.reject(new TimestampOutsideWindowError('outside recvWindow'))
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    expect(exchange.count('placeOrder')).toBe(2)
    expect(events.payloadsOf('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: 'TimestampOutsideWindowError' })
    await exchange.stop()
  })

  it('a status poll skips an order whose create request is still unanswered', async () => {
    const { exchange } = await startedExchange()
    const pending = deferred<{ exchangeOrderId: string; updateTimestamp: number }>()
    exchange.script.placeOrder = () => pending.promise
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await vi.advanceTimersByTimeAsync(130_000)
    expect(exchange.calls.filter((call) => call === `requestOrderStatus:${id}`)).toEqual([])
    pending.resolve({ exchangeOrderId: 'EX-3', updateTimestamp: Date.now() })
    await flush()
    expect(exchange.inFlightOrders.get(id)?.exchangeOrderId).toBe('EX-3')
    await exchange.stop()
  })

  it('stop during an in-flight create leaves the order tracked and nothing pending', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.placeOrder = () => new Promise(() => {})
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
    expect(exchange.trackingStates[id]?.state).toBe('PENDING_CREATE')
    expect(events.names()).toEqual([])
  })

  it('a bad request is a definite refusal too', async () => {
    const { exchange, events } = await startedExchange()
    exchange.script.placeOrder = () => Promise.reject(new BadRequestError('Filter failure: PRICE_FILTER'))
    exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await flush()
    expect(events.payloadsOf('orderFailure')[0]?.errorType).toBe('BadRequestError')
    await exchange.stop()
  })
})
