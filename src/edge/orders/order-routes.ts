// The order-routing API (DESIGN.md "Edge"):
//   POST   /v1/orders                                   place
//   GET    /v1/orders/:clientOrderId?tradingPair=        the order's current state
//   DELETE /v1/orders/:clientOrderId?tradingPair=        cancel
// Checks run in the contract's order, each answering before the next is looked at: body over
// 16 KiB → 413; caller auth → 401; schema → 400; allowlist / max notional → 403; the exchange's
// trading rules → 400; per-client limit → 429. Only then is the exchange asked to act. The schema
// stage is strict: a body that is not one JSON object, repeats a key or names `__proto__`,
// `constructor` or `prototype` (json-body.ts), an unknown field, and a query parameter the route
// does not take or given twice, are all refused with 400.
import { CLIENT_ORDER_ID_PREFIX } from '../../connectors/binance/constants.ts'
import type { BinanceOrderApi } from '../../connectors/binance/exchange-orders.ts'
import { type Big, maxDecimal, toDecimal } from '../../core/decimal.ts'
import { redact } from '../../core/redact.ts'
import type { EdgeEnv } from '../env.ts'
import { jsonError } from '../http.ts'
import { authenticateCaller, parseCallerClients, ReplayGuard } from './caller-auth.ts'
import { ClientRequestLimiter } from './client-limits.ts'
import { type ExchangeAccess, exchangeAccessFor } from './exchange-client.ts'
import { exchangeErrorResponse, type FailedCall } from './error-responses.ts'
import { type ExchangeMarkets, exchangeSymbolIn, loadMarkets, referencePrice } from './exchange-markets.ts'
import { cancelOrderById, fetchOrder, type OrderView, placeOrder } from './order-calls.ts'
import { ORDER_API_LIMITS, ORDER_ERROR_CODES } from './order-constants.ts'
import { findRuleViolation } from './order-rules.ts'
import { parseJsonObject } from './json-body.ts'
import { readBoundedBody } from './request-body.ts'
import { NewOrderRequestSchema, OrderReferenceSchema, validateRequest } from './order-schemas.ts'
import { allowedPairs, checkAllowedPair, checkNotional, maxNotional, type RiskRefusal, unknownNotional } from './risk.ts'

/** What a caller of `handleOrderRequest` may replace (tests): the clock, the outbound fetch, the log. */
export interface OrderRequestDeps {
  /** Epoch ms, for the auth window, replay memory and per-client limits. Default `Date.now`. */
  readonly now?: () => number
  /** Used for every exchange request. Default the global fetch. */
  readonly fetch?: typeof fetch
  /** Receives one redacted line per unexpected failure. Default `console.error`. */
  readonly log?: (line: string) => void
}

// Per isolate, for as long as it lives (see caller-auth.ts and client-limits.ts for what that means
// for a fleet).
const replayGuard = /*#__PURE__*/ new ReplayGuard()
const clientLimiter = /*#__PURE__*/ new ClientRequestLimiter(ORDER_API_LIMITS.clientRequestsPerWindow, ORDER_API_LIMITS.clientWindowMs)

const ORDER_PATH = /^\/v1\/orders(?:\/([^/]*))?$/

/** A check's early answer, or the value it lets through. */
type Step<Value> = { readonly stop: Response } | { readonly stop?: undefined; readonly value: Value }

/**
 * Answers one `/v1/orders` request.
 *
 * @example
 * export default { fetch: (request, env) => handleOrderRequest(request, env) }
 */
