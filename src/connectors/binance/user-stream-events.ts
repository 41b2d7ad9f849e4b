// What the user stream's events mean for the exchange: an executionReport is a fill (when it
// reports a trade) and a state change of one order; an outboundAccountPosition is the new free
// and locked balance of every asset that changed. Pure functions; the exchange applies them.
import { toDecimal } from '../../core/decimal.ts'
import { PayloadValidationError } from '../../core/errors.ts'
import type { AccountBalance } from '../../core/exchange/balances.ts'
import { TradeFee } from '../../core/orders/fees.ts'
import type { OrderUpdate, TradeUpdate } from '../../core/orders/order-state.ts'
import { type BinanceOrderStatus, ORDER_STATE } from './constants.ts'
import type { ExecutionReport, OutboundAccountPosition } from './schemas/user-data.ts'
import { DEFAULT_FEES } from './utils.ts'

/** An executionReport in our terms: the fill it reports (x = TRADE), then the order's new state. */
export interface ExecutionReportUpdates {
  readonly trade: TradeUpdate | undefined
  readonly order: OrderUpdate
}

function isBinanceOrderStatus(status: string): status is BinanceOrderStatus {
  return Object.hasOwn(ORDER_STATE, status)
}

/**
 * Reads one executionReport for the pair its symbol maps to. The order is named by `C` (its
 * original client id) when the report is a cancel, and by `c` otherwise (on a cancel `c` is the
 * cancel request's own id). The fill: amount `l`, price `L`, quote `l`·`L`, commission `n` in `N`,
 * trade id `t`. Throws `PayloadValidationError` for an order status Binance does not document.
 *
 * @example
 * const { trade, order } = executionReportUpdates(report, 'BTC-USDT')
 */
export function executionReportUpdates(report: ExecutionReport, tradingPair: string): ExecutionReportUpdates {
  if (!isBinanceOrderStatus(report.X)) {
    throw new PayloadValidationError('binance user stream executionReport', report, { details: `X: unknown order status ${report.X}` })
  }
  const clientOrderId = report.x === 'CANCELED' && report.C !== '' ? report.C : report.c
  const exchangeOrderId = String(report.i)
  const newState = ORDER_STATE[report.X]
  const order: OrderUpdate = {
    clientOrderId,
    exchangeOrderId,
    tradingPair,
    updateTimestamp: report.E,
    newState,
    // Cumulative filled quantity: lets the tracker notice fills whose reports were lost.
    executedAmountBase: toDecimal(report.z),
    ...(newState === 'FAILED' ? failureDetails(report, clientOrderId) : {}),
  }
  return { trade: report.x === 'TRADE' ? fillOf(report, tradingPair, clientOrderId) : undefined, order }
}

function failureDetails(report: ExecutionReport, clientOrderId: string): Pick<OrderUpdate, 'errorMessage' | 'errorType'> {
  const reason = report.r !== undefined && report.r !== 'NONE' ? ` (${report.r})` : ''
  return { errorMessage: `Binance reports order ${clientOrderId} as ${report.X}${reason}`, errorType: report.X }
}

function fillOf(report: ExecutionReport, tradingPair: string, clientOrderId: string): TradeUpdate {
  const fillBaseAmount = toDecimal(report.l)
  const fillPrice = toDecimal(report.L)
  const commission = toDecimal(report.n)
  // N is null when nothing was charged.
  const flatFees = report.N === null || commission.eq(0) ? [] : [{ token: report.N, amount: commission }]
  return {
    tradeId: String(report.t),
    clientOrderId,
    exchangeOrderId: String(report.i),
    tradingPair,
    fillTimestamp: report.T,
    fillPrice,
    fillBaseAmount,
    fillQuoteAmount: fillBaseAmount.times(fillPrice),
    fee: TradeFee.spot(DEFAULT_FEES, report.S, { flatFees }),
    isTaker: report.m !== true,
  }
}

/**
 * The balances an outboundAccountPosition reports: available = free `f`, total = `f` + locked `l`.
 *
 * @example
 * balancesFromAccountPosition(event) // [{ asset: 'BTC', available: Big(10), total: Big(15) }]
 */
export function balancesFromAccountPosition(event: OutboundAccountPosition): AccountBalance[] {
  return event.B.map((entry) => {
    const available = toDecimal(entry.f)
    return { asset: entry.a, available, total: available.plus(toDecimal(entry.l)) }
  })
}
