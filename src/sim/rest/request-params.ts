// A request's parameters as Binance reads them: the query string and, for POST/PUT/DELETE, an
// application/x-www-form-urlencoded body. A name in both places takes the query string's value
// (rest-api.md "General information on endpoints"). Getters validate the documented legal ranges.
import Big from 'big.js'
import { type BinanceError, REST_ERRORS, RestFailure, illegalCharacters, invalidParameter, mandatoryParameter } from './rest-errors.ts'

const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$'
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$'
const INTEGER_RANGE = '^[0-9]{1,20}$'
const CLIENT_ORDER_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$'

/** Raw text the signature covers, kept apart from the decoded values. */
export interface RawParameterText {
  readonly query: string
  readonly body: string
}

export class RequestParams {
  private constructor(
    private readonly values: ReadonlyMap<string, string>,
    readonly raw: RawParameterText,
  ) {}

  static async read(request: Request, url: URL): Promise<RequestParams> {
    const query = url.search.startsWith('?') ? url.search.slice(1) : url.search
    const contentType = request.headers.get('content-type') ?? ''
    const takesBody = request.method !== 'GET' && request.method !== 'HEAD'
    const body = takesBody && (contentType === '' || contentType.includes('application/x-www-form-urlencoded')) ? await request.text() : ''
    const values = new Map<string, string>()
    for (const source of [body, query]) {
      const seen = new Set<string>()
      for (const [name, value] of new URLSearchParams(source)) {
        if (seen.has(name)) throw new RestFailure(REST_ERRORS.duplicateParameter)
        seen.add(name)
        values.set(name, value)
      }
    }
    return new RequestParams(values, { query, body })
  }

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
