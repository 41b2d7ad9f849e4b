import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { MarketBook } from '../../../src/sim/engine/book.ts'
import type { RestingOrder } from '../../../src/sim/engine/price-level.ts'
import { SeededRandom } from '../../../src/sim/engine/seeded-random.ts'

interface TestOrder extends RestingOrder {
  remainingQuantity: Big
}

/** The quantity at a price the slow, obvious way: every resting order there, summed. */
function bruteForceQuantity(resting: readonly TestOrder[], side: 'BUY' | 'SELL', price: Big): string {
  return resting
    .filter((order) => order.side === side && order.price.eq(price))
    .reduce((sum, order) => sum.plus(order.remainingQuantity), new Big(0))
    .toFixed()
}

describe('order book price levels', () => {
  it('keep each level quantity equal to the sum of its orders across many adds, partial fills and cancels at few prices', () => {
    const random = new SeededRandom(11)
    const book = new MarketBook<TestOrder>()
    const prices = ['100', '100.5', '101'].map((price) => new Big(price))
    const resting: TestOrder[] = []
    let nextId = 1

    for (let step = 0; step < 3_000; step += 1) {
      const draw = random.nextFloat()
      if (draw < 0.5 || resting.length === 0) {
        const side = random.chance(0.5) ? 'BUY' : 'SELL'
        // Each order gets its own Big for the price, as parsed requests do.
        const price = new Big((prices[random.nextInt(0, prices.length - 1)] as Big).toFixed())
        const order: TestOrder = { orderId: nextId++, side, price, remainingQuantity: new Big(random.nextInt(1, 500)).div(1000) }
        book.add(order)
        resting.push(order)
      } else {
        const index = random.nextInt(0, resting.length - 1)
        const order = resting[index] as TestOrder
        if (draw < 0.8) {
          // A fill: sometimes partial, sometimes the whole remainder (which takes the order off the book).
          const quantity = random.chance(0.3) ? order.remainingQuantity : order.remainingQuantity.div(random.nextInt(2, 5)).round(3, Big.roundDown)
          if (quantity.lte(0)) continue
          book.reduce(order, quantity)
          if (order.remainingQuantity.eq(0)) resting.splice(index, 1)
        } else {
          expect(book.remove(order)).toBe(true)
          resting.splice(index, 1)
        }
      }

      for (const change of book.takeChanges()) {
        expect(change.quantity.toFixed()).toBe(bruteForceQuantity(resting, change.side, change.price))
      }
      for (const side of ['BUY', 'SELL'] as const) {
        for (const price of prices) expect(book.sideOf(side).quantityAt(price).toFixed()).toBe(bruteForceQuantity(resting, side, price))
      }
    }
    expect(resting.length).toBeGreaterThan(10)
  })

  it('keep time priority within a level when orders ahead are cancelled or filled', () => {
    const book = new MarketBook<TestOrder>()
    const orders = [1, 2, 3, 4, 5].map((orderId): TestOrder => ({ orderId, side: 'SELL', price: new Big('60000'), remainingQuantity: new Big('1') }))
    for (const order of orders) book.add(order)

    book.remove(orders[2] as TestOrder)
    book.reduce(orders[0] as TestOrder, new Big('1'))
    book.reduce(orders[1] as TestOrder, new Big('0.25'))
    book.add({ orderId: 6, side: 'SELL', price: new Big('60000.00'), remainingQuantity: new Big('2') })

    const level = book.asks.best()
    expect(level && [...level.orders].map((order) => order.orderId)).toEqual([2, 4, 5, 6])
    expect(book.asks.view()).toEqual([{ price: new Big('60000'), quantity: new Big('4.75') }])
    expect(book.takeChanges()).toEqual([{ side: 'SELL', price: new Big('60000'), quantity: new Big('4.75') }])

    for (const order of [...(level?.orders ?? [])]) book.remove(order)
    expect(book.asks.levels).toEqual([])
    expect(book.takeChanges()).toEqual([{ side: 'SELL', price: new Big('60000'), quantity: new Big(0) }])
  })
})
