// Cancelling: one order (wait for its exchange id if the create is still unanswered, ask the
// exchange, apply its answer) and all open orders under a deadline. Typed errors decide what a
// failure means: "not found" counts towards the order being lost, anything else is reported and
// leaves the order as it is.
import { RequestTimeoutError } from '../errors.ts'
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import { ExchangeOrderIdTimeoutError } from '../orders/order-errors.ts'
import type { CancellationResult } from './exchange-types.ts'
import type { OrderFlowContext } from './order-flow-context.ts'

/**
 * Asks the exchange to cancel `order` and applies the answer: CANCELED at once for exchanges whose
 * cancel is synchronous, PENDING_CANCEL otherwise (the stream or a poll confirms later). Resolves
 * true when the exchange accepted the cancel; false when it refused, did not find the order (one
 * "not found" is counted), did not answer (reported on `error`) or `signal` aborted. Never rejects.
 */
export async function cancelTrackedOrder(context: OrderFlowContext, order: InFlightOrder, signal: AbortSignal): Promise<boolean> {
  const { tracker, clock } = context
  const id = order.clientOrderId
  try {
    // A cancel sent before the create is answered could reach the exchange first and miss.
    if (order.exchangeOrderId === undefined) {
      await order.waitForExchangeOrderId({ timeoutMs: context.intervals.cancelExchangeOrderIdWaitMs, signal })
    }
    const accepted = await context.calls.placeCancel(order, signal)
    if (!accepted || signal.aborted) return false
    await tracker.processOrderUpdate({
      clientOrderId: id,
      tradingPair: order.tradingPair,
      updateTimestamp: clock.now(),
      newState: context.isCancelRequestSynchronous ? 'CANCELED' : 'PENDING_CANCEL',
    })
    return true
  } catch (error) {
    if (signal.aborted) return false
    if (error instanceof ExchangeOrderIdTimeoutError || context.calls.isOrderNotFoundDuringCancel(error)) {
      await tracker.processOrderNotFound(id)
    } else {
      context.report(`cancelling order ${id}`, error)
    }
    return false
  }
}

/**
 * Cancels every given order in parallel and answers within `timeoutMs`: accepted cancels first as
 * successes, then every other order as a failure (refused, not found, or unanswered in time; those
 * still running are abandoned, and their orders are settled by polling as usual).
 */
export async function cancelOrders(
  context: OrderFlowContext,
  orders: readonly InFlightOrder[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<CancellationResult[]> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(new RequestTimeoutError(`cancelAll did not finish within ${timeoutMs} ms`)), timeoutMs)
  const combined = AbortSignal.any([signal, deadline.signal])
  const accepted = new Set<string>()
  try {
    await Promise.all(
      orders.map(async (order) => {
        if (await cancelTrackedOrder(context, order, combined)) accepted.add(order.clientOrderId)
      }),
    )
  } finally {
    clearTimeout(timer)
  }
  const successes = orders.filter((order) => accepted.has(order.clientOrderId))
  const failures = orders.filter((order) => !accepted.has(order.clientOrderId))
  return [
    ...successes.map((order) => ({ clientOrderId: order.clientOrderId, success: true })),
    ...failures.map((order) => ({ clientOrderId: order.clientOrderId, success: false })),
  ]
}
