// Reconciling orders with the exchange by asking it: fills first (so a FILLED status finds its
// fills already counted), then states. Only a definite "this order does not exist" answer counts
// toward making an active order lost (DESIGN.md rule 4; the recipe counts any failed query, so
// one throttled or failed round could fail every order): a timeout, 5xx, 429/418 or dropped
// connection says nothing about the order, which stays tracked as it was and is asked again next
// round. Lost orders are retried until the exchange settles them or says it has never heard of them.
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import type { OrderFlowContext } from './order-flow-context.ts'
import { cancelTrackedOrder } from './order-cancellation.ts'

/** Fetches each order's fills and records the new ones. Failures are reported per order. */
export async function updateOrderFills(context: OrderFlowContext, orders: readonly InFlightOrder[], signal: AbortSignal): Promise<void> {
  await Promise.all(
    orders.map(async (order) => {
      try {
        const fills = await context.calls.allTradeUpdatesForOrder(order, signal)
        if (signal.aborted) return
        for (const fill of fills) context.tracker.processTradeUpdate(fill)
      } catch (error) {
        if (!signal.aborted) context.report(`fetching the fills of order ${order.clientOrderId}`, error)
      }
    }),
  )
}

/**
 * One status round for active orders: fills of every fillable order, then the state of every
 * active one. Orders whose create request is still unanswered are left alone.
 */
export async function updateActiveOrders(context: OrderFlowContext, signal: AbortSignal): Promise<void> {
  const { tracker, placing } = context
  const settled = (order: InFlightOrder): boolean => !placing.has(order.clientOrderId)
  await updateOrderFills(context, [...tracker.allFillableOrders.values()].filter(settled), signal)
  const active = [...tracker.activeOrders.values()].filter(settled)
  await Promise.all(
    active.map(async (order) => {
      try {
        const update = await context.calls.requestOrderStatus(order, signal)
        if (!signal.aborted) await tracker.processOrderUpdate(update)
      } catch (error) {
        if (signal.aborted) return
        if (context.calls.isOrderNotFoundDuringStatusUpdate(error)) {
          await tracker.processOrderNotFound(order.clientOrderId)
        } else {
          // Outcome unknown: the order is left as it is, to be asked again next round.
          context.report(`fetching the status of order ${order.clientOrderId}`, error)
        }
      }
    }),
  )
}

/**
 * One round of the lost-order loop: cancel every lost order (in case it does exist), then fetch
 * their fills and states. A lost order the exchange does not know is dropped (a FAILED update,
 * which removes a lost order silently).
 */
export async function updateLostOrders(context: OrderFlowContext, signal: AbortSignal): Promise<void> {
  const { tracker, clock } = context
  await Promise.all([...tracker.lostOrders.values()].map((order) => cancelTrackedOrder(context, order, signal)))
  if (signal.aborted) return
  const lost = [...tracker.lostOrders.values()]
  await updateOrderFills(context, lost, signal)
  await Promise.all(
    lost.map(async (order) => {
      try {
        const update = await context.calls.requestOrderStatus(order, signal)
        if (!signal.aborted) await tracker.processOrderUpdate(update)
      } catch (error) {
        if (signal.aborted) return
        if (context.calls.isOrderNotFoundDuringStatusUpdate(error)) {
          await tracker.processOrderUpdate({
            clientOrderId: order.clientOrderId,
            tradingPair: order.tradingPair,
            updateTimestamp: clock.now(),
            newState: 'FAILED',
            errorMessage: `the exchange does not know lost order ${order.clientOrderId}`,
            errorType: 'OrderNotFound',
          })
        } else {
          context.report(`fetching the status of lost order ${order.clientOrderId}`, error)
        }
      }
    }),
  )
}
