// SIGNED account and order routes. They act for the simulator's one funded test account, which the
// configured API key stands for; engine rejections go out with their documented code and message.
import type { EngineRejection, OrderReference, OrderState } from '../engine/index.ts'
import { RestFailure } from './rest-errors.ts'
import type { RequestParams } from './request-params.ts'
import { readNewOrder, orderReference as orderReferenceOf, requireKnownSymbol as requireKnownSymbolOf } from './order-requests.ts'
import { accountTrade, canceledOrder, decimalString, newOrderResponse, queriedOrder } from './responses.ts'
import { type Route, type RouteContext, fixedWeight } from './route-context.ts'

function rejected(rejection: EngineRejection): never {
  throw new RestFailure(rejection)
}

function requireKnownSymbol(context: RouteContext): string {
  return requireKnownSymbolOf(context.params, context.exchange)
}

function orderReference(context: RouteContext): OrderReference {
  return orderReferenceOf(context.params, context.exchange)
}

function placeOrder(context: RouteContext): object {
  const { params, exchange, limiter, now } = context
  const { request, responseType } = readNewOrder(params, exchange.testAccountId)
  limiter.checkOrderAllowed(exchange.testAccountId, now)
  const result = exchange.engine.placeOrder(request)
  if (!result.ok) rejected(result.rejection)
  limiter.countOrder(exchange.testAccountId, now)
  return newOrderResponse(result.order, result.fills, responseType)
}

function cancelOrder(context: RouteContext, reference: OrderReference): object {
  const cancelClientOrderId = context.params.optionalClientOrderId('newClientOrderId') ?? context.idRandom.nextId(22)
  const result = context.exchange.engine.cancelOrder(reference)
  if (!result.ok) rejected(result.rejection)
  return canceledOrder(result.order, cancelClientOrderId, context.now)
}

function cancelAllOpenOrders(context: RouteContext): object[] {
  const symbol = requireKnownSymbol(context)
  const accountId = context.exchange.testAccountId
  const open: OrderState[] = context.exchange.engine.openOrders(accountId, symbol)
  // Binance answers "nothing to cancel" with the same -2011 as an unknown single order.
  if (open.length === 0) rejected({ code: -2011, msg: 'Unknown order sent.' })
  return open.map((order) => cancelOrder(context, { accountId, symbol, orderId: order.orderId }))
}

function account(context: RouteContext): object {
  const { engine, testAccountId } = context.exchange
  const firstMarket = engine.marketConfigs()[0]
  const makerRate = firstMarket?.makerFeeRate
  const takerRate = firstMarket?.takerFeeRate
  const omitZero = context.params.optionalString('omitZeroBalances') === 'true'
  const balances = engine.ledger
    .balances(testAccountId)
    .filter((balance) => !omitZero || balance.free.plus(balance.locked).gt(0))
    .map((balance) => ({ asset: balance.asset, free: decimalString(balance.free), locked: decimalString(balance.locked) }))
  const ownFills = engine.fills().filter((fill) => fill.accountId === testAccountId)
  return {
    // Whole-account commissions are in basis points; commissionRates spell the same as fractions.
    makerCommission: makerRate ? makerRate.times(10000).toNumber() : 0,
    takerCommission: takerRate ? takerRate.times(10000).toNumber() : 0,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: makerRate ? decimalString(makerRate) : '0.00000000',
      taker: takerRate ? decimalString(takerRate) : '0.00000000',
      buyer: '0.00000000',
      seller: '0.00000000',
    },
    canTrade: true,
    canWithdraw: false,
    canDeposit: false,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: ownFills.at(-1)?.time ?? 0,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 1,
  }
}

function myTrades(context: RouteContext): object[] {
  const { params, exchange } = context
  const symbol = requireKnownSymbol(context)
  const orderId = params.optionalInteger('orderId')
  const startTime = params.optionalInteger('startTime')
  const endTime = params.optionalInteger('endTime')
  const fromId = params.optionalInteger('fromId')
  const limit = params.limit('limit', 500, 1000)
  const trades = exchange.engine.fills().filter((fill) =>
    fill.accountId === exchange.testAccountId &&
    fill.symbol === symbol &&
    (orderId === undefined || fill.orderId === orderId) &&
    (startTime === undefined || fill.time >= startTime) &&
    (endTime === undefined || fill.time <= endTime) &&
    (fromId === undefined || fill.tradeId >= fromId))
  // With fromId Binance returns the oldest trades from that id; otherwise the most recent ones.
  const page = fromId !== undefined ? trades.slice(0, limit) : trades.slice(-limit)
  return page.map(accountTrade)
}

/** allOrders: from orderId upward when given, otherwise the most recent; times filter on creation. */
function allOrders(context: RouteContext): object[] {
  const { params, exchange } = context
  const symbol = requireKnownSymbol(context)
  const orderId = params.optionalInteger('orderId')
  const startTime = params.optionalInteger('startTime')
  const endTime = params.optionalInteger('endTime')
  const limit = params.limit('limit', 500, 1000)
  const orders = exchange.engine.orders().filter((order) =>
    order.accountId === exchange.testAccountId &&
    order.symbol === symbol &&
    (orderId === undefined || order.orderId >= orderId) &&
    (startTime === undefined || order.createdAt >= startTime) &&
    (endTime === undefined || order.createdAt <= endTime))
  const page = orderId !== undefined || startTime !== undefined ? orders.slice(0, limit) : orders.slice(-limit)
  return page.map(queriedOrder)
}

export const TRADING_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/v3/account', auth: 'signed', weight: fixedWeight(20), handle: account },
  { method: 'POST', path: '/api/v3/order', auth: 'signed', weight: fixedWeight(1), handle: placeOrder },
  {
    method: 'GET', path: '/api/v3/order', auth: 'signed', weight: fixedWeight(4),
    handle: (context) => {
      const result = context.exchange.engine.queryOrder(orderReference(context))
      if (!result.ok) rejected(result.rejection)
      return queriedOrder(result.order)
    },
  },
  { method: 'DELETE', path: '/api/v3/order', auth: 'signed', weight: fixedWeight(1), handle: (context) => cancelOrder(context, orderReference(context)) },
  {
    method: 'GET', path: '/api/v3/openOrders', auth: 'signed',
    weight: (params: RequestParams) => (params.has('symbol') ? 6 : 80),
    handle: (context) => {
      const symbol = context.params.optionalSymbol()
      if (symbol !== undefined) requireKnownSymbol(context)
      return context.exchange.engine.openOrders(context.exchange.testAccountId, symbol).map(queriedOrder)
    },
  },
  { method: 'DELETE', path: '/api/v3/openOrders', auth: 'signed', weight: fixedWeight(1), handle: cancelAllOpenOrders },
  { method: 'GET', path: '/api/v3/allOrders', auth: 'signed', weight: fixedWeight(20), handle: allOrders },
  {
    method: 'GET', path: '/api/v3/myTrades', auth: 'signed',
    // 20 in general, 5 when narrowed to one order (rest-api.md "Account trade list").
    weight: (params: RequestParams) => (params.has('orderId') ? 5 : 20),
    handle: myTrades,
  },
]
