// Regression tests for bad input the fuzz suites (test/fuzz) and the bad-input review found in the
// core: each of these threw a TypeError (from JSON.stringify of a BigInt, or from reading a
// non-string / null) instead of the typed `InvalidInputError`.
import { describe, expect, it } from 'vitest'
import { toDecimal } from '../../src/core/decimal.ts'
import { describeInput, InvalidInputError } from '../../src/core/errors.ts'
import { parseOrderRequest } from '../../src/core/exchange/order-placement.ts'
import { OrderBook } from '../../src/core/order-book/order-book.ts'
import { InFlightOrder } from '../../src/core/orders/in-flight-order.ts'
import { OrderTracker } from '../../src/core/orders/order-tracker.ts'
import { splitTradingPair } from '../../src/core/orders/trading-pair.ts'

describe('core: bad input is an InvalidInputError, never a TypeError', () => {
  it('describeInput renders any value without throwing, in at most 80 characters', () => {
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(describeInput(1n)).toBe('1')
    expect(describeInput(Number.NaN)).toBe('NaN')
    expect(describeInput(circular)).toBe('[object Object]')
    expect(describeInput(Symbol('x'))).toBe('Symbol(x)')
    expect(describeInput(undefined)).toBe('undefined')
    expect(describeInput('x'.repeat(500))).toHaveLength(80)
  })

  it('toDecimal of a BigInt or a circular object', () => {
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(() => toDecimal(1n as never)).toThrow(InvalidInputError)
    expect(() => toDecimal(circular as never)).toThrow(InvalidInputError)
  })

  it('splitTradingPair of a value that is not a string', () => {
    for (const pair of [undefined, null, 42, ['BTC', 'USDT'], { base: 'BTC' }]) {
      expect(() => splitTradingPair(pair as never)).toThrow(InvalidInputError)
    }
  })

  it('an order type that is a BigInt', () => {
    expect(() => parseOrderRequest('BUY', 'BTC-USDT', '1', 1n, '1')).toThrow(InvalidInputError)
    const init = { clientOrderId: 'x', tradingPair: 'BTC-USDT', tradeType: 'BUY', amount: '1', creationTimestamp: 0 } as const
    expect(() => new InFlightOrder({ ...init, orderType: 1n as never })).toThrow(InvalidInputError)
  })

  it('OrderBook rows holding a BigInt, and the book is left as it was', () => {
    const book = new OrderBook()
    book.applySnapshot([['100', '1']], [], 1)
    expect(() => book.applyDiffs([[1n, '1'] as never], [], 2)).toThrow(InvalidInputError)
    expect(book.bids(5)).toMatchObject([{ price: 100, amount: 1 }])
  })

  it('OrderTracker.restoreTrackingStates of null, an array or a string', () => {
    const tracker = new OrderTracker({ events: { emit: () => undefined } })
    for (const states of [null, undefined, [], 'saved']) {
      expect(() => tracker.restoreTrackingStates(states as never)).toThrow(InvalidInputError)
    }
  })
})
