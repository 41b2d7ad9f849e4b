// The `params` object of a WS API request. Values arrive as JSON strings, numbers or booleans; the
// signature covers their text form, and the getters apply the same legal ranges as the REST layer
// (errors.md texts via rest-errors.ts) so both doors refuse the same input the same way.
import Big from 'big.js'
import { type BinanceError, RestFailure, illegalCharacters, invalidParameter, mandatoryParameter } from '../rest/rest-errors.ts'

const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$'
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$'
const INTEGER_RANGE = '^[0-9]{1,20}$'
const CLIENT_ORDER_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$'

export class WsApiParams {
  private readonly values: ReadonlyMap<string, string>

  /** Throws -1102 for a parameter whose value is an object, array or null (nothing to sign or read). */
  constructor(params: unknown) {
    const values = new Map<string, string>()
    if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
      throw new RestFailure(mandatoryParameter('params'))
    }
    for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') values.set(name, value)
      else if (typeof value === 'number' || typeof value === 'boolean') values.set(name, String(value))
      else throw new RestFailure(mandatoryParameter(name))
    }
    this.values = values
  }

  /** Every parameter in its text form, in the order the client sent them. */
  entries(): [string, string][] {
    return [...this.values.entries()]
  }

  optionalString(name: string): string | undefined {
    const value = this.values.get(name)
    return value === undefined || value === '' ? undefined : value
  }

  requiredString(name: string): string {
    const value = this.optionalString(name)
    if (value === undefined) throw new RestFailure(mandatoryParameter(name))
    return value
  }

  requiredSymbol(name = 'symbol'): string {
    return checkRange(name, this.requiredString(name), SYMBOL_RANGE)
  }

  optionalDecimal(name: string): Big | undefined {
    const value = this.optionalString(name)
    return value === undefined ? undefined : new Big(checkRange(name, value, DECIMAL_RANGE))
  }

  optionalInteger(name: string): number | undefined {
    const value = this.optionalString(name)
    return value === undefined ? undefined : Number(checkRange(name, value, INTEGER_RANGE))
  }

  optionalClientOrderId(name: string): string | undefined {
    const value = this.optionalString(name)
    return value === undefined ? undefined : checkRange(name, value, CLIENT_ORDER_ID_RANGE)
  }

  optionalEnum<Value extends string>(name: string, allowed: readonly Value[], invalid: BinanceError = invalidParameter(name)): Value | undefined {
    const value = this.optionalString(name)
    if (value === undefined) return undefined
    if (!(allowed as readonly string[]).includes(value)) throw new RestFailure(invalid)
    return value as Value
  }

  requiredEnum<Value extends string>(name: string, allowed: readonly Value[], invalid?: BinanceError): Value {
    const value = this.optionalEnum(name, allowed, invalid)
    if (value === undefined) throw new RestFailure(mandatoryParameter(name))
    return value
  }

  /** `limit`-style integers: default when absent, clamped to `max` as Binance does. */
  limit(name: string, defaultValue: number, max: number): number {
    const value = this.optionalInteger(name)
    if (value === undefined) return defaultValue
    if (value <= 0) throw new RestFailure(invalidParameter(name))
    return Math.min(value, max)
  }
}

function checkRange(name: string, value: string, legalRange: string): string {
  if (!new RegExp(legalRange).test(value)) throw new RestFailure(illegalCharacters(name, legalRange))
  return value
}
