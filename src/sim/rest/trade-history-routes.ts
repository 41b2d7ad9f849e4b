// Public trade-history routes built from the engine's public trades: aggTrades (trades of one taker
// order at one price merged) and klines (candles per interval). Shapes follow
// rest/GET_api_v3_aggTrades.json and rest/GET_api_v3_klines.json; weights as rest-api.md lists them.
import Big from 'big.js'
import type { MarketTrade } from '../engine/index.ts'
import { requireKnownSymbol } from './order-requests.ts'
import { decimalString } from './responses.ts'
import { RestFailure } from './rest-errors.ts'
import { type Route, type RouteContext, fixedWeight } from './route-context.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** rest-api.md "Kline/Candlestick chart intervals"; `1M` (calendar months) is handled apart. */
const INTERVAL_MS = {
  '1s': 1000, '1m': MINUTE, '3m': 3 * MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE,
  '1h': HOUR, '2h': 2 * HOUR, '4h': 4 * HOUR, '6h': 6 * HOUR, '8h': 8 * HOUR, '12h': 12 * HOUR,
  '1d': DAY, '3d': 3 * DAY, '1w': 7 * DAY,
} as const
type KlineInterval = keyof typeof INTERVAL_MS | '1M'
const KLINE_INTERVALS = [...Object.keys(INTERVAL_MS), '1M'] as KlineInterval[]
/** Weeks open on Monday 00:00 UTC; epoch 0 was a Thursday. */
const WEEK_OFFSET = 4 * DAY
const MAX_KLINES_SPAN = 1000

interface AggregateTrade {
  readonly aggregateId: number
  readonly trades: readonly MarketTrade[]
}

function takerOrderId(trade: MarketTrade): number {
  return trade.isBuyerMaker ? trade.sellerOrderId : trade.buyerOrderId
}

/**
 * "Trades that fill at the time, from the same taker order, with the same price will have the
 * quantity aggregated." Ids count aggregates from 0 over the market's whole history, so they are
 * stable between calls.
 */
function aggregateTrades(trades: readonly MarketTrade[]): AggregateTrade[] {
  const aggregates: { aggregateId: number; trades: MarketTrade[] }[] = []
  for (const trade of trades) {
    const last = aggregates.at(-1)
    const head = last?.trades[0]
    if (last && head && head.time === trade.time && head.price.eq(trade.price) && takerOrderId(head) === takerOrderId(trade) && head.isBuyerMaker === trade.isBuyerMaker) {
      last.trades.push(trade)
    } else {
      aggregates.push({ aggregateId: aggregates.length, trades: [trade] })
    }
  }
  return aggregates
}

function aggregateTradeView(aggregate: AggregateTrade): object {
  const first = aggregate.trades[0]!
  const last = aggregate.trades.at(-1)!
  return {
    a: aggregate.aggregateId,
    p: decimalString(first.price),
    q: decimalString(aggregate.trades.reduce((sum, trade) => sum.plus(trade.quantity), new Big(0))),
    f: first.tradeId,
    l: last.tradeId,
    T: first.time,
    m: first.isBuyerMaker,
    M: true,
  }
}

function aggTrades(context: RouteContext): object[] {
  const { params, exchange } = context
  const symbol = requireKnownSymbol(params, exchange)
  const fromId = params.optionalInteger('fromId')
  const startTime = params.optionalInteger('startTime')
  const endTime = params.optionalInteger('endTime')
  const limit = params.limit('limit', 500, 1000)
  const selected = aggregateTrades(exchange.engine.trades(symbol)).filter((aggregate) => {
    const time = aggregate.trades[0]!.time
    return (fromId === undefined || aggregate.aggregateId >= fromId) &&
      (startTime === undefined || time >= startTime) &&
      (endTime === undefined || time <= endTime)
  })
  // "If fromId, startTime, and endTime are not sent, the most recent aggregate trades will be returned."
  const fromStart = fromId !== undefined || startTime !== undefined
  const page = fromStart ? selected.slice(0, limit) : selected.slice(-limit)
  return page.map(aggregateTradeView)
}

