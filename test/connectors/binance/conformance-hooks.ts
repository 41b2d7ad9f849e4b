// Binance's side of the conformance kit: its routes, its documented REST answers and user-data
// events for the kit's scenarios, and checks of the requests it signs. Payload shapes come from the
// shared reference files through exchange-helpers.ts.
import { expect } from 'vitest'
import { createBinanceExchange, signRestQuery } from '../../../src/connectors/binance/index.ts'
import { Big } from '../../../src/core/decimal.ts'
import { PayloadValidationError } from '../../../src/core/errors.ts'
import type {
  ConformanceOrder,
  ConformanceOrderStatus,
  ExchangeConformanceHooks,
  MockReply,
  RecordedRequest,
} from '../../../src/testing/index.ts'
import { queryParam } from '../../../src/testing/index.ts'
import { API_KEY, API_SECRET, exchangeInfo, executionReport, listing, PAIR, URLS } from './exchange-helpers.ts'

const SYMBOL = 'BTCUSDT'
const REST_PATH = new URL(URLS.rest).pathname
const path = (endpoint: string): string => `${REST_PATH}${endpoint}`
const STATUS: Readonly<Record<ConformanceOrderStatus, string>> = { OPEN: 'NEW', PARTIALLY_FILLED: 'PARTIALLY_FILLED', FILLED: 'FILLED', CANCELED: 'CANCELED' }

const json = (body: unknown, status = 200): MockReply => ({ status, json: body })
const binanceError = (code: number, msg: string): MockReply => json({ code, msg }, 400)
/** A user-data event as the WS API delivers it. */
const userEvent = (event: unknown) => ({ subscriptionId: 0, event })

function orderBody(order: ConformanceOrder, status: string, executedQty: string) {
  return {
    symbol: SYMBOL,
    orderId: Number(order.exchangeOrderId),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: order.price,
    origQty: order.amount,
    executedQty,
    cummulativeQuoteQty: new Big(executedQty).times(order.price).toFixed(),
    status,
    timeInForce: 'GTC',
    type: order.orderType,
    side: order.tradeType,
    workingTime: Date.now(),
    selfTradePreventionMode: 'NONE',
  }
}

/** The request's params without signature, recvWindow and timestamp, after checking they are there. */
function businessParams(request: RecordedRequest): Map<string, string> {
  const entries = request.query.filter(([key]) => !['signature', 'recvWindow', 'timestamp'].includes(key))
  return new Map(entries)
}

function executionFields(order: ConformanceOrder) {
  return { c: order.clientOrderId, S: order.tradeType, o: order.orderType, q: order.amount, p: order.price, i: Number(order.exchangeOrderId) }
}

