// Exchange failures as API errors `{ error: { code, message, exchangeCode? } }`. The rule: the
// caller learns whether the exchange said no (4xx, with its code) or whether the outcome is unknown
// (502: query the order before trying again). Every message has been through the redactor, as
// every SpotwireError's has; nothing from the request line, headers or secrets is added here.
import { CancelRejectedError, OrderRejectedError } from '../../connectors/binance/web-utils.ts'
import {
  ExchangeError,
  FilterFailureError,
  InsufficientFundsError,
  InvalidInputError,
  InvalidSignatureError,
  IpBannedError,
  NetworkError,
  OrderNotFoundError,
  RateLimitedError,
  SpotwireError,
  TimestampOutsideWindowError,
} from '../../core/errors.ts'
import { redact } from '../../core/redact.ts'
import { jsonError } from '../http.ts'

/** What the failed call was, so the message can say what is now unknown. */
export interface FailedCall {
  readonly action: 'place' | 'query' | 'cancel' | 'prepare'
  readonly clientOrderId?: string
}

/**
 * The response for an error thrown while talking to the exchange.
 *
 * @example
 * exchangeErrorResponse(new InsufficientFundsError('…', { exchangeCode: -2010 }), { action: 'place' })
 * // 400 { error: { code: 'INSUFFICIENT_BALANCE', message: '…', exchangeCode: -2010 } }
 */
export function exchangeErrorResponse(error: unknown, call: FailedCall): Response {
  const message = error instanceof SpotwireError ? error.shortMessage : 'The exchange call failed.'
  if (error instanceof ExchangeError) {
    const extra = typeof error.exchangeCode === 'number' ? { exchangeCode: error.exchangeCode } : {}
    const refuse = (status: number, code: string): Response => jsonError(status, code, redact(message), extra)
    if (error instanceof InsufficientFundsError) return refuse(400, 'INSUFFICIENT_BALANCE')
    if (error instanceof OrderRejectedError) return refuse(400, 'ORDER_REJECTED')
    if (error instanceof FilterFailureError) return refuse(400, 'EXCHANGE_FILTER_FAILURE')
    if (error instanceof OrderNotFoundError) return refuse(404, 'ORDER_NOT_FOUND')
    if (error instanceof CancelRejectedError) return refuse(409, 'CANCEL_REJECTED')
    // Our own keys or clock were refused: nothing the caller can fix, and nothing was executed.
    if (error instanceof InvalidSignatureError || error instanceof TimestampOutsideWindowError) return refuse(502, 'EXCHANGE_AUTH_FAILED')
    if (error.httpStatus !== undefined && error.httpStatus >= 400 && error.httpStatus < 500) return refuse(400, 'EXCHANGE_REJECTED')
  }
  if (error instanceof InvalidInputError) return jsonError(400, 'INVALID_REQUEST', redact(message))
  if (error instanceof RateLimitedError || error instanceof IpBannedError) {
    const waitMs = error instanceof IpBannedError ? error.bannedUntil - Date.now() : (error.retryAfterMs ?? 1000)
    return jsonError(503, 'EXCHANGE_RATE_LIMITED', `${redact(message)}. The exchange refused the request unexecuted; retry after Retry-After seconds.`, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    })
  }
  const kind = error instanceof NetworkError ? 'EXCHANGE_UNAVAILABLE' : 'EXCHANGE_FAILED'
  return jsonError(502, kind, `${redact(message)}. ${unknownOutcome(call)}`)
}

/** What the caller may assume after a failure the exchange did not clearly answer. */
function unknownOutcome(call: FailedCall): string {
  const order = call.clientOrderId === undefined ? 'the order' : `order ${call.clientOrderId}`
  switch (call.action) {
    case 'place':
      return `The status of ${order} is unknown: query it with GET before placing it again.`
    case 'cancel':
      return `Whether ${order} was cancelled is unknown: query it with GET.`
    case 'query':
      return `The current status of ${order} is unknown: try again later.`
    default:
      return 'Nothing was changed on the exchange; try again later.'
  }
}
