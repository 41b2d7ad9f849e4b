// Errors of the order model. They extend the library's one base (SpotwireError); the tracker reports
// them on its `error` event rather than throwing, so a strange update never stops tracking.
import { SpotwireError } from '../errors.ts'

/**
 * Why the tracker reported something: a fill for an order it does not know, a FILLED update whose
 * fills did not arrive in time (or never added up), an update naming no order, or a wait for an
 * exchange id that ran out.
 */
export type OrderTrackingErrorReason =
  | 'unknownOrderFill'
  | 'fillsLate'
  | 'fillsMissing'
  | 'updateWithoutOrderId'
  | 'exchangeOrderIdTimeout'

export class OrderTrackingError extends SpotwireError {
  override name = 'OrderTrackingError'
  readonly reason: OrderTrackingErrorReason
  readonly clientOrderId: string | undefined
  readonly exchangeOrderId: string | undefined

  constructor(
    reason: OrderTrackingErrorReason,
    message: string,
    ids: { readonly clientOrderId?: string | undefined; readonly exchangeOrderId?: string | undefined } = {},
  ) {
    super(message)
    this.reason = reason
    this.clientOrderId = ids.clientOrderId
    this.exchangeOrderId = ids.exchangeOrderId
  }
}

/** The exchange order id did not become known in time (the create request is still unanswered). */
export class ExchangeOrderIdTimeoutError extends OrderTrackingError {
  override name = 'ExchangeOrderIdTimeoutError'
  constructor(clientOrderId: string, timeoutMs: number) {
    super('exchangeOrderIdTimeout', `order ${clientOrderId} has no exchange order id after ${timeoutMs} ms`, {
      clientOrderId,
    })
  }
}
