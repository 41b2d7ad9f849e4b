// The connector's REST plumbing: URLs per domain, Binance error answers → typed errors, usage
// headers → the throttler, and a RestAssistant wired with all of it plus the clock sync that
// signed requests need.
import * as v from 'valibot'
import type { Clock } from '../../core/clock.ts'
import {
  ExchangeError,
  type ExchangeErrorOptions,
  FilterFailureError,
  InsufficientFundsError,
  InvalidInputError,
  InvalidSignatureError,
  OrderNotFoundError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  type SpotwireError,
  TimestampOutsideWindowError,
} from '../../core/errors.ts'
import type { Throttler } from '../../core/throttler.ts'
import type { TimeSynchronizer } from '../../core/time-synchronizer.ts'
import type { RestAuthenticator } from '../../core/web/auth.ts'
import {
  RestAssistant,
  type RestErrorMapper,
  type RestPostProcessor,
  type RestPreProcessor,
  type RequestLimiter,
} from '../../core/web/rest-assistant.ts'
import type { RestRequest } from '../../core/web/rest-request.ts'
import {
  type BinanceDomain,
  type BinanceUrls,
  DEFAULT_URLS,
  ERROR_CODES,
  INSUFFICIENT_BALANCE_MESSAGE,
  LIMIT_IDS,
  PATHS,
  UNKNOWN_ORDER_MESSAGE,
  USAGE_HEADER_POOLS,
} from './constants.ts'
import { parsePayload } from './schemas/parse.ts'
import { ErrorBodySchema, TimeResponseSchema } from './schemas/rest.ts'

/**
 * The URLs for a domain, with any override replacing its key. Trailing slashes are removed, so
 * paths can always be appended with a leading `/`.
 *
 * @example
 * resolveBinanceUrls('com', { rest: 'http://127.0.0.1:8080/api/' }).rest // 'http://127.0.0.1:8080/api'
 */
