import { describe, expect, it } from 'vitest'
import type { BinanceSymbolInfo } from '../../../src/connectors/binance/schemas/rest.ts'
import {
  BINANCE_ORDER_TYPE,
  DEFAULT_FEES,
  isSpotTradable,
  NEW_ORDER_RESPONSE_TYPE,
  orderParams,
  type OrderParamsInput,
  parseExchangeInfo,
  tradingRuleFromSymbol,
} from '../../../src/connectors/binance/utils.ts'
import { Big } from '../../../src/core/decimal.ts'
import { InvalidInputError, PayloadValidationError } from '../../../src/core/errors.ts'
import { SymbolMap } from '../../../src/core/exchange/symbol-map.ts'
import { spotFeeKind } from '../../../src/core/orders/fees.ts'
import { UNLIMITED } from '../../../src/core/orders/trading-rule.ts'
import { readReference } from './reference-files.ts'

const filter = (name: string): Record<string, unknown> => readReference(`filters/${name}.json`) as Record<string, unknown>

/** A listing entry shaped like the reference exchangeInfo's, with the given changes. */
function listing(overrides: Record<string, unknown>): Record<string, unknown> {
  const info = readReference('rest/GET_api_v3_exchangeInfo.json') as { symbols: Array<Record<string, unknown>> }
  const base = info.symbols[0]
  if (!base) throw new Error('the reference exchangeInfo lists no symbol')
  return { ...base, ...overrides }
}

