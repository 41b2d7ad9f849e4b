// Binance's account and market endpoints as the exchange uses them: balances, last prices, ping.
// Every answer goes through its schema; money comes out as Big.
import { type Big, toDecimal } from '../../core/decimal.ts'
import type { AccountBalance } from '../../core/exchange/balances.ts'
import type { RestAssistant } from '../../core/web/rest-assistant.ts'
import { LIMIT_IDS, PATHS } from './constants.ts'
import { parsePayload } from './schemas/parse.ts'
import { AccountSchema, PingResponseSchema, TickerPriceListSchema, TickerPriceSchema } from './schemas/rest.ts'

/**
 * `GET /v3/account` (signed): every balance, available = free, total = free + locked.
 *
 * @example
 * const balances = await fetchAccountBalances(rest, signal)
 */
export async function fetchAccountBalances(rest: RestAssistant, signal: AbortSignal): Promise<AccountBalance[]> {
  const raw = await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account, signal })
  return parsePayload(AccountSchema, raw, `GET ${PATHS.account}`).balances.map((balance) => {
    const available = toDecimal(balance.free)
    return { asset: balance.asset, available, total: available.plus(toDecimal(balance.locked)) }
  })
}

/**
 * `GET /v3/ticker/price`: the last price per exchange symbol. One symbol is asked as `symbol`
 * (weight 2), several as `symbols` (weight 4).
 *
 * @example
 * (await fetchTickerPrices(rest, ['BTCUSDT'], signal)).get('BTCUSDT')?.toFixed() // '9999.9'
 */
export async function fetchTickerPrices(rest: RestAssistant, symbols: readonly string[], signal: AbortSignal): Promise<Map<string, Big>> {
  const source = `GET ${PATHS.tickerPrice}`
  const [only] = symbols
  const tickers =
    symbols.length === 1 && only !== undefined
      ? [parsePayload(TickerPriceSchema, await rest.request({ path: PATHS.tickerPrice, params: { symbol: only }, limitId: LIMIT_IDS.tickerPrice, signal }), source)]
      : parsePayload(
          TickerPriceListSchema,
          await rest.request({ path: PATHS.tickerPrice, params: { symbols: JSON.stringify(symbols) }, limitId: LIMIT_IDS.tickerPriceMany, signal }),
          source,
        )
  return new Map(tickers.map((ticker) => [ticker.symbol, toDecimal(ticker.price)]))
}

/** `GET /v3/ping`: resolves when Binance answers `{}`, rejects otherwise. */
export async function ping(rest: RestAssistant, signal: AbortSignal): Promise<void> {
  parsePayload(PingResponseSchema, await rest.request({ path: PATHS.ping, limitId: LIMIT_IDS.ping, signal }), `GET ${PATHS.ping}`)
}