export async function handleOrderRequest(request: Request, env: EdgeEnv, deps: OrderRequestDeps = {}): Promise<Response> {
  const now = deps.now ?? Date.now
  const log = deps.log ?? ((line: string) => console.error(line))
  const url = new URL(request.url)
  const route = ORDER_PATH.exec(url.pathname)
  if (!route) return jsonError(404, ORDER_ERROR_CODES.notFound, `No route for ${request.method} ${url.pathname}.`)
  const idSegment = route[1]
  const allowed = idSegment === undefined ? 'POST' : 'GET, DELETE'
  if (!allowed.split(', ').includes(request.method)) {
    return jsonError(405, ORDER_ERROR_CODES.methodNotAllowed, `Use ${allowed} on ${url.pathname}.`, { headers: { Allow: allowed } })
  }
  try {
    const body = await readBoundedBody(request, ORDER_API_LIMITS.maxBodyBytes)
    if (body === undefined) {
      return jsonError(413, ORDER_ERROR_CODES.bodyTooLarge, `The body is larger than ${ORDER_API_LIMITS.maxBodyBytes} bytes.`)
    }
    const clients = parseCallerClients(env.SPOTWIRE_CLIENTS)
    if (!clients) return misconfigured('SPOTWIRE_CLIENTS')
    const caller = authenticateCaller({ method: request.method, pathWithQuery: url.pathname + url.search, headers: request.headers, body }, clients, replayGuard, now())
    if (!caller.ok) return jsonError(401, caller.code, caller.message)
    const queryProblem = findQueryProblem(url.searchParams, idSegment === undefined ? [] : ['tradingPair'])
    if (queryProblem) return jsonError(400, ORDER_ERROR_CODES.invalidRequest, `Invalid request: ${queryProblem}`)
    const context: RouteContext = { env, deps, now, clientId: caller.clientId }
    return idSegment === undefined ? await placeRoute(context, body) : await existingOrderRoute(context, request.method, idSegment, url.searchParams)
  } catch (error) {
    log(redact(`order route ${request.method} ${url.pathname} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`))
    return jsonError(500, 'INTERNAL', 'The order could not be handled; nothing is known to have been sent.')
  }
}

interface RouteContext {
  readonly env: EdgeEnv
  readonly deps: OrderRequestDeps
  readonly now: () => number
  readonly clientId: string
}

async function placeRoute(context: RouteContext, body: string): Promise<Response> {
  const { env, now } = context
  const json = parseJsonObject(body)
  if (!json.ok) return jsonError(400, ORDER_ERROR_CODES.invalidRequest, `Invalid request: ${json.message}`)
  const parsed = validateRequest(NewOrderRequestSchema, json.value)
  if (!parsed.ok) return jsonError(400, ORDER_ERROR_CODES.invalidRequest, parsed.message)
  const order = parsed.value
  const pairRefusal = checkAllowedPair(allowedPairs(env.ALLOWED_PAIRS), order.tradingPair)
  if (pairRefusal) return forbidden(pairRefusal)
  const maximum = maxNotional(env.MAX_NOTIONAL)
  if (!maximum) return misconfigured('MAX_NOTIONAL')
  const amount = toDecimal(order.amount)
  const price = order.price === undefined ? undefined : toDecimal(order.price)
  const isMarket = order.orderType === 'MARKET'
  if (!isMarket && price !== undefined) {
    const refusal = checkNotional(maximum, amount, price, 'the limit price')
    if (refusal) return forbidden(refusal)
  }
  const access = exchangeAccessFor(env, context.deps.fetch)
  if (!access) return misconfigured('BINANCE_API_KEY / BINANCE_API_SECRET')
  const signal = AbortSignal.timeout(ORDER_API_LIMITS.exchangeDeadlineMs)
  const prepared = await exchangeStep({ action: 'prepare' }, () => marketsAndReference(access, order.tradingPair, isMarket ? order.side : undefined, signal, now()))
  if (prepared.stop) return prepared.stop
  const { markets, exchangePrice } = prepared.value
  let reference: Big | undefined
  if (isMarket) {
    reference = price !== undefined && exchangePrice !== undefined ? maxDecimal(price, exchangePrice) : (exchangePrice ?? price)
    if (reference === undefined) return forbidden(unknownNotional(order.tradingPair))
    const refusal = checkNotional(maximum, amount, reference, price === undefined ? "the exchange's best price" : "the larger of the given and the exchange's best price")
    if (refusal) return forbidden(refusal)
  }
  const violation = findRuleViolation(markets.rules.get(order.tradingPair), {
    tradingPair: order.tradingPair,
    orderType: order.orderType,
    amount,
    price: isMarket ? undefined : price,
    referencePrice: reference,
  })
  if (violation) {
    return jsonError(400, ORDER_ERROR_CODES.tradingRule, `The order breaks the exchange's ${violation.rule} rule: ${violation.message}.`)
  }
  const limited = takeClientRequest(context)
  if (limited) return limited
  const clientOrderId = order.clientOrderId ?? newClientOrderId()
  const placed = await exchangeStep({ action: 'place', clientOrderId }, () =>
    placeOrder(orderApi(access, markets), { tradingPair: order.tradingPair, clientOrderId, tradeType: order.side, orderType: order.orderType, amount, price: isMarket ? undefined : price }, signal),
  )
  return placed.stop ?? orderResponse(placed.value)
}

