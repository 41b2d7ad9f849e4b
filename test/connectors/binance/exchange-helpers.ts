// A scripted Binance for the exchange tests: a fetch that routes by `METHOD /v3/path`, keeps the
// orders it was sent (create, query, cancel, fills) and records every request; fake sockets for the
// public stream and the WS API (which answers the user-data subscribe); and a builder that wires a
// BinanceExchange to both under fake timers.
import { vi } from 'vitest'
import type { BinanceExchangeOptions } from '../../../src/connectors/binance/exchange-options.ts'
import { createBinanceExchange } from '../../../src/connectors/binance/index.ts'
import type { BinanceExchange } from '../../../src/connectors/binance/exchange.ts'
import type { ExchangeEvents } from '../../../src/core/exchange/exchange-types.ts'
import { FakeSocket } from '../../core/web/helpers/fake-socket.ts'
import { fakeFetch, jsonResponse, type RecordedRequest } from '../../core/web/helpers/fake-fetch.ts'
import { readReference } from './reference-files.ts'

export const START_TIME = 1_700_000_000_000
export const API_KEY = 'exchangeTestApiKey0123456789abcdefABCDEF0123456789abcdefABCDEF01'
export const API_SECRET = 'exchangeTestSecret9876543210fedcbaFEDCBA9876543210fedcbaFEDCBA98'
export const URLS = {
  rest: 'https://api.binance.test/api',
  ws: 'wss://stream.binance.test:9443',
  wsApi: 'wss://ws-api.binance.test:443/ws-api/v3',
} as const
export const PAIR = 'BTC-USDT'

/** Fake timers from START_TIME; pair with `vi.useRealTimers()` in afterEach. */
export function useFakeClock(): void {
  vi.useFakeTimers()
  vi.setSystemTime(START_TIME)
}

/** Lets fetches, sockets and promise chains run (timers due now fire; time does not move). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) {
    await vi.advanceTimersByTimeAsync(0)
    for (let turn = 0; turn < 50; turn += 1) await Promise.resolve()
  }
}

// ── Listing ──────────────────────────────────────────────────────────────────────────────────

const filter = (name: string): Record<string, unknown> => readReference(`filters/${name}.json`) as Record<string, unknown>

/** A listing entry shaped like the reference exchangeInfo's. */
export function listing(overrides: Record<string, unknown>): Record<string, unknown> {
  const info = readReference('rest/GET_api_v3_exchangeInfo.json') as { symbols: Array<Record<string, unknown>> }
  return { ...info.symbols[0], ...overrides }
}

/**
 * BTCUSDT with the reference filters (MARKET_LOT_SIZE's step disabled, as recorded listings show),
 * the reference ETHBTC, and two symbols that must not be mapped (BREAK, margin only).
 */
export function exchangeInfo(): Record<string, unknown> {
  const btcFilters = [
    { ...filter('PRICE_FILTER'), minPrice: '0.01000000', tickSize: '0.01000000' },
    { ...filter('LOT_SIZE'), minQty: '0.00001000', stepSize: '0.00001000', maxQty: '9000.00000000' },
    { ...filter('MARKET_LOT_SIZE'), minQty: '0.00000000', maxQty: '120.00000000', stepSize: '0.00000000' },
    filter('NOTIONAL'),
    filter('PERCENT_PRICE_BY_SIDE'),
  ]
  const info = readReference('rest/GET_api_v3_exchangeInfo.json') as Record<string, unknown>
  return {
    ...info,
    symbols: [
      listing({ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', filters: btcFilters }),
      listing({}),
      listing({ symbol: 'BNBUSDT', baseAsset: 'BNB', quoteAsset: 'USDT', status: 'BREAK' }),
      listing({ symbol: 'LTCUSDT', baseAsset: 'LTC', quoteAsset: 'USDT', permissionSets: [['MARGIN']] }),
    ],
  }
}

// ── REST ─────────────────────────────────────────────────────────────────────────────────────

export interface RoutedRequest extends RecordedRequest {
  /** `METHOD /v3/path`. */
  readonly route: string
  readonly query: URLSearchParams
}

export type Route = (request: RoutedRequest) => Response | Promise<Response>

export interface FakeOrder {
  orderId: number
  clientOrderId: string
  symbol: string
  side: string
  type: string
  price: string
  origQty: string
  executedQty: string
  status: string
  time: number
}

/** Binance's error answer. */
export const binanceError = (status: number, code: number, msg: string, headers: Record<string, string> = {}): Response =>
  jsonResponse(status, { code, msg }, headers)

function orderBody(order: FakeOrder) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: order.price,
    origQty: order.origQty,
    executedQty: order.executedQty,
    cummulativeQuoteQty: '0.00000000',
    status: order.status,
    timeInForce: 'GTC',
    type: order.type,
    side: order.side,
    workingTime: order.time,
    selfTradePreventionMode: 'NONE',
  }
}

