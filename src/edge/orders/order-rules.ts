// The exchange's trading rules for one order, checked before it is sent: the price on the tick
// (PRICE_FILTER), the amount on the step and within the sizes (LOT_SIZE, MARKET_LOT_SIZE), the
// notional bounds (NOTIONAL), the order type. The connector's trading rule and its quantizers do the
// arithmetic; an order off the grid is refused rather than silently rounded, so what is sent is
// exactly what the caller signed.
import type { BinanceTradingRule } from '../../connectors/binance/utils.ts'
import type { Big } from '../../core/decimal.ts'
import { quantizeDown } from '../../core/decimal.ts'
import type { OrderType } from '../../core/orders/order-state.ts'
import { findTradingRuleViolation, quantizeOrderAmount, quantizeOrderPrice } from '../../core/orders/trading-rule.ts'

/** The Binance filter (or listing rule) an order breaks, and why. */
export interface TradingRuleViolation {
  readonly rule: 'SYMBOL' | 'ORDER_TYPES' | 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'NOTIONAL'
  readonly message: string
}

export interface RuleCheckedOrder {
  readonly tradingPair: string
  readonly orderType: OrderType
  readonly amount: Big
  /** The limit price (LIMIT, LIMIT_MAKER). */
  readonly price: Big | undefined
  /** The price a MARKET order is estimated at, for the notional bounds. */
  readonly referencePrice: Big | undefined
}

/**
 * The first rule `order` breaks, or undefined when the exchange should accept it.
 *
 * @example
 * findRuleViolation(rules.get('BTC-USDT'), { tradingPair: 'BTC-USDT', orderType: 'LIMIT', amount: Big('0.001'), price: Big('60000.005'), referencePrice: undefined })
 * // { rule: 'PRICE_FILTER', message: 'price 60000.005 is not a multiple of the tick size 0.01 for BTC-USDT' }
 */
export function findRuleViolation(rule: BinanceTradingRule | undefined, order: RuleCheckedOrder): TradingRuleViolation | undefined {
  const pair = order.tradingPair
  if (rule === undefined) return { rule: 'SYMBOL', message: `${pair} is not a tradable spot pair on the exchange` }
  const isMarket = order.orderType === 'MARKET'
  if (!isMarket && order.price !== undefined) {
    const price = order.price
    if (!quantizeOrderPrice(rule, price).eq(price)) {
      return { rule: 'PRICE_FILTER', message: `price ${price.toFixed()} is not a multiple of the tick size ${rule.minPriceIncrement.toFixed()} for ${pair}` }
    }
    if (price.lt(rule.minPrice) || price.gt(rule.maxPrice)) {
      return { rule: 'PRICE_FILTER', message: `price ${price.toFixed()} is outside ${rule.minPrice.toFixed()}..${rule.maxPrice.toFixed()} for ${pair}` }
    }
  }
  if (!quantizeOrderAmount(rule, order.amount).eq(order.amount)) {
    return { rule: 'LOT_SIZE', message: `amount ${order.amount.toFixed()} is not a multiple of the step size ${rule.minBaseAmountIncrement.toFixed()} for ${pair}` }
  }
  if (isMarket) {
    const step = rule.marketBaseAmountIncrement
    if (!quantizeDown(order.amount, step).eq(order.amount)) {
      return { rule: 'MARKET_LOT_SIZE', message: `amount ${order.amount.toFixed()} is not a multiple of the market step size ${step.toFixed()} for ${pair}` }
    }
    if (order.amount.lt(rule.marketMinOrderSize) || order.amount.gt(rule.marketMaxOrderSize)) {
      return {
        rule: 'MARKET_LOT_SIZE',
        message: `amount ${order.amount.toFixed()} is outside the MARKET order sizes ${rule.marketMinOrderSize.toFixed()}..${rule.marketMaxOrderSize.toFixed()} for ${pair}`,
      }
    }
  }
  const price = isMarket ? order.referencePrice : order.price
  const violation = findTradingRuleViolation(rule, { orderType: order.orderType, amount: order.amount, ...(price === undefined ? {} : { price }) })
  if (violation === undefined) return undefined
  return { rule: ruleNamed(violation), message: violation }
}

/** Which filter a core rule sentence is about (see `findTradingRuleViolation`'s sentences). */
function ruleNamed(violation: string): TradingRuleViolation['rule'] {
  if (violation.includes('notional')) return 'NOTIONAL'
  if (violation.includes('not supported')) return 'ORDER_TYPES'
  return 'LOT_SIZE'
}
