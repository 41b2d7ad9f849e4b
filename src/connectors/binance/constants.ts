// Binance's facts as data (DESIGN.md rule 6): domains and their URLs, REST paths, and (added by the
// connector's issue) rate limits, order-state and error-code maps. Only two small lookups
// (`depthLimitId`, `ticker24hrLimitId`) run code; the rest is data.
// Type-only imports from the order model: constants are read by the public-data path
// (watchOrderBook), which must not pull any trading code into a bundle.
import type { OrderState } from '../../core/orders/order-state.ts'
import type { RateLimit } from '../../core/throttler-limits.ts'

/** The Binance deployments this connector speaks to. */
export type BinanceDomain = 'com' | 'us' | 'testnet'

/**
 * Base URLs, with the meaning `createBinanceExchange({ urls })` gives them:
 * `rest` gets `/v3/…` appended, `ws` gets `/ws` or `/stream?streams=…`, `wsApi` is used as is.
 */
export interface BinanceUrls {
  readonly rest: string
  readonly ws: string
  readonly wsApi: string
}

export const DEFAULT_URLS = {
  com: {
    rest: 'https://api.binance.com/api',
    ws: 'wss://stream.binance.com:9443',
    wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
  },
  us: {
    rest: 'https://api.binance.us/api',
    ws: 'wss://stream.binance.us:9443',
    wsApi: 'wss://ws-api.binance.us:443/ws-api/v3',
  },
  testnet: {
    rest: 'https://testnet.binance.vision/api',
    ws: 'wss://stream.testnet.binance.vision:9443',
    wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
  },
} as const satisfies Readonly<Record<BinanceDomain, BinanceUrls>>

/**
 * How each domain delivers private user data. binance.com and testnet retired listen keys on
 * 2026-02-20 and deliver user data through the WebSocket API (`userDataStream.subscribe.signature`);
 * Binance.US still offers the listen-key flow.
 */
export const USER_STREAM_MODE = {
  com: 'wsApiSignature',
  us: 'listenKey',
  testnet: 'wsApiSignature',
} as const satisfies Readonly<Record<BinanceDomain, 'wsApiSignature' | 'listenKey'>>

/** REST paths, appended to `urls.rest`. */
export const PATHS = {
  ping: '/v3/ping',
  time: '/v3/time',
  exchangeInfo: '/v3/exchangeInfo',
  depth: '/v3/depth',
  tickerPrice: '/v3/ticker/price',
  ticker24hr: '/v3/ticker/24hr',
  account: '/v3/account',
  order: '/v3/order',
  openOrders: '/v3/openOrders',
  myTrades: '/v3/myTrades',
  userDataStream: '/v3/userDataStream',
} as const

/** Default depth of the REST snapshot that seeds a local book (Binance allows up to 5000). */
export const DEFAULT_SNAPSHOT_DEPTH = 1000

// ---------------------------------------------------------------------------------------------
// Rate limits (rest-api.md "LIMITS" and each endpoint's weight, binance-spot-api-docs 2026).
//
// Four pools, as `GET /api/v3/exchangeInfo` reports them: REQUEST_WEIGHT (per IP), ORDERS per
// 10 s and per day (per account, new orders only), RAW_REQUESTS (per IP, every request counts 1).
// Every endpoint variant with its own weight has its own limit id that links to the pools; the
// endpoint's own counter is as large as the weight pool, so it never binds before the pools do.
//
// Tables built from calls or from other constants' properties are wrapped in `/* @__PURE__ */`
// closures: a bundler keeps any other module-level expression it cannot prove side-effect free, and
// the public-data path (watchOrderBook) reads none of them (`npm run size`).

/** The pools every endpoint draws from. */
export const POOL_IDS = {
  requestWeight: 'REQUEST_WEIGHT',
  orders10s: 'ORDERS',
  orders1d: 'ORDERS_1D',
  rawRequests: 'RAW_REQUESTS',
  /** Public stream connection attempts per IP (web-socket-streams.md: 300 per 5 minutes). */
  wsStreamConnections: 'WS_STREAM_CONNECTIONS',
  /** Messages a client may send on one public stream connection (5 per second). */
  wsStreamMessages: 'WS_STREAM_MESSAGES',
} as const

