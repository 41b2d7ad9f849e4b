// The order tracker's event rules. Runs under Node, inside workerd and under Deno: imports only
// vitest and src/, uses fake timers for every wait.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import { OrderTrackingError } from '../../../src/core/orders/order-errors.ts'
import { OrderTracker } from '../../../src/core/orders/order-tracker.ts'
import { makeOrder, orderUpdate, START_TIME, trackerWithRecorder, tradeUpdate } from './helpers.ts'

describe('order tracker: events', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('start tracking order: makes it active and refuses a second order with the same client id', () => {
    const { tracker } = trackerWithRecorder()
    const order = makeOrder()
    tracker.startTrackingOrder(order)
    expect(tracker.fetchTrackedOrder('OID1')).toBe(order)
    expect(tracker.activeOrders.size).toBe(1)
    expect(() => tracker.startTrackingOrder(makeOrder())).toThrow(InvalidInputError)
  })

  it('refuses a lost-order limit below one', () => {
    expect(() => trackerWithRecorder({ lostOrderCountLimit: 0 })).toThrow(InvalidInputError)
  })

  it('process order update: emits created once, with the tracker clock as timestamp', async () => {
    const { tracker, clock, names, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    clock.advance(250)
    await tracker.processOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1', updateTimestamp: 5 }))
    await tracker.processOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1' }))
    await tracker.processOrderUpdate(orderUpdate('PARTIALLY_FILLED'))
    expect(names()).toEqual(['buyOrderCreated'])
    const [created] = payloadsOf('buyOrderCreated')
    expect(created).toMatchObject({
      clientOrderId: 'OID1',
      exchangeOrderId: 'EX1',
      tradingPair: 'BTC-USDT',
      timestamp: START_TIME + 250,
      orderType: 'LIMIT',
      tradeType: 'BUY',
      creationTimestamp: START_TIME,
    })
    expect(created?.amount.toFixed()).toBe('1')
    expect(created?.price?.toFixed()).toBe('30000')
  })

  it('process order update: emits sellOrderCreated for a sell', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ tradeType: 'SELL' }))
    await tracker.processOrderUpdate(orderUpdate('OPEN'))
    expect(names()).toEqual(['sellOrderCreated'])
  })

  it('process order update: learns the exchange id without an event while still pending', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('PENDING_CREATE', { exchangeOrderId: 'EX1' }))
    expect(names()).toEqual([])
    expect(tracker.fetchOrder({ exchangeOrderId: 'EX1' })?.clientOrderId).toBe('OID1')
  })

  it('process order update: finds the order by exchange id alone', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ exchangeOrderId: 'EX1' }))
    await tracker.processOrderUpdate({ exchangeOrderId: 'EX1', tradingPair: 'BTC-USDT', updateTimestamp: 1, newState: 'OPEN' })
    expect(names()).toEqual(['buyOrderCreated'])
  })

  it('process order update: reports an update that names no order', async () => {
    const { tracker, payloadsOf } = trackerWithRecorder()
    await tracker.processOrderUpdate({ tradingPair: 'BTC-USDT', updateTimestamp: 1, newState: 'OPEN' })
    const [error] = payloadsOf('error')
    expect(error).toBeInstanceOf(OrderTrackingError)
    expect((error as OrderTrackingError).reason).toBe('updateWithoutOrderId')
  })

  it('process order update: ignores an update for an order it never tracked', async () => {
    const { tracker, names } = trackerWithRecorder()
    await tracker.processOrderUpdate(orderUpdate('FILLED', { clientOrderId: 'SOMEONE-ELSE' }))
    expect(names()).toEqual([])
  })

  it('process order update: emits cancelled once and moves the order to the cache', async () => {
    const { tracker, names, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    expect(names()).toEqual(['buyOrderCreated', 'orderCancelled'])
    expect(payloadsOf('orderCancelled')[0]).toEqual({
      clientOrderId: 'OID1',
      exchangeOrderId: 'EX1',
      tradingPair: 'BTC-USDT',
      timestamp: START_TIME,
    })
    expect(tracker.fetchTrackedOrder('OID1')).toBeUndefined()
    expect(tracker.fetchCachedOrder('OID1')?.state).toBe('CANCELED')
  })

  it('process order update: emits failure with the error message and type, and no created', async () => {
    const { tracker, names, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('FAILED', { errorMessage: 'insufficient balance', errorType: 'InsufficientFundsError' }))
    expect(names()).toEqual(['orderFailure'])
    expect(payloadsOf('orderFailure')[0]).toMatchObject({
      clientOrderId: 'OID1',
      exchangeOrderId: undefined,
      errorMessage: 'insufficient balance',
      errorType: 'InsufficientFundsError',
      orderType: 'LIMIT',
    })
    expect(tracker.fetchCachedOrder('OID1')?.isFailure).toBe(true)
  })

  it('process order update: a cancel straight from pending create is no creation', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ orderType: 'LIMIT_MAKER' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED', { exchangeOrderId: 'EX1' }))
    expect(names()).toEqual(['orderCancelled'])
  })

  it('process order update: ignores a late OPEN after FILLED (no second created, state stays FILLED)', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    tracker.processTradeUpdate(tradeUpdate('T1', '1'))
    await tracker.processOrderUpdate(orderUpdate('FILLED'))
    await tracker.processOrderUpdate(orderUpdate('OPEN'))
    expect(names()).toEqual(['orderFilled', 'buyOrderCreated', 'buyOrderCompleted'])
    expect(tracker.fetchOrder({ clientOrderId: 'OID1' })?.state).toBe('FILLED')
  })

  it('process order update: keeps PARTIALLY_FILLED when a stale poll says OPEN', async () => {
    const { tracker } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('PARTIALLY_FILLED'))
    await tracker.processOrderUpdate(orderUpdate('OPEN'))
    expect(tracker.fetchTrackedOrder('OID1')?.state).toBe('PARTIALLY_FILLED')
  })

  it('process trade update: emits orderFilled with the fill fields', () => {
    const { tracker, clock, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ orderType: 'LIMIT_MAKER' }))
    clock.advance(7)
    const fill = tradeUpdate('T1', '0.25', '30100')
    tracker.processTradeUpdate(fill)
    expect(payloadsOf('orderFilled')).toHaveLength(1)
    const [filled] = payloadsOf('orderFilled')
    expect(filled).toMatchObject({
      clientOrderId: 'OID1',
      exchangeOrderId: 'EX1',
      tradingPair: 'BTC-USDT',
      timestamp: START_TIME + 7,
      tradeType: 'BUY',
      orderType: 'LIMIT_MAKER',
      tradeId: 'T1',
      isTaker: true,
    })
    expect(filled?.price.toFixed()).toBe('30100')
    expect(filled?.amount.toFixed()).toBe('0.25')
    expect(filled?.fee).toBe(fill.fee)
  })

  it('process trade update: a duplicate fill emits nothing and changes nothing', () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    tracker.processTradeUpdate(tradeUpdate('T1', '0.25'))
    tracker.processTradeUpdate(tradeUpdate('T1', '0.25'))
    tracker.processTradeUpdate(tradeUpdate('T1', '0.5'))
    expect(names()).toEqual(['orderFilled'])
    expect(tracker.fetchTrackedOrder('OID1')?.executedAmountBase.toFixed()).toBe('0.25')
  })

  it('process trade update: finds the order by exchange id when the fill has no client id', () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ exchangeOrderId: 'EX1' }))
    const { clientOrderId: _ignored, ...withoutClientId } = tradeUpdate('T1', '0.1')
    tracker.processTradeUpdate(withoutClientId)
    expect(names()).toEqual(['orderFilled'])
  })

  it('process trade update: records a zero-amount fill without an event', () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    tracker.processTradeUpdate(tradeUpdate('T0', '0'))
    expect(names()).toEqual([])
    expect(tracker.fetchTrackedOrder('OID1')?.fills.has('T0')).toBe(true)
  })

  it('process trade update: reports a fill for an unknown order instead of throwing', () => {
    const { tracker, payloadsOf } = trackerWithRecorder()
    expect(() => tracker.processTradeUpdate(tradeUpdate('T1', '1', '1', { clientOrderId: 'NOPE', exchangeOrderId: 'NOPE' }))).not.toThrow()
    const [error] = payloadsOf('error')
    expect(error).toBeInstanceOf(OrderTrackingError)
    expect(error).toMatchObject({ reason: 'unknownOrderFill', clientOrderId: 'NOPE' })
  })

  it('process trade update: still reports a fill that lands after the cancel', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    tracker.processTradeUpdate(tradeUpdate('T1', '0.1'))
    expect(names()).toEqual(['orderCancelled', 'orderFilled'])
    expect(tracker.fetchCachedOrder('OID1')?.executedAmountBase.toFixed()).toBe('0.1')
  })

  it('FILLED before its fills: waits for them, then completes with the executed amounts', async () => {
    const { tracker, names, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ exchangeOrderId: 'EX1', initialState: 'OPEN' }))
    const processing = tracker.processOrderUpdate(orderUpdate('FILLED'))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(names()).toEqual([])
    tracker.processTradeUpdate(tradeUpdate('T1', '0.4', '30000'))
    tracker.processTradeUpdate(tradeUpdate('T2', '0.6', '30010'))
    await processing
    expect(names()).toEqual(['orderFilled', 'orderFilled', 'buyOrderCompleted'])
    const [completed] = payloadsOf('buyOrderCompleted')
    expect(completed).toMatchObject({ clientOrderId: 'OID1', exchangeOrderId: 'EX1', baseAsset: 'BTC', quoteAsset: 'USDT', orderType: 'LIMIT' })
    expect(completed?.executedAmountBase.toFixed()).toBe('1')
    expect(completed?.executedAmountQuote.toFixed()).toBe('30006')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('FILLED before its fills: fills that name only the exchange id from that update still count', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    const processing = tracker.processOrderUpdate(orderUpdate('FILLED', { exchangeOrderId: 'EX1' }))
    const { clientOrderId: _ignored, ...fillByExchangeId } = tradeUpdate('T1', '1')
    tracker.processTradeUpdate(fillByExchangeId)
    await processing
    expect(names()).toEqual(['orderFilled', 'buyOrderCreated', 'buyOrderCompleted'])
  })

  it('FILLED whose fills never arrive: completes anyway after 5 s and reports the late fills', async () => {
    const { tracker, names, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ tradeType: 'SELL', initialState: 'OPEN' }))
    tracker.processTradeUpdate(tradeUpdate('T1', '0.4'))
    const processing = tracker.processOrderUpdate(orderUpdate('FILLED'))
    await vi.advanceTimersByTimeAsync(4_999)
    expect(names()).toEqual(['orderFilled'])
    await vi.advanceTimersByTimeAsync(1)
    await processing
    expect(names()).toEqual(['orderFilled', 'error', 'sellOrderCompleted'])
    expect(payloadsOf('error')[0]).toMatchObject({ reason: 'fillsLate', clientOrderId: 'OID1' })
    expect(payloadsOf('sellOrderCompleted')[0]?.executedAmountBase.toFixed()).toBe('0.4')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('FILLED whose fills fall short: holds the order for them past the cache TTL; a late fill is emitted once', async () => {
    const missing: string[] = []
    const { tracker, clock, names } = trackerWithRecorder({ onFillsMissing: (order) => missing.push(order.clientOrderId) })
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    tracker.processTradeUpdate(tradeUpdate('T1', '0.4'))
    const processing = tracker.processOrderUpdate(orderUpdate('FILLED', { exchangeOrderId: 'EX1' }))
    expect(missing).toEqual(['OID1']) // at once, so the fills can be fetched during the wait
    await vi.advanceTimersByTimeAsync(5_000)
    await processing
    expect(names()).toEqual(['orderFilled', 'error', 'buyOrderCompleted'])
    clock.advance(10 * 60_000) // the cache of finished orders has forgotten it
    expect(tracker.fetchCachedOrder('OID1')).toBeUndefined()
    expect([...tracker.ordersAwaitingFills.keys()]).toEqual(['OID1'])
    tracker.processTradeUpdate(tradeUpdate('T2', '0.6'))
    tracker.processTradeUpdate(tradeUpdate('T2', '0.6'))
    expect(names()).toEqual(['orderFilled', 'error', 'buyOrderCompleted', 'orderFilled'])
    expect(tracker.ordersAwaitingFills.size).toBe(0) // they add up
    await tracker.processOrderUpdate(orderUpdate('FILLED', { exchangeOrderId: 'EX1' }))
    expect(missing).toEqual(['OID1'])
  })

  it('a final update naming an executed amount its fills do not reach holds the order for them (a lost partial fill)', async () => {
    const missing: string[] = []
    const { tracker, names } = trackerWithRecorder({ onFillsMissing: (order) => missing.push(order.clientOrderId) })
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED', { executedAmountBase: toDecimal('0') }))
    expect(missing).toEqual([])
    tracker.startTrackingOrder(makeOrder({ clientOrderId: 'OID2', initialState: 'OPEN' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED', { clientOrderId: 'OID2', executedAmountBase: toDecimal('0.3') }))
    expect(missing).toEqual(['OID2'])
    tracker.processTradeUpdate(tradeUpdate('T9', '0.3', '30000', { clientOrderId: 'OID2' }))
    expect(names()).toEqual(['orderCancelled', 'orderCancelled', 'orderFilled'])
    expect(tracker.ordersAwaitingFills.size).toBe(0)
  })

  it('FILLED with its fills already in: completes at once without a timer', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    tracker.processTradeUpdate(tradeUpdate('T1', '1'))
    const processing = tracker.processOrderUpdate(orderUpdate('FILLED'))
    expect(vi.getTimerCount()).toBe(0)
    await processing
    expect(names()).toEqual(['orderFilled', 'buyOrderCompleted'])
  })

  it('first update FILLED: emits created, then completed', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ tradeType: 'SELL' }))
    tracker.processTradeUpdate(tradeUpdate('T1', '1'))
    await tracker.processOrderUpdate(orderUpdate('FILLED', { exchangeOrderId: 'EX1' }))
    expect(names()).toEqual(['orderFilled', 'sellOrderCreated', 'sellOrderCompleted'])
  })

  it('two FILLED updates racing (stream and poll) complete the order once', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    const fromStream = tracker.processOrderUpdate(orderUpdate('FILLED'))
    const fromPoll = tracker.processOrderUpdate(orderUpdate('FILLED'))
    tracker.processTradeUpdate(tradeUpdate('T1', '1'))
    await Promise.all([fromStream, fromPoll])
    expect(names()).toEqual(['orderFilled', 'buyOrderCompleted'])
  })

  it('stop: ends a pending FILLED wait at once, completes the order and leaves no timer', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    const processing = tracker.processOrderUpdate(orderUpdate('FILLED'))
    expect(vi.getTimerCount()).toBe(1)
    tracker.stop()
    await processing
    expect(names()).toEqual(['buyOrderCompleted'])
    expect(vi.getTimerCount()).toBe(0)
    tracker.startTrackingOrder(makeOrder({ clientOrderId: 'OID2', initialState: 'OPEN' }))
    const later = tracker.processOrderUpdate(orderUpdate('FILLED', { clientOrderId: 'OID2' }))
    expect(vi.getTimerCount()).toBe(1)
    await vi.runOnlyPendingTimersAsync()
    await later
    expect(names()).toEqual(['buyOrderCompleted', 'error', 'buyOrderCompleted'])
  })

  it('a handler that throws does not break tracking: its error goes to the error event', async () => {
    const { tracker, events, names, payloadsOf } = trackerWithRecorder()
    const failing = vi.fn(() => {
      throw new Error('handler bug')
    })
    events.on('orderFilled', failing)
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    tracker.processTradeUpdate(tradeUpdate('T1', '1'))
    await tracker.processOrderUpdate(orderUpdate('FILLED'))
    expect(failing).toHaveBeenCalledTimes(1)
    expect(names()).toEqual(['orderFilled', 'error', 'buyOrderCompleted'])
    expect((payloadsOf('error')[0] as Error).message).toBe('handler bug')
    expect(tracker.fetchCachedOrder('OID1')?.executedAmountBase.eq(toDecimal(1))).toBe(true)
  })

  it('an order has left the active orders when its final event reaches handlers', async () => {
    const { tracker, events } = trackerWithRecorder()
    let activeDuringEvent: boolean | undefined
    events.on('orderCancelled', () => {
      activeDuringEvent = tracker.fetchTrackedOrder('OID1') !== undefined
    })
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    expect(activeDuringEvent).toBe(false)
  })

  it('works with any emitter that knows the order events', async () => {
    const emit = vi.fn()
    const tracker = new OrderTracker({ events: { emit } })
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('OPEN'))
    expect(emit).toHaveBeenCalledTimes(1)
    expect(emit.mock.calls[0]?.[0]).toBe('buyOrderCreated')
  })
})
