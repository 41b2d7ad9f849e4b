// The engine's order vocabulary, named as Binance names it (rest-api.md "ENUM definitions").
import type Big from 'big.js'

export type OrderSide = 'BUY' | 'SELL'
export type OrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET'
export type TimeInForce = 'GTC' | 'IOC' | 'FOK'
/** REJECTED is listed for completeness: Binance answers a refused order with an error, not an order. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED'
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED'

/** What a client asks for; amounts are exact decimals. */
export interface PlaceOrderRequest {
  readonly accountId: string
  readonly symbol: string
  readonly side: OrderSide
  readonly type: OrderType
  /** LIMIT only; defaults to GTC. LIMIT_MAKER and MARKET report GTC as Binance does. */
  readonly timeInForce?: TimeInForce
  readonly price?: Big
  /** Base amount. MARKET takes either this or `quoteOrderQty`, not both. */
  readonly quantity?: Big
  /** MARKET only: spend (BUY) or receive (SELL) this much quote asset. */
  readonly quoteOrderQty?: Big
  /** Generated when absent, like Binance's `newClientOrderId`. */
  readonly clientOrderId?: string
}

/** An order as the exchange knows it; the REST and WS layers format these fields for the wire. */
export interface OrderState {
  readonly accountId: string
  readonly symbol: string
  readonly orderId: number
  readonly clientOrderId: string
  readonly side: OrderSide
  readonly type: OrderType
  readonly timeInForce: TimeInForce
  /** Zero for MARKET orders, as Binance prints `"price": "0.00000000"`. */
  readonly price: Big
  readonly originalQuantity: Big
  readonly originalQuoteOrderQuantity: Big
  executedQuantity: Big
  cumulativeQuoteQuantity: Big
  status: OrderStatus
  /** Creation time (`time`, executionReport `O`). */
  readonly createdAt: number
  updatedAt: number
  /** When the order started working (`workingTime`); -1 until then. */
  workingTime: number
  /** Whether the order rests on the book now (`isWorking`, executionReport `w`). */
  isOnBook: boolean
}

/** One side of one trade, as myTrades and the FULL response's `fills` report it. */
export interface AccountFill {
  readonly accountId: string
  readonly symbol: string
  readonly tradeId: number
  readonly orderId: number
  readonly clientOrderId: string
  readonly price: Big
  readonly quantity: Big
  readonly quoteQuantity: Big
  readonly commission: Big
  readonly commissionAsset: string
  readonly time: number
  readonly isBuyer: boolean
  readonly isMaker: boolean
}

/** A public trade in one market (the `@trade` stream's fields). */
export interface MarketTrade {
  readonly symbol: string
  readonly tradeId: number
  readonly price: Big
  readonly quantity: Big
  readonly quoteQuantity: Big
  readonly buyerOrderId: number
  readonly sellerOrderId: number
  readonly time: number
  readonly isBuyerMaker: boolean
}

export function isTerminal(status: OrderStatus): boolean {
  return status === 'FILLED' || status === 'CANCELED' || status === 'EXPIRED' || status === 'REJECTED'
}
