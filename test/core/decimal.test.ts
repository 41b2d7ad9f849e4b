import { describe, expect, it } from 'vitest'
import {
  Big,
  compareDecimals,
  decimalPlaces,
  formatDecimal,
  isMultipleOf,
  maxDecimal,
  minDecimal,
  quantizeDown,
  toDecimal,
  tryDecimal,
} from '../../src/core/decimal.ts'
import { InvalidInputError } from '../../src/core/errors.ts'

describe('decimals', () => {
  it('parses exchange strings exactly and prints them back without exponent or float error', () => {
    for (const [wire, plain] of [
      ['0.00000001', '0.00000001'],
      ['0.01000000', '0.01'],
      ['52000.00', '52000'],
      ['123456789012345678901234.123456789', '123456789012345678901234.123456789'],
      ['1e-10', '0.0000000001'],
      ['-0.5', '-0.5'],
      ['.5', '0.5'],
    ] as const) {
      expect(formatDecimal(toDecimal(wire))).toBe(plain)
    }
  })

  it('adds 0.1 and 0.2 to exactly 0.3, unlike floats', () => {
    expect(toDecimal('0.1').plus(toDecimal('0.2')).eq(toDecimal('0.3'))).toBe(true)
    expect(toDecimal(0.1).plus(0.2).toFixed()).toBe('0.3')
  })

  it('reads numbers through their shortest string form', () => {
    expect(toDecimal(0.1).toFixed()).toBe('0.1')
    expect(toDecimal(1e21).toFixed()).toBe('1000000000000000000000')
  })

  it('rejects what is not a finite decimal with a typed error naming the field', () => {
    for (const bad of ['', 'abc', '1,5', '0x10', 'NaN', '1.2.3', ' ']) {
      expect(() => toDecimal(bad, 'price')).toThrow(InvalidInputError)
    }
    expect(() => toDecimal(Number.NaN, 'amount')).toThrow(/amount must be a finite number/)
    expect(() => toDecimal(Number.POSITIVE_INFINITY)).toThrow(InvalidInputError)
    expect(() => toDecimal(null as unknown as string)).toThrow(InvalidInputError)
  })

  it('tryDecimal returns undefined instead of throwing', () => {
    expect(tryDecimal('1.5')?.toFixed()).toBe('1.5')
    expect(tryDecimal('nope')).toBeUndefined()
    expect(tryDecimal({})).toBeUndefined()
    const big = new Big('2')
    expect(tryDecimal(big)).toBe(big)
  })

  it('passes a Big through unchanged', () => {
    const value = new Big('3.25')
    expect(toDecimal(value)).toBe(value)
  })

  it('quantizes price to tick and amount to step, toward zero, exactly', () => {
    expect(quantizeDown(toDecimal('1.23456'), toDecimal('0.001')).toFixed()).toBe('1.234')
    expect(quantizeDown(toDecimal('30000.129'), toDecimal('0.01')).toFixed()).toBe('30000.12')
    expect(quantizeDown(toDecimal('0.000123456'), toDecimal('0.00001')).toFixed()).toBe('0.00012')
    expect(quantizeDown(toDecimal('7'), toDecimal('5')).toFixed()).toBe('5')
    expect(quantizeDown(toDecimal('-1.239'), toDecimal('0.01')).toFixed()).toBe('-1.23')
    expect(quantizeDown(toDecimal('0.3'), toDecimal('0.1')).toFixed()).toBe('0.3')
    expect(quantizeDown(toDecimal('1.005'), toDecimal('0.003')).toFixed()).toBe('1.005')
  })

  it('never rounds up past the value for increments with non-terminating quotients', () => {
    const increment = toDecimal('0.000003')
    const value = toDecimal('0.999999').minus(toDecimal('1e-25'))
    const quantized = quantizeDown(value, increment)
    expect(quantized.lte(value)).toBe(true)
    expect(quantized.toFixed()).toBe('0.999996')
  })

  it('treats a zero increment as no increment', () => {
    expect(quantizeDown(toDecimal('1.23456'), toDecimal('0')).toFixed()).toBe('1.23456')
    expect(isMultipleOf(toDecimal('1.23456'), toDecimal('0'))).toBe(true)
  })

  it('checks multiples exactly', () => {
    expect(isMultipleOf(toDecimal('0.3'), toDecimal('0.1'))).toBe(true)
    expect(isMultipleOf(toDecimal('0.31'), toDecimal('0.1'))).toBe(false)
  })

  it('counts decimal places of increments', () => {
    expect(decimalPlaces(toDecimal('0.0100'))).toBe(2)
    expect(decimalPlaces(toDecimal('5'))).toBe(0)
    expect(decimalPlaces(toDecimal('1e-8'))).toBe(8)
    expect(decimalPlaces(toDecimal('1200'))).toBe(0)
    expect(decimalPlaces(toDecimal('0'))).toBe(0)
  })

  it('formats to a fixed number of places, padding and cutting toward zero', () => {
    expect(formatDecimal(toDecimal('100'), 2)).toBe('100.00')
    expect(formatDecimal(toDecimal('1.999'), 2)).toBe('1.99')
    expect(formatDecimal(toDecimal('1e-8'))).toBe('0.00000001')
  })

  it('compares and picks min and max', () => {
    expect(compareDecimals(toDecimal('1.10'), toDecimal('1.1'))).toBe(0)
    expect(compareDecimals(toDecimal('1'), toDecimal('2'))).toBe(-1)
    expect(compareDecimals(toDecimal('3'), toDecimal('2'))).toBe(1)
    expect(minDecimal(toDecimal('1'), toDecimal('2')).toFixed()).toBe('1')
    expect(maxDecimal(toDecimal('1'), toDecimal('2')).toFixed()).toBe('2')
  })
})
