// Edge order routing benchmark: the CPU one routed order costs the Worker before it goes to the
// exchange (caller HMAC check, schema validation, risk and trading-rule checks, Binance signing,
// building the Request), against a 1 ms target per order. Run: `npm run bench:edge`.
//
// Runs under Node 20 (bench/run.mjs bundles for Node), not workerd: V8 versions differ, and Node's
// `Request` (undici, JavaScript) costs more than workerd's native one, so the Request figure here
// is an upper bound. Nothing workerd-only is imported: handleOrderRequest cannot be (its exchange
// client imports the RateBudget Durable Object, hence `cloudflare:workers`) and it also fetches.
// Until src/edge/orders exports one "validate + sign + build, don't send" function, the route is
// measured as the sequence of its own pieces (`routeOrder`, mirroring order-routes.ts's placeRoute),
// with the trading rules of the simulator's markets standing in for a cached exchangeInfo.
//
// Side by side in one process, phases interleaved chunk by chunk in alternating order after a
// warm-up round, medians reported (STYLE.md rule 10). Nothing here fails on a timing.
import Big from 'big.js'
import { BinanceAuth } from '../src/connectors/binance/auth.ts'
import { type BinanceTradingRule, orderParams, parseExchangeInfo } from '../src/connectors/binance/utils.ts'
import { hmacSha256Hex } from '../src/core/web/hmac.ts'
import { authenticateCaller, callerSignaturePayload, ReplayGuard } from '../src/edge/orders/caller-auth.ts'
import { CALLER_HEADERS } from '../src/edge/orders/order-constants.ts'
import { findRuleViolation } from '../src/edge/orders/order-rules.ts'
import { NewOrderRequestSchema, validateRequest } from '../src/edge/orders/order-schemas.ts'
import { allowedPairs, checkAllowedPair, checkNotional, maxNotional } from '../src/edge/orders/risk.ts'
import { DEFAULT_MARKETS } from '../src/sim/engine/market.ts'
import { symbolInfo } from '../src/sim/rest/responses.ts'
import { median, reportFigures } from './bench-report.ts'
import { runInterleaved } from './interleave.ts'

const ORDER_COUNT = 20_000
const CHUNK = 1_000
const ROUNDS = 7
const TARGET_US = 1_000
const REST_URL = 'https://api.binance.com'
const PATH = '/v1/orders'
const CLIENT_ID = 'bench-client'
const CLIENT_SECRET = 'bench-client-secret-0123456789abcdef'
const CLIENTS = new Map([[CLIENT_ID, CLIENT_SECRET]])
// wrangler.toml's values, read the way the route reads them.
const ALLOWED_PAIRS = allowedPairs('BTC-USDT,ETH-USDT,ETH-BTC')
const MAX_NOTIONAL = maxNotional('100000')!
/** Trading rules as the route holds them once exchangeInfo is cached (the simulator's markets). */
const exchangeInfo = parseExchangeInfo({ timezone: 'UTC', serverTime: 0, rateLimits: [], exchangeFilters: [], symbols: DEFAULT_MARKETS.map(symbolInfo) })
const RULES = new Map<string, BinanceTradingRule>(exchangeInfo.symbols.map((symbol, index) => [symbol.tradingPair, exchangeInfo.tradingRules[index]!]))
const auth = new BinanceAuth({ apiKey: 'bench-api-key-0123456789', apiSecret: 'bench-api-secret-0123456789abcdef', now: () => Date.now() })

/** One incoming `POST /v1/orders` as the Worker receives it: body text, signed headers. */
interface IncomingOrder {
  readonly body: string
  readonly headers: Headers
  readonly timestampMs: number
}

// Every order differs (price, amount, id, timestamp), so no phase can profit from a repeated input.
const T0 = 1_800_000_000_000
const orders: IncomingOrder[] = Array.from({ length: ORDER_COUNT }, (_, index) => {
  const isEth = index % 3 === 0
  const order = {
    tradingPair: isEth ? 'ETH-USDT' : 'BTC-USDT',
    side: index % 2 === 0 ? 'BUY' : 'SELL',
    orderType: 'LIMIT',
    amount: `0.${String(1000 + (index % 9000)).padStart(4, '0')}`,
    price: `${(isEth ? 3000 : 60000) + (index % 500)}.${String(index % 100).padStart(2, '0')}`,
    clientOrderId: `bench-${index}`,
  }
  const body = JSON.stringify(order)
  const timestamp = String(T0 + index)
  const signature = hmacSha256Hex(CLIENT_SECRET, callerSignaturePayload(timestamp, 'POST', PATH, body))
  const headers = new Headers({ 'content-type': 'application/json', [CALLER_HEADERS.key]: CLIENT_ID, [CALLER_HEADERS.timestamp]: timestamp, [CALLER_HEADERS.signature]: signature })
  return { body, headers, timestampMs: T0 + index }
})

/** Keeps results observable so the optimizer cannot drop the work. */
let sink = 0
/** Orders a phase refused: must stay 0, or a phase measured a shortcut. */
let failures = 0

type Validated = Extract<ReturnType<typeof validateRequest<typeof NewOrderRequestSchema>>, { ok: true }>['value']

function validate(body: string): Validated | undefined {
  const result = validateRequest(NewOrderRequestSchema, JSON.parse(body))
  return result.ok ? result.value : undefined
}

/** Allowlist, max notional and the exchange's trading rules, as the route checks a LIMIT order. */
function withinRisk(order: Validated): boolean {
  if (checkAllowedPair(ALLOWED_PAIRS, order.tradingPair)) return false
  const amount = Big(order.amount)
  const price = Big(order.price!)
  if (checkNotional(MAX_NOTIONAL, amount, price, 'the limit price')) return false
  return findRuleViolation(RULES.get(order.tradingPair), { tradingPair: order.tradingPair, orderType: order.orderType, amount, price, referencePrice: undefined }) === undefined
}