/** A Binance REST endpoint with an order book of its own; `routes` replace any answer. */
export function fakeBinanceRest() {
  const orders = new Map<string, FakeOrder>()
  const trades = new Map<number, unknown[]>()
  let nextOrderId = 28
  const find = (query: URLSearchParams): FakeOrder | undefined => {
    const clientId = query.get('origClientOrderId')
    if (clientId !== null) return orders.get(clientId)
    const orderId = Number(query.get('orderId'))
    return [...orders.values()].find((order) => order.orderId === orderId)
  }
  const defaults: Record<string, Route> = {
    'GET /v3/time': () => jsonResponse(200, { serverTime: Date.now() }),
    'GET /v3/ping': () => jsonResponse(200, {}),
    'GET /v3/exchangeInfo': () => jsonResponse(200, exchangeInfo()),
    'GET /v3/depth': () => jsonResponse(200, { lastUpdateId: 100, bids: [['29990.00', '1.5']], asks: [['30010.00', '2']] }),
    'GET /v3/account': () =>
      jsonResponse(200, {
        balances: [
          { asset: 'BTC', free: '10.00000000', locked: '5.00000000' },
          { asset: 'USDT', free: '2000.00000000', locked: '0.00000000' },
        ],
      }),
    'GET /v3/ticker/price': (request) => {
      const symbol = request.query.get('symbol')
      if (symbol !== null) return jsonResponse(200, { symbol, price: '9999.90000000' })
      const symbols = JSON.parse(request.query.get('symbols') ?? '[]') as string[]
      return jsonResponse(200, symbols.map((name, index) => ({ symbol: name, price: `${100 + index}.50000000` })))
    },
    'POST /v3/order': (request) => {
      const q = request.query
      const order: FakeOrder = {
        orderId: nextOrderId++,
        clientOrderId: q.get('newClientOrderId') ?? '',
        symbol: q.get('symbol') ?? '',
        side: q.get('side') ?? '',
        type: q.get('type') ?? '',
        price: q.get('price') ?? '0.00000000',
        origQty: q.get('quantity') ?? '',
        executedQty: '0.00000000',
        status: 'NEW',
        time: Date.now(),
      }
      orders.set(order.clientOrderId, order)
      return jsonResponse(200, { ...orderBody(order), transactTime: order.time })
    },
    'GET /v3/order': (request) => {
      const order = find(request.query)
      if (!order) return binanceError(400, -2013, 'Order does not exist.')
      return jsonResponse(200, { ...orderBody(order), time: order.time, updateTime: Date.now(), isWorking: true })
    },
    'DELETE /v3/order': (request) => {
      const order = find(request.query)
      if (!order || order.status !== 'NEW') return binanceError(400, -2011, 'Unknown order sent.')
      order.status = 'CANCELED'
      return jsonResponse(200, { ...orderBody(order), origClientOrderId: order.clientOrderId, clientOrderId: 'cancel-by-binance', transactTime: Date.now() })
    },
    'GET /v3/openOrders': () =>
      jsonResponse(
        200,
        [...orders.values()].filter((order) => order.status === 'NEW').map((order) => ({ ...orderBody(order), time: order.time, updateTime: order.time, isWorking: true })),
      ),
    'GET /v3/myTrades': (request) => jsonResponse(200, trades.get(Number(request.query.get('orderId'))) ?? []),
  }
  const routes = new Map<string, Route>()
  const restPath = new URL(URLS.rest).pathname
  const api = fakeFetch((raw, index) => {
    const recorded = api.requests[index] as RecordedRequest
    const url = new URL(raw.url)
    const route = `${raw.method} ${url.pathname.slice(restPath.length)}`
    const request: RoutedRequest = { ...recorded, route, query: url.searchParams }
    const handler = routes.get(route) ?? defaults[route]
    if (!handler) return binanceError(404, -1000, `no fake route for ${route}`)
    return handler(request)
  })
  return {
    fetch: api.fetch,
    requests: api.requests,
    routes,
    orders,
    trades,
    /** The recorded requests of one route, with their query. */
    sent(route: string): RoutedRequest[] {
      return api.requests
        .map((request) => {
          const url = new URL(request.url)
          return { ...request, route: `${request.method} ${url.pathname.slice(restPath.length)}`, query: url.searchParams }
        })
        .filter((request) => request.route === route)
    },
  }
}

// ── Sockets ──────────────────────────────────────────────────────────────────────────────────