export const binanceConformanceHooks: ExchangeConformanceHooks = {
  name: 'binance',
  tradingPair: PAIR,
  invalidTradingPair: 'BNB-USDT', // listed with status BREAK
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  createExchange: (options) => createBinanceExchange({ ...options, urls: URLS }),
  routes: {
    serverTime: { method: 'GET', path: path('/v3/time') },
    ping: { method: 'GET', path: path('/v3/ping') },
    exchangeInfo: { method: 'GET', path: path('/v3/exchangeInfo') },
    orderBookSnapshot: { method: 'GET', path: path('/v3/depth') },
    balances: { method: 'GET', path: path('/v3/account') },
    lastTradedPrice: { method: 'GET', path: path('/v3/ticker/price') },
    createOrder: { method: 'POST', path: path('/v3/order') },
    cancelOrder: { method: 'DELETE', path: path('/v3/order') },
    orderStatus: { method: 'GET', path: path('/v3/order') },
    orderFills: { method: 'GET', path: path('/v3/myTrades') },
  },
  responses: {
    serverTime: (nowMs) => json({ serverTime: nowMs }),
    ping: () => json({}),
    exchangeInfo: () => json(exchangeInfo()),
    exchangeInfoWithMalformedRule: () => {
      const info = exchangeInfo()
      const symbols = (info['symbols'] as Array<Record<string, unknown>>).map((symbol) =>
        symbol['symbol'] === SYMBOL ? listing({ symbol: SYMBOL, baseAsset: 'BTC', quoteAsset: 'USDT', filters: [{ filterType: 'LOT_SIZE', stepSize: 1 }] }) : symbol,
      )
      return json({ ...info, symbols })
    },
    orderBookSnapshot: (updateId) => json({ lastUpdateId: updateId, bids: [['29990.00', '1.5']], asks: [['30010.00', '2']] }),
    balances: (balances) =>
      json({
        balances: balances.map(({ asset, available, total }) => ({ asset, free: available, locked: new Big(total).minus(available).toFixed() })),
      }),
    lastTradedPrice: (_pair, price) => json({ symbol: SYMBOL, price }),
    orderCreated: (order) => json({ ...orderBody(order, 'NEW', '0'), transactTime: Date.now() }),
    orderCanceled: (order) => json({ ...orderBody(order, 'CANCELED', '0'), origClientOrderId: order.clientOrderId, clientOrderId: 'cancel-by-binance', transactTime: Date.now() }),
    orderStatus: (order, status, executedAmount) =>
      json({ ...orderBody(order, STATUS[status], executedAmount), time: Date.now(), updateTime: Date.now(), isWorking: true }),
    orderFills: (order, fills) =>
      json(
        fills.map((fill) => ({
          symbol: SYMBOL,
          id: Number(fill.tradeId),
          orderId: Number(order.exchangeOrderId),
          orderListId: -1,
          price: fill.price,
          qty: fill.amount,
          quoteQty: new Big(fill.amount).times(fill.price).toFixed(),
          commission: fill.feeAmount,
          commissionAsset: fill.feeToken,
          time: fill.timestamp,
          isBuyer: order.tradeType === 'BUY',
          isMaker: true,
          isBestMatch: true,
        })),
      ),
    orderNotFound: (request) => (request === 'cancel' ? binanceError(-2011, 'Unknown order sent.') : binanceError(-2013, 'Order does not exist.')),
    refusal: () => binanceError(-1102, 'Mandatory parameter was not sent, was empty/null, or malformed.'),
  },
  streams: {
    isUserStream: (url) => url.startsWith(URLS.wsApi),
    answerClientFrame: (frame, socket) => {
      const request = frame as { id?: unknown; method?: unknown }
      if (!socket.url.startsWith(URLS.wsApi)) return { result: null, id: request.id }
      if (request.method === 'ping') return { id: request.id, status: 200, result: {} }
      return { id: request.id, status: 200, result: { subscriptionId: 0 } }
    },
    userStreamGreeting: () => [userEvent({ e: 'outboundAccountPosition', E: Date.now(), u: Date.now(), B: [] })],
    orderNew: (order) => userEvent(executionReport({ ...executionFields(order), x: 'NEW', X: 'NEW' })),
    orderCanceled: (order) => userEvent(executionReport({ ...executionFields(order), c: 'cancel-request-id', C: order.clientOrderId, x: 'CANCELED', X: 'CANCELED' })),
    orderFilled: (order, fill) =>
      userEvent(
        executionReport({
          ...executionFields(order), x: 'TRADE', X: 'FILLED', l: fill.amount, L: fill.price, n: fill.feeAmount, N: fill.feeToken,
          t: Number(fill.tradeId), z: order.amount, m: true, T: fill.timestamp,
        }),
      ),
    orderPartiallyFilled: (order, fill) =>
      userEvent(
        executionReport({
          ...executionFields(order), x: 'TRADE', X: 'PARTIALLY_FILLED', l: fill.amount, L: fill.price, n: fill.feeAmount, N: fill.feeToken,
          t: Number(fill.tradeId), z: fill.amount, m: true, T: fill.timestamp,
        }),
      ),
    balance: ({ asset, available, total }) =>
      userEvent({ e: 'outboundAccountPosition', E: Date.now(), u: Date.now(), B: [{ a: asset, f: available, l: new Big(total).minus(available).toFixed() }] }),
    malformedEvent: () => userEvent({ e: 'executionReport', s: SYMBOL }),
    bookDiff: (first, last, bids, asks) => ({
      stream: 'btcusdt@depth@100ms',
      data: { e: 'depthUpdate', E: Date.now(), s: SYMBOL, U: first, u: last, b: bids, a: asks },
    }),
  },
  validators: {
    authenticated: (request) => {
      const entries = [...request.query]
      const signature = entries.pop()
      expect(signature?.[0]).toBe('signature')
      expect(signRestQuery(API_SECRET, entries)).toBe(new URL(request.url).search.slice(1))
      expect(entries.slice(-2).map(([key]) => key)).toEqual(['recvWindow', 'timestamp'])
      expect(request.headers['x-mbx-apikey']).toBe(API_KEY)
    },
    orderCreation: (request, order) => {
      const params = businessParams(request)
      expect([params.get('symbol'), params.get('side'), params.get('type'), params.get('timeInForce'), params.get('newClientOrderId')]).toEqual([
        SYMBOL, order.tradeType, order.orderType, 'GTC', order.clientOrderId,
      ])
      expect(new Big(params.get('quantity') ?? '0').eq(order.amount)).toBe(true)
      expect(new Big(params.get('price') ?? '0').eq(order.price)).toBe(true)
    },
    orderCancellation: (request, order) => {
      expect([...businessParams(request)]).toEqual([['symbol', SYMBOL], ['origClientOrderId', order.clientOrderId]])
    },
    orderStatus: (request, order) => {
      expect([...businessParams(request)]).toEqual([['symbol', SYMBOL], ['origClientOrderId', order.clientOrderId]])
    },
    orderFills: (request, order) => {
      expect([...businessParams(request)]).toEqual([['symbol', SYMBOL], ['orderId', order.exchangeOrderId]])
    },
  },
  expected: {
    supportedOrderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    tradingRule: { minOrderSize: '0.00001', minPriceIncrement: '0.01', minBaseAmountIncrement: '0.00001', minNotionalSize: '10' },
    isMalformedRuleError: (error) => error instanceof PayloadValidationError && error.source.includes(SYMBOL),
    fillsFetchedDuringStatusUpdate: true,
  },
  order: { amount: '0.01', price: '30000' },
  amountBelowMinimum: '0.000001',
  secretsInRequest: (request) => {
    const signature = queryParam(request, 'signature')
    return signature === undefined ? [] : [signature]
  },
}