/** The weight of `GET /api/v3/depth` by its `limit` parameter, smallest tier first. */
export const DEPTH_WEIGHT_TIERS = [
  { maxLimit: 100, weight: 5, limitId: 'GET /v3/depth limit<=100' },
  { maxLimit: 500, weight: 25, limitId: 'GET /v3/depth limit<=500' },
  { maxLimit: 1000, weight: 50, limitId: 'GET /v3/depth limit<=1000' },
  { maxLimit: 5000, weight: 250, limitId: 'GET /v3/depth limit<=5000' },
] as const

/** Binance serves at most this many levels per side; a larger `limit` is answered with 5000. */
export const MAX_SNAPSHOT_DEPTH = 5000

/**
 * The limit id of every request the connector sends. A request names one of these as `limitId`;
 * depth snapshots use `depthLimitId(limit)`.
 */
export const LIMIT_IDS = {
  ping: 'GET /v3/ping',
  time: 'GET /v3/time',
  exchangeInfo: 'GET /v3/exchangeInfo',
  /** `GET /v3/ticker/price?symbol=…` (one symbol). */
  tickerPrice: 'GET /v3/ticker/price',
  /** `GET /v3/ticker/price` with `symbols=[…]` or no symbol at all. */
  tickerPriceMany: 'GET /v3/ticker/price many',
  /** `GET /v3/ticker/24hr?symbol=…` or `symbols` with 1–20 entries. */
  ticker24hr: 'GET /v3/ticker/24hr',
  /** `GET /v3/ticker/24hr` with 21–100 symbols. */
  ticker24hrUpTo100: 'GET /v3/ticker/24hr 21-100',
  /** `GET /v3/ticker/24hr` with more than 100 symbols, or none (every symbol). */
  ticker24hrAll: 'GET /v3/ticker/24hr all',
  account: 'GET /v3/account',
  createOrder: 'POST /v3/order',
  queryOrder: 'GET /v3/order',
  cancelOrder: 'DELETE /v3/order',
  /** `GET /v3/openOrders?symbol=…`. */
  openOrders: 'GET /v3/openOrders',
  /** `GET /v3/openOrders` without a symbol (every symbol). */
  openOrdersAll: 'GET /v3/openOrders all',
  /** `GET /v3/myTrades?symbol=…` without `orderId`. */
  myTrades: 'GET /v3/myTrades',
  /** `GET /v3/myTrades?symbol=…&orderId=…`. */
  myTradesByOrder: 'GET /v3/myTrades orderId',
  /** Binance.US listen-key endpoints (POST, PUT, DELETE); retired on binance.com. */
  userDataStream: '/v3/userDataStream',
  /** Opening a WebSocket API connection (costs request weight like a REST call). */
  wsApiConnect: 'WS-API connect',
  /** WS API `userDataStream.subscribe.signature`. */
  wsApiUserDataSubscribe: 'WS-API userDataStream.subscribe.signature',
  /** Opening a public stream connection. */
  wsStreamConnect: 'WS stream connect',
  /** A SUBSCRIBE / UNSUBSCRIBE / ping message sent on a public stream connection. */
  wsStreamMessage: 'WS stream message',
} as const

export type BinanceLimitId = (typeof LIMIT_IDS)[keyof typeof LIMIT_IDS] | (typeof DEPTH_WEIGHT_TIERS)[number]['limitId']

const MINUTE_MS = 60_000
/** Large enough never to bind before REQUEST_WEIGHT does (one weight-1 call per pool unit). */
const ENDPOINT_CAPACITY = 6000

function endpoint(id: string, weight: number, extraLinks: ReadonlyArray<{ id: string; weight: number }> = []) {
  return {
    id,
    limit: ENDPOINT_CAPACITY,
    intervalMs: MINUTE_MS,
    linkedLimits: [
      { id: POOL_IDS.requestWeight, weight },
      { id: POOL_IDS.rawRequests, weight: 1 },
      ...extraLinks,
    ],
  }
}

const NEW_ORDER_LINKS = /* @__PURE__ */ (() => [
  { id: POOL_IDS.orders10s, weight: 1 },
  { id: POOL_IDS.orders1d, weight: 1 },
])()

/**
 * Every limit the connector's throttler enforces, for `new Throttler(RATE_LIMITS)`.
 *
 * @example
 * const throttler = new Throttler(RATE_LIMITS)
 * await throttler.acquire(depthLimitId(1000)) // draws 50 from REQUEST_WEIGHT
 */
