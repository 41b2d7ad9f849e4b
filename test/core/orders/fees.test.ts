import { describe, expect, it } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import {
  convertTokenAmount,
  createTradeFeeSchema,
  spotFeeKind,
  TradeFee,
  type TradeFeeJSON,
} from '../../../src/core/orders/fees.ts'
import { binanceFeeSchema } from './helpers.ts'

const trade = { tradingPair: 'BTC-USDT', price: toDecimal('30000'), amount: toDecimal('0.1') }

describe('trade fee schema', () => {
  it('defaults to no fee, added to cost, with no fixed fees', () => {
    const schema = createTradeFeeSchema()
    expect(schema.makerPercentFeeDecimal.eq(0)).toBe(true)
    expect(schema.takerPercentFeeDecimal.eq(0)).toBe(true)
    expect(schema.buyPercentFeeDeductedFromReturns).toBe(false)
    expect(schema.percentFeeToken).toBeUndefined()
    expect(schema.makerFixedFees).toEqual([])
  })

  it('refuses a percent token combined with buy fees deducted from returns', () => {
    expect(() => createTradeFeeSchema({ percentFeeToken: 'BNB', buyPercentFeeDeductedFromReturns: true })).toThrow(
      InvalidInputError,
    )
  })

  it('reads fixed fees as exact decimals', () => {
    const schema = createTradeFeeSchema({ takerFixedFees: [{ token: 'USDT', amount: '0.1' }] })
    expect(schema.takerFixedFees[0]?.amount.toFixed()).toBe('0.1')
  })
})

describe('fee classification', () => {
  it('adds a BUY fee to cost when the schema does not deduct it from returns', () => {
    expect(spotFeeKind(createTradeFeeSchema(), 'BUY')).toBe('addedToCost')
  })

  it('deducts a BUY fee from returns when the schema says so and has no percent token', () => {
    expect(spotFeeKind(binanceFeeSchema, 'BUY')).toBe('deductedFromReturns')
  })

  it('adds a BUY fee to cost when fees are charged in a percent token', () => {
    expect(spotFeeKind(createTradeFeeSchema({ percentFeeToken: 'BNB' }), 'BUY')).toBe('addedToCost')
  })

  it('deducts every SELL fee from returns', () => {
    for (const schema of [createTradeFeeSchema(), binanceFeeSchema, createTradeFeeSchema({ percentFeeToken: 'BNB' })]) {
      expect(spotFeeKind(schema, 'SELL')).toBe('deductedFromReturns')
    }
  })

  it('builds a spot fee of the classified kind', () => {
    expect(TradeFee.spot(binanceFeeSchema, 'BUY').kind).toBe('deductedFromReturns')
    expect(TradeFee.spot(createTradeFeeSchema(), 'BUY').kind).toBe('addedToCost')
  })
})

describe('fee estimate', () => {
  const schema = createTradeFeeSchema({
    makerPercentFeeDecimal: '0.0002',
    takerPercentFeeDecimal: '0.0007',
    percentFeeToken: 'BNB',
    makerFixedFees: [{ token: 'USDT', amount: '0.01' }],
    takerFixedFees: [{ token: 'USDT', amount: '0.02' }],
  })

  it('uses the maker rate and maker fixed fees for a maker', () => {
    const fee = TradeFee.estimate(schema, 'BUY', { isMaker: true })
    expect(fee.percent.toFixed()).toBe('0.0002')
    expect(fee.percentToken).toBe('BNB')
    expect(fee.flatFees.map((flat) => flat.amount.toFixed())).toEqual(['0.01'])
  })

  it('uses the taker rate and taker fixed fees for a taker', () => {
    const fee = TradeFee.estimate(schema, 'SELL', { isMaker: false })
    expect(fee.percent.toFixed()).toBe('0.0007')
    expect(fee.kind).toBe('deductedFromReturns')
    expect(fee.flatFees.map((flat) => flat.amount.toFixed())).toEqual(['0.02'])
  })

  it('reports its fee asset: the percent token, else the first flat fee token', () => {
    expect(TradeFee.estimate(schema, 'BUY', { isMaker: true }).feeAsset).toBe('BNB')
    expect(new TradeFee('addedToCost', { flatFees: [{ token: 'USDT', amount: 1 }] }).feeAsset).toBe('USDT')
    expect(new TradeFee('addedToCost').feeAsset).toBeUndefined()
  })
})

