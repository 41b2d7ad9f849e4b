// One market's order book: price levels kept best-first, each a FIFO queue, so the oldest order at
// the best price always trades first (price-time priority). Prices and quantities are exact Big
// values. The book remembers which levels changed so the engine can publish depth diffs.
// Each level keeps its own total (price-level.ts), so reading a level's quantity costs the same
// however many orders rest there; finding a level is a binary search over the sorted levels.
import Big from 'big.js'
import type { OrderSide } from './order-types.ts'
import { PriceLevel, type RestingOrder } from './price-level.ts'

export interface PriceLevelView {
  readonly price: Big
  readonly quantity: Big
}

/** One side of the book, sorted best-first (bids high to low, asks low to high). */
export class BookSide<Order extends RestingOrder> {
  readonly levels: PriceLevel<Order>[] = []

  constructor(readonly side: OrderSide) {}

  /** True when `a` is a better price than `b` for this side. */
  isBetter(a: Big, b: Big): boolean {
    return this.side === 'BUY' ? a.gt(b) : a.lt(b)
  }

  best(): PriceLevel<Order> | undefined {
    return this.levels[0]
  }

  /** Index of the level at `price`, or where it would be inserted. */
  private locate(price: Big): { index: number; found: boolean } {
    let low = 0
    let high = this.levels.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const level = this.levels[middle]
      if (level === undefined) break
      if (level.price.eq(price)) return { index: middle, found: true }
      if (this.isBetter(level.price, price)) low = middle + 1
      else high = middle
    }
    return { index: low, found: false }
  }

  levelAt(price: Big): PriceLevel<Order> | undefined {
    const { index, found } = this.locate(price)
    return found ? this.levels[index] : undefined
  }

  /** Appends the order behind every order already resting at its price. */
  add(order: Order): void {
    const { index, found } = this.locate(order.price)
    let level = found ? this.levels[index] : undefined
    if (!level) {
      level = new PriceLevel<Order>(order.price)
      this.levels.splice(index, 0, level)
    }
    level.add(order)
  }

  /** Removes the order; false when it was not on this side. */
  remove(order: Order): boolean {
    const { index, found } = this.locate(order.price)
    const level = found ? this.levels[index] : undefined
    if (!level?.remove(order)) return false
    this.dropIfEmpty(level, index)
    return true
  }

  /** Takes `quantity` from a resting order (a fill), removing the order when nothing is left. */
  reduce(order: Order, quantity: Big): void {
    const { index, found } = this.locate(order.price)
    const level = found ? this.levels[index] : undefined
    if (!level) throw new Error(`unreachable: no ${this.side} level at ${order.price.toFixed()} for order ${order.orderId}`)
    level.reduce(order, quantity)
    this.dropIfEmpty(level, index)
  }

  quantityAt(price: Big): Big {
    return this.levelAt(price)?.quantity ?? new Big(0)
  }

  /** The best `limit` levels as aggregated price/quantity pairs. */
  view(limit = Number.POSITIVE_INFINITY): PriceLevelView[] {
    return this.levels.slice(0, limit).map((level) => ({ price: level.price, quantity: level.quantity }))
  }

  private dropIfEmpty(level: PriceLevel<Order>, index: number): void {
    if (level.isEmpty) this.levels.splice(index, 1)
  }
}

/** A level whose aggregated quantity changed; quantity zero means the level is gone. */
export interface LevelChange {
  readonly side: OrderSide
  readonly price: Big
  readonly quantity: Big
}

/** Both sides of one market plus the record of levels touched since the last `takeChanges()`. */
export class MarketBook<Order extends RestingOrder> {
  readonly bids = new BookSide<Order>('BUY')
  readonly asks = new BookSide<Order>('SELL')
  private readonly touchedPrices = { BUY: new Map<string, Big>(), SELL: new Map<string, Big>() }

  sideOf(side: OrderSide): BookSide<Order> {
    return side === 'BUY' ? this.bids : this.asks
  }

  /** The side an incoming order of `side` trades against. */
  oppositeOf(side: OrderSide): BookSide<Order> {
    return side === 'BUY' ? this.asks : this.bids
  }

  add(order: Order): void {
    this.sideOf(order.side).add(order)
    this.touch(order.side, order.price)
  }

  remove(order: Order): boolean {
    const removed = this.sideOf(order.side).remove(order)
    if (removed) this.touch(order.side, order.price)
    return removed
  }

  /** Takes `quantity` from a resting order, removing it when nothing is left. */
  reduce(order: Order, quantity: Big): void {
    this.sideOf(order.side).reduce(order, quantity)
    this.touch(order.side, order.price)
  }

  /** True when the best bid is at or above the best ask (which a correct engine never leaves). */
  isCrossed(): boolean {
    const bestBid = this.bids.best()
    const bestAsk = this.asks.best()
    return bestBid !== undefined && bestAsk !== undefined && bestBid.price.gte(bestAsk.price)
  }

  /** The levels touched since the last call, with their current quantity; clears the record. */
  takeChanges(): LevelChange[] {
    const changes: LevelChange[] = []
    for (const side of ['BUY', 'SELL'] as const) {
      const touched = [...this.touchedPrices[side].values()]
      touched.sort((a, b) => (this.sideOf(side).isBetter(a, b) ? -1 : 1))
      for (const price of touched) changes.push({ side, price, quantity: this.sideOf(side).quantityAt(price) })
      this.touchedPrices[side].clear()
    }
    return changes
  }

  private touch(side: OrderSide, price: Big): void {
    this.touchedPrices[side].set(price.toFixed(), price)
  }
}
