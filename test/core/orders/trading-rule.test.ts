import { describe, expect, it } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import {
  createTradingRule,
  findTradingRuleViolation,
  formatOrderAmount,
  formatOrderPrice,
  quantizeOrderAmount,
  quantizeOrderPrice,
  quantizeOrderQuoteAmount,
  UNLIMITED,
} from '../../../src/core/orders/trading-rule.ts'

const rule = createTradingRule({
  tradingPair: 'BTC-USDT',
  minOrderSize: '0.00001',
  maxOrderSize: '9000',
  minPriceIncrement: '0.01',
  minBaseAmountIncrement: '0.00001',
  minQuoteAmountIncrement: '0.01',
  minNotionalSize: '5',
  maxNotionalSize: '9000000',
})

describe('trading rule', () => {
  it('means "no limit" for every limit left out', () => {
    const open = createTradingRule({ tradingPair: 'ETH-BTC' })
    expect(open.minOrderSize.eq(0)).toBe(true)
    expect(open.maxOrderSize.eq(UNLIMITED)).toBe(true)
    expect(open.minPriceIncrement.eq(0)).toBe(true)
    expect(open.minBaseAmountIncrement.eq(0)).toBe(true)
    expect(open.minNotionalSize.eq(0)).toBe(true)
    expect(open.maxNotionalSize).toBeUndefined()
    expect(open.supportsLimitOrders).toBe(true)
    expect(open.supportsMarketOrders).toBe(true)
    expect(open.buyOrderCollateralToken).toBe('BTC')
    expect(open.sellOrderCollateralToken).toBe('BTC')
  })

  it('rejects a limit that is not a decimal and a pair that is not BASE-QUOTE', () => {
    expect(() => createTradingRule({ tradingPair: 'BTC-USDT', minOrderSize: 'lots' })).toThrow(InvalidInputError)
    expect(() => createTradingRule({ tradingPair: 'BTCUSDT' })).toThrow(InvalidInputError)
  })

  it('quantizes a price down to the tick without float error', () => {
    expect(quantizeOrderPrice(rule, toDecimal('30000.129')).toFixed()).toBe('30000.12')
    expect(quantizeOrderPrice(rule, toDecimal('0.3')).toFixed()).toBe('0.3')
    const tick = createTradingRule({ tradingPair: 'X-Y', minPriceIncrement: '0.1' })
    // 0.1 + 0.2 is 0.30000000000000004 in floats; here it stays 0.3.
    expect(quantizeOrderPrice(tick, toDecimal('0.1').plus(toDecimal('0.2'))).toFixed()).toBe('0.3')
  })

  it('quantizes an amount down to the step', () => {
    expect(quantizeOrderAmount(rule, toDecimal('0.123456789')).toFixed()).toBe('0.12345')
    expect(quantizeOrderAmount(rule, toDecimal('0.000009')).toFixed()).toBe('0')
  })

  it('quantizes toward zero for negative values too', () => {
    expect(quantizeOrderPrice(rule, toDecimal('-1.239')).toFixed()).toBe('-1.23')
  })

  it('quantizes with a tick that is not a power of ten', () => {
    const odd = createTradingRule({ tradingPair: 'X-Y', minPriceIncrement: '0.25', minBaseAmountIncrement: '5' })
    expect(quantizeOrderPrice(odd, toDecimal('10.74')).toFixed()).toBe('10.5')
    expect(quantizeOrderAmount(odd, toDecimal('14.99')).toFixed()).toBe('10')
  })

  it('quantizes a quote amount to the quote step', () => {
    expect(quantizeOrderQuoteAmount(rule, toDecimal('100.129')).toFixed()).toBe('100.12')
  })

  it('leaves values untouched when there is no increment', () => {
    const open = createTradingRule({ tradingPair: 'X-Y' })
    expect(quantizeOrderPrice(open, toDecimal('1.23456789123')).toFixed()).toBe('1.23456789123')
    expect(formatOrderPrice(open, toDecimal('1e-9'))).toBe('0.000000001')
  })

  it('formats quantized values with as many decimals as the increment', () => {
    expect(formatOrderPrice(rule, toDecimal('30000'))).toBe('30000.00')
    expect(formatOrderAmount(rule, toDecimal('1'))).toBe('1.00000')
    expect(formatOrderAmount(rule, toDecimal('0.123456789'))).toBe('0.12345')
    const whole = createTradingRule({ tradingPair: 'X-Y', minBaseAmountIncrement: '1' })
    expect(formatOrderAmount(whole, toDecimal('12.9'))).toBe('12')
  })
})

describe('trading rule violations', () => {
  const check = (orderType: 'LIMIT' | 'MARKET', amount: string, price?: string) =>
    findTradingRuleViolation(rule, {
      orderType,
      amount: toDecimal(amount),
      ...(price === undefined ? {} : { price: toDecimal(price) }),
    })

  it('accepts an order inside every limit', () => {
    expect(check('LIMIT', '0.001', '30000')).toBeUndefined()
    expect(check('MARKET', '0.001')).toBeUndefined()
  })

  it('names the first limit an order breaks', () => {
    expect(check('LIMIT', '0')).toMatch(/must be above zero/)
    expect(check('LIMIT', '0.000001', '30000')).toMatch(/below the minimum order size 0.00001 for BTC-USDT/)
    expect(check('LIMIT', '9001', '1')).toMatch(/above the maximum order size 9000/)
    expect(check('LIMIT', '0.0001', '30000')).toMatch(/notional 3 is below the minimum notional 5/)
    expect(check('LIMIT', '8000', '30000')).toMatch(/above the maximum notional 9000000/)
  })

  it('holds MARKET orders to the notional bounds only where the rule applies them to market orders', () => {
    const bounds = { tradingPair: 'BTC-USDT', minNotionalSize: '5', maxNotionalSize: '10000' } as const
    const exempt = createTradingRule({ ...bounds, applyMinNotionalToMarket: false, applyMaxNotionalToMarket: false })
    const market = (amount: string) => ({ orderType: 'MARKET' as const, amount: toDecimal(amount), price: toDecimal('30000') })
    const limit = (amount: string) => ({ orderType: 'LIMIT' as const, amount: toDecimal(amount), price: toDecimal('30000') })
    expect(findTradingRuleViolation(exempt, market('0.5'))).toBeUndefined()
    expect(findTradingRuleViolation(exempt, market('0.0001'))).toBeUndefined()
    expect(findTradingRuleViolation(exempt, limit('0.5'))).toMatch(/above the maximum notional 10000/)
    expect(findTradingRuleViolation(exempt, limit('0.0001'))).toMatch(/below the minimum notional 5/)
    const applied = createTradingRule(bounds)
    expect(applied.applyMinNotionalToMarket).toBe(true)
    expect(applied.applyMaxNotionalToMarket).toBe(true)
    expect(findTradingRuleViolation(applied, market('0.5'))).toMatch(/above the maximum notional 10000/)
  })

  it('refuses order types the pair does not support', () => {
    const limitOnly = createTradingRule({ tradingPair: 'X-Y', supportsMarketOrders: false })
    const marketOnly = createTradingRule({ tradingPair: 'X-Y', supportsLimitOrders: false })
    expect(findTradingRuleViolation(limitOnly, { orderType: 'MARKET', amount: toDecimal(1) })).toMatch(/MARKET orders are not supported/)
    expect(findTradingRuleViolation(marketOnly, { orderType: 'LIMIT_MAKER', amount: toDecimal(1) })).toMatch(
      /LIMIT_MAKER orders are not supported/,
    )
  })
})
