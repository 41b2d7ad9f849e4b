// The order tracker's collections: lost orders, the cache of finished orders, saved tracking states.
// Runs under Node, inside workerd and under Deno: imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { InFlightOrderJSON } from '../../../src/core/orders/order-state.ts'
import { LOST_ORDER_ERROR_TYPE } from '../../../src/core/orders/order-tracker-options.ts'
import { makeOrder, orderUpdate, trackerWithRecorder, tradeUpdate } from './helpers.ts'

describe('order tracker: lost orders', () => {
  it('process order not found: three misses fail the order and move it to lost', async () => {
    const { tracker, names, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ exchangeOrderId: 'EX1', initialState: 'OPEN' }))
    await tracker.processOrderNotFound('OID1')
    await tracker.processOrderNotFound('OID1')
    expect(names()).toEqual([])
    expect(tracker.fetchTrackedOrder('OID1')).toBeDefined()
    await tracker.processOrderNotFound('OID1')
    expect(names()).toEqual(['orderFailure'])
    expect(payloadsOf('orderFailure')[0]).toMatchObject({
      clientOrderId: 'OID1',
      exchangeOrderId: 'EX1',
      errorType: LOST_ORDER_ERROR_TYPE,
    })
    expect(payloadsOf('orderFailure')[0]?.errorMessage).toMatch(/not found on the exchange 3 times/)
    expect(tracker.fetchTrackedOrder('OID1')).toBeUndefined()
    expect(tracker.fetchCachedOrder('OID1')).toBeUndefined()
    expect(tracker.fetchLostOrder({ clientOrderId: 'OID1' })?.state).toBe('FAILED')
  })

  it('lost order lifecycle: still gets fills, then leaves silently on a final state', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    for (let miss = 0; miss < 3; miss += 1) await tracker.processOrderNotFound('OID1')
    tracker.processTradeUpdate(tradeUpdate('T1', '1'))
    expect(names()).toEqual(['orderFailure', 'orderFilled'])
    await tracker.processOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1' }))
    expect(tracker.fetchLostOrder({ exchangeOrderId: 'EX1' })?.clientOrderId).toBe('OID1')
    await tracker.processOrderUpdate(orderUpdate('FILLED'))
    expect(names()).toEqual(['orderFailure', 'orderFilled'])
    expect(tracker.lostOrders.size).toBe(0)
    expect(tracker.allFillableOrders.size).toBe(0)
  })

  it('lost order: a CANCELED update from the lost-order loop removes it without an event', async () => {
    const { tracker, names } = trackerWithRecorder({ lostOrderCountLimit: 1 })
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    await tracker.processOrderNotFound('OID1')
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    expect(names()).toEqual(['orderFailure'])
    expect(tracker.lostOrders.size).toBe(0)
  })

  it('lost order: one more miss drops it silently, with no second failure', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    for (let miss = 0; miss < 4; miss += 1) await tracker.processOrderNotFound('OID1')
    expect(names()).toEqual(['orderFailure'])
    expect(tracker.lostOrders.size).toBe(0)
  })

  it('process order not found: an update in between resets the count of misses', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    await tracker.processOrderNotFound('OID1')
    await tracker.processOrderNotFound('OID1')
    await tracker.processOrderUpdate(orderUpdate('OPEN'))
    await tracker.processOrderNotFound('OID1')
    await tracker.processOrderNotFound('OID1')
    expect(names()).toEqual([])
    expect(tracker.fetchTrackedOrder('OID1')).toBeDefined()
  })

  it('process order not found: honours a configured limit, also when changed later', async () => {
    const { tracker, names } = trackerWithRecorder({ lostOrderCountLimit: 5 })
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    for (let miss = 0; miss < 4; miss += 1) await tracker.processOrderNotFound('OID1')
    expect(names()).toEqual([])
    tracker.lostOrderCountLimit = 2
    await tracker.processOrderNotFound('OID1')
    expect(names()).toEqual(['orderFailure'])
  })

  it('process order not found: does nothing for an order it does not know', async () => {
    const { tracker, names } = trackerWithRecorder()
    await tracker.processOrderNotFound('NOPE')
    expect(names()).toEqual([])
  })

  it('stop tracking order: moves an active order to the cache and forgets its misses', async () => {
    const { tracker, names } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ initialState: 'OPEN' }))
    await tracker.processOrderNotFound('OID1')
    tracker.stopTrackingOrder('OID1')
    tracker.stopTrackingOrder('NOPE')
    expect(tracker.fetchCachedOrder('OID1')).toBeDefined()
    expect(tracker.activeOrders.size).toBe(0)
    expect(names()).toEqual([])
  })
})

