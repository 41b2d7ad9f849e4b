// SIGNED account and order routes. They act for the simulator's one funded test account, which the
// configured API key stands for; engine rejections go out with their documented code and message.
import type { EngineRejection, OrderReference, OrderState } from '../engine/index.ts'
import { REST_ERRORS, RestFailure } from './rest-errors.ts'
import type { RequestParams } from './request-params.ts'
import { type OrderResponseType, accountTrade, canceledOrder, decimalString, newOrderResponse, queriedOrder } from './responses.ts'
import { type Route, type RouteContext, fixedWeight } from './route-context.ts'

const SIDES = ['BUY', 'SELL'] as const
const ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET'] as const
const TIMES_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const
const RESPONSE_TYPES = ['ACK', 'RESULT', 'FULL'] as const

function rejected(rejection: EngineRejection): never {
  throw new RestFailure(rejection)
}

function requireKnownSymbol(context: RouteContext): string {
  const symbol = context.params.requiredSymbol()
  if (!context.exchange.engine.marketConfigs().some((market) => market.symbol === symbol)) throw new RestFailure(REST_ERRORS.invalidSymbol)
  return symbol
}

/** `orderId` or `origClientOrderId`, as GET and DELETE /api/v3/order take them. */
function orderReference(context: RouteContext): OrderReference {
  const symbol = requireKnownSymbol(context)
  const orderId = context.params.optionalInteger('orderId')
  const clientOrderId = context.params.optionalString('origClientOrderId')
  const accountId = context.exchange.testAccountId
  if (orderId !== undefined) return { accountId, symbol, orderId }
  if (clientOrderId !== undefined) return { accountId, symbol, clientOrderId }
  throw new RestFailure({ code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" })
}

function placeOrder(context: RouteContext): object {
  const { params, exchange, limiter, now } = context
  const symbol = params.requiredSymbol()
  const side = params.requiredEnum('side', SIDES, REST_ERRORS.invalidSide)
  const type = params.requiredEnum('type', ORDER_TYPES, REST_ERRORS.invalidOrderType)
  const timeInForce = params.optionalEnum('timeInForce', TIMES_IN_FORCE, REST_ERRORS.invalidTimeInForce)
  const responseType: OrderResponseType = params.optionalEnum('newOrderRespType', RESPONSE_TYPES) ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL')
  const price = params.optionalDecimal('price')
  const quantity = params.optionalDecimal('quantity')
  const quoteOrderQty = params.optionalDecimal('quoteOrderQty')
  const clientOrderId = params.optionalClientOrderId('newClientOrderId')
  limiter.checkOrderAllowed(exchange.testAccountId, now)

  const result = exchange.engine.placeOrder({
    accountId: exchange.testAccountId,
    symbol,
    side,
    type,
    ...(timeInForce !== undefined ? { timeInForce } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(quoteOrderQty !== undefined ? { quoteOrderQty } : {}),
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
  })
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

export const TRADING_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/v3/account', signed: true, weight: fixedWeight(20), handle: account },
  { method: 'POST', path: '/api/v3/order', signed: true, weight: fixedWeight(1), handle: placeOrder },
  {
    method: 'GET', path: '/api/v3/order', signed: true, weight: fixedWeight(4),
    handle: (context) => {
      const result = context.exchange.engine.queryOrder(orderReference(context))
      if (!result.ok) rejected(result.rejection)
      return queriedOrder(result.order)
    },
  },
  { method: 'DELETE', path: '/api/v3/order', signed: true, weight: fixedWeight(1), handle: (context) => cancelOrder(context, orderReference(context)) },
  {
    method: 'GET', path: '/api/v3/openOrders', signed: true,
    weight: (params: RequestParams) => (params.has('symbol') ? 6 : 80),
    handle: (context) => {
      const symbol = context.params.optionalSymbol()
      if (symbol !== undefined) requireKnownSymbol(context)
      return context.exchange.engine.openOrders(context.exchange.testAccountId, symbol).map(queriedOrder)
    },
  },
  { method: 'DELETE', path: '/api/v3/openOrders', signed: true, weight: fixedWeight(1), handle: cancelAllOpenOrders },
  {
    method: 'GET', path: '/api/v3/myTrades', signed: true,
    // 20 in general, 5 when narrowed to one order (rest-api.md "Account trade list").
    weight: (params: RequestParams) => (params.has('orderId') ? 5 : 20),
    handle: myTrades,
  },
]
