// The edge's one way to the exchange: the Binance connector's REST assistant (signing with
// BinanceAuth, Binance's error codes, usage headers, clock sync), with the Worker's secrets and
// BINANCE_REST_URL, throttled on the connector's own rate limits.
//
// The counters of those limits live in the RateBudget Durable Object (one per account), so every
// isolate of the fleet draws from one budget; `rateLimitStoreFor` is the only place that says so.
// A throttler is built per request (its queue and timers belong to that request; the budget is in
// the object), while the clock estimate lives as long as the isolate, one per (REST URL, account).
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { BinanceAuth } from '../../connectors/binance/auth.ts'
import { RATE_LIMITS } from '../../connectors/binance/constants.ts'
import { createBinanceRestAssistant, resolveBinanceUrls } from '../../connectors/binance/web-utils.ts'
import { Throttler } from '../../core/throttler.ts'
import type { RateLimitStore } from '../../core/throttler-store.ts'
import { TimeSynchronizer } from '../../core/time-synchronizer.ts'
import type { RestAssistant } from '../../core/web/rest-assistant.ts'
import type { EdgeEnv } from '../env.ts'
import { rateBudgetStore } from '../rate-budget.ts'

/** A signed REST client for the Worker's exchange account. */
export interface ExchangeAccess {
  readonly rest: RestAssistant
  /** `urls.rest` as resolved (no trailing slash): the key of everything cached per exchange. */
  readonly restUrl: string
  /** Names the account without revealing its key: `binance:` + 16 hex digits of SHA-256(API key). */
  readonly accountKeyId: string
}

const timeSynchronizers = new Map<string, TimeSynchronizer>()

/**
 * Where the exchange's rate-limit counters live for this account: the RateBudget object named
 * `accountKeyId`, shared by every isolate. (An in-memory store would do for a single isolate:
 * `new InMemoryRateLimitStore()` from src/core/throttler-store.ts.)
 */
export function rateLimitStoreFor(env: EdgeEnv, accountKeyId: string): RateLimitStore {
  return rateBudgetStore(env.RATE_BUDGET, accountKeyId)
}

/** `binance:` + the first 16 hex digits of SHA-256 of the API key. */
export function accountKeyIdFor(apiKey: string): string {
  return `binance:${bytesToHex(sha256(utf8ToBytes(apiKey))).slice(0, 16)}`
}

/**
 * The exchange client for this request, or undefined when the Worker has no exchange keys.
 *
 * @example
 * const access = exchangeAccessFor(env, fetch)
 * await access?.rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account })
 */
export function exchangeAccessFor(env: EdgeEnv, fetchImpl?: typeof fetch): ExchangeAccess | undefined {
  const apiKey = env.BINANCE_API_KEY
  const apiSecret = env.BINANCE_API_SECRET
  if (!apiKey || !apiSecret) return undefined
  const urls = resolveBinanceUrls('com', env.BINANCE_REST_URL ? { rest: env.BINANCE_REST_URL } : {})
  const accountKeyId = accountKeyIdFor(apiKey)
  const clockKey = `${urls.rest} ${accountKeyId}`
  let timeSynchronizer = timeSynchronizers.get(clockKey)
  if (!timeSynchronizer) {
    timeSynchronizer = new TimeSynchronizer()
    timeSynchronizers.set(clockKey, timeSynchronizer)
  }
  const synchronizer = timeSynchronizer
  const throttler = new Throttler(RATE_LIMITS, { store: rateLimitStoreFor(env, accountKeyId) })
  // BinanceAuth registers the key and secret with the redactor, so no error text can carry them.
  const auth = new BinanceAuth({ apiKey, apiSecret, now: () => synchronizer.now() })
  const rest = createBinanceRestAssistant({
    urls,
    auth,
    throttler,
    timeSynchronizer: synchronizer,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  })
  return { rest, restUrl: urls.rest, accountKeyId }
}
