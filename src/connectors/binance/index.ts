// The Binance connector's only public door (`spotwire/binance`). The trading path
// (`createBinanceExchange`) and the public-data path (`watchOrderBook`) live in separate modules,
// so a bundle that only watches a book leaves the trading code out.
import { BinanceExchange } from './exchange.ts'
import type { BinanceExchangeOptions } from './exchange-options.ts'

export {
  restSignaturePayload,
  signRestQuery,
  signWsApiParams,
  wsApiSignaturePayload,
  type BinanceParamValue,
} from './auth.ts'
export type { BinanceDomain, BinanceUrls } from './constants.ts'
export type { BinanceExchange, NetworkStatus } from './exchange.ts'
export type { BinanceExchangeOptions } from './exchange-options.ts'
export type { ExchangeOrderReport, OrderReference } from './exchange-orders.ts'
export { watchOrderBook, type OrderBookWatch, type WatchOrderBookOptions } from './watch-order-book.ts'

/**
 * A Binance spot exchange. Constructing it starts nothing (no timer, socket or request) until
 * `start()`. Throws `InvalidInputError` for invalid options: an unknown domain, a malformed pair or
 * URL, one key without the other, or `tradingRequired` without keys.
 *
 * @example
 * const exchange = createBinanceExchange({ apiKey, apiSecret, tradingPairs: ['BTC-USDT'] })
 * await exchange.start()
 * exchange.on('orderFilled', (fill) => console.log(fill.amount.toFixed()))
 * const id = exchange.buy('BTC-USDT', '0.01', 'LIMIT', '30000')
 */
export function createBinanceExchange(options: BinanceExchangeOptions): BinanceExchange {
  return new BinanceExchange(options)
}