export const RATE_LIMITS = /* @__PURE__ */ (() => [
  { id: POOL_IDS.requestWeight, limit: 6000, intervalMs: MINUTE_MS },
  { id: POOL_IDS.orders10s, limit: 100, intervalMs: 10_000 },
  { id: POOL_IDS.orders1d, limit: 200_000, intervalMs: 24 * 60 * MINUTE_MS },
  { id: POOL_IDS.rawRequests, limit: 61_000, intervalMs: 5 * MINUTE_MS },
  { id: POOL_IDS.wsStreamConnections, limit: 300, intervalMs: 5 * MINUTE_MS },
  { id: POOL_IDS.wsStreamMessages, limit: 5, intervalMs: 1_000 },
  endpoint(LIMIT_IDS.ping, 1),
  endpoint(LIMIT_IDS.time, 1),
  endpoint(LIMIT_IDS.exchangeInfo, 20),
  ...DEPTH_WEIGHT_TIERS.map((tier) => endpoint(tier.limitId, tier.weight)),
  endpoint(LIMIT_IDS.tickerPrice, 2),
  endpoint(LIMIT_IDS.tickerPriceMany, 4),
  endpoint(LIMIT_IDS.ticker24hr, 2),
  endpoint(LIMIT_IDS.ticker24hrUpTo100, 40),
  endpoint(LIMIT_IDS.ticker24hrAll, 80),
  endpoint(LIMIT_IDS.account, 20),
  endpoint(LIMIT_IDS.createOrder, 1, NEW_ORDER_LINKS),
  endpoint(LIMIT_IDS.queryOrder, 4),
  endpoint(LIMIT_IDS.cancelOrder, 1),
  endpoint(LIMIT_IDS.openOrders, 6),
  endpoint(LIMIT_IDS.openOrdersAll, 80),
  endpoint(LIMIT_IDS.myTrades, 20),
  endpoint(LIMIT_IDS.myTradesByOrder, 5),
  endpoint(LIMIT_IDS.userDataStream, 2),
  // The WS API shares the IP's REQUEST_WEIGHT with REST (web-socket-api.md "Rate limits").
  endpoint(LIMIT_IDS.wsApiConnect, 2),
  endpoint(LIMIT_IDS.wsApiUserDataSubscribe, 2),
  { id: LIMIT_IDS.wsStreamConnect, limit: 300, intervalMs: 5 * MINUTE_MS, linkedLimits: [{ id: POOL_IDS.wsStreamConnections }] },
  { id: LIMIT_IDS.wsStreamMessage, limit: 5, intervalMs: 1_000, linkedLimits: [{ id: POOL_IDS.wsStreamMessages }] },
] as const satisfies readonly RateLimit[])()

/**
 * Binance.US publishes lower IP limits than binance.com (REQUEST_WEIGHT 1200 per minute,
 * RAW_REQUESTS 6100 per 5 minutes in its exchangeInfo); the order pools are the same. Endpoint
 * weights are shared. Erring low is safe: usage headers correct the counts either way.
 */
const BINANCE_US_POOLS: Readonly<Record<string, number>> = /* @__PURE__ */ (() => ({
  [POOL_IDS.requestWeight]: 1200,
  [POOL_IDS.rawRequests]: 6100,
}))()

/**
 * The rate limits of one domain: binance.com's, with Binance.US's lower IP pools.
 *
 * @example
 * new Throttler(rateLimitsFor('us')) // REQUEST_WEIGHT 1200/min
 */
export function rateLimitsFor(domain: BinanceDomain): readonly RateLimit[] {
  if (domain !== 'us') return RATE_LIMITS
  return RATE_LIMITS.map((limit) => {
    const lower = BINANCE_US_POOLS[limit.id]
    return lower === undefined ? limit : { ...limit, limit: lower }
  })
}

/**
 * The limit id for a depth snapshot of `limit` levels per side (weight 5, 25, 50 or 250).
 *
 * @example
 * depthLimitId(1000) // 'GET /v3/depth limit<=1000' (weight 50)
 */
export function depthLimitId(limit: number = DEFAULT_SNAPSHOT_DEPTH): (typeof DEPTH_WEIGHT_TIERS)[number]['limitId'] {
  const tier = DEPTH_WEIGHT_TIERS.find((candidate) => limit <= candidate.maxLimit)
  // Binance caps a larger limit at 5000 levels, and charges it as such.
  return (tier ?? DEPTH_WEIGHT_TIERS[3]).limitId
}

