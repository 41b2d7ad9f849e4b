// What the exchange lists (symbols and their trading rules, from exchangeInfo through the Binance
// connector's parser) and the price a MARKET order is estimated at. exchangeInfo is cached per
// isolate and REST URL for `exchangeInfoTtlMs`.
import { depthLimitId, LIMIT_IDS, PATHS } from '../../connectors/binance/constants.ts'
import { fetchTickerPrices } from '../../connectors/binance/exchange-market.ts'
import { parsePayload } from '../../connectors/binance/schemas/parse.ts'
import { DepthSnapshotSchema } from '../../connectors/binance/schemas/market.ts'
import { type BinanceTradingRule, parseExchangeInfo } from '../../connectors/binance/utils.ts'
import { type Big, toDecimal } from '../../core/decimal.ts'
import type { TradeType } from '../../core/orders/order-state.ts'
import type { ExchangeAccess } from './exchange-client.ts'
import { ORDER_API_LIMITS } from './order-constants.ts'

/** The exchange's listing: pair → symbol and pair → trading rule, tradable spot pairs only. */
export interface ExchangeMarkets {
  readonly symbols: ReadonlyMap<string, string>
  readonly rules: ReadonlyMap<string, BinanceTradingRule>
}

const cachedMarkets = new Map<string, { readonly fetchedAtMs: number; readonly markets: ExchangeMarkets }>()

/**
 * The exchange's symbols and trading rules, fetched at most once per `exchangeInfoTtlMs`.
 *
 * @example
 * const markets = await loadMarkets(access, signal, Date.now())
 * markets.rules.get('BTC-USDT')?.minPriceIncrement.toFixed() // '0.01'
 */
export async function loadMarkets(access: ExchangeAccess, signal: AbortSignal, nowMs: number): Promise<ExchangeMarkets> {
  const cached = cachedMarkets.get(access.restUrl)
  if (cached && nowMs - cached.fetchedAtMs < ORDER_API_LIMITS.exchangeInfoTtlMs) return cached.markets
  const raw = await access.rest.request({ path: PATHS.exchangeInfo, limitId: LIMIT_IDS.exchangeInfo, signal })
  const info = parseExchangeInfo(raw)
  const markets: ExchangeMarkets = {
    symbols: new Map(info.symbols.map((entry) => [entry.tradingPair, entry.exchangeSymbol])),
    rules: new Map(info.tradingRules.map((rule) => [rule.tradingPair, rule])),
  }
  cachedMarkets.set(access.restUrl, { fetchedAtMs: nowMs, markets })
  return markets
}

/** `BTC-USDT` → the exchange's symbol, or `BTCUSDT` when the listing does not name the pair. */
export function exchangeSymbolIn(markets: ExchangeMarkets, tradingPair: string): string {
  return markets.symbols.get(tradingPair) ?? tradingPair.replace('-', '')
}

/**
 * The price a MARKET order would meet first: the best ask for a buy, the best bid for a sell (from
 * a small depth snapshot), else the last trade price; undefined when the exchange shows neither.
 *
 * @example
 * await referencePrice(access, 'BTCUSDT', 'BUY', signal) // Big('60000.01')
 */
export async function referencePrice(access: ExchangeAccess, exchangeSymbol: string, side: TradeType, signal: AbortSignal): Promise<Big | undefined> {
  const depth = ORDER_API_LIMITS.referenceDepth
  const raw = await access.rest.request({ path: PATHS.depth, params: { symbol: exchangeSymbol, limit: depth }, limitId: depthLimitId(depth), signal })
  const book = parsePayload(DepthSnapshotSchema, raw, `GET ${PATHS.depth}`)
  const best = (side === 'BUY' ? book.asks : book.bids)[0]
  if (best !== undefined) return toDecimal(best[0])
  const last = (await fetchTickerPrices(access.rest, [exchangeSymbol], signal)).get(exchangeSymbol)
  return last !== undefined && last.gt(0) ? last : undefined
}