describe('order tracker: cached orders', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps a finished order for 30 s of the injected clock, without any timer', async () => {
    const { tracker, clock, payloadsOf } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder({ exchangeOrderId: 'EX1' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    expect(vi.getTimerCount()).toBe(0)
    clock.advance(29_999)
    expect(tracker.fetchOrder({ exchangeOrderId: 'EX1' })?.clientOrderId).toBe('OID1')
    clock.advance(1)
    expect(tracker.fetchCachedOrder('OID1')).toBeUndefined()
    expect(tracker.cachedOrders.size).toBe(0)
    tracker.processTradeUpdate(tradeUpdate('T1', '0.1'))
    expect(payloadsOf('error')[0]).toMatchObject({ reason: 'unknownOrderFill' })
  })

  it('keeps at most the configured number of finished orders, dropping the oldest', async () => {
    const { tracker } = trackerWithRecorder({ maxCachedOrders: 2 })
    for (const id of ['A', 'B', 'C']) {
      tracker.startTrackingOrder(makeOrder({ clientOrderId: id }))
      await tracker.processOrderUpdate(orderUpdate('CANCELED', { clientOrderId: id }))
    }
    expect([...tracker.cachedOrders.keys()]).toEqual(['B', 'C'])
  })

  it('honours a configured time to live', async () => {
    const { tracker, clock } = trackerWithRecorder({ cachedOrderTtlMs: 1_000 })
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('FAILED'))
    clock.advance(1_000)
    expect(tracker.allOrders.size).toBe(0)
  })

  it('refuses a new order that reuses the client id of a cached one', async () => {
    const { tracker } = trackerWithRecorder()
    tracker.startTrackingOrder(makeOrder())
    await tracker.processOrderUpdate(orderUpdate('CANCELED'))
    expect(() => tracker.startTrackingOrder(makeOrder())).toThrow(/already in use/)
  })

  it('lists orders per view: all, fillable and updatable', async () => {
    const { tracker } = trackerWithRecorder({ lostOrderCountLimit: 1 })
    for (const id of ['ACTIVE', 'DONE', 'LOST']) tracker.startTrackingOrder(makeOrder({ clientOrderId: id, initialState: 'OPEN' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED', { clientOrderId: 'DONE' }))
    await tracker.processOrderNotFound('LOST')
    expect([...tracker.allOrders.keys()].sort()).toEqual(['ACTIVE', 'DONE'])
    expect([...tracker.allFillableOrders.keys()].sort()).toEqual(['ACTIVE', 'DONE', 'LOST'])
    expect([...tracker.allUpdatableOrders.keys()].sort()).toEqual(['ACTIVE', 'LOST'])
    expect(tracker.fetchUpdatableOrder({ clientOrderId: 'LOST' })).toBeDefined()
    expect(tracker.fetchUpdatableOrder({ clientOrderId: 'DONE' })).toBeUndefined()
    expect(tracker.fetchFillableOrder({ clientOrderId: 'DONE' })).toBeDefined()
  })
})

describe('order tracker: tracking states', () => {
  it('saves active and lost orders, not finished ones', async () => {
    const { tracker } = trackerWithRecorder({ lostOrderCountLimit: 1 })
    for (const id of ['ACTIVE', 'DONE', 'LOST']) tracker.startTrackingOrder(makeOrder({ clientOrderId: id, initialState: 'OPEN' }))
    await tracker.processOrderUpdate(orderUpdate('CANCELED', { clientOrderId: 'DONE' }))
    await tracker.processOrderNotFound('LOST')
    expect(Object.keys(tracker.trackingStates).sort()).toEqual(['ACTIVE', 'LOST'])
  })

  it('restore tracking states: a JSON round trip brings open orders back active and lost ones lost', async () => {
    const first = trackerWithRecorder({ lostOrderCountLimit: 1 })
    first.tracker.startTrackingOrder(makeOrder({ clientOrderId: 'OID1', amount: '2' }))
    first.tracker.startTrackingOrder(makeOrder({ clientOrderId: 'GONE', initialState: 'OPEN' }))
    await first.tracker.processOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1' }))
    first.tracker.processTradeUpdate(tradeUpdate('T1', '0.5', '30000.5'))
    await first.tracker.processOrderNotFound('GONE')
    const saved = JSON.parse(JSON.stringify(first.tracker.trackingStates)) as Record<string, InFlightOrderJSON>

    const second = trackerWithRecorder()
    second.tracker.restoreTrackingStates(saved)
    const restored = second.tracker.fetchTrackedOrder('OID1')
    expect(restored?.toJSON()).toEqual(first.tracker.fetchTrackedOrder('OID1')?.toJSON())
    expect(restored?.executedAmountBase.toFixed()).toBe('0.5')
    expect(second.tracker.fetchLostOrder({ clientOrderId: 'GONE' })?.isFailure).toBe(true)

    second.tracker.processTradeUpdate(tradeUpdate('T1', '0.5'))
    second.tracker.processTradeUpdate(tradeUpdate('T2', '1.5'))
    await second.tracker.processOrderUpdate(orderUpdate('FILLED'))
    expect(second.names()).toEqual(['orderFilled', 'buyOrderCompleted'])
    expect(second.payloadsOf('buyOrderCompleted')[0]?.executedAmountBase.toFixed()).toBe('2')
  })

  it('restore tracking states: skips finished orders and ids already tracked, reports malformed ones', () => {
    const { tracker, payloadsOf } = trackerWithRecorder()
    const live = makeOrder({ clientOrderId: 'LIVE', initialState: 'OPEN' })
    tracker.startTrackingOrder(live)
    const cancelled = makeOrder({ clientOrderId: 'DONE', initialState: 'CANCELED' }).toJSON()
    const stale = makeOrder({ clientOrderId: 'LIVE', initialState: 'PENDING_CREATE' }).toJSON()
    const broken = { ...makeOrder({ clientOrderId: 'BROKEN' }).toJSON(), amount: 'lots' }
    const renamed = makeOrder({ clientOrderId: 'REAL', initialState: 'OPEN' }).toJSON()
    tracker.restoreTrackingStates({ DONE: cancelled, LIVE: stale, BROKEN: broken, WRONG_KEY: renamed })
    expect(tracker.fetchTrackedOrder('REAL')).toBeDefined()
    expect(tracker.fetchTrackedOrder('WRONG_KEY')).toBeUndefined()
    expect(tracker.fetchTrackedOrder('LIVE')).toBe(live)
    expect(tracker.fetchOrder({ clientOrderId: 'DONE' })).toBeUndefined()
    expect(tracker.fetchTrackedOrder('BROKEN')).toBeUndefined()
    expect(payloadsOf('error')).toHaveLength(1)
  })
})