/**
 * The limit id for `GET /v3/ticker/24hr` asking for `symbolCount` symbols (undefined: every symbol).
 *
 * @example
 * ticker24hrLimitId(1) // 'GET /v3/ticker/24hr' (weight 2)
 */
export function ticker24hrLimitId(symbolCount: number | undefined): BinanceLimitId {
  if (symbolCount === undefined || symbolCount > 100) return LIMIT_IDS.ticker24hrAll
  return symbolCount > 20 ? LIMIT_IDS.ticker24hrUpTo100 : LIMIT_IDS.ticker24hr
}

/**
 * Which pool a usage header reports on: `X-MBX-USED-WEIGHT-1M` is the IP's REQUEST_WEIGHT over one
 * minute, `X-MBX-ORDER-COUNT-10S` / `-1D` the account's ORDERS pools. Headers for other intervals
 * are ignored (no pool of ours has that window).
 */
export const USAGE_HEADER_POOLS = /* @__PURE__ */ (() => [
  { header: 'x-mbx-used-weight-1m', limitId: POOL_IDS.requestWeight },
  { header: 'x-mbx-order-count-10s', limitId: POOL_IDS.orders10s },
  { header: 'x-mbx-order-count-1d', limitId: POOL_IDS.orders1d },
] as const)()

// ---------------------------------------------------------------------------------------------
// Orders

/** Every order status Binance documents (enums.md "Order status"). */
export type BinanceOrderStatus =
  | 'NEW'
  | 'PENDING_NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'PENDING_CANCEL'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH'

/**
 * Binance order status → our order state. PENDING_NEW is an order-list leg not yet working;
 * PENDING_CANCEL is documented as unused and, should it appear, the order still rests on the book.
 * EXPIRED (IOC/FOK/MARKET leftovers, exchange maintenance) and EXPIRED_IN_MATCH (self-trade
 * prevention) end the order without it being filled: FAILED, as in the recipe.
 */
export const ORDER_STATE = {
  NEW: 'OPEN',
  PENDING_NEW: 'PENDING_CREATE',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  PENDING_CANCEL: 'OPEN',
  REJECTED: 'FAILED',
  EXPIRED: 'FAILED',
  EXPIRED_IN_MATCH: 'FAILED',
} as const satisfies Readonly<Record<BinanceOrderStatus, OrderState>>

/** Put first in every client order id we generate: says which program placed the order. */
export const CLIENT_ORDER_ID_PREFIX = 'sw-'
/** `newClientOrderId` is at most 36 characters of `[a-zA-Z0-9-_]` (rest-api.md, POST /api/v3/order). */
export const CLIENT_ORDER_ID_MAX_LENGTH = 36
export const CLIENT_ORDER_ID_PATTERN: RegExp = /^[a-zA-Z0-9-_]{1,36}$/

/** Default `recvWindow` for signed requests, and Binance's maximum (ms). */
export const DEFAULT_RECV_WINDOW_MS = 5000
export const MAX_RECV_WINDOW_MS = 60_000

// ---------------------------------------------------------------------------------------------
// Error codes (errors.md) the connector tells apart; the mapping to error classes is in web-utils.ts.

export const ERROR_CODES = {
  UNKNOWN: -1000,
  DISCONNECTED: -1001,
  UNAUTHORIZED: -1002,
  TOO_MANY_REQUESTS: -1003,
  UNEXPECTED_RESPONSE: -1006,
  TIMEOUT: -1007,
  SERVER_BUSY: -1008,
  INVALID_MESSAGE: -1013,
  TOO_MANY_ORDERS: -1015,
  INVALID_TIMESTAMP: -1021,
  INVALID_SIGNATURE: -1022,
  NEW_ORDER_REJECTED: -2010,
  CANCEL_REJECTED: -2011,
  NO_SUCH_ORDER: -2013,
  BAD_API_KEY_FORMAT: -2014,
  REJECTED_API_KEY: -2015,
  ORDER_ARCHIVED: -2026,
} as const

/** The -2011 message that means "no such order" (other -2011 messages are real refusals). */
export const UNKNOWN_ORDER_MESSAGE = 'Unknown order sent.'
/** The -2010 message for a balance too small for the order. */
export const INSUFFICIENT_BALANCE_MESSAGE = 'Account has insufficient balance for requested action.'