export class BinanceServerSocket extends FakeSocket {
  onClientMessage: ((data: Record<string, unknown>) => void) | undefined

  override send(data: string): void {
    super.send(data)
    this.onClientMessage?.(JSON.parse(data) as Record<string, unknown>)
  }

  /** A user data event, wrapped the WS API way. */
  sayEvent(event: unknown): void {
    this.say({ subscriptionId: 0, event })
  }
}

/** Opens every socket on the next microtask; the WS API answers subscribe and ping, the stream LIST_SUBSCRIPTIONS. */
export function fakeBinanceSockets() {
  const sockets: BinanceServerSocket[] = []
  let refuseSubscribe: ((request: Record<string, unknown>) => unknown) | undefined
  const factory = (url: string): BinanceServerSocket => {
    const socket = new BinanceServerSocket(url)
    const isWsApi = url.startsWith(URLS.wsApi)
    socket.onClientMessage = (request) => {
      let reply: unknown
      if (!isWsApi) reply = { result: [], id: request['id'] }
      else if (request['method'] === 'ping') reply = { id: request['id'], status: 200, result: {} }
      else reply = refuseSubscribe?.(request) ?? { id: request['id'], status: 200, result: { subscriptionId: 0 } }
      queueMicrotask(() => socket.say(reply))
    }
    sockets.push(socket)
    queueMicrotask(() => socket.accept())
    return socket
  }
  return {
    sockets,
    factory,
    /** The WS API connection (the user stream). */
    userStream(): BinanceServerSocket {
      const socket = sockets.filter((candidate) => candidate.url.startsWith(URLS.wsApi)).at(-1)
      if (!socket) throw new Error('no WS API socket was opened')
      return socket
    },
    publicStream(): BinanceServerSocket | undefined {
      return sockets.filter((candidate) => !candidate.url.startsWith(URLS.wsApi)).at(-1)
    },
    refuseSubscribeWith(answer: (request: Record<string, unknown>) => unknown): void {
      refuseSubscribe = answer
    },
  }
}

// ── The exchange ─────────────────────────────────────────────────────────────────────────────

export type RecordedEvent = { readonly name: keyof ExchangeEvents; readonly payload: unknown }

const EVENT_NAMES: ReadonlyArray<keyof ExchangeEvents> = [
  'buyOrderCreated',
  'sellOrderCreated',
  'orderFilled',
  'orderCancelled',
  'buyOrderCompleted',
  'sellOrderCompleted',
  'orderFailure',
  'error',
]

/** Records every event the exchange emits, in order. */
export function recordEvents(exchange: BinanceExchange) {
  const recorded: RecordedEvent[] = []
  for (const name of EVENT_NAMES) exchange.on(name, (payload: unknown) => void recorded.push({ name, payload }))
  return {
    recorded,
    names: (): string[] => recorded.filter((event) => event.name !== 'error').map((event) => event.name),
    of: <Name extends keyof ExchangeEvents>(name: Name): Array<ExchangeEvents[Name]> =>
      recorded.filter((event) => event.name === name).map((event) => event.payload as ExchangeEvents[Name]),
    errors: (): Error[] => recorded.filter((event) => event.name === 'error').map((event) => event.payload as Error),
  }
}

/** A Binance exchange on the fakes (trading unless keys are left out); nothing started. */
export function binanceExchange(options: Partial<BinanceExchangeOptions> = {}) {
  const rest = fakeBinanceRest()
  const sockets = fakeBinanceSockets()
  const exchange = createBinanceExchange({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    tradingPairs: [PAIR],
    urls: URLS,
    fetch: rest.fetch,
    socketFactory: sockets.factory,
    clock: { now: () => Date.now(), monotonic: () => Date.now() },
    ...options,
  })
  const events = recordEvents(exchange)
  return { exchange, rest, sockets, events }
}

/** Starts the exchange; the user stream speaks once (an account position), so it is ready. */
export async function startedBinanceExchange(options: Partial<BinanceExchangeOptions> = {}) {
  const harness = binanceExchange(options)
  const started = harness.exchange.start()
  await settle()
  if (harness.exchange.tradingRequired) {
    harness.sockets.userStream().sayEvent({ e: 'outboundAccountPosition', E: Date.now(), u: Date.now(), B: [] })
  }
  await settle()
  await started
  return harness
}

/** An executionReport for an order of ours, from the reference event. */
export function executionReport(fields: Record<string, unknown>): Record<string, unknown> {
  const envelope = readReference('user-data/wsapi_envelope_executionReport.json') as { event: Record<string, unknown> }
  return { ...envelope.event, s: 'BTCUSDT', E: Date.now(), T: Date.now(), ...fields }
}
