// What an exchange accepts for one pair (sizes, increments, notional bounds, order types), and the
// helpers that bring a price or amount onto the exchange's grid. Quantizing rounds toward zero, so
// an order never asks for more than the caller meant; everything is exact decimal arithmetic.
import { Big, decimalPlaces, type DecimalInput, formatDecimal, quantizeDown, toDecimal, ZERO } from '../decimal.ts'
import { isLimitOrderType, type OrderType } from './order-state.ts'
import { splitTradingPair } from './trading-pair.ts'

/** The "no maximum" sentinel: larger than any real order (the recipe uses the same 1e56). */
export const UNLIMITED: Big = /*#__PURE__*/ new Big('1e56')

export interface TradingRule {
  readonly tradingPair: string
  /** Smallest base amount; 0 = no minimum. */
  readonly minOrderSize: Big
  /** Largest base amount; `UNLIMITED` = no maximum. */
  readonly maxOrderSize: Big
  /** Price tick; 0 = any price. */
  readonly minPriceIncrement: Big
  /** Base amount step; 0 = any amount. */
  readonly minBaseAmountIncrement: Big
  /** Quote amount step (quote-sized market orders); 0 = any amount. */
  readonly minQuoteAmountIncrement: Big
  /** Smallest price × amount, in quote; 0 = no minimum. */
  readonly minNotionalSize: Big
  /** Largest price × amount, in quote; undefined = no maximum. */
  readonly maxNotionalSize: Big | undefined
  /** Whether MARKET orders are held to `minNotionalSize` (some exchanges exempt them). */
  readonly applyMinNotionalToMarket: boolean
  /** Whether MARKET orders are held to `maxNotionalSize`. */
  readonly applyMaxNotionalToMarket: boolean
  readonly supportsLimitOrders: boolean
  readonly supportsMarketOrders: boolean
  /** The token a buy locks; the quote unless the exchange says otherwise. */
  readonly buyOrderCollateralToken: string
  /** The token a sell locks; the quote by the recipe's convention. */
  readonly sellOrderCollateralToken: string
}

export interface TradingRuleInput {
  readonly tradingPair: string
  readonly minOrderSize?: DecimalInput
  readonly maxOrderSize?: DecimalInput
  readonly minPriceIncrement?: DecimalInput
  readonly minBaseAmountIncrement?: DecimalInput
  readonly minQuoteAmountIncrement?: DecimalInput
  readonly minNotionalSize?: DecimalInput
  readonly maxNotionalSize?: DecimalInput
  /** Default true. */
  readonly applyMinNotionalToMarket?: boolean
  /** Default true. */
  readonly applyMaxNotionalToMarket?: boolean
  readonly supportsLimitOrders?: boolean
  readonly supportsMarketOrders?: boolean
  readonly buyOrderCollateralToken?: string
  readonly sellOrderCollateralToken?: string
}

/**
 * Builds a trading rule; every limit left out means "no limit".
 *
 * @example
 * createTradingRule({ tradingPair: 'BTC-USDT', minPriceIncrement: '0.01', minBaseAmountIncrement: '0.00001' })
 */
export function createTradingRule(input: TradingRuleInput): TradingRule {
  const { quoteAsset } = splitTradingPair(input.tradingPair)
  const decimal = (value: DecimalInput | undefined, fallback: Big, what: string): Big =>
    value === undefined ? fallback : toDecimal(value, what)
  return {
    tradingPair: input.tradingPair,
    minOrderSize: decimal(input.minOrderSize, ZERO, 'minOrderSize'),
    maxOrderSize: decimal(input.maxOrderSize, UNLIMITED, 'maxOrderSize'),
    minPriceIncrement: decimal(input.minPriceIncrement, ZERO, 'minPriceIncrement'),
    minBaseAmountIncrement: decimal(input.minBaseAmountIncrement, ZERO, 'minBaseAmountIncrement'),
    minQuoteAmountIncrement: decimal(input.minQuoteAmountIncrement, ZERO, 'minQuoteAmountIncrement'),
    minNotionalSize: decimal(input.minNotionalSize, ZERO, 'minNotionalSize'),
    maxNotionalSize: input.maxNotionalSize === undefined ? undefined : toDecimal(input.maxNotionalSize, 'maxNotionalSize'),
    applyMinNotionalToMarket: input.applyMinNotionalToMarket ?? true,
    applyMaxNotionalToMarket: input.applyMaxNotionalToMarket ?? true,
    supportsLimitOrders: input.supportsLimitOrders ?? true,
    supportsMarketOrders: input.supportsMarketOrders ?? true,
    buyOrderCollateralToken: input.buyOrderCollateralToken ?? quoteAsset,
    sellOrderCollateralToken: input.sellOrderCollateralToken ?? quoteAsset,
  }
}