async function existingOrderRoute(context: RouteContext, method: string, idSegment: string, query: URLSearchParams): Promise<Response> {
  const { env, now } = context
  const parsed = validateRequest(OrderReferenceSchema, { clientOrderId: decodeSegment(idSegment), tradingPair: query.get('tradingPair') ?? undefined })
  if (!parsed.ok) return jsonError(400, ORDER_ERROR_CODES.invalidRequest, parsed.message)
  const { clientOrderId, tradingPair } = parsed.value
  const pairRefusal = checkAllowedPair(allowedPairs(env.ALLOWED_PAIRS), tradingPair)
  if (pairRefusal) return forbidden(pairRefusal)
  const limited = takeClientRequest(context)
  if (limited) return limited
  const access = exchangeAccessFor(env, context.deps.fetch)
  if (!access) return misconfigured('BINANCE_API_KEY / BINANCE_API_SECRET')
  const signal = AbortSignal.timeout(ORDER_API_LIMITS.exchangeDeadlineMs)
  const isCancel = method === 'DELETE'
  const result = await exchangeStep({ action: isCancel ? 'cancel' : 'query', clientOrderId }, async () => {
    const api = orderApi(access, await loadMarkets(access, signal, now()))
    return isCancel ? cancelOrderById(api, tradingPair, clientOrderId, signal) : fetchOrder(api, tradingPair, clientOrderId, signal)
  })
  return result.stop ?? orderResponse(result.value)
}

async function marketsAndReference(
  access: ExchangeAccess,
  tradingPair: string,
  marketSide: 'BUY' | 'SELL' | undefined,
  signal: AbortSignal,
  nowMs: number,
): Promise<{ markets: ExchangeMarkets; exchangePrice: Big | undefined }> {
  const markets = await loadMarkets(access, signal, nowMs)
  const listed = markets.rules.has(tradingPair)
  const exchangePrice = marketSide !== undefined && listed ? await referencePrice(access, exchangeSymbolIn(markets, tradingPair), marketSide, signal) : undefined
  return { markets, exchangePrice }
}

/** Runs an exchange call; a failure becomes the typed error answer for it. */
async function exchangeStep<Value>(call: FailedCall, run: () => Promise<Value>): Promise<Step<Value>> {
  try {
    return { value: await run() }
  } catch (error) {
    return { stop: exchangeErrorResponse(error, call) }
  }
}

function takeClientRequest(context: RouteContext): Response | undefined {
  const decision = clientLimiter.take(context.clientId, context.now())
  if (decision.allowed) return undefined
  return jsonError(
    429,
    ORDER_ERROR_CODES.clientRateLimited,
    `At most ${ORDER_API_LIMITS.clientRequestsPerWindow} requests per ${ORDER_API_LIMITS.clientWindowMs / 1000} s per client; retry in ${decision.retryAfterSeconds} s.`,
    { headers: { 'Retry-After': String(decision.retryAfterSeconds) } },
  )
}

function orderApi(access: ExchangeAccess, markets: ExchangeMarkets): BinanceOrderApi {
  return { rest: access.rest, exchangeSymbolFor: (pair) => exchangeSymbolIn(markets, pair) }
}

function orderResponse(view: OrderView): Response {
  return Response.json(view, { headers: { 'Cache-Control': 'no-store' } })
}

function forbidden(refusal: RiskRefusal): Response {
  return jsonError(403, refusal.code, refusal.message)
}

function misconfigured(setting: string): Response {
  return jsonError(500, ORDER_ERROR_CODES.misconfigured, `The Worker is missing a valid ${setting} setting.`)
}

/** `sw-` + 32 hex digits: 35 characters, within Binance's 36. */
function newClientOrderId(): string {
  return `${CLIENT_ORDER_ID_PREFIX}${crypto.randomUUID().replaceAll('-', '')}`
}

/**
 * A query parameter the route does not take, or one given twice (which value would count is
 * anyone's guess, so neither does), like unknown body fields.
 */
function findQueryProblem(query: URLSearchParams, allowed: readonly string[]): string | undefined {
  const seen = new Set<string>()
  for (const name of query.keys()) {
    if (!allowed.includes(name)) return `${name}: unknown query parameter`
    if (seen.has(name)) return `${name}: given more than once`
    seen.add(name)
  }
  return undefined
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