/** The open time of the candle holding `time`. */
function candleOpen(interval: KlineInterval, time: number): number {
  if (interval === '1M') {
    const date = new Date(time)
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)
  }
  const length = INTERVAL_MS[interval]
  const offset = interval === '1w' ? WEEK_OFFSET : 0
  return Math.floor((time - offset) / length) * length + offset
}

function nextCandleOpen(interval: KlineInterval, open: number): number {
  if (interval !== '1M') return open + INTERVAL_MS[interval]
  const date = new Date(open)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
}

/** One kline row; a candle without trades repeats the previous close with zero volume. */
function kline(open: number, close: number, trades: readonly MarketTrade[], previousClose: Big): unknown[] {
  const zero = new Big(0)
  const prices = trades.map((trade) => trade.price)
  const first = prices[0] ?? previousClose
  const takerBuys = trades.filter((trade) => !trade.isBuyerMaker)
  const sum = (list: readonly MarketTrade[], pick: (trade: MarketTrade) => Big) => list.reduce((total, trade) => total.plus(pick(trade)), zero)
  return [
    open,
    decimalString(first),
    decimalString(prices.reduce((high, price) => (price.gt(high) ? price : high), first)),
    decimalString(prices.reduce((low, price) => (price.lt(low) ? price : low), first)),
    decimalString(prices.at(-1) ?? previousClose),
    decimalString(sum(trades, (trade) => trade.quantity)),
    close - 1,
    decimalString(sum(trades, (trade) => trade.quoteQuantity)),
    trades.length,
    decimalString(sum(takerBuys, (trade) => trade.quantity)),
    decimalString(sum(takerBuys, (trade) => trade.quoteQuantity)),
    '0',
  ]
}

/**
 * Candles from the market's first trade to now, gaps filled: with startTime the oldest `limit`
 * from there, otherwise the most recent `limit` (ending at endTime when given).
 */
function klines(context: RouteContext): unknown[][] {
  const { params, exchange, now } = context
  const symbol = requireKnownSymbol(params, exchange)
  const interval = params.requiredEnum('interval', KLINE_INTERVALS, { code: -1120, msg: 'Invalid interval.' })
  const startTime = params.optionalInteger('startTime')
  const endTime = params.optionalInteger('endTime')
  const limit = params.limit('limit', 500, 1000)
  const trades = exchange.engine.trades(symbol)
  const firstTrade = trades[0]
  if (!firstTrade) return []
  const until = Math.min(endTime ?? now, now)
  let open = candleOpen(interval, Math.max(firstTrade.time, startTime ?? 0))
  // Without startTime only the last `limit` candles are answered; skip straight to them.
  if (startTime === undefined && interval !== '1M') open = Math.max(open, candleOpen(interval, until) - (limit - 1) * INTERVAL_MS[interval])
  const candles: { open: number; close: number }[] = []
  while (open <= until) {
    const close = nextCandleOpen(interval, open)
    candles.push({ open, close })
    if (startTime !== undefined && candles.length >= limit) break
    if (candles.length > MAX_KLINES_SPAN) candles.shift()
    open = close
  }
  const page = startTime !== undefined ? candles : candles.slice(-limit)
  const pageStart = page[0]?.open ?? 0
  let previousClose = trades.filter((trade) => trade.time < pageStart).at(-1)?.price ?? firstTrade.price
  return page.map(({ open: candleStart, close }) => {
    const inside = trades.filter((trade) => trade.time >= candleStart && trade.time < close)
    const row = kline(candleStart, close, inside, previousClose)
    previousClose = inside.at(-1)?.price ?? previousClose
    return row
  })
}

function rejectTimeZone(context: RouteContext): void {
  // The simulator keeps candles in UTC only; say so rather than answer with shifted candles.
  const timeZone = context.params.optionalString('timeZone')
  if (timeZone !== undefined && !/^[+-]?0{1,2}(:00)?$/.test(timeZone)) {
    throw new RestFailure({ code: -1130, msg: "Data sent for parameter 'timeZone' is not valid." })
  }
}

export const TRADE_HISTORY_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/v3/aggTrades', auth: 'none', weight: fixedWeight(4), handle: aggTrades },
  {
    method: 'GET', path: '/api/v3/klines', auth: 'none', weight: fixedWeight(2),
    handle: (context) => {
      rejectTimeZone(context)
      return klines(context)
    },
  },
]
