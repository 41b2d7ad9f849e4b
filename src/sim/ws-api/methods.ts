// The WS API methods the simulator serves (web-socket-api.md), each with its request weight and
// whether it is SIGNED or places an order. Results reuse the REST layer's response shapes, which the
// WS API documents as identical (ws-api/order.place_*.json against rest/*.json).
import type { OrderReference, SeededRandom, SimulatedExchange } from '../engine/index.ts'
import { RestFailure } from '../rest/rest-errors.ts'
import { readNewOrder, orderReference as orderReferenceOf, requireKnownSymbol as requireKnownSymbolOf } from '../rest/order-requests.ts'
import { canceledOrder, levels, newOrderResponse, queriedOrder } from '../rest/responses.ts'
import type { WsApiParams } from './ws-params.ts'

/** What one connection offers its methods for the user data stream. */
export interface UserDataSubscriptions {
  /** Starts a subscription for the test account and returns its id. */
  subscribe(): number
  /** Ends one subscription, or every one when `subscriptionId` is undefined; false when unknown. */
  unsubscribe(subscriptionId: number | undefined): boolean
}

export interface WsApiMethodContext {
  readonly params: WsApiParams
  readonly exchange: SimulatedExchange
  readonly now: number
  readonly idRandom: SeededRandom
  readonly subscriptions: UserDataSubscriptions
}

export interface WsApiMethod {
  readonly signed: boolean
  /** Counted against the ORDERS limits (and reported with them) as well as request weight. */
  readonly placesOrder: boolean
  weight(params: WsApiParams): number
  handle(context: WsApiMethodContext): unknown
}

const fixedWeight = (weight: number) => () => weight

function requireKnownSymbol(context: WsApiMethodContext): string {
  return requireKnownSymbolOf(context.params, context.exchange)
}

function orderReference(context: WsApiMethodContext): OrderReference {
  return orderReferenceOf(context.params, context.exchange)
}

function placeOrder(context: WsApiMethodContext): object {
  const { params, exchange } = context
  const { request, responseType } = readNewOrder(params, exchange.testAccountId)
  const result = exchange.engine.placeOrder(request)
  if (!result.ok) throw new RestFailure(result.rejection)
  return newOrderResponse(result.order, result.fills, responseType)
}

function cancelOrder(context: WsApiMethodContext): object {
  const reference = orderReference(context)
  const cancelClientOrderId = context.params.optionalClientOrderId('newClientOrderId') ?? context.idRandom.nextId(22)
  const result = context.exchange.engine.cancelOrder(reference)
  if (!result.ok) throw new RestFailure(result.rejection)
  return canceledOrder(result.order, cancelClientOrderId, context.now)
}

function orderStatus(context: WsApiMethodContext): object {
  const result = context.exchange.engine.queryOrder(orderReference(context))
  if (!result.ok) throw new RestFailure(result.rejection)
  return queriedOrder(result.order)
}

const DEPTH_DEFAULT_LIMIT = 100
const DEPTH_MAX_LIMIT = 5000

/** web-socket-api.md "Order book": weight grows with the number of levels asked for. */
function depthWeight(params: WsApiParams): number {
  const limit = params.limit('limit', DEPTH_DEFAULT_LIMIT, DEPTH_MAX_LIMIT)
  if (limit <= 100) return 5
  if (limit <= 500) return 25
  if (limit <= 1000) return 50
  return 250
}

function depth(context: WsApiMethodContext): object {
  const symbol = requireKnownSymbol(context)
  const limit = context.params.limit('limit', DEPTH_DEFAULT_LIMIT, DEPTH_MAX_LIMIT)
  const book = context.exchange.engine.book(symbol, limit)
  return { lastUpdateId: book.lastUpdateId, bids: levels(book.bids), asks: levels(book.asks) }
}

function unsubscribe(context: WsApiMethodContext): object {
  const subscriptionId = context.params.optionalInteger('subscriptionId')
  if (!context.subscriptions.unsubscribe(subscriptionId)) throw new RestFailure({ code: -1130, msg: "Data sent for parameter 'subscriptionId' is not valid." })
  return {}
}

export const WS_API_METHODS: Readonly<Record<string, WsApiMethod>> = {
  'userDataStream.subscribe.signature': {
    signed: true, placesOrder: false, weight: fixedWeight(2),
    handle: (context) => ({ subscriptionId: context.subscriptions.subscribe() }),
  },
  'userDataStream.unsubscribe': { signed: false, placesOrder: false, weight: fixedWeight(2), handle: unsubscribe },
  'order.place': { signed: true, placesOrder: true, weight: fixedWeight(1), handle: placeOrder },
  'order.cancel': { signed: true, placesOrder: false, weight: fixedWeight(1), handle: cancelOrder },
  'order.status': { signed: true, placesOrder: false, weight: fixedWeight(4), handle: orderStatus },
  depth: { signed: false, placesOrder: false, weight: depthWeight, handle: depth },
  ping: { signed: false, placesOrder: false, weight: fixedWeight(1), handle: () => ({}) },
  time: { signed: false, placesOrder: false, weight: fixedWeight(1), handle: (context) => ({ serverTime: context.now }) },
}