/**
 * Rounds a price toward zero onto the rule's tick.
 *
 * @example
 * quantizeOrderPrice(rule, toDecimal('30000.129')).toFixed() // '30000.12' with a 0.01 tick
 */
export function quantizeOrderPrice(rule: TradingRule, price: Big): Big {
  return quantizeDown(price, rule.minPriceIncrement)
}

/**
 * Rounds a base amount toward zero onto the rule's step.
 *
 * @example
 * quantizeOrderAmount(rule, toDecimal('0.123456')).toFixed() // '0.12345' with a 0.00001 step
 */
export function quantizeOrderAmount(rule: TradingRule, amount: Big): Big {
  return quantizeDown(amount, rule.minBaseAmountIncrement)
}

/** Rounds a quote amount toward zero onto the rule's quote step. */
export function quantizeOrderQuoteAmount(rule: TradingRule, quoteAmount: Big): Big {
  return quantizeDown(quoteAmount, rule.minQuoteAmountIncrement)
}

/**
 * A quantized price as the exchange wants it written: as many decimals as the tick has.
 *
 * @example
 * formatOrderPrice(rule, toDecimal('30000')) // '30000.00' with a 0.01 tick
 */
export function formatOrderPrice(rule: TradingRule, price: Big): string {
  return formatOnGrid(quantizeOrderPrice(rule, price), rule.minPriceIncrement)
}

/**
 * A quantized base amount as the exchange wants it written.
 *
 * @example
 * formatOrderAmount(rule, toDecimal('1')) // '1.00000' with a 0.00001 step
 */
export function formatOrderAmount(rule: TradingRule, amount: Big): string {
  return formatOnGrid(quantizeOrderAmount(rule, amount), rule.minBaseAmountIncrement)
}

function formatOnGrid(value: Big, increment: Big): string {
  return increment.gt(0) ? formatDecimal(value, decimalPlaces(increment)) : formatDecimal(value)
}

/** An order as far as the trading rule cares. `price` is the limit price, or a reference price for MARKET. */
export interface OrderCandidate {
  readonly orderType: OrderType
  readonly amount: Big
  readonly price?: Big
}

/**
 * The first rule the (already quantized) order breaks, as a sentence, or undefined when it passes.
 * Checks order type, min/max size, and min/max notional when a price is known.
 *
 * @example
 * findTradingRuleViolation(rule, { orderType: 'LIMIT', amount: toDecimal('0.00001'), price: toDecimal('30000') })
 * // 'notional 0.3 is below the minimum notional 5 for BTC-USDT'
 */
export function findTradingRuleViolation(rule: TradingRule, order: OrderCandidate): string | undefined {
  const pair = rule.tradingPair
  if (isLimitOrderType(order.orderType) ? !rule.supportsLimitOrders : !rule.supportsMarketOrders) {
    return `${order.orderType} orders are not supported for ${pair}`
  }
  if (order.amount.lte(0)) return `amount ${order.amount.toFixed()} must be above zero`
  if (order.amount.lt(rule.minOrderSize)) {
    return `amount ${order.amount.toFixed()} is below the minimum order size ${rule.minOrderSize.toFixed()} for ${pair}`
  }
  if (order.amount.gt(rule.maxOrderSize)) {
    return `amount ${order.amount.toFixed()} is above the maximum order size ${rule.maxOrderSize.toFixed()} for ${pair}`
  }
  if (order.price === undefined) return undefined
  const notional = order.price.times(order.amount)
  const isMarket = order.orderType === 'MARKET'
  if ((!isMarket || rule.applyMinNotionalToMarket) && notional.lt(rule.minNotionalSize)) {
    return `notional ${notional.toFixed()} is below the minimum notional ${rule.minNotionalSize.toFixed()} for ${pair}`
  }
  if ((!isMarket || rule.applyMaxNotionalToMarket) && rule.maxNotionalSize !== undefined && notional.gt(rule.maxNotionalSize)) {
    return `notional ${notional.toFixed()} is above the maximum notional ${rule.maxNotionalSize.toFixed()} for ${pair}`
  }
  return undefined
}