function symbolWith(filters: unknown[], overrides: Record<string, unknown> = {}): BinanceSymbolInfo {
  const parsed = parseExchangeInfo({ symbols: [listing({ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', filters, ...overrides })] })
  if (parsed.problems.length > 0) throw parsed.problems[0]
  return { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', orderTypes: undefined, permissions: [], permissionSets: [['SPOT']], filters, ...overrides } as BinanceSymbolInfo
}

describe('binance utils: symbol map', () => {
  it('symbol map from the reference exchangeInfo maps ETHBTC to ETH-BTC', () => {
    const { symbols, tradingRules, problems } = parseExchangeInfo(readReference('rest/GET_api_v3_exchangeInfo.json'))
    expect(symbols).toEqual([{ exchangeSymbol: 'ETHBTC', tradingPair: 'ETH-BTC' }])
    expect(tradingRules.map((rule) => rule.tradingPair)).toEqual(['ETH-BTC'])
    expect(problems).toEqual([])
    const map = new SymbolMap(symbols)
    expect(map.exchangeSymbolFor('ETH-BTC')).toBe('ETHBTC')
    expect(map.tradingPairFor('ETHBTC')).toBe('ETH-BTC')
  })

  it('only TRADING symbols with SPOT in permissions or permissionSets are mapped', () => {
    const { symbols } = parseExchangeInfo({
      symbols: [
        listing({ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', permissionSets: [['MARGIN'], ['TRD_GRP_004', 'SPOT']] }),
        listing({ symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', status: 'BREAK' }),
        listing({ symbol: 'BNBUSDT', baseAsset: 'BNB', quoteAsset: 'USDT', permissionSets: [['MARGIN']] }),
        listing({ symbol: 'LTCBTC', baseAsset: 'LTC', quoteAsset: 'BTC', permissions: ['SPOT'], permissionSets: [] }),
        listing({ symbol: 'XRPUSDT', baseAsset: 'XRP', quoteAsset: 'USDT', status: 'END_OF_DAY' }),
      ],
    })
    expect(symbols).toEqual([
      { exchangeSymbol: 'BTCUSDT', tradingPair: 'BTC-USDT' },
      { exchangeSymbol: 'LTCBTC', tradingPair: 'LTC-BTC' },
    ])
  })

  it('a malformed symbol is skipped and reported while the others still count', () => {
    const { symbols, problems } = parseExchangeInfo({
      symbols: [
        listing({ symbol: 'BADUSDT', baseAsset: 'BAD', quoteAsset: 'USDT', filters: [{ ...filter('LOT_SIZE'), stepSize: 0.001 }] }),
        listing({ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT' }),
        { status: 'TRADING' },
        listing({ symbol: 'DASHED', baseAsset: 'A-B', quoteAsset: '' }),
        listing({ symbol: 'BTCUSDT2', baseAsset: 'BTC', quoteAsset: 'USDT' }),
      ],
    })
    expect(symbols).toEqual([{ exchangeSymbol: 'BTCUSDT', tradingPair: 'BTC-USDT' }])
    expect(problems).toHaveLength(4)
    for (const problem of problems) expect(problem).toBeInstanceOf(PayloadValidationError)
    expect(problems.map((problem) => (problem as PayloadValidationError).source)).toEqual([
      'GET /v3/exchangeInfo symbol BADUSDT',
      'GET /v3/exchangeInfo symbol #2',
      'GET /v3/exchangeInfo symbol DASHED',
      'GET /v3/exchangeInfo symbol BTCUSDT2',
    ])
    expect(problems[0]?.message).toContain('filters.0')
    expect(problems[3]?.message).toContain('listed twice')
  })

  it('an answer that is not an exchangeInfo at all throws PayloadValidationError', () => {
    expect(() => parseExchangeInfo({ code: -1121, msg: 'Invalid symbol.' })).toThrow(PayloadValidationError)
  })

  it('isSpotTradable needs both TRADING and SPOT', () => {
    const symbol = symbolWith([])
    expect(isSpotTradable(symbol)).toBe(true)
    expect(isSpotTradable({ ...symbol, status: 'HALT' })).toBe(false)
    expect(isSpotTradable({ ...symbol, permissionSets: [] })).toBe(false)
  })
})

describe('binance utils: trading rules', () => {
  it('PRICE_FILTER gives the tick and the price bounds', () => {
    const rule = tradingRuleFromSymbol(symbolWith([filter('PRICE_FILTER')]))
    expect(rule.minPriceIncrement.toFixed()).toBe('0.000001')
    expect(rule.minPrice.toFixed()).toBe('0.000001')
    expect(rule.maxPrice.toFixed()).toBe('100000')
  })

  it('PRICE_FILTER fields of 0 are disabled', () => {
    const rule = tradingRuleFromSymbol(
      symbolWith([{ filterType: 'PRICE_FILTER', minPrice: '0.00000000', maxPrice: '0.00000000', tickSize: '0.00000000' }]),
    )
    expect(rule.minPriceIncrement.toFixed()).toBe('0')
    expect(rule.minPrice.toFixed()).toBe('0')
    expect(rule.maxPrice.eq(UNLIMITED)).toBe(true)
  })

  it('LOT_SIZE gives the order size bounds and the base step', () => {
    const rule = tradingRuleFromSymbol(symbolWith([filter('LOT_SIZE')]))
    expect([rule.minOrderSize, rule.maxOrderSize, rule.minBaseAmountIncrement].map((value) => value.toFixed())).toEqual([
      '0.001',
      '100000',
      '0.001',
    ])
  })

  it('MARKET_LOT_SIZE with the disabled step 0.00000000 leaves LOT_SIZE step and narrows market sizes', () => {
    const rule = tradingRuleFromSymbol(
      symbolWith([
        filter('LOT_SIZE'),
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '152.50000000', stepSize: '0.00000000' },
      ]),
    )
    expect(rule.marketBaseAmountIncrement.toFixed()).toBe('0.001')
    expect(rule.marketMinOrderSize.toFixed()).toBe('0.001')
    expect(rule.marketMaxOrderSize.toFixed()).toBe('152.5')
    // The core rule (limit orders) keeps LOT_SIZE.
    expect(rule.maxOrderSize.toFixed()).toBe('100000')
  })

  it('MARKET_LOT_SIZE with its own coarser step and minimum wins for market orders', () => {
    const rule = tradingRuleFromSymbol(
      symbolWith([filter('LOT_SIZE'), { filterType: 'MARKET_LOT_SIZE', minQty: '0.01', maxQty: '0', stepSize: '0.01' }]),
    )
    expect(rule.marketBaseAmountIncrement.toFixed()).toBe('0.01')
    expect(rule.marketMinOrderSize.toFixed()).toBe('0.01')
    expect(rule.marketMaxOrderSize.toFixed()).toBe('100000')
  })

  it('NOTIONAL gives min and max notional and whether they apply to market orders', () => {
    const rule = tradingRuleFromSymbol(symbolWith([filter('NOTIONAL')]))
    expect(rule.minNotionalSize.toFixed()).toBe('10')
    expect(rule.maxNotionalSize?.toFixed()).toBe('10000')
    expect(rule.applyMinNotionalToMarket).toBe(false)
    expect(rule.applyMaxNotionalToMarket).toBe(false)
  })

  it('legacy MIN_NOTIONAL gives a minimum only, and NOTIONAL wins when both are listed', () => {
    const legacy = tradingRuleFromSymbol(symbolWith([filter('MIN_NOTIONAL')]))
    expect(legacy.minNotionalSize.toFixed()).toBe('0.001')
    expect(legacy.maxNotionalSize).toBeUndefined()
    expect(legacy.applyMinNotionalToMarket).toBe(true)
    const both = tradingRuleFromSymbol(symbolWith([filter('MIN_NOTIONAL'), filter('NOTIONAL')]))
    expect(both.minNotionalSize.toFixed()).toBe('10')
  })

  it('a symbol without filters has no limits, and order types come from orderTypes', () => {
    const rule = tradingRuleFromSymbol(symbolWith([filter('PERCENT_PRICE_BY_SIDE')], { orderTypes: ['LIMIT', 'LIMIT_MAKER'] }))
    expect(rule.minOrderSize.toFixed()).toBe('0')
    expect(rule.maxOrderSize.eq(UNLIMITED)).toBe(true)
    expect(rule.minNotionalSize.toFixed()).toBe('0')
    expect(rule.supportsLimitOrders).toBe(true)
    expect(rule.supportsMarketOrders).toBe(false)
    expect(rule.buyOrderCollateralToken).toBe('USDT')
  })
})

describe('binance utils: fees and orders', () => {
  it('default fees are 0.1 % maker and taker, deducted from returns on both sides', () => {
    expect(DEFAULT_FEES.makerPercentFeeDecimal.toFixed()).toBe('0.001')
    expect(DEFAULT_FEES.takerPercentFeeDecimal.toFixed()).toBe('0.001')
    expect(spotFeeKind(DEFAULT_FEES, 'BUY')).toBe('deductedFromReturns')
    expect(spotFeeKind(DEFAULT_FEES, 'SELL')).toBe('deductedFromReturns')
  })

  const order = (overrides: Partial<OrderParamsInput>): OrderParamsInput => ({
    clientOrderId: 'sw-BBTUT0lq2x7k9abcdefghijk',
    orderType: 'LIMIT',
    tradeType: 'BUY',
    amount: new Big('0.00001000'),
    price: new Big('30000.10'),
    ...overrides,
  })

  it('order params for a LIMIT order: exact strings in order, GTC, our id and the RESULT answer', () => {
    expect(orderParams(order({}), 'BTCUSDT')).toEqual([
      ['symbol', 'BTCUSDT'],
      ['side', 'BUY'],
      ['type', 'LIMIT'],
      ['quantity', '0.00001'],
      ['price', '30000.1'],
      ['timeInForce', 'GTC'],
      ['newClientOrderId', 'sw-BBTUT0lq2x7k9abcdefghijk'],
      ['newOrderRespType', 'RESULT'],
    ])
    expect(NEW_ORDER_RESPONSE_TYPE).toBe('RESULT')
  })

  it('order params for LIMIT_MAKER carry a price but no timeInForce', () => {
    const params = orderParams(order({ orderType: 'LIMIT_MAKER', tradeType: 'SELL' }), 'BTCUSDT')
    expect(params.map(([key]) => key)).toEqual(['symbol', 'side', 'type', 'quantity', 'price', 'newClientOrderId', 'newOrderRespType'])
    expect(Object.fromEntries(params)).toMatchObject({ side: 'SELL', type: 'LIMIT_MAKER' })
  })

  it('order params for MARKET carry neither price nor timeInForce', () => {
    const params = orderParams(order({ orderType: 'MARKET', price: undefined }), 'BTCUSDT')
    expect(params.map(([key]) => key)).toEqual(['symbol', 'side', 'type', 'quantity', 'newClientOrderId', 'newOrderRespType'])
    expect(BINANCE_ORDER_TYPE.MARKET).toBe('MARKET')
  })

  it('order params never use exponent notation', () => {
    const tiny = Object.fromEntries(orderParams(order({ amount: new Big('1e-8'), price: new Big('1e-7') }), 'SHIBUSDT'))
    expect(tiny).toMatchObject({ quantity: '0.00000001', price: '0.0000001' })
    const huge = Object.fromEntries(orderParams(order({ amount: new Big('1e21'), price: new Big('2e22') }), 'SHIBUSDT'))
    expect(huge).toMatchObject({ quantity: '1000000000000000000000', price: '20000000000000000000000' })
  })

  it('order params refuse a missing price, a zero amount and a client id Binance would refuse', () => {
    expect(() => orderParams(order({ price: undefined }), 'BTCUSDT')).toThrow(InvalidInputError)
    expect(() => orderParams(order({ price: new Big(0) }), 'BTCUSDT')).toThrow(InvalidInputError)
    expect(() => orderParams(order({ amount: new Big(0) }), 'BTCUSDT')).toThrow(InvalidInputError)
    expect(() => orderParams(order({ clientOrderId: 'x'.repeat(37) }), 'BTCUSDT')).toThrow(InvalidInputError)
    expect(() => orderParams(order({ clientOrderId: 'has space' }), 'BTCUSDT')).toThrow(InvalidInputError)
  })
})
