// Fetching the fills of an order that ended (FILLED, or cancelled / expired after executing some)
// while the fills we know of fall short: the user stream's trade events were lost, or the status
// poll saw the final state before its own fills request could. Without this, such fills would
// never be reported: the order leaves the flight, and the status poll asks for the fills of
// finished orders only while they are cached (30 s) and only every 120 s while the stream speaks.
//
// The order's fills are asked for (by the connector's `allTradeUpdatesForOrder`, through the
// throttler like every request) after 1 s, then after a doubling wait capped at 60 s, until they
// add up to what the exchange executed, at most `FILL_RECOVERY_ATTEMPTS` times (about 10 minutes).
// The tracker deduplicates by trade id, so a fill that also arrives on the stream is reported once.
import { sleep } from '../clock.ts'
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import { OrderTrackingError } from '../orders/order-errors.ts'
import type { OrderFlowContext } from './order-flow-context.ts'
import { backoffDelayMs, type LoopBackoff } from './periodic-task.ts'

/** Wait before the first fills request, and the cap on the doubling waits after it. */
export const FILL_RECOVERY_BACKOFF: LoopBackoff = { initialMs: 1_000, maxMs: 60_000 }
/** Fills requests per order before giving up (with the back-off above: about 10 minutes). */
export const FILL_RECOVERY_ATTEMPTS = 15

/**
 * Asks for `order`'s fills until the tracker no longer awaits them (they add up), the attempts run
 * out (reported as an `OrderTrackingError` `fillsMissing`, and the order released), or `signal`
 * aborts (the order stays awaiting). Resolves in every case; failed requests are retried, and
 * reported only when they were the last chance.
 *
 * @example
 * runtime.spawn(() => recoverMissingFills(flow, order, signal))
 */
export async function recoverMissingFills(
  context: OrderFlowContext,
  order: InFlightOrder,
  signal: AbortSignal,
  backoff: LoopBackoff = FILL_RECOVERY_BACKOFF,
  attempts: number = FILL_RECOVERY_ATTEMPTS,
): Promise<void> {
  const { tracker } = context
  const id = order.clientOrderId
  let lastError: unknown
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      await sleep(backoffDelayMs(backoff, attempt), signal)
    } catch {
      return // stopped
    }
    if (!tracker.ordersAwaitingFills.has(id)) return
    try {
      const fills = await context.calls.allTradeUpdatesForOrder(order, signal)
      if (signal.aborted) return
      for (const fill of fills) tracker.processTradeUpdate(fill)
      lastError = undefined
    } catch (error) {
      if (signal.aborted) return
      lastError = error
    }
    if (!tracker.ordersAwaitingFills.has(id)) return
  }
  tracker.stopAwaitingFills(id)
  const executed = `${order.executedAmountBase.toFixed()}/${order.amount.toFixed()} ${order.baseAsset}`
  // On the tracker's channel, like its other order-tracking reports (`fillsLate`).
  tracker.events.emit(
    'error',
    new OrderTrackingError('fillsMissing', `the fills of order ${id} still add up to only ${executed} after ${attempts} requests; giving up`, {
      clientOrderId: id,
      exchangeOrderId: order.exchangeOrderId,
    }),
  )
  if (lastError !== undefined) context.report(`fetching the missing fills of order ${id}`, lastError)
}