export function resolveBinanceUrls(domain: BinanceDomain = 'com', overrides: Partial<BinanceUrls> = {}): BinanceUrls {
  const defaults: BinanceUrls | undefined = DEFAULT_URLS[domain]
  if (defaults === undefined) throw new InvalidInputError(`Unknown Binance domain '${String(domain)}'; use 'com', 'us' or 'testnet'`)
  const pick = (key: keyof BinanceUrls): string => (overrides[key] ?? defaults[key]).replace(/\/+$/, '')
  return { rest: pick('rest'), ws: pick('ws'), wsApi: pick('wsApi') }
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Binance rejected the API key itself (-2014 malformed, -2015 unknown key, IP or permission, -1002). */
export class ApiKeyRejectedError extends InvalidSignatureError {
  override name = 'ApiKeyRejectedError'
}

/** -2010 for a reason other than balance (would take as LIMIT_MAKER, market closed, …): the order does not exist. */
export class OrderRejectedError extends ExchangeError {
  override name = 'OrderRejectedError'
}

/** -2011 for a reason other than "unknown order" (e.g. cancel restrictions): the order is still there. */
export class CancelRejectedError extends ExchangeError {
  override name = 'CancelRejectedError'
}

export interface BinanceErrorContext {
  /** `METHOD /path` (or a WS API method name): never a URL with its query. */
  readonly description: string
  readonly httpStatus?: number
}

/**
 * The typed error for a Binance error code, or undefined when the code has no special meaning
 * (the caller's default then applies: BadRequestError for HTTP 400, ExchangeError otherwise).
 * Shared by the REST mapper and the WS API, whose error answers carry the same `{code, msg}`.
 *
 * @example
 * binanceErrorFromCode({ code: -2013, msg: 'Order does not exist.' }, { description: 'GET /v3/order' })
 * // OrderNotFoundError
 */
export function binanceErrorFromCode(body: { code: number; msg: string }, context: BinanceErrorContext): SpotwireError | undefined {
  const { code, msg } = body
  const options: ExchangeErrorOptions = {
    exchangeCode: code,
    exchangeMessage: msg,
    ...(context.httpStatus === undefined ? {} : { httpStatus: context.httpStatus }),
  }
  const networkOptions = context.httpStatus === undefined ? {} : { httpStatus: context.httpStatus }
  const text = (meaning: string): string => `${context.description}: ${meaning} (Binance ${code} ${msg})`
  if (msg.startsWith('Filter failure:')) return new FilterFailureError(text('the order breaks a symbol filter'), options)
  switch (code) {
    case ERROR_CODES.INVALID_TIMESTAMP:
      return new TimestampOutsideWindowError(text("the request's timestamp is outside the receive window"), options)
    case ERROR_CODES.INVALID_SIGNATURE:
      return new InvalidSignatureError(text('the signature was refused'), options)
    case ERROR_CODES.UNAUTHORIZED:
    case ERROR_CODES.BAD_API_KEY_FORMAT:
    case ERROR_CODES.REJECTED_API_KEY:
      return new ApiKeyRejectedError(text('the API key was refused for this request'), options)
    case ERROR_CODES.NO_SUCH_ORDER:
    case ERROR_CODES.ORDER_ARCHIVED:
      return new OrderNotFoundError(text('the exchange does not know this order'), options)
    case ERROR_CODES.CANCEL_REJECTED:
      return msg === UNKNOWN_ORDER_MESSAGE
        ? new OrderNotFoundError(text('the exchange does not know this order'), options)
        : new CancelRejectedError(text('the cancel was refused'), options)
    case ERROR_CODES.NEW_ORDER_REJECTED:
      return msg === INSUFFICIENT_BALANCE_MESSAGE
        ? new InsufficientFundsError(text('the balance is too small for this order'), options)
        : new OrderRejectedError(text('the order was rejected'), options)
    case ERROR_CODES.INVALID_MESSAGE:
      return new FilterFailureError(text('the order was refused before matching'), options)
    case ERROR_CODES.TOO_MANY_REQUESTS:
    case ERROR_CODES.TOO_MANY_ORDERS:
      return new RateLimitedError(text('rate limited'), networkOptions)
    case ERROR_CODES.TIMEOUT:
      // "Send status unknown; execution status unknown": the order may exist. Never a rejection.
      return new RequestTimeoutError(text('the exchange timed out; the outcome is unknown'), networkOptions)
    case ERROR_CODES.UNKNOWN:
    case ERROR_CODES.DISCONNECTED:
    case ERROR_CODES.UNEXPECTED_RESPONSE:
    case ERROR_CODES.SERVER_BUSY:
      return new ServerError(text('the exchange failed; the outcome is unknown'), networkOptions)
    default:
      return undefined
  }
}

/** `METHOD /path` for a request, without host or query. */
function describeRequest(request: RestRequest): string {
  const path = request.path ?? (request.url === undefined ? '' : new URL(request.url).pathname)
  return `${request.method ?? 'GET'} ${path.startsWith('/') ? path : `/${path}`}`
}

/**
 * Maps a Binance 4xx answer (`{code, msg}`) to a typed error that keeps `exchangeCode`,
 * `exchangeMessage` and `httpStatus`; other bodies are left to the assistant's default.
 *
 * @example
 * new RestAssistant({ mapError: mapBinanceError })
 */
export const mapBinanceError: RestErrorMapper = (status, body, request) => {
  const parsed = v.safeParse(ErrorBodySchema, body)
  if (!parsed.success) return undefined
  return binanceErrorFromCode(parsed.output, { description: describeRequest(request), httpStatus: status })
}

// ---------------------------------------------------------------------------------------------
// Usage headers

/**
 * A post-processor that tells the throttler what Binance counted: `X-MBX-USED-WEIGHT-1M` for the
 * IP's weight, `X-MBX-ORDER-COUNT-10S` / `-1D` for the account's orders. Headers for windows we
 * keep no pool for, and unreadable values, are ignored.
 *
 * @example
 * new RestAssistant({ postProcessors: [usageHeadersPostProcessor(throttler)] })
 */
export function usageHeadersPostProcessor(throttler: Pick<Throttler, 'reportUsage'>): RestPostProcessor {
  return async (response) => {
    for (const { header, limitId } of USAGE_HEADER_POOLS) {
      const value = response.headers.get(header)
      if (value === null || !/^\d+$/.test(value.trim())) continue
      await throttler.reportUsage(limitId, Number(value))
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The assistant

/**
 * Asks Binance for its clock, in epoch ms.
 *
 * @example
 * const serverMs = await fetchServerTime(rest, signal)
 */
export async function fetchServerTime(rest: RestAssistant, signal?: AbortSignal): Promise<number> {
  const raw = await rest.request({ path: PATHS.time, limitId: LIMIT_IDS.time, ...(signal ? { signal } : {}) })
  return parsePayload(TimeResponseSchema, raw, `GET ${PATHS.time}`).serverTime
}

export interface BinanceRestAssistantOptions {
  readonly urls: BinanceUrls
  /** Signs requests marked `signed`; omit for public data only. */
  readonly auth?: RestAuthenticator
  /** The connector's throttler (built from `RATE_LIMITS`): limits requests and hears usage headers. */
  readonly throttler: RequestLimiter & Pick<Throttler, 'reportUsage'>
  /** Measured once before the first signed request; its `now()` should be the auth's clock. */
  readonly timeSynchronizer: TimeSynchronizer
  readonly fetch?: typeof fetch
  readonly clock?: Clock
  /** Receives failures that must not fail a request (a usage header the throttler refused). */
  readonly onError?: (error: Error) => void
  /** Per-attempt timeout, ms. */
  readonly timeoutMs?: number
}

/**
 * A RestAssistant for Binance: base URL `urls.rest`, Binance's error codes, usage headers fed to
 * the throttler, and a clock sync before the first signed request. The server-time request goes
 * through a sibling assistant without that pre-processor, so it cannot wait on itself.
 *
 * @example
 * const rest = createBinanceRestAssistant({ urls: resolveBinanceUrls('com'), auth, throttler, timeSynchronizer })
 * await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account })
 */
export function createBinanceRestAssistant(options: BinanceRestAssistantOptions): RestAssistant {
  const { throttler, timeSynchronizer } = options
  const unsynced = new RestAssistant({
    baseUrl: options.urls.rest,
    limiter: throttler,
    mapError: mapBinanceError,
    postProcessors: [usageHeadersPostProcessor(throttler)],
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  })
  const syncClockFirst: RestPreProcessor = async (request) => {
    if (!request.signed) return
    // A failed sample is reported through the synchronizer's onError; the request still goes,
    // stamped with the local clock, and a -1021 answer triggers the exchange's resync-and-retry.
    await timeSynchronizer.updateIfUninitialized(
      (signal) => fetchServerTime(unsynced, signal),
      request.signal ? { signal: request.signal } : {},
    )
  }
  return unsynced.withOptions({ preProcessors: [syncClockFirst] })
}
