// The simulator's REST API as one fetch handler (Request → Response, Web APIs only) so the same
// code serves Node, the Vite dev server and workerd. Each request: CORS preflight or route lookup,
// request weight charged to the caller's IP, API-key or SIGNED checks where the route needs them,
// then the route's answer as JSON, with the rate-limit headers on every response.
import { SeededRandom, type SimulatedExchange } from '../engine/index.ts'
import type { ListenKeyRegistry } from '../listen-keys/listen-key-registry.ts'
import { MARKET_ROUTES } from './market-routes.ts'
import { type RateLimitOptions, RateLimiter } from './rate-limits.ts'
import { RequestParams } from './request-params.ts'
import { REST_ERRORS, RestFailure } from './rest-errors.ts'
import type { Route } from './route-context.ts'
import { type SimulatorCredentials, verifyApiKey, verifySignedRequest } from './signed-request.ts'
import { TRADE_HISTORY_ROUTES } from './trade-history-routes.ts'
import { TRADING_ROUTES } from './trading-routes.ts'
import { userStreamRoutes } from './user-stream-routes.ts'

export interface SimulatorRestHandlerOptions {
  readonly exchange: SimulatedExchange
  readonly credentials: SimulatorCredentials
  /** The server clock in epoch milliseconds; inject the exchange's clock in tests. */
  readonly now?: () => number
  readonly limits?: RateLimitOptions
  /** Share this limiter (e.g. to read its violation counts) instead of building one from `limits`. */
  readonly limiter?: RateLimiter
  /**
   * The clock the limits are counted on; default `now`. The simulator passes its undisturbed clock
   * so a `clockSkew` fault does not stretch or shorten a Retry-After or a ban.
   */
  readonly limitsNow?: () => number
  /** Seeds the client order ids generated for cancels that name none. */
  readonly seed?: number
  /**
   * Serves the retired listen-key endpoints (POST/PUT/DELETE /api/v3/userDataStream) on this
   * registry; without it those paths are unknown, as on Binance since 2026-02-20.
   */
  readonly listenKeys?: ListenKeyRegistry
}

/** `throttle`: answer this request 429 with `Retry-After` (the `throttleRequests` fault). */
export type SimulatorRestHandler = (request: Request, throttle?: { readonly retryAfterSeconds: number }) => Promise<Response>

const ROUTES: readonly Route[] = [...MARKET_ROUTES, ...TRADE_HISTORY_ROUTES, ...TRADING_ROUTES]
/** Lets a page on another origin (the playground, a dashboard) call the simulator. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'X-MBX-APIKEY, Content-Type',
  'Access-Control-Expose-Headers': 'X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, X-MBX-ORDER-COUNT-1D, Retry-After',
  'Access-Control-Max-Age': '86400',
}
/** Weight charged when a request's own weight cannot be worked out (its parameters are invalid). */
const FALLBACK_WEIGHT = 1

/**
 * @example
 * const exchange = createSimulatedExchange({ seed: 1 })
 * const handle = createSimulatorRestHandler({ exchange, credentials: { apiKey, apiSecret } })
 * const response = await handle(new Request('http://127.0.0.1/api/v3/time'))
 */
export function createSimulatorRestHandler(options: SimulatorRestHandlerOptions): SimulatorRestHandler {
  const limiter = options.limiter ?? new RateLimiter(options.limits)
  const clock = options.now ?? (() => Date.now())
  const limitsClock = options.limitsNow ?? clock
  const idRandom = new SeededRandom(options.seed ?? 0x0c4ce1)
  const { exchange, credentials } = options
  const routes = options.listenKeys ? [...ROUTES, ...userStreamRoutes(options.listenKeys)] : ROUTES

  return async (request, throttle) => {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS })
    const now = clock()
    const limitsNow = limitsClock()
    const ip = callerAddress(request)
    const url = new URL(request.url)
    const route = routes.find((candidate) => candidate.path === url.pathname && candidate.method === request.method)
    const extraHeaders: Record<string, string> = {}
    let status = 200
    let body: unknown
    try {
      if (!route) throw new RestFailure(REST_ERRORS.unknown, 404)
      if (throttle) throw limiter.tellToWait(ip, throttle.retryAfterSeconds, limitsNow)
      const params = await readParams(request, url, () => limiter.chargeWeight(ip, FALLBACK_WEIGHT, limitsNow))
      limiter.chargeWeight(ip, weightOf(route, params), limitsNow)
      if (route.auth === 'signed') verifySignedRequest(request, params, credentials, now)
      else if (route.auth === 'apiKey') verifyApiKey(request, credentials)
      body = route.handle({ params, exchange, limiter, now, idRandom })
    } catch (error) {
      const failure = asFailure(error)
      status = failure.status
      body = failure.error
      Object.assign(extraHeaders, failure.headers)
    }
    const headers = {
      ...CORS_HEADERS,
      'Content-Type': 'application/json;charset=UTF-8',
      'X-MBX-USED-WEIGHT-1M': String(limiter.usedWeight(ip, limitsNow)),
      ...limiter.orderCountHeaders(exchange.testAccountId, now),
      ...extraHeaders,
    }
    return new Response(JSON.stringify(body), { status, headers })
  }
}

/** Malformed parameters still cost a request weight, charged before the -11xx answer goes out. */
async function readParams(request: Request, url: URL, chargeFallback: () => void): Promise<RequestParams> {
  try {
    return await RequestParams.read(request, url)
  } catch (error) {
    chargeFallback()
    throw error
  }
}

function weightOf(route: Route, params: RequestParams): number {
  try {
    return route.weight(params)
  } catch {
    return FALLBACK_WEIGHT
  }
}

function asFailure(error: unknown): RestFailure {
  if (error instanceof RestFailure) return error
  // A bug in the simulator must still answer like Binance: 5xx means "status unknown" to clients.
  return new RestFailure(REST_ERRORS.unknown, 500)
}

/** The caller's IP as a proxy or the Workers runtime reports it; everything local shares one budget. */
function callerAddress(request: Request): string {
  const forwarded = request.headers.get('cf-connecting-ip') ?? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
  return forwarded !== undefined && forwarded !== null && forwarded !== '' ? forwarded : 'local'
}
