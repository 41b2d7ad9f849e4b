// The exchange's market events: what the order-book tracker and the public stream's data source
// report, re-emitted in the exchange's vocabulary (trades with Big price and amount, 'BUY' / 'SELL'
// taker sides). Exchange-neutral: any connector whose data source feeds the tracker and calls
// `notifyConnected()` on each socket open gets all four.
import { toDecimal } from '../decimal.ts'
import type { OrderBookTradeMessage } from '../order-book/order-book-message.ts'
import type { OrderBookTracker } from '../order-book/order-book-tracker.ts'
import type { ExchangeEvents, ExchangeOrderBookDataSource, MarketEventName, MarketTradeEvent } from './exchange-types.ts'

/** Where market events go (the exchange's emitter). */
export type MarketEventSink = <Name extends MarketEventName>(name: Name, payload: ExchangeEvents[Name]) => void

export interface MarketEventSources {
  readonly tracker: OrderBookTracker
  readonly source: ExchangeOrderBookDataSource
  readonly emit: MarketEventSink
  /** False once the exchange was told to stop: from then on nothing is emitted. */
  readonly isActive: () => boolean
}

/**
 * Forwards the tracker's `status`, `update` and `trade` events and the data source's `connected`
 * event as `orderBookStatus`, `orderBookUpdate`, `marketTrade` and `marketStreamConnected`.
 *
 * @example
 * forwardMarketEvents({ tracker, source, emit: (name, payload) => events.emit(name, payload), isActive: () => running })
 */
export function forwardMarketEvents({ tracker, source, emit, isActive }: MarketEventSources): void {
  tracker.on('status', (change) => {
    if (isActive()) emit('orderBookStatus', change)
  })
  tracker.on('update', (book) => {
    if (isActive()) emit('orderBookUpdate', { tradingPair: book.tradingPair, updateId: book.lastUpdateId })
  })
  tracker.on('trade', (trade) => {
    if (isActive()) emit('marketTrade', marketTradeEvent(trade))
  })
  source.on('connected', ({ connections }) => {
    if (isActive()) emit('marketStreamConnected', { connections })
  })
}

/**
 * A tracker trade message as the exchange's `marketTrade` payload.
 *
 * @example
 * marketTradeEvent({ type: 'trade', tradingPair: 'BTC-USDT', tradeId: 7, price: '30000.1', amount: '0.5', side: 'sell', timestamp: 1 })
 * // { tradingPair: 'BTC-USDT', tradeId: '7', price: Big(30000.1), amount: Big(0.5), timestamp: 1, takerSide: 'SELL' }
 */
export function marketTradeEvent(trade: OrderBookTradeMessage): MarketTradeEvent {
  return {
    tradingPair: trade.tradingPair,
    tradeId: String(trade.tradeId),
    price: toDecimal(trade.price),
    amount: toDecimal(trade.amount),
    timestamp: trade.timestamp,
    takerSide: trade.side === 'buy' ? 'BUY' : 'SELL',
  }
}
