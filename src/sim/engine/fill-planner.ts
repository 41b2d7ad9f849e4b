// Works out, without touching the book, which resting orders an incoming order would trade with and
// for how much. The engine uses the plan to check FOK, LIMIT_MAKER and balances before anything
// changes, then executes exactly that plan, so a refused order never leaves a trace.
import Big from 'big.js'
import type { MarketBook } from './book.ts'
import type { OrderSide } from './order-types.ts'
import type { RestingOrder } from './price-level.ts'

export interface PlannedFill<Order extends RestingOrder> {
  readonly maker: Order
  readonly price: Big
  readonly quantity: Big
}

export interface FillPlan<Order extends RestingOrder> {
  readonly fills: PlannedFill<Order>[]
  readonly baseQuantity: Big
  readonly quoteQuantity: Big
}

export interface FillLimits {
  readonly side: OrderSide
  /** Trade only at this price or better (LIMIT); absent for MARKET. */
  readonly limitPrice?: Big
  /** Base amount to fill; absent when `quoteBudget` drives the order. */
  readonly quantity?: Big
  /** Quote amount to spend (BUY) or receive (SELL): MARKET with quoteOrderQty. */
  readonly quoteBudget?: Big
  /** Quantities are whole multiples of this step (only matters with `quoteBudget`). */
  readonly stepSize: Big
}

function crosses(side: OrderSide, limitPrice: Big | undefined, levelPrice: Big): boolean {
  if (limitPrice === undefined) return true
  return side === 'BUY' ? levelPrice.lte(limitPrice) : levelPrice.gte(limitPrice)
}

function floorToStep(value: Big, step: Big): Big {
  return step.gt(0) ? value.minus(value.mod(step)) : value
}

/** Plans fills against the opposite side in price-time order, stopping at the first limit reached. */
export function planFills<Order extends RestingOrder>(book: MarketBook<Order>, limits: FillLimits): FillPlan<Order> {
  const fills: PlannedFill<Order>[] = []
  let baseQuantity = new Big(0)
  let quoteQuantity = new Big(0)
  for (const level of book.oppositeOf(limits.side).levels) {
    if (!crosses(limits.side, limits.limitPrice, level.price)) break
    for (const maker of level.orders) {
      let wanted = maker.remainingQuantity
      if (limits.quantity !== undefined) wanted = minimum(wanted, limits.quantity.minus(baseQuantity))
      if (limits.quoteBudget !== undefined) {
        const budgetLeft = limits.quoteBudget.minus(quoteQuantity)
        let affordable = floorToStep(budgetLeft.div(level.price), limits.stepSize)
        // div rounds at Big.DP digits; step back once if that rounding pushed the cost past the budget.
        if (affordable.times(level.price).gt(budgetLeft)) affordable = affordable.minus(limits.stepSize)
        wanted = minimum(wanted, affordable)
      }
      if (wanted.lte(0)) return { fills, baseQuantity, quoteQuantity }
      fills.push({ maker, price: level.price, quantity: wanted })
      baseQuantity = baseQuantity.plus(wanted)
      quoteQuantity = quoteQuantity.plus(wanted.times(level.price))
    }
  }
  return { fills, baseQuantity, quoteQuantity }
}

function minimum(a: Big, b: Big): Big {
  return a.lt(b) ? a : b
}
