// `createBinanceExchange`'s options and their checks. Everything wrong with them is found here, at
// construction, as an `InvalidInputError`; nothing has started by then.
import type { Clock } from '../../core/clock.ts'
import { describeInput, InvalidInputError } from '../../core/errors.ts'
import type { ExchangeIntervals } from '../../core/exchange/exchange-types.ts'
import { splitTradingPair } from '../../core/orders/trading-pair.ts'
import type { Throttler } from '../../core/throttler.ts'
import type { WebSocketFactory } from '../../core/web/ws-connection.ts'
import { type BinanceDomain, type BinanceUrls, DEFAULT_URLS, MAX_SNAPSHOT_DEPTH } from './constants.ts'
import { resolveBinanceUrls } from './web-utils.ts'

export interface BinanceExchangeOptions {
  /** Omit both keys (or pass undefined, e.g. an unset variable) for public data only. */
  readonly apiKey?: string | undefined
  readonly apiSecret?: string | undefined
  /** `BASE-QUOTE` pairs whose books are kept and whose orders may be placed. */
  readonly tradingPairs: readonly string[]
  /** Default `'com'`. */
  readonly domain?: BinanceDomain
  /** Per-key overrides of the domain's URLs (a simulator, a proxy, a relay). */
  readonly urls?: Partial<BinanceUrls>
  /** False: books, prices and rules only. Default: true when both keys are given. */
  readonly tradingRequired?: boolean
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch
  /** Default: the platform's WebSocket. */
  readonly socketFactory?: WebSocketFactory
  readonly clock?: Clock
  /** How long after its timestamp Binance may accept a signed request, ms. Default 5000, at most 60000. */
  readonly recvWindowMs?: number
  /** A throttler built from `RATE_LIMITS`, shared with other clients of the same key or IP. */
  readonly throttler?: Throttler
  /** Use only this share of every rate limit (several processes on one key). Default 100. */
  readonly rateLimitSharePercent?: number
  /** Loop periods (status polling, rules refresh, …), over the defaults. */
  readonly intervals?: Partial<ExchangeIntervals>
  /** Levels per side of each book's REST snapshot (1–5000). Default 1000. */
  readonly snapshotDepth?: number
}

/** The exchange's name per domain, as events and errors show it. */
export const EXCHANGE_NAMES = {
  com: 'binance',
  us: 'binance_us',
  testnet: 'binance_testnet',
} as const satisfies Readonly<Record<BinanceDomain, string>>

/** The options once checked. */
export interface CheckedBinanceOptions {
  readonly domain: BinanceDomain
  readonly urls: BinanceUrls
  readonly tradingRequired: boolean
  /** Present when both keys are. */
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string } | undefined
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

/**
 * Checks the options and resolves the domain's URLs. Throws `InvalidInputError` for an unknown
 * domain, a malformed URL or pair, one key without the other, trading without keys, a snapshot
 * depth outside 1–5000 or a rate-limit share outside (0, 100].
 *
 * @example
 * checkBinanceOptions({ tradingPairs: ['BTC-USDT'] }).tradingRequired // false
 */
export function checkBinanceOptions(options: BinanceExchangeOptions): CheckedBinanceOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('createBinanceExchange needs an options object')
  const domain = options.domain ?? 'com'
  if (!Object.hasOwn(DEFAULT_URLS, domain)) {
    throw new InvalidInputError(`unknown Binance domain ${JSON.stringify(domain)}; use 'com', 'us' or 'testnet'`)
  }
  if (!Array.isArray(options.tradingPairs)) throw new InvalidInputError('tradingPairs must be an array of BASE-QUOTE pairs')
  for (const pair of options.tradingPairs as readonly unknown[]) {
    if (typeof pair !== 'string' || /\s/.test(pair)) throw new InvalidInputError(`a trading pair must look like BASE-QUOTE, got ${JSON.stringify(pair)}`)
    splitTradingPair(pair)
  }
  const { apiKey, apiSecret } = options
  const hasKey = apiKey !== undefined
  const hasSecret = apiSecret !== undefined
  if ((hasKey && !isNonEmptyString(apiKey)) || (hasSecret && !isNonEmptyString(apiSecret))) {
    throw new InvalidInputError('apiKey and apiSecret must be non-empty strings when given')
  }
  if (hasKey !== hasSecret) throw new InvalidInputError('give both apiKey and apiSecret, or neither for public data only')
  const credentials = isNonEmptyString(apiKey) && isNonEmptyString(apiSecret) ? { apiKey, apiSecret } : undefined
  const tradingRequired = options.tradingRequired ?? credentials !== undefined
  if (typeof tradingRequired !== 'boolean') throw new InvalidInputError('tradingRequired must be true or false')
  if (tradingRequired && credentials === undefined) {
    throw new InvalidInputError('trading needs apiKey and apiSecret; pass tradingRequired: false for public data only')
  }
  for (const [key, url] of Object.entries(options.urls ?? {})) {
    if (url === undefined) continue
    if (!['rest', 'ws', 'wsApi'].includes(key)) throw new InvalidInputError(`urls has no ${JSON.stringify(key)}; use rest, ws and wsApi`)
    if (typeof url !== 'string' || !URL.canParse(url)) throw new InvalidInputError(`urls.${key} must be an absolute URL`)
  }
  const depth = options.snapshotDepth
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1 && depth <= MAX_SNAPSHOT_DEPTH)) {
    throw new InvalidInputError(`snapshotDepth must be an integer from 1 to ${MAX_SNAPSHOT_DEPTH}, got ${describeInput(depth)}`)
  }
  const share = options.rateLimitSharePercent
  if (share !== undefined && !(typeof share === 'number' && share > 0 && share <= 100)) {
    throw new InvalidInputError(`rateLimitSharePercent must be above 0 and at most 100, got ${describeInput(share)}`)
  }
  return { domain, urls: resolveBinanceUrls(domain, options.urls ?? {}), tradingRequired, credentials }
}
