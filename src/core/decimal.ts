// Decimal money (DESIGN.md rule 2): prices, amounts, fees and balances are big.js `Big` values from
// the wire to the user. These helpers parse exchange strings exactly, quantize to an exchange's
// increments and format without float error or exponent notation.
import Big from 'big.js'
import { describeInput, InvalidInputError } from './errors.ts'

export { Big }
export type Decimal = Big
/** What the public API accepts for money: a decimal string, a finite number or a Big. */
export type DecimalInput = string | number | Big

const DECIMAL_STRING = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i

/**
 * Parses a decimal exactly. Numbers are read through their shortest string form (`0.1` is 0.1, not
 * 0.1000000000000000055…). Anything that is not a finite decimal throws `InvalidInputError`.
 *
 * @example
 * toDecimal('0.00010000').toFixed() // '0.0001'
 */
export function toDecimal(value: DecimalInput, what = 'value'): Big {
  if (value instanceof Big) return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidInputError(`${what} must be a finite number, got ${value}`)
    return new Big(String(value))
  }
  if (typeof value !== 'string' || !DECIMAL_STRING.test(value.trim())) {
    throw new InvalidInputError(`${what} must be a decimal string, got ${describeInput(value)}`)
  }
  return new Big(value.trim())
}

/** Like `toDecimal`, but returns `undefined` instead of throwing. */
export function tryDecimal(value: unknown): Big | undefined {
  if (value instanceof Big) return value
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  try {
    return toDecimal(value)
  } catch {
    return undefined
  }
}

/** Number of digits after the point in a decimal's plain form (`0.0100` → 2, `5` → 0, `1e-8` → 8). */
export function decimalPlaces(value: Big): number {
  // big.js keeps the digits in `c` and the exponent in `e`: places = digits after the point.
  return Math.max(0, value.c.length - 1 - value.e)
}

/**
 * Rounds a value toward zero to a whole multiple of `increment` (price to tick size, amount to step
 * size). A zero or negative increment means "no increment" and returns the value unchanged.
 * The result is exact: no float arithmetic is involved.
 *
 * @example
 * quantizeDown(toDecimal('1.23456'), toDecimal('0.001')).toFixed() // '1.234'
 */
export function quantizeDown(value: Big, increment: Big): Big {
  if (increment.lte(0)) return value
  // big.js computes `mod` by truncated integer division, exactly: no DP rounding can push the
  // result past the value the way `div(...).round(...)` could for non-terminating quotients.
  return value.minus(value.mod(increment))
}

/** True when `value` is a whole multiple of `increment` (a zero increment accepts every value). */
export function isMultipleOf(value: Big, increment: Big): boolean {
  return increment.lte(0) || value.mod(increment).eq(0)
}

/**
 * Plain decimal text, never exponent notation. With `places`, pads or rounds toward zero to that
 * many digits after the point (the form exchanges expect for a quantized price or amount).
 *
 * @example
 * formatDecimal(toDecimal('1e-8')) // '0.00000001'
 * formatDecimal(toDecimal('100'), 2) // '100.00'
 */
export function formatDecimal(value: Big, places?: number): string {
  return places === undefined ? value.toFixed() : value.round(places, Big.roundDown).toFixed(places)
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareDecimals(a: Big, b: Big): -1 | 0 | 1 {
  return a.cmp(b)
}

/** The smaller of two decimals. */
export function minDecimal(a: Big, b: Big): Big {
  return a.lte(b) ? a : b
}

/** The larger of two decimals. */
export function maxDecimal(a: Big, b: Big): Big {
  return a.gte(b) ? a : b
}

/** Zero, shared; Big values are immutable so one instance is safe. */
export const ZERO: Big = /*#__PURE__*/ new Big(0)
