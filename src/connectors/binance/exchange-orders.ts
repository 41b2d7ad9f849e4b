// Binance's order endpoints as the exchange uses them: create, cancel and query an order (by our
// client order id, or by Binance's order id when that is all we know), list open orders, and list
// one order's fills. Every answer goes through its schema; money comes out as Big.
import { type Big, toDecimal } from '../../core/decimal.ts'
import { InvalidInputError } from '../../core/errors.ts'
import type { PlacedOrder } from '../../core/exchange/exchange-types.ts'
import { TradeFee } from '../../core/orders/fees.ts'
import type { OrderState, OrderUpdate, TradeType, TradeUpdate } from '../../core/orders/order-state.ts'
import type { RestAssistant } from '../../core/web/rest-assistant.ts'
import { type BinanceOrderStatus, LIMIT_IDS, ORDER_STATE, PATHS } from './constants.ts'
import { parsePayload } from './schemas/parse.ts'
import {
  type BinanceMyTrade,
  type BinanceOrder,
  CancelOrderSchema,
  CreateOrderResponseSchema,
  MyTradesSchema,
  OpenOrdersSchema,
  OrderSchema,
} from './schemas/rest.ts'
import { DEFAULT_FEES, orderParams, type OrderParamsInput } from './utils.ts'

/** Which order a request is about: ours by client order id, or Binance's by its order id. */
export type OrderReference = { readonly clientOrderId: string } | { readonly exchangeOrderId: string }

/** What the order calls need from the exchange. */
export interface BinanceOrderApi {
  readonly rest: RestAssistant
  /** `'BTC-USDT'` → `'BTCUSDT'`. */
  readonly exchangeSymbolFor: (tradingPair: string) => string
}

/** An order as Binance reports it (query, open orders), in our terms. */
export interface ExchangeOrderReport {
  readonly clientOrderId: string
  readonly exchangeOrderId: string
  readonly tradingPair: string
  readonly tradeType: TradeType
  /** Binance's order type (`LIMIT`, `MARKET`, `STOP_LOSS_LIMIT`, …): orders placed elsewhere may use any. */
  readonly orderType: string
  readonly price: Big
  readonly amount: Big
  readonly executedAmount: Big
  readonly state: OrderState
  /** Binance's own status (`NEW`, `EXPIRED`, …), which `state` maps through `ORDER_STATE`. */
  readonly exchangeStatus: BinanceOrderStatus
  /** Epoch ms of the order's last change. */
  readonly updateTimestamp: number
}

/** The order to send: an `InFlightOrder` fits. */
export interface NewOrder extends OrderParamsInput {
  readonly tradingPair: string
}

const ORDER_ENDPOINT = PATHS.order

/** `origClientOrderId=…` or `orderId=…`. Throws `InvalidInputError` (nothing sent) for a malformed order id. */
function referenceParam(reference: OrderReference): readonly [string, string] {
  if ('clientOrderId' in reference) return ['origClientOrderId', reference.clientOrderId]
  // Binance order ids are 64-bit integers: kept as digits, never through a float.
  if (!/^\d+$/.test(reference.exchangeOrderId)) {
    throw new InvalidInputError(`a Binance order id is an integer, got ${JSON.stringify(reference.exchangeOrderId)}`)
  }
  return ['orderId', reference.exchangeOrderId]
}

/**
 * `POST /v3/order`: sends the order once (never retried here) and returns Binance's order id and
 * acceptance time. A 5xx or timeout throws from the `NetworkError` family: the outcome is unknown.
 *
 * @example
 * const { exchangeOrderId } = await submitOrder(api, order, signal)
 */
export async function submitOrder(api: BinanceOrderApi, order: NewOrder, signal: AbortSignal): Promise<PlacedOrder> {
  const params = orderParams(order, api.exchangeSymbolFor(order.tradingPair))
  const raw = await api.rest.request({ method: 'POST', path: ORDER_ENDPOINT, params, signed: true, limitId: LIMIT_IDS.createOrder, signal })
  const answer = parsePayload(CreateOrderResponseSchema, raw, `POST ${ORDER_ENDPOINT}`)
  return { exchangeOrderId: String(answer.orderId), updateTimestamp: answer.transactTime }
}

/**
 * `DELETE /v3/order`: true when Binance answers that the order is now CANCELED. An unknown order
 * throws `OrderNotFoundError` (-2011 "Unknown order sent.").
 *
 * @example
 * await cancelOrder(api, 'BTC-USDT', { clientOrderId: 'sw-B1' }, signal) // true
 */
export async function cancelOrder(api: BinanceOrderApi, tradingPair: string, reference: OrderReference, signal: AbortSignal): Promise<boolean> {
  const params = [['symbol', api.exchangeSymbolFor(tradingPair)], referenceParam(reference)] as const
  const raw = await api.rest.request({ method: 'DELETE', path: ORDER_ENDPOINT, params, signed: true, limitId: LIMIT_IDS.cancelOrder, signal })
  return parsePayload(CancelOrderSchema, raw, `DELETE ${ORDER_ENDPOINT}`).status === 'CANCELED'
}

