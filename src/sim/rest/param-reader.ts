// Typed, validated reads of Binance request parameters, shared by the REST and WS API doors so
// both refuse the same input with the same documented error (errors.md texts via rest-errors.ts).
// Subclasses only decide where the text values come from.
import Big from 'big.js'
import { type BinanceError, RestFailure, illegalCharacters, invalidParameter, mandatoryParameter } from './rest-errors.ts'

const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$'
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$'
const INTEGER_RANGE = '^[0-9]{1,20}$'
const CLIENT_ORDER_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$'

export abstract class ParamReader {
  /** Decoded text values by name; the subclass decides where they come from. */
  protected constructor(protected readonly values: ReadonlyMap<string, string>) {}

  has(name: string): boolean {
    return this.values.get(name) !== undefined && this.values.get(name) !== ''
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

  optionalSymbol(name = 'symbol'): string | undefined {
    const value = this.optionalString(name)
    return value === undefined ? undefined : checkRange(name, value, SYMBOL_RANGE)
  }

  /** `symbols=["BTCUSDT","ETHUSDT"]`: a JSON array of symbol names. */
  optionalSymbolList(name = 'symbols'): string[] | undefined {
    const value = this.optionalString(name)
    if (value === undefined) return undefined
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch {
      throw new RestFailure(invalidParameter(name))
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item) => typeof item === 'string')) {
      throw new RestFailure(invalidParameter(name))
    }
    return parsed.map((symbol: string) => checkRange(name, symbol, SYMBOL_RANGE))
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

  /** One of `allowed`, else the given documented error (e.g. -1117 Invalid side.). */
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
