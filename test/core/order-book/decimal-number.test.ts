import { describe, expect, it } from 'vitest'
import { parseDecimalNumber } from '../../../src/core/order-book/decimal-number.ts'

describe('parseDecimalNumber', () => {
  it('gives exactly the double Number gives for exchange-style decimal strings', () => {
    let seed = 12345
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647)
    const mismatches: string[] = []
    for (let sample = 0; sample < 20_000; sample++) {
      const integerDigits = Math.floor(random() * 8)
      const places = Math.floor(random() * 9)
      const text = (random() * 10 ** integerDigits).toFixed(places)
      if (!Object.is(parseDecimalNumber(text), Number(text))) mismatches.push(text)
      const padded = `${text}${places > 0 ? '000' : ''}`
      if (!Object.is(parseDecimalNumber(padded), Number(padded))) mismatches.push(padded)
    }
    expect(mismatches).toEqual([])
  })

  it('reads the forms exchanges send', () => {
    const cases: [string, number][] = [
      ['30000.01000000', 30000.01],
      ['0.00000001', 1e-8],
      ['0.1', 0.1],
      ['431.00000000', 431],
      ['12', 12],
      ['1.', 1],
      ['.5', 0.5],
      ['0.00000000', 0],
      ['123456789012345', 123456789012345],
    ]
    for (const [text, expected] of cases) expect(parseDecimalNumber(text), text).toBe(expected)
  })

  it('falls back to Number for long, signed or exponent forms', () => {
    for (const text of ['1234567890123456789', '0.1234567890123456789', '-1.5', '+2', '1e-7', '2E3']) {
      expect(parseDecimalNumber(text), text).toBe(Number(text))
    }
  })

  it('gives NaN for blank or malformed text and for non-strings, and passes numbers through', () => {
    for (const value of ['', '  ', '.', 'abc', '1.2.3', '12a', undefined, null, {}, []]) {
      expect(parseDecimalNumber(value), JSON.stringify(value)).toBeNaN()
    }
    expect(parseDecimalNumber(42.5)).toBe(42.5)
  })
})