function signedQuery(order: Validated): { query: string; headers: Readonly<Record<string, string>> } {
  const params = orderParams(
    { clientOrderId: order.clientOrderId ?? 'x', orderType: order.orderType, tradeType: order.side, amount: Big(order.amount), price: order.price === undefined ? undefined : Big(order.price) },
    order.tradingPair.replace('-', ''),
  )
  const signed = auth.authenticateRest({ method: 'POST', url: `${REST_URL}/api/v3/order`, params, query: '', body: undefined, headers: {} })
  return { query: signed.query ?? '', headers: signed.headers ?? {} }
}

function buildRequest(query: string, headers: Readonly<Record<string, string>>): Request {
  return new Request(`${REST_URL}/api/v3/order?${query}`, { method: 'POST', headers })
}

/** The route up to the point of sending: auth → schema → risk → sign → Request. */
function routeOrder(incoming: IncomingOrder, guard: ReplayGuard): Request | undefined {
  const caller = authenticateCaller({ method: 'POST', pathWithQuery: PATH, headers: incoming.headers, body: incoming.body }, CLIENTS, guard, incoming.timestampMs)
  if (!caller.ok) return undefined
  const order = validate(incoming.body)
  if (order === undefined || !withinRisk(order)) return undefined
  const { query, headers } = signedQuery(order)
  return buildRequest(query, headers)
}

// Inputs for the phases that measure one piece alone.
const validated = orders.map((incoming) => validate(incoming.body) as Validated)
const signedQueries = validated.map(signedQuery)

type Phase = (from: number, to: number) => void
/** Each round starts with a fresh replay memory: the same orders are routed again every round. */
let guards = { auth: new ReplayGuard(), route: new ReplayGuard() }
const PHASES: ReadonlyArray<readonly [string, Phase]> = [
  ['JSON.parse of the body (floor)', (from, to) => {
    for (let index = from; index < to; index++) sink += (JSON.parse(orders[index]!.body) as { amount: string }).amount.length
  }],
  ['caller HMAC check (authenticateCaller)', (from, to) => {
    for (let index = from; index < to; index++) {
      const incoming = orders[index]!
      const check = authenticateCaller({ method: 'POST', pathWithQuery: PATH, headers: incoming.headers, body: incoming.body }, CLIENTS, guards.auth, incoming.timestampMs)
      if (check.ok) sink += 1
      else failures += 1
    }
  }],
  ['parse + valibot schema (NewOrderRequestSchema)', (from, to) => {
    for (let index = from; index < to; index++) {
      const order = validate(orders[index]!.body)
      if (order) sink += order.amount.length
      else failures += 1
    }
  }],
  ['risk + trading rules (risk.ts, order-rules.ts)', (from, to) => {
    for (let index = from; index < to; index++) {
      if (withinRisk(validated[index]!)) sink += 1
      else failures += 1
    }
  }],
  ['Binance params + signing (orderParams, BinanceAuth)', (from, to) => {
    for (let index = from; index < to; index++) sink += signedQuery(validated[index]!).query.length
  }],
  ['new Request(…) (Node undici)', (from, to) => {
    for (let index = from; index < to; index++) {
      const { query, headers } = signedQueries[index]!
      sink += buildRequest(query, headers).method.length
    }
  }],
  ['whole route up to sending', (from, to) => {
    for (let index = from; index < to; index++) {
      const request = routeOrder(orders[index]!, guards.route)
      if (request) sink += request.url.length
      else failures += 1
    }
  }],
]

const perOrderUs: number[][] = PHASES.map(() => [])
for (let round = 0; round <= ROUNDS; round++) {
  guards = { auth: new ReplayGuard(), route: new ReplayGuard() }
  const times = runInterleaved(PHASES.map(([, run]) => run), ORDER_COUNT, CHUNK, round % 2 === 1)
  if (round === 0) continue // warm-up: let the JIT settle
  times.forEach((ms, index) => perOrderUs[index]!.push((ms * 1000) / ORDER_COUNT))
}

const medians = perOrderUs.map(median)
const floorUs = medians[0]!
const routeUs = medians[medians.length - 1]!
const piecesUs = medians.slice(1, -1).reduce((total, us) => total + us, 0)
console.log(`${ORDER_COUNT.toLocaleString('en')} distinct LIMIT orders, Node ${process.versions.node}; median of ${ROUNDS} rounds after a warm-up, phases interleaved per ${CHUNK.toLocaleString('en')} orders`)
console.table(
  PHASES.map(([phase], index) => ({
    phase,
    'µs / order': medians[index]!.toFixed(2),
    'ratio to JSON.parse': (medians[index]! / floorUs).toFixed(1),
    'share of 1 ms': (medians[index]! / TARGET_US).toFixed(4),
  })),
)
console.log(`checks: ${failures} refused orders (must be 0), pieces add up to ${piecesUs.toFixed(2)} µs against ${routeUs.toFixed(2)} µs for the whole route (${sink > 0 ? 'ok' : '?'})`)
const verdict = routeUs <= TARGET_US ? 'met' : 'NOT met'
console.log(`target CPU per routed order <= ${TARGET_US / 1000} ms: ${verdict} (${routeUs.toFixed(1)} µs = ${(routeUs / TARGET_US).toFixed(3)}x the target)`)

reportFigures('edge-order', [
  {
    measure: 'CPU per routed order (caller check, schema, risk/rules, signing, Request), ratio vs JSON.parse of the body',
    value: routeUs,
    unit: 'µs',
    ratio: routeUs / floorUs,
    target: `<= ${TARGET_US / 1000} ms`,
    met: routeUs <= TARGET_US,
  },
])
