// Checks an order request before it reaches the book: which parameters its type takes (rest-api.md
// "Additional mandatory parameters based on type"), then the symbol's filters, in Binance's order.
import type Big from 'big.js'
import { checkNotional, checkPriceFilter, checkQuantityFilters } from './filters.ts'
import type { MarketConfig } from './market.ts'
import type { OrderSide, OrderType, PlaceOrderRequest, TimeInForce } from './order-types.ts'
import { type EngineRejection, RejectedError, missingParameter, parameterNotRequired } from './rejections.ts'

/** An order whose parameters fit its type and whose amounts pass the filters. */
export type AcceptedOrder =
  | { readonly kind: 'limit'; readonly side: OrderSide; readonly type: Exclude<OrderType, 'MARKET'>; readonly timeInForce: TimeInForce; readonly price: Big; readonly quantity: Big }
  | { readonly kind: 'marketByQuantity'; readonly side: OrderSide; readonly quantity: Big }
  | { readonly kind: 'marketByQuote'; readonly side: OrderSide; readonly quoteOrderQty: Big }

function reject(rejection: EngineRejection | undefined): void {
  if (rejection) throw new RejectedError(rejection)
}

/**
 * Returns the accepted order or throws `RejectedError`. `referencePrice` stands in for Binance's
 * average price when a MARKET order's notional must be checked; without one that check is skipped.
 */
export function acceptOrder(market: MarketConfig, request: PlaceOrderRequest, referencePrice: Big | undefined): AcceptedOrder {
  const { side, type, price, quantity, quoteOrderQty, timeInForce } = request
  if (type === 'MARKET') {
    if (price !== undefined) reject(parameterNotRequired('price'))
    if (timeInForce !== undefined) reject(parameterNotRequired('timeInForce'))
    if (quantity !== undefined && quoteOrderQty !== undefined) reject(parameterNotRequired('quoteOrderQty'))
    if (quoteOrderQty !== undefined) {
      if (quoteOrderQty.lte(0)) reject(missingParameter('quoteOrderQty'))
      reject(checkNotional(market, quoteOrderQty, true))
      return { kind: 'marketByQuote', side, quoteOrderQty }
    }
    if (quantity === undefined) {
      throw new RejectedError({ code: -1102, msg: "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!" })
    }
    reject(checkQuantityFilters(market, quantity, true))
    if (referencePrice !== undefined) reject(checkNotional(market, quantity.times(referencePrice), true))
    return { kind: 'marketByQuantity', side, quantity }
  }
  if (price === undefined) throw new RejectedError(missingParameter('price'))
  if (quantity === undefined) throw new RejectedError(missingParameter('quantity'))
  if (quoteOrderQty !== undefined) reject(parameterNotRequired('quoteOrderQty'))
  if (type === 'LIMIT_MAKER' && timeInForce !== undefined) reject(parameterNotRequired('timeInForce'))
  reject(checkPriceFilter(market, price))
  reject(checkQuantityFilters(market, quantity, false))
  reject(checkNotional(market, price.times(quantity), false))
  return { kind: 'limit', side, type, timeInForce: timeInForce ?? 'GTC', price, quantity }
}