describe('fee amount in token', () => {
  const percentFee = new TradeFee('deductedFromReturns', { percent: '0.001' })

  it('computes a percent fee in quote as price × amount × percent, exactly', () => {
    expect(percentFee.amountInToken('USDT', trade).toFixed()).toBe('3')
  })

  it('converts a percent fee to base through the trade price', () => {
    expect(percentFee.amountInToken('BTC', trade).toFixed()).toBe('0.0001')
  })

  it('converts a flat fee in base to quote by multiplying by the price', () => {
    const fee = new TradeFee('deductedFromReturns', { flatFees: [{ token: 'BTC', amount: '0.0001' }] })
    expect(fee.amountInToken('USDT', trade).toFixed()).toBe('3')
  })

  it('adds the percent part and every flat fee', () => {
    const fee = new TradeFee('addedToCost', {
      percent: '0.001',
      flatFees: [
        { token: 'USDT', amount: '0.5' },
        { token: 'BTC', amount: '0.00001' },
      ],
    })
    expect(fee.amountInToken('USDT', trade).toFixed()).toBe('3.8')
  })

  it('converts a third token with a given rate, in either direction', () => {
    const fee = new TradeFee('addedToCost', { flatFees: [{ token: 'BNB', amount: '0.01' }] })
    expect(fee.amountInToken('USDT', { ...trade, rates: { 'BNB-USDT': '600' } }).toFixed()).toBe('6')
    expect(fee.amountInToken('USDT', { ...trade, rates: { 'USDT-BNB': '0.002' } }).toFixed()).toBe('5')
  })

  it('refuses to guess a rate for a third token', () => {
    const fee = new TradeFee('addedToCost', { flatFees: [{ token: 'BNB', amount: '0.01' }] })
    expect(() => fee.amountInToken('USDT', trade)).toThrow(/no rate to convert BNB to USDT/)
  })

  it('refuses a zero price or zero rate instead of dividing by zero', () => {
    const zeroPrice = { ...trade, price: toDecimal(0) }
    expect(() => convertTokenAmount(toDecimal(1), 'USDT', 'BTC', zeroPrice)).toThrow(InvalidInputError)
    expect(() => convertTokenAmount(toDecimal(1), 'USDT', 'BNB', { ...trade, rates: { 'BNB-USDT': 0 } })).toThrow(
      InvalidInputError,
    )
  })

  it('is zero for a fee with neither percent nor flat fees', () => {
    expect(new TradeFee('addedToCost').amountInToken('ETH', trade).toFixed()).toBe('0')
  })
})

describe('fee JSON', () => {
  it('round-trips kind, percent, percent token and flat fees as strings', () => {
    const fee = new TradeFee('addedToCost', {
      percent: '0.00075',
      percentToken: 'BNB',
      flatFees: [{ token: 'USDT', amount: '0.10' }],
    })
    const json = JSON.parse(JSON.stringify(fee)) as TradeFeeJSON
    expect(json).toEqual({
      kind: 'addedToCost',
      percent: '0.00075',
      percentToken: 'BNB',
      flatFees: [{ token: 'USDT', amount: '0.1' }],
    })
    expect(TradeFee.fromJSON(json).equals(fee)).toBe(true)
  })

  it('writes an absent percent token as null and reads it back as absent', () => {
    const json = new TradeFee('deductedFromReturns').toJSON()
    expect(json.percentToken).toBeNull()
    expect(TradeFee.fromJSON(json).percentToken).toBeUndefined()
  })

  it('tells different fees apart', () => {
    const base = new TradeFee('addedToCost', { percent: '0.001', flatFees: [{ token: 'USDT', amount: 1 }] })
    expect(base.equals(new TradeFee('deductedFromReturns', { percent: '0.001', flatFees: [{ token: 'USDT', amount: 1 }] }))).toBe(false)
    expect(base.equals(new TradeFee('addedToCost', { percent: '0.002', flatFees: [{ token: 'USDT', amount: 1 }] }))).toBe(false)
    expect(base.equals(new TradeFee('addedToCost', { percent: '0.001', flatFees: [{ token: 'BTC', amount: 1 }] }))).toBe(false)
    expect(base.equals(new TradeFee('addedToCost', { percent: '0.001' }))).toBe(false)
  })

  it('rejects malformed fee JSON', () => {
    const good = new TradeFee('addedToCost').toJSON()
    expect(() => TradeFee.fromJSON(null as unknown as TradeFeeJSON)).toThrow(InvalidInputError)
    expect(() => TradeFee.fromJSON({ ...good, kind: 'AddedToCost' as never })).toThrow(/unknown fee kind/)
    expect(() => TradeFee.fromJSON({ ...good, flatFees: 'x' as never })).toThrow(InvalidInputError)
    expect(() => TradeFee.fromJSON({ ...good, flatFees: [{ token: 3, amount: '1' } as never] })).toThrow(InvalidInputError)
    expect(() => TradeFee.fromJSON({ ...good, percent: 'abc' })).toThrow(InvalidInputError)
  })
})
