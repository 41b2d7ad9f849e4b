// One price in one side of the book: the orders resting there, oldest first, and their total.
// The total is kept up to date on every add, fill and removal rather than summed when asked, because
// the engine asks for it after every command (depth diffs) and a busy price can hold many orders.
import Big from 'big.js'
import type { OrderSide } from './order-types.ts'

/** What the book needs from a resting order. */
export interface RestingOrder {
  readonly orderId: number
  readonly side: OrderSide
  readonly price: Big
  remainingQuantity: Big
}

export class PriceLevel<Order extends RestingOrder> {
  /**
   * The resting orders in arrival order. A Set iterates in insertion order, so it is the FIFO queue
   * price-time priority needs, and unlike an array it removes any order (a cancel) in constant time.
   */
  readonly orders = new Set<Order>()
  /** The sum of the orders' remaining quantities (exact: Big addition and subtraction never round). */
  quantity = new Big(0)

  constructor(readonly price: Big) {}

  get isEmpty(): boolean {
    return this.orders.size === 0
  }

  /** Queues the order behind every order already here. */
  add(order: Order): void {
    this.orders.add(order)
    this.quantity = this.quantity.plus(order.remainingQuantity)
  }

  /** Takes `quantity` from a resting order here (a fill), dropping the order when nothing is left. */
  reduce(order: Order, quantity: Big): void {
    // Only makers the fill planner found on this level are filled; anything else would corrupt the total.
    if (!this.orders.has(order)) throw new Error(`unreachable: order ${order.orderId} does not rest at ${this.price.toFixed()}`)
    order.remainingQuantity = order.remainingQuantity.minus(quantity)
    this.quantity = this.quantity.minus(quantity)
    if (order.remainingQuantity.lte(0)) this.remove(order)
  }

  /** Removes the order with whatever it has left; false when it was not resting here. */
  remove(order: Order): boolean {
    if (!this.orders.delete(order)) return false
    this.quantity = this.quantity.minus(order.remainingQuantity)
    return true
  }
}