/**
 * `GET /v3/order`: the order as Binance has it. An unknown order throws `OrderNotFoundError` (-2013).
 *
 * @example
 * const report = await queryOrder(api, 'BTC-USDT', { exchangeOrderId: '28' }, signal)
 */
export async function queryOrder(
  api: BinanceOrderApi,
  tradingPair: string,
  reference: OrderReference,
  signal: AbortSignal,
): Promise<ExchangeOrderReport> {
  const params = [['symbol', api.exchangeSymbolFor(tradingPair)], referenceParam(reference)] as const
  const raw = await api.rest.request({ path: ORDER_ENDPOINT, params, signed: true, limitId: LIMIT_IDS.queryOrder, signal })
  return orderReport(parsePayload(OrderSchema, raw, `GET ${ORDER_ENDPOINT}`), tradingPair)
}

/**
 * `GET /v3/openOrders` for one pair, or for every symbol when `tradingPair` is undefined (then
 * `tradingPairFor` names each order's pair; orders of symbols it does not know are left out).
 */
export async function fetchOpenOrders(
  api: BinanceOrderApi,
  tradingPair: string | undefined,
  tradingPairFor: (symbol: string) => string | undefined,
  signal: AbortSignal,
): Promise<ExchangeOrderReport[]> {
  const raw = await api.rest.request({
    path: PATHS.openOrders,
    ...(tradingPair === undefined ? {} : { params: { symbol: api.exchangeSymbolFor(tradingPair) } }),
    signed: true,
    limitId: tradingPair === undefined ? LIMIT_IDS.openOrdersAll : LIMIT_IDS.openOrders,
    signal,
  })
  const reports: ExchangeOrderReport[] = []
  for (const order of parsePayload(OpenOrdersSchema, raw, `GET ${PATHS.openOrders}`)) {
    const pair = tradingPair ?? tradingPairFor(order.symbol)
    if (pair !== undefined) reports.push(orderReport(order, pair))
  }
  return reports
}

/**
 * `GET /v3/myTrades?symbol&orderId`: every fill of one order, as TradeUpdates of `tradingPair`
 * with the commission Binance charged as a flat fee.
 */
export async function fetchOrderFills(
  api: BinanceOrderApi,
  order: { readonly tradingPair: string; readonly exchangeOrderId: string; readonly clientOrderId?: string },
  signal: AbortSignal,
): Promise<TradeUpdate[]> {
  const params = [['symbol', api.exchangeSymbolFor(order.tradingPair)], referenceParam({ exchangeOrderId: order.exchangeOrderId })] as const
  const raw = await api.rest.request({ path: PATHS.myTrades, params, signed: true, limitId: LIMIT_IDS.myTradesByOrder, signal })
  return parsePayload(MyTradesSchema, raw, `GET ${PATHS.myTrades}`).map((trade) => tradeUpdateFromMyTrade(trade, order.tradingPair, order.clientOrderId))
}

/** One `myTrades` entry as a fill of `tradingPair` (the pair, never the exchange symbol). */
export function tradeUpdateFromMyTrade(trade: BinanceMyTrade, tradingPair: string, clientOrderId?: string): TradeUpdate {
  const tradeType: TradeType = trade.isBuyer ? 'BUY' : 'SELL'
  return {
    tradeId: String(trade.id),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    exchangeOrderId: String(trade.orderId),
    tradingPair,
    fillTimestamp: trade.time,
    fillPrice: toDecimal(trade.price),
    fillBaseAmount: toDecimal(trade.qty),
    fillQuoteAmount: toDecimal(trade.quoteQty),
    fee: TradeFee.spot(DEFAULT_FEES, tradeType, { flatFees: [{ token: trade.commissionAsset, amount: trade.commission }] }),
    isTaker: !trade.isMaker,
  }
}

/** A queried order in our terms. */
export function orderReport(order: BinanceOrder, tradingPair: string): ExchangeOrderReport {
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: String(order.orderId),
    tradingPair,
    tradeType: order.side,
    orderType: order.type,
    price: toDecimal(order.price),
    amount: toDecimal(order.origQty),
    executedAmount: toDecimal(order.executedQty),
    state: ORDER_STATE[order.status],
    exchangeStatus: order.status,
    updateTimestamp: order.updateTime,
  }
}

/** The state news a status query brings about one of our orders. */
export function orderUpdateFromReport(report: ExchangeOrderReport, clientOrderId: string): OrderUpdate {
  return {
    clientOrderId,
    exchangeOrderId: report.exchangeOrderId,
    tradingPair: report.tradingPair,
    updateTimestamp: report.updateTimestamp,
    newState: report.state,
    executedAmountBase: report.executedAmount,
    ...(report.state === 'FAILED'
      ? { errorMessage: `Binance reports order ${clientOrderId} as ${report.exchangeStatus}`, errorType: report.exchangeStatus }
      : {}),
  }
}

