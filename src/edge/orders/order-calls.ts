// Place, query and cancel one order on the exchange with the Binance connector's order code, and
// the one shape every order answer of the API has (DESIGN.md "Edge").
import { LIMIT_IDS, ORDER_STATE, PATHS } from '../../connectors/binance/constants.ts'
import { type BinanceOrderApi, type ExchangeOrderReport, queryOrder } from '../../connectors/binance/exchange-orders.ts'
import { parsePayload } from '../../connectors/binance/schemas/parse.ts'
import { CancelOrderSchema, CreateOrderResponseSchema } from '../../connectors/binance/schemas/rest.ts'
import { orderParams } from '../../connectors/binance/utils.ts'
import { type Big, toDecimal } from '../../core/decimal.ts'
import type { OrderType, TradeType } from '../../core/orders/order-state.ts'

/** An order as the API answers it: decimals as plain strings, `state` in the connector's terms. */
export interface OrderView {
  readonly clientOrderId: string
  readonly exchangeOrderId: string
  readonly tradingPair: string
  readonly side: TradeType
  readonly orderType: string
  readonly amount: string
  readonly price: string
  readonly executedAmount: string
  /** `OPEN`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `FAILED` or `PENDING_CREATE`. */
  readonly state: string
}

export interface NewOrderCall {
  readonly tradingPair: string
  readonly clientOrderId: string
  readonly tradeType: TradeType
  readonly orderType: OrderType
  readonly amount: Big
  readonly price: Big | undefined
}

/**
 * `POST /v3/order`, sent once (a create is never retried) with the connector's parameters.
 *
 * @example
 * const view = await placeOrder(api, { tradingPair: 'BTC-USDT', clientOrderId: 'sw-1', tradeType: 'BUY', orderType: 'LIMIT', amount, price }, signal)
 */
export async function placeOrder(api: BinanceOrderApi, order: NewOrderCall, signal: AbortSignal): Promise<OrderView> {
  const params = orderParams(order, api.exchangeSymbolFor(order.tradingPair))
  const raw = await api.rest.request({ method: 'POST', path: PATHS.order, params, signed: true, limitId: LIMIT_IDS.createOrder, signal })
  const answer = parsePayload(CreateOrderResponseSchema, raw, `POST ${PATHS.order}`)
  const result = 'status' in answer ? answer : undefined
  return {
    clientOrderId: answer.clientOrderId,
    exchangeOrderId: String(answer.orderId),
    tradingPair: order.tradingPair,
    side: order.tradeType,
    orderType: result?.type ?? order.orderType,
    amount: plain(result?.origQty ?? order.amount),
    price: plain(result?.price ?? order.price ?? '0'),
    executedAmount: plain(result?.executedQty ?? '0'),
    // An ACK answer (no status) only says the exchange took the order.
    state: result ? ORDER_STATE[result.status] : 'PENDING_CREATE',
  }
}

/**
 * `GET /v3/order` by client order id: the order's current state.
 *
 * @example
 * const view = await fetchOrder(api, 'BTC-USDT', 'sw-1', signal)
 */
export async function fetchOrder(api: BinanceOrderApi, tradingPair: string, clientOrderId: string, signal: AbortSignal): Promise<OrderView> {
  return viewOfReport(await queryOrder(api, tradingPair, { clientOrderId }, signal))
}

/**
 * `DELETE /v3/order` by client order id; answers with the order as the cancel left it.
 *
 * @example
 * (await cancelOrderById(api, 'BTC-USDT', 'sw-1', signal)).state // 'CANCELED'
 */
export async function cancelOrderById(api: BinanceOrderApi, tradingPair: string, clientOrderId: string, signal: AbortSignal): Promise<OrderView> {
  const params = [['symbol', api.exchangeSymbolFor(tradingPair)], ['origClientOrderId', clientOrderId]] as const
  const raw = await api.rest.request({ method: 'DELETE', path: PATHS.order, params, signed: true, limitId: LIMIT_IDS.cancelOrder, signal })
  const answer = parsePayload(CancelOrderSchema, raw, `DELETE ${PATHS.order}`)
  return {
    // Binance's cancel answer names the cancel request `clientOrderId`; the order's own id is `origClientOrderId`.
    clientOrderId: answer.origClientOrderId,
    exchangeOrderId: String(answer.orderId),
    tradingPair,
    side: answer.side,
    orderType: answer.type,
    amount: plain(answer.origQty),
    price: plain(answer.price),
    executedAmount: plain(answer.executedQty),
    state: ORDER_STATE[answer.status],
  }
}

function viewOfReport(report: ExchangeOrderReport): OrderView {
  return {
    clientOrderId: report.clientOrderId,
    exchangeOrderId: report.exchangeOrderId,
    tradingPair: report.tradingPair,
    side: report.tradeType,
    orderType: report.orderType,
    amount: report.amount.toFixed(),
    price: report.price.toFixed(),
    executedAmount: report.executedAmount.toFixed(),
    state: report.state,
  }
}

/** `"0.00100000"` → `"0.001"`: plain decimal text, never an exponent. */
function plain(value: string | Big): string {
  return toDecimal(value).toFixed()
}
