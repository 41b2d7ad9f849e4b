// A market's trading rules, written as data from Binance's exchangeInfo filters (filters.md).
// A zero bound or increment means "disabled", exactly as Binance documents for its filters.
import Big from 'big.js'

export interface PriceFilter {
  readonly minPrice: Big
  readonly maxPrice: Big
  readonly tickSize: Big
}

export interface LotSizeFilter {
  readonly minQty: Big
  readonly maxQty: Big
  readonly stepSize: Big
}

export interface NotionalFilter {
  readonly minNotional: Big
  readonly maxNotional: Big
  readonly applyMinToMarket: boolean
  readonly applyMaxToMarket: boolean
}

/** One symbol's configuration: assets, filters, fee rates and where its synthetic mid starts. */
export interface MarketConfig {
  /** Binance's symbol, e.g. `BTCUSDT` (the wire name; `BTC-USDT` is only how people say it). */
  readonly symbol: string
  readonly baseAsset: string
  readonly quoteAsset: string
  /** Digits Binance prints for amounts of each asset (baseAssetPrecision / quoteAssetPrecision). */
  readonly baseAssetPrecision: number
  readonly quoteAssetPrecision: number
  readonly priceFilter: PriceFilter
  readonly lotSize: LotSizeFilter
  readonly marketLotSize: LotSizeFilter
  readonly notional: NotionalFilter
  /** Commission as a fraction of the received amount, e.g. 0.001 = 0.1%. */
  readonly makerFeeRate: Big
  readonly takerFeeRate: Big
  /** The price the market makers quote around at the start. */
  readonly initialMidPrice: Big
}

interface MarketSpec {
  symbol: string
  baseAsset: string
  quoteAsset: string
  tickSize: string
  maxPrice: string
  stepSize: string
  minQty: string
  maxQty: string
  marketMaxQty: string
  minNotional: string
  initialMidPrice: string
}

/** Builds a market from the handful of numbers that differ between Binance symbols. */
export function defineMarket(spec: MarketSpec): MarketConfig {
  return {
    symbol: spec.symbol,
    baseAsset: spec.baseAsset,
    quoteAsset: spec.quoteAsset,
    baseAssetPrecision: 8,
    quoteAssetPrecision: 8,
    priceFilter: { minPrice: new Big(spec.tickSize), maxPrice: new Big(spec.maxPrice), tickSize: new Big(spec.tickSize) },
    lotSize: { minQty: new Big(spec.minQty), maxQty: new Big(spec.maxQty), stepSize: new Big(spec.stepSize) },
    // Binance's live MARKET_LOT_SIZE filters carry stepSize 0 (disabled) and a tighter maxQty.
    marketLotSize: { minQty: new Big(0), maxQty: new Big(spec.marketMaxQty), stepSize: new Big(0) },
    notional: {
      minNotional: new Big(spec.minNotional),
      maxNotional: new Big('9000000'),
      applyMinToMarket: true,
      applyMaxToMarket: false,
    },
    // Binance's default spot commission: 0.1% maker and taker.
    makerFeeRate: new Big('0.001'),
    takerFeeRate: new Big('0.001'),
    initialMidPrice: new Big(spec.initialMidPrice),
  }
}

/** The seeded markets, with ticks, steps and minimums like Binance's live exchangeInfo. */
export const DEFAULT_MARKETS: readonly MarketConfig[] = [
  defineMarket({
    symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01', maxPrice: '1000000',
    stepSize: '0.00001', minQty: '0.00001', maxQty: '9000', marketMaxQty: '100', minNotional: '5',
    initialMidPrice: '60000',
  }),
  defineMarket({
    symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', tickSize: '0.01', maxPrice: '1000000',
    stepSize: '0.0001', minQty: '0.0001', maxQty: '9000', marketMaxQty: '1000', minNotional: '5',
    initialMidPrice: '3000',
  }),
  defineMarket({
    symbol: 'ETHBTC', baseAsset: 'ETH', quoteAsset: 'BTC', tickSize: '0.00001', maxPrice: '922327',
    stepSize: '0.0001', minQty: '0.0001', maxQty: '100000', marketMaxQty: '1000', minNotional: '0.0001',
    initialMidPrice: '0.05',
  }),
]

/** The balances the printed test account starts with (DESIGN.md, "The simulator"). */
export const TEST_ACCOUNT_BALANCES: Readonly<Record<string, string>> = { BTC: '10', ETH: '100', USDT: '1000000' }
