// Risk limits set by the Worker's configuration (DESIGN.md "Edge"): the pairs orders may be placed
// on (ALLOWED_PAIRS) and the largest notional one order may have (MAX_NOTIONAL, quote currency).
// Both fail closed: a missing allowlist allows nothing, a missing or malformed maximum is a
// configuration error rather than "no limit".
import { type Big, tryDecimal } from '../../core/decimal.ts'
import { ORDER_ERROR_CODES } from './order-constants.ts'

export interface RiskRefusal {
  readonly code: string
  readonly message: string
}

let parsedPairs: { readonly source: string; readonly pairs: ReadonlySet<string> } | undefined

/**
 * The allowlist from `ALLOWED_PAIRS` (comma-separated `BASE-QUOTE`, spaces ignored).
 *
 * @example
 * allowedPairs('BTC-USDT, ETH-USDT').has('ETH-USDT') // true
 */
export function allowedPairs(source: string | undefined): ReadonlySet<string> {
  const text = source ?? ''
  if (parsedPairs?.source === text) return parsedPairs.pairs
  const pairs = new Set(text.split(',').map((pair) => pair.trim().toUpperCase()).filter((pair) => pair !== ''))
  parsedPairs = { source: text, pairs }
  return pairs
}

/** A refusal when `tradingPair` is not on the allowlist. */
export function checkAllowedPair(allowed: ReadonlySet<string>, tradingPair: string): RiskRefusal | undefined {
  if (allowed.has(tradingPair)) return undefined
  return { code: ORDER_ERROR_CODES.pairNotAllowed, message: `${tradingPair} is not an allowed pair for orders here.` }
}

/**
 * `MAX_NOTIONAL` as a decimal above zero, or undefined when it is missing or malformed.
 *
 * @example
 * maxNotional('50000')?.toFixed() // '50000'
 */
export function maxNotional(source: string | undefined): Big | undefined {
  const value = source === undefined ? undefined : tryDecimal(source.trim())
  return value !== undefined && value.gt(0) ? value : undefined
}

/**
 * A refusal when amount × price is above the maximum. `priceSource` says where the price came from
 * (the order's limit price, or the exchange's book for a MARKET order).
 *
 * @example
 * checkNotional(Big('50000'), Big('1'), Big('60000'), 'the limit price') // refusal: 60000 > 50000
 */
export function checkNotional(maximum: Big, amount: Big, price: Big, priceSource: string): RiskRefusal | undefined {
  const notional = amount.times(price)
  if (notional.lte(maximum)) return undefined
  return {
    code: ORDER_ERROR_CODES.notionalTooLarge,
    message: `Order notional ${notional.toFixed()} (amount × ${priceSource}) is above the maximum notional ${maximum.toFixed()}.`,
  }
}

/** The refusal for a MARKET order the exchange gives no price to estimate by. */
export function unknownNotional(tradingPair: string): RiskRefusal {
  return {
    code: ORDER_ERROR_CODES.notionalUnknown,
    message: `The exchange shows no price for ${tradingPair}, so this MARKET order's notional cannot be checked; send a LIMIT order or a price.`,
  }
}
