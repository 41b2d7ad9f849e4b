// The soak's end-of-run checks against the simulator's ground truth. Each returns violations; the
// live-book check runs during the run (SoakRecorder.checkLiveBook).
import type { RateLimitViolations } from '../../src/sim/rest/rate-limits.ts'
import type { Simulator } from '../../src/sim/index.ts'
import { type SoakRecorder, TERMINAL_EVENTS, type Violation, fillKey } from './soak-recorder.ts'

const CREATED_ONCE = 'created once per client order id, none lost'
const FILLS_ONCE = 'each fill reported exactly once'

/** The connector's final event for an order, as the simulator's final status should read. */
function expectedFinalEvent(status: string | undefined): 'completed' | 'orderCancelled' | 'orderFailure' | 'open' {
  if (status === 'FILLED') return 'completed'
  if (status === 'CANCELED') return 'orderCancelled'
  if (status === undefined || status === 'REJECTED' || status === 'EXPIRED' || status === 'EXPIRED_IN_MATCH') return 'orderFailure'
  return 'open'
}

/** Every issued order reached the exchange at most once, and ended in the state the simulator has. */
export function checkOrders(recorder: SoakRecorder, simulator: Simulator, connectorState: (clientOrderId: string) => string = () => '?'): Violation[] {
  const violations: Violation[] = []
  for (const order of recorder.orders.values()) {
    const creates = simulator.truth.createRequests(order.clientOrderId, order.symbol)
    if (creates > 1) violations.push({ invariant: CREATED_ONCE, detail: `${order.clientOrderId}: ${creates} create requests reached the simulator` })
    const truth = simulator.truth.order(order.clientOrderId, order.symbol)
    const terminal = order.events.filter((name) => TERMINAL_EVENTS.has(name))
    const expected = expectedFinalEvent(truth?.status)
    const describe = () => `${order.clientOrderId} (${order.tradingPair}): simulator ${truth?.status ?? 'has no order'}, connector events ${order.events.join(',') || 'none'}, connector state ${connectorState(order.clientOrderId)}, issued ${new Date(order.issuedAt).toISOString()}${order.failure === undefined ? '' : `, failure ${order.failure}`}`
    if (expected === 'open') violations.push({ invariant: CREATED_ONCE, detail: `still open on the simulator after settling: ${describe()}` })
    else if (terminal.length === 0) violations.push({ invariant: CREATED_ONCE, detail: `never final in the connector: ${describe()}` })
    else if (terminal.length > 1) violations.push({ invariant: CREATED_ONCE, detail: `more than one final event: ${describe()}` })
    else {
      const actual = terminal[0] === 'orderCancelled' || terminal[0] === 'orderFailure' ? terminal[0] : 'completed'
      if (actual !== expected) violations.push({ invariant: CREATED_ONCE, detail: `final state differs: ${describe()}` })
    }
  }
  return violations
}

/** No fill (trade id and order) reported twice; every simulator fill of an issued order reported once, with its price and amount. */
export function checkFills(recorder: SoakRecorder, simulator: Simulator): Violation[] {
  const violations: Violation[] = []
  for (const fill of recorder.fills.values()) {
    if (fill.times > 1) violations.push({ invariant: FILLS_ONCE, detail: `${fill.tradingPair} trade ${fill.tradeId} (${fill.clientOrderId}) reported ${fill.times} times` })
  }
  const testAccountId = simulator.exchange.testAccountId
  for (const truth of simulator.truth.fills()) {
    if (truth.accountId !== testAccountId || !recorder.orders.has(truth.clientOrderId)) continue
    const order = recorder.orders.get(truth.clientOrderId)
    const reported = recorder.fills.get(fillKey(order?.tradingPair ?? '', truth.tradeId, truth.clientOrderId))
    if (!reported) {
      violations.push({ invariant: FILLS_ONCE, detail: `${truth.symbol} trade ${truth.tradeId} of ${truth.clientOrderId} never reported` })
    } else if (reported.clientOrderId !== truth.clientOrderId || Number(reported.amount) !== Number(truth.quantity.toFixed()) || Number(reported.price) !== Number(truth.price.toFixed())) {
      violations.push({ invariant: FILLS_ONCE, detail: `${truth.symbol} trade ${truth.tradeId}: reported ${JSON.stringify(reported)}, simulator ${truth.quantity.toFixed()} @ ${truth.price.toFixed()} for ${truth.clientOrderId}` })
    }
  }
  return violations
}

export interface BalanceView {
  getBalance(asset: string): { toFixed(): string }
  getAvailableBalance(asset: string): { toFixed(): string }
}

/** The connector's total and available balance of every asset equal the simulator's. */
export function balanceDifferences(exchange: BalanceView, simulator: Simulator): string[] {
  const differences: string[] = []
  for (const balance of simulator.truth.balances()) {
    const total = balance.free.plus(balance.locked).toFixed()
    const available = balance.free.toFixed()
    const ours = { total: exchange.getBalance(balance.asset).toFixed(), available: exchange.getAvailableBalance(balance.asset).toFixed() }
    if (ours.total !== total || ours.available !== available) {
      differences.push(`${balance.asset}: connector ${ours.total} (available ${ours.available}), simulator ${total} (available ${available})`)
    }
  }
  return differences
}

export function checkRateLimits(counts: RateLimitViolations, explain: () => string[] = () => []): Violation[] {
  const violations: Violation[] = []
  if (counts.bansAnswered + counts.requestsBeforeRetryAfter + counts.requestsWhileBanned > 0) {
    violations.push(...explain().slice(0, 40).map((detail) => ({ invariant: 'rate-limit answers (context)', detail })))
  }
  if (counts.bansAnswered > 0) violations.push({ invariant: 'no 418 ever caused', detail: `the simulator answered 418 ${counts.bansAnswered} times` })
  if (counts.requestsBeforeRetryAfter > 0) violations.push({ invariant: 'no request while told to wait', detail: `${counts.requestsBeforeRetryAfter} requests arrived before Retry-After passed` })
  if (counts.requestsWhileBanned > 0) violations.push({ invariant: 'no request while banned', detail: `${counts.requestsWhileBanned} requests arrived while banned` })
  return violations
}

/**
 * After each change of the simulator's clock (a skew, or its undoing), an order issued after it is
 * accepted within `withinMs` of it: -1021 answers are recovered from, not repeated forever.
 */
export function checkClockSkewRecovery(recorder: SoakRecorder, skewChanges: readonly number[], placingEndedAt: number, withinMs: number): Violation[] {
  const orders = [...recorder.orders.values()]
  const violations: Violation[] = []
  for (const change of skewChanges) {
    if (change + withinMs > placingEndedAt) continue // placing stopped before the connector had its chance
    if (!orders.some((order) => order.issuedAt > change && order.createdAt !== undefined && order.createdAt <= change + withinMs)) {
      violations.push({ invariant: '-1021 recovered', detail: `no order was accepted within ${withinMs} ms of the clock change at ${new Date(change).toISOString()}` })
    }
  }
  return violations
}
