// The recipe's order-book role (BinanceOrderBook): turns validated Binance payloads into the core's
// order-book messages. The payloads come from schemas/market.ts, so nothing here checks shapes;
// the caller resolves the exchange symbol to a trading pair first.
import type {
  OrderBookDiffMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from '../../core/order-book/order-book-message.ts'
import type { DepthSnapshot, DepthUpdateEvent, TradeEvent } from './schemas/market.ts'

/**
 * A REST depth snapshot as a snapshot message; its update id is `lastUpdateId`. Binance does not
 * say when the snapshot was taken, so `receivedAt` (epoch ms) stamps it.
 *
 * @example
 * snapshotMessageFromExchange({ lastUpdateId: 1027024, bids: [['4.00000000', '431.00000000']], asks: [] }, 'BNB-BTC', Date.now())
 * // { type: 'snapshot', tradingPair: 'BNB-BTC', updateId: 1027024, bids: [['4.00000000', '431.00000000']], asks: [], timestamp }
 */
export function snapshotMessageFromExchange(
  snapshot: DepthSnapshot,
  tradingPair: string,
  receivedAt: number,
): OrderBookSnapshotMessage {
  return {
    type: 'snapshot',
    tradingPair,
    updateId: snapshot.lastUpdateId,
    bids: snapshot.bids,
    asks: snapshot.asks,
    timestamp: receivedAt,
  }
}

/**
 * A `depthUpdate` event as a diff message covering update ids `U` through `u`, stamped with the
 * event time `E`.
 *
 * @example
 * diffMessageFromExchange(event, 'BNB-BTC') // { type: 'diff', firstUpdateId: 157, updateId: 160, … }
 */
export function diffMessageFromExchange(event: DepthUpdateEvent, tradingPair: string): OrderBookDiffMessage {
  return {
    type: 'diff',
    tradingPair,
    firstUpdateId: event.U,
    updateId: event.u,
    bids: event.b,
    asks: event.a,
    timestamp: event.E,
  }
}

/**
 * A `trade` event as a trade message, stamped with the trade time `T`. `m` says the buyer was the
 * maker, so the taker was the seller.
 *
 * @example
 * tradeMessageFromExchange({ …, t: 12345, p: '0.001', q: '100', m: true }, 'BNB-BTC')
 * // { type: 'trade', tradeId: 12345, price: '0.001', amount: '100', side: 'sell', … }
 */
export function tradeMessageFromExchange(event: TradeEvent, tradingPair: string): OrderBookTradeMessage {
  return {
    type: 'trade',
    tradingPair,
    tradeId: event.t,
    price: event.p,
    amount: event.q,
    side: event.m ? 'sell' : 'buy',
    timestamp: event.T,
  }
}
