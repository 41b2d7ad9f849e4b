// How an order request's parameters become engine requests: shared by the REST routes and the WS
// API methods, which Binance documents with the same parameters and the same errors.
import type { OrderReference, PlaceOrderRequest, SimulatedExchange } from '../engine/index.ts'
import type { ParamReader } from './param-reader.ts'
import { REST_ERRORS, RestFailure } from './rest-errors.ts'
import type { OrderResponseType } from './responses.ts'

const SIDES = ['BUY', 'SELL'] as const
const ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET'] as const
const TIMES_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const
const RESPONSE_TYPES = ['ACK', 'RESULT', 'FULL'] as const

/** The `symbol` parameter, refused with -1121 unless the engine lists that market. */
export function requireKnownSymbol(params: ParamReader, exchange: SimulatedExchange): string {
  const symbol = params.requiredSymbol()
  if (!exchange.engine.marketConfigs().some((market) => market.symbol === symbol)) throw new RestFailure(REST_ERRORS.invalidSymbol)
  return symbol
}

/** `orderId` or `origClientOrderId` (orderId wins), as order queries and cancels take them. */
export function orderReference(params: ParamReader, exchange: SimulatedExchange): OrderReference {
  const symbol = requireKnownSymbol(params, exchange)
  const orderId = params.optionalInteger('orderId')
  const clientOrderId = params.optionalString('origClientOrderId')
  const accountId = exchange.testAccountId
  if (orderId !== undefined) return { accountId, symbol, orderId }
  if (clientOrderId !== undefined) return { accountId, symbol, clientOrderId }
  throw new RestFailure({ code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" })
}

/** A new order's parameters, validated, as the engine request and the answer shape asked for. */
export function readNewOrder(params: ParamReader, accountId: string): { request: PlaceOrderRequest; responseType: OrderResponseType } {
  const symbol = params.requiredSymbol()
  const side = params.requiredEnum('side', SIDES, REST_ERRORS.invalidSide)
  const type = params.requiredEnum('type', ORDER_TYPES, REST_ERRORS.invalidOrderType)
  const timeInForce = params.optionalEnum('timeInForce', TIMES_IN_FORCE, REST_ERRORS.invalidTimeInForce)
  // Binance defaults LIMIT and MARKET to FULL and every other type to ACK.
  const responseType: OrderResponseType = params.optionalEnum('newOrderRespType', RESPONSE_TYPES) ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL')
  const price = params.optionalDecimal('price')
  const quantity = params.optionalDecimal('quantity')
  const quoteOrderQty = params.optionalDecimal('quoteOrderQty')
  const clientOrderId = params.optionalClientOrderId('newClientOrderId')
  const request: PlaceOrderRequest = {
    accountId,
    symbol,
    side,
    type,
    ...(timeInForce !== undefined ? { timeInForce } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(quoteOrderQty !== undefined ? { quoteOrderQty } : {}),
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
  }
  return { request, responseType }
}
