// Public market-data routes: ping, time, exchangeInfo, depth, trades and the tickers, answered from
// the engine's true state.
import Big from 'big.js'
import type { MarketConfig, MarketTrade } from '../engine/index.ts'
import { REST_ERRORS, RestFailure } from './rest-errors.ts'
import type { RequestParams } from './request-params.ts'
import { decimalString, levels, publicTrade, symbolInfo } from './responses.ts'
import { type Route, type RouteContext, fixedWeight } from './route-context.ts'

const DAY = 86_400_000

function markets(context: RouteContext): MarketConfig[] {
  return context.exchange.engine.marketConfigs()
}

function requireMarket(context: RouteContext, symbol: string): MarketConfig {
  const market = markets(context).find((config) => config.symbol === symbol)
  if (!market) throw new RestFailure(REST_ERRORS.invalidSymbol)
  return market
}

/** `symbol` (one object), `symbols` (a list) or neither (every market, as a list). */
function selectMarkets(context: RouteContext): { single: boolean; selected: MarketConfig[] } {
  const symbol = context.params.optionalSymbol()
  if (symbol !== undefined) return { single: true, selected: [requireMarket(context, symbol)] }
  const symbols = context.params.optionalSymbolList()
  if (symbols !== undefined) return { single: false, selected: symbols.map((name) => requireMarket(context, name)) }
  return { single: false, selected: markets(context) }
}

function perSymbol(context: RouteContext, describe: (market: MarketConfig) => object): unknown {
  const { single, selected } = selectMarkets(context)
  const described = selected.map(describe)
  return single ? described[0] : described
}

/** ticker/price and ticker/bookTicker: 2 for one symbol, 4 for several or all. */
function tickerWeight(params: RequestParams): number {
  return params.has('symbol') ? 2 : 4
}

/** ticker/24hr: 2 for one symbol; by count for `symbols`; 80 for all. */
function dailyTickerWeight(params: RequestParams): number {
  if (params.has('symbol')) return 2
  if (!params.has('symbols')) return 80
  const count = params.optionalSymbolList()?.length ?? 1
  return count <= 20 ? 2 : count <= 100 ? 40 : 80
}

/** depth: by limit, 5 up to 100, 25 up to 500, 50 up to 1000, 250 up to 5000. */
function depthWeight(params: RequestParams): number {
  const limit = params.limit('limit', 100, 5000)
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
}

function bookTicker(context: RouteContext, market: MarketConfig): object {
  const book = context.exchange.engine.book(market.symbol, 1)
  const zero = new Big(0)
  const bid = book.bids[0]
  const ask = book.asks[0]
  return {
    symbol: market.symbol,
    bidPrice: decimalString(bid?.price ?? zero),
    bidQty: decimalString(bid?.quantity ?? zero),
    askPrice: decimalString(ask?.price ?? zero),
    askQty: decimalString(ask?.quantity ?? zero),
  }
}

function lastPrice(context: RouteContext, market: MarketConfig): Big {
  return context.exchange.engine.trades(market.symbol).at(-1)?.price ?? new Big(0)
}

/** The rolling 24-hour statistics of ticker/24hr (FULL), computed from the public trades. */
function dailyTicker(context: RouteContext, market: MarketConfig): object {
  const openTime = context.now - DAY
  const all = context.exchange.engine.trades(market.symbol)
  const recent: MarketTrade[] = all.filter((trade) => trade.time > openTime && trade.time <= context.now)
  const previous = all.filter((trade) => trade.time <= openTime).at(-1)
  const zero = new Big(0)
  const first = recent[0]
  const last = recent.at(-1)
  const open = first?.price ?? zero
  const close = last?.price ?? zero
  const volume = recent.reduce((sum, trade) => sum.plus(trade.quantity), zero)
  const quoteVolume = recent.reduce((sum, trade) => sum.plus(trade.quoteQuantity), zero)
  const change = close.minus(open)
  const prices = recent.map((trade) => trade.price)
  return {
    symbol: market.symbol,
    priceChange: decimalString(change),
    priceChangePercent: open.gt(0) ? change.div(open).times(100).toFixed(3) : '0.000',
    weightedAvgPrice: decimalString(volume.gt(0) ? quoteVolume.div(volume) : zero),
    prevClosePrice: decimalString(previous?.price ?? zero),
    lastPrice: decimalString(close),
    lastQty: decimalString(last?.quantity ?? zero),
    ...(bookTicker(context, market) as Record<string, string>),
    openPrice: decimalString(open),
    highPrice: decimalString(prices.reduce((high, price) => (price.gt(high) ? price : high), zero)),
    lowPrice: decimalString(prices.reduce((low, price) => (price.lt(low) ? price : low), open)),
    volume: decimalString(volume),
    quoteVolume: decimalString(quoteVolume),
    openTime,
    closeTime: context.now,
    firstId: first?.tradeId ?? -1,
    lastId: last?.tradeId ?? -1,
    count: recent.length,
  }
}

export const MARKET_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/v3/ping', auth: 'none', weight: fixedWeight(1), handle: () => ({}) },
  { method: 'GET', path: '/api/v3/time', auth: 'none', weight: fixedWeight(1), handle: (context) => ({ serverTime: context.now }) },
  {
    method: 'GET', path: '/api/v3/exchangeInfo', auth: 'none', weight: fixedWeight(20),
    handle: (context) => ({
      timezone: 'UTC',
      serverTime: context.now,
      rateLimits: context.limiter.describe(),
      exchangeFilters: [],
      symbols: selectMarkets(context).selected.map(symbolInfo),
    }),
  },
  {
    method: 'GET', path: '/api/v3/depth', auth: 'none', weight: depthWeight,
    handle: (context) => {
      const market = requireMarket(context, context.params.requiredSymbol())
      const book = context.exchange.engine.book(market.symbol, context.params.limit('limit', 100, 5000))
      return { lastUpdateId: book.lastUpdateId, bids: levels(book.bids), asks: levels(book.asks) }
    },
  },
  {
    method: 'GET', path: '/api/v3/trades', auth: 'none', weight: fixedWeight(25),
    handle: (context) => {
      const market = requireMarket(context, context.params.requiredSymbol())
      const limit = context.params.limit('limit', 500, 1000)
      return context.exchange.engine.trades(market.symbol).slice(-limit).map(publicTrade)
    },
  },
  {
    method: 'GET', path: '/api/v3/ticker/price', auth: 'none', weight: tickerWeight,
    handle: (context) => perSymbol(context, (market) => ({ symbol: market.symbol, price: decimalString(lastPrice(context, market)) })),
  },
  {
    method: 'GET', path: '/api/v3/ticker/bookTicker', auth: 'none', weight: tickerWeight,
    handle: (context) => perSymbol(context, (market) => bookTicker(context, market)),
  },
  {
    method: 'GET', path: '/api/v3/ticker/24hr', auth: 'none', weight: dailyTickerWeight,
    handle: (context) => perSymbol(context, (market) => dailyTicker(context, market)),
  },
]
