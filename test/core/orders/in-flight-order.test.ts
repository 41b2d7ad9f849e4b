import { afterEach, describe, expect, it, vi } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import { TradeFee } from '../../../src/core/orders/fees.ts'
import { InFlightOrder } from '../../../src/core/orders/in-flight-order.ts'
import type { InFlightOrderJSON } from '../../../src/core/orders/order-state.ts'
import { ExchangeOrderIdTimeoutError } from '../../../src/core/orders/order-errors.ts'
import { makeOrder, orderUpdate, START_TIME, tradeUpdate } from './helpers.ts'

describe('in flight order', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('starts pending create with nothing executed and splits its pair', () => {
    const order = makeOrder()
    expect(order.state).toBe('PENDING_CREATE')
    expect(order.isPendingCreate).toBe(true)
    expect(order.isOpen).toBe(true)
    expect(order.isDone).toBe(false)
    expect(order.executedAmountBase.eq(0)).toBe(true)
    expect(order.executedAmountQuote.eq(0)).toBe(true)
    expect(order.lastUpdateTimestamp).toBe(START_TIME)
    expect(order.baseAsset).toBe('BTC')
    expect(order.quoteAsset).toBe('USDT')
    expect(order.averageExecutedPrice).toBeUndefined()
    expect(order.exchangeOrderId).toBeUndefined()
  })

  it('rejects an order it could not track correctly', () => {
    expect(() => makeOrder({ clientOrderId: '' })).toThrow(InvalidInputError)
    expect(() => makeOrder({ orderType: 'STOP' as never })).toThrow(/unknown order type/)
    expect(() => makeOrder({ tradeType: 'RANGE' as never })).toThrow(/unknown trade type/)
    expect(() => makeOrder({ initialState: 'DONE' as never })).toThrow(/unknown order state/)
    expect(() => makeOrder({ amount: '-1' })).toThrow(/negative/)
    expect(() => makeOrder({ tradingPair: 'BTCUSDT' })).toThrow(InvalidInputError)
  })

  it('update with order update: learns the exchange id once and moves state forward', () => {
    const order = makeOrder()
    expect(order.updateWithOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1', updateTimestamp: START_TIME + 10 }))).toBe(true)
    expect(order.exchangeOrderId).toBe('EX1')
    expect(order.state).toBe('OPEN')
    expect(order.lastUpdateTimestamp).toBe(START_TIME + 10)
    expect(order.updateWithOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'OTHER' }))).toBe(false)
    expect(order.exchangeOrderId).toBe('EX1')
  })

  it('update exchange order id: sets it once and keeps the first', () => {
    const order = makeOrder()
    expect(order.updateExchangeOrderId('EX1')).toBe(true)
    expect(order.updateExchangeOrderId('EX2')).toBe(false)
    expect(order.exchangeOrderId).toBe('EX1')
  })

  it('update with order update: ignores an update for another order', () => {
    const order = makeOrder()
    expect(order.updateWithOrderUpdate(orderUpdate('OPEN', { clientOrderId: 'OID2' }))).toBe(false)
    expect(order.state).toBe('PENDING_CREATE')
  })

  it('update with order update: matches by exchange id when the client id is absent', () => {
    const order = makeOrder({ exchangeOrderId: 'EX1' })
    expect(order.updateWithOrderUpdate({ exchangeOrderId: 'EX1', tradingPair: 'BTC-USDT', updateTimestamp: 1, newState: 'OPEN' })).toBe(true)
    expect(order.lastUpdateTimestamp).toBe(START_TIME)
  })

  it('ignores a late OPEN after FILLED: a final state is never left', () => {
    const order = makeOrder()
    order.updateWithOrderUpdate(orderUpdate('FILLED'))
    expect(order.updateWithOrderUpdate(orderUpdate('OPEN'))).toBe(false)
    expect(order.state).toBe('FILLED')
    expect(order.isFilled).toBe(true)
    expect(order.isDone).toBe(true)
  })

  it('ignores a stale OPEN after PARTIALLY_FILLED', () => {
    const order = makeOrder()
    order.updateWithOrderUpdate(orderUpdate('PARTIALLY_FILLED'))
    expect(order.updateWithOrderUpdate(orderUpdate('OPEN'))).toBe(false)
    expect(order.state).toBe('PARTIALLY_FILLED')
  })

  it('reports each final state through its own flag', () => {
    const cancelled = makeOrder()
    cancelled.updateWithOrderUpdate(orderUpdate('CANCELED'))
    expect([cancelled.isCancelled, cancelled.isFailure, cancelled.isFilled, cancelled.isOpen]).toEqual([true, false, false, false])
    const failed = makeOrder()
    failed.updateWithOrderUpdate(orderUpdate('FAILED'))
    expect([failed.isCancelled, failed.isFailure, failed.isFilled, failed.isOpen]).toEqual([false, true, false, false])
    const cancelling = makeOrder({ initialState: 'PENDING_CANCEL' })
    expect(cancelling.isPendingCancelConfirmation).toBe(true)
  })

  it('update with trade update: adds a fill once per trade id', () => {
    const order = makeOrder()
    expect(order.updateWithTradeUpdate(tradeUpdate('T1', '0.4', '30000'))).toBe(true)
    expect(order.updateWithTradeUpdate(tradeUpdate('T1', '0.4', '30000'))).toBe(false)
    expect(order.executedAmountBase.toFixed()).toBe('0.4')
    expect(order.executedAmountQuote.toFixed()).toBe('12000')
    expect(order.fills.size).toBe(1)
    expect(order.exchangeOrderId).toBe('EX1')
    expect(order.lastUpdateTimestamp).toBe(START_TIME + 2)
  })

  it('update with trade update: refuses a fill of another order', () => {
    const order = makeOrder()
    expect(order.updateWithTradeUpdate(tradeUpdate('T1', '1', '1', { clientOrderId: 'OID2', exchangeOrderId: 'EX9' }))).toBe(false)
    expect(order.fills.size).toBe(0)
  })

  it('counts as filled and done once fills cover the amount, before any FILLED update', () => {
    const order = makeOrder({ amount: '0.3' })
    order.updateWithTradeUpdate(tradeUpdate('T1', '0.1'))
    order.updateWithTradeUpdate(tradeUpdate('T2', '0.2'))
    expect(order.isFilled).toBe(true)
    expect(order.isDone).toBe(true)
    expect(order.isOpen).toBe(true)
  })

  it('averages the executed price by base amount, exactly', () => {
    const order = makeOrder()
    order.updateWithTradeUpdate(tradeUpdate('T1', '0.1', '30000'))
    order.updateWithTradeUpdate(tradeUpdate('T2', '0.3', '31000'))
    expect(order.averageExecutedPrice?.toFixed()).toBe('30750')
  })

  it('sums fees per token across fills, converting with the fill price or a given rate', () => {
    const order = makeOrder()
    order.updateWithTradeUpdate(tradeUpdate('T1', '0.1', '30000'))
    order.updateWithTradeUpdate(
      tradeUpdate('T2', '0.1', '30000', { fee: new TradeFee('deductedFromReturns', { flatFees: [{ token: 'BTC', amount: '0.0001' }] }) }),
    )
    order.updateWithTradeUpdate(
      tradeUpdate('T3', '0.1', '30000', { fee: new TradeFee('addedToCost', { flatFees: [{ token: 'BNB', amount: '0.001' }] }) }),
    )
    expect(order.cumulativeFeePaid('USDT', { 'BNB-USDT': '600' }).toFixed()).toBe('4.1')
    expect(() => order.cumulativeFeePaid('USDT')).toThrow(/BNB/)
  })

  it('resolves the exchange order id at once when it is known', async () => {
    await expect(makeOrder({ exchangeOrderId: 'EX1' }).waitForExchangeOrderId()).resolves.toBe('EX1')
  })

  it('get exchange order id: resolves when the id arrives later', async () => {
    vi.useFakeTimers()
    const order = makeOrder()
    const waiting = order.waitForExchangeOrderId()
    order.updateWithOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX7' }))
    await expect(waiting).resolves.toBe('EX7')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('get exchange order id: rejects after the timeout, leaving no timer', async () => {
    vi.useFakeTimers()
    const waiting = makeOrder().waitForExchangeOrderId({ timeoutMs: 1_000 })
    const outcome = expect(waiting).rejects.toBeInstanceOf(ExchangeOrderIdTimeoutError)
    await vi.advanceTimersByTimeAsync(1_000)
    await outcome
    expect(vi.getTimerCount()).toBe(0)
  })

  it('get exchange order id: waits 10 seconds by default', async () => {
    vi.useFakeTimers()
    const waiting = makeOrder().waitForExchangeOrderId()
    const outcome = expect(waiting).rejects.toThrow(/after 10000 ms/)
    await vi.advanceTimersByTimeAsync(10_000)
    await outcome
  })

  it('get exchange order id: rejects with the abort reason when the signal aborts', async () => {
    vi.useFakeTimers()
    const controller = new AbortController()
    const waiting = makeOrder().waitForExchangeOrderId({ signal: controller.signal })
    controller.abort(new Error('stopping'))
    await expect(waiting).rejects.toThrow('stopping')
    expect(vi.getTimerCount()).toBe(0)
    await expect(makeOrder().waitForExchangeOrderId({ signal: controller.signal })).rejects.toThrow('stopping')
  })

  it('wait until completely filled: true on the last fill, false on timeout or abort', async () => {
    vi.useFakeTimers()
    const order = makeOrder({ amount: '0.2' })
    const filled = order.waitUntilCompletelyFilled(5_000)
    order.updateWithTradeUpdate(tradeUpdate('T1', '0.2'))
    await expect(filled).resolves.toBe(true)
    const late = makeOrder().waitUntilCompletelyFilled(5_000)
    await vi.advanceTimersByTimeAsync(5_000)
    await expect(late).resolves.toBe(false)
    const controller = new AbortController()
    const aborted = makeOrder().waitUntilCompletelyFilled(5_000, controller.signal)
    controller.abort()
    await expect(aborted).resolves.toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('round-trips its tracking state through JSON with decimals as strings', () => {
    const order = makeOrder({ amount: '0.5', price: '30000.10' })
    order.updateWithOrderUpdate(orderUpdate('OPEN', { exchangeOrderId: 'EX1' }))
    order.updateWithTradeUpdate(tradeUpdate('T1', '0.2', '30000.1'))
    const json = JSON.parse(JSON.stringify(order)) as InFlightOrderJSON
    expect(json.amount).toBe('0.5')
    expect(json.price).toBe('30000.1')
    expect(json.executedAmountBase).toBe('0.2')
    expect(json.state).toBe('OPEN')
    const copy = InFlightOrder.fromJSON(json)
    expect(copy.toJSON()).toEqual(order.toJSON())
    expect(copy.fills.get('T1')?.fee.equals(order.fills.get('T1')?.fee ?? new TradeFee('addedToCost'))).toBe(true)
    expect(copy.updateWithTradeUpdate(tradeUpdate('T1', '0.2'))).toBe(false)
  })

  it('restores a MARKET order without price or exchange id, and a missing creation time as -1', async () => {
    const order = makeOrder({ orderType: 'MARKET', price: undefined as never })
    const json = { ...order.toJSON(), creationTimestamp: undefined as never }
    const copy = InFlightOrder.fromJSON(json)
    expect(copy.price).toBeUndefined()
    expect(copy.exchangeOrderId).toBeUndefined()
    expect(copy.creationTimestamp).toBe(-1)
  })

  it('restores an order whose fills already cover it as completely filled', async () => {
    const order = makeOrder({ amount: '0.1' })
    order.updateWithTradeUpdate(tradeUpdate('T1', '0.1'))
    const copy = InFlightOrder.fromJSON(order.toJSON())
    await expect(copy.waitUntilCompletelyFilled(0)).resolves.toBe(true)
    expect(toDecimal(copy.toJSON().executedAmountQuote).eq(3000)).toBe(true)
  })

  it('rejects malformed saved state', () => {
    const good = makeOrder().toJSON()
    expect(() => InFlightOrder.fromJSON(null as unknown as InFlightOrderJSON)).toThrow(InvalidInputError)
    expect(() => InFlightOrder.fromJSON({ ...good, amount: 'many' })).toThrow(InvalidInputError)
    expect(() => InFlightOrder.fromJSON({ ...good, state: 'LOST' as never })).toThrow(InvalidInputError)
    expect(() => InFlightOrder.fromJSON({ ...good, executedAmountBase: '' })).toThrow(InvalidInputError)
  })
})
