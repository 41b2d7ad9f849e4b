// Order tracking benchmark: order and trade updates per second through the core's OrderTracker with
// a listener on every event, against building the same orders and update objects alone (the
// baseline: what a connector's user-stream parser hands the tracker). Run: `npm run bench:orders`.
//
// Each order lives a whole life: 3 in 4 are placed, go OPEN, PARTIALLY_FILLED with a fill, get a
// second fill and end FILLED (3 order updates + 2 trade updates: created, 2 × orderFilled,
// completed); 1 in 4 goes OPEN then CANCELED (2 order updates: created, cancelled). Side by side in
// one process, phases interleaved chunk by chunk in alternating order after a warm-up round,
// medians reported (STYLE.md rule 10). Nothing here fails on a timing.
import { toDecimal } from '../src/core/decimal.ts'
import { EventEmitter } from '../src/core/events.ts'
import { createTradeFeeSchema, TradeFee } from '../src/core/orders/fees.ts'
import { InFlightOrder } from '../src/core/orders/in-flight-order.ts'
import type { OrderTrackerEvents } from '../src/core/orders/order-events.ts'
import type { OrderUpdate, TradeUpdate } from '../src/core/orders/order-state.ts'
import { OrderTracker } from '../src/core/orders/order-tracker.ts'
import { median, reportFigures } from './bench-report.ts'
import { runInterleavedAsync } from './interleave.ts'

const ORDER_COUNT = 20_000
const CHUNK = 1_000
const ROUNDS = 7
const PAIR = 'BTC-USDT'
const T0 = 1_800_000_000_000
const feeSchema = createTradeFeeSchema({ makerPercentFeeDecimal: '0.001', takerPercentFeeDecimal: '0.001', buyPercentFeeDeductedFromReturns: true })

interface OrderLife {
  readonly order: InFlightOrder
  /** In arrival order: order updates and trade updates interleaved as the user stream sends them. */
  readonly updates: ReadonlyArray<{ readonly order: OrderUpdate } | { readonly trade: TradeUpdate }>
}

/** One order and its updates, built the way a connector builds them from exchange payloads. */
function orderLife(index: number, round: number): OrderLife {
  const clientOrderId = `sw-${round}-${index}`
  const exchangeOrderId = String(1_000_000 * round + index)
  const tradeType = index % 2 === 0 ? 'BUY' : 'SELL'
  const price = `${60000 + (index % 500)}.${String(index % 100).padStart(2, '0')}`
  const order = new InFlightOrder({ clientOrderId, tradingPair: PAIR, orderType: 'LIMIT', tradeType, amount: '1', price, creationTimestamp: T0 + index })
  const at = T0 + index
  const state = (newState: OrderUpdate['newState'], offset: number): { order: OrderUpdate } => ({
    order: { clientOrderId, exchangeOrderId, tradingPair: PAIR, updateTimestamp: at + offset, newState },
  })
  if (index % 4 === 3) return { order, updates: [state('OPEN', 1), state('CANCELED', 2)] }
  const fill = (tradeId: number, base: string, offset: number): { trade: TradeUpdate } => {
    const fillBaseAmount = toDecimal(base)
    const fillPrice = toDecimal(price)
    return {
      trade: {
        tradeId: `${exchangeOrderId}-${tradeId}`,
        clientOrderId,
        exchangeOrderId,
        tradingPair: PAIR,
        fillTimestamp: at + offset,
        fillPrice,
        fillBaseAmount,
        fillQuoteAmount: fillBaseAmount.times(fillPrice),
        fee: TradeFee.spot(feeSchema, tradeType, { percent: '0.001', percentToken: 'USDT' }),
        isTaker: index % 3 === 0,
      },
    }
  }
  return { order, updates: [state('OPEN', 1), fill(1, '0.4', 2), state('PARTIALLY_FILLED', 2), fill(2, '0.6', 3), state('FILLED', 3)] }
}

/** Keeps results observable so the optimizer cannot drop the work. */
let sink = 0
let updatesProcessed = 0
const eventCounts: Partial<Record<keyof OrderTrackerEvents, number>> = {}

function newTracker(): OrderTracker {
  const events = new EventEmitter<OrderTrackerEvents>()
  const names: ReadonlyArray<keyof OrderTrackerEvents> = [
    'buyOrderCreated', 'sellOrderCreated', 'orderFilled', 'orderCancelled', 'buyOrderCompleted', 'sellOrderCompleted', 'orderFailure', 'error',
  ]
  for (const name of names) events.on(name, () => void (eventCounts[name] = (eventCounts[name] ?? 0) + 1))
  return new OrderTracker({ events })
}

let tracker = newTracker()
let round = 0
type Phase = (from: number, to: number) => Promise<void> | void
const PHASES: ReadonlyArray<readonly [string, Phase]> = [
  ['build the orders and updates alone (baseline)', (from, to) => {
    for (let index = from; index < to; index++) sink += orderLife(index, round).updates.length
  }],
  ['build + OrderTracker with event listeners', async (from, to) => {
    for (let index = from; index < to; index++) {
      const { order, updates } = orderLife(index, round)
      tracker.startTrackingOrder(order)
      for (const update of updates) {
        if ('order' in update) await tracker.processOrderUpdate(update.order)
        else tracker.processTradeUpdate(update.trade)
        updatesProcessed += 1
      }
    }
  }],
]

const updatesPerRound = Array.from({ length: ORDER_COUNT }, (_, index) => (index % 4 === 3 ? 2 : 5)).reduce((a, b) => a + b, 0)
const rates = { baseline: [] as number[], tracker: [] as number[] }
const ratios: number[] = []
for (round = 0; round <= ROUNDS; round++) {
  tracker.stop()
  tracker = newTracker()
  const [baselineMs, trackerMs] = (await runInterleavedAsync(PHASES.map(([, run]) => run), ORDER_COUNT, CHUNK, round % 2 === 1)) as [number, number]
  if (round === 0) continue // warm-up: let the JIT settle
  rates.baseline.push((updatesPerRound * 1000) / baselineMs)
  rates.tracker.push((updatesPerRound * 1000) / trackerMs)
  ratios.push(trackerMs / baselineMs)
}
tracker.stop()

const baselineRate = median(rates.baseline)
const trackerRate = median(rates.tracker)
const ratio = median(ratios)
// The tracker's own share: time per update with the tracker, minus building alone.
const trackerOnlyUs = 1e6 / trackerRate - 1e6 / baselineRate
const format = (value: number): string => value.toLocaleString('en', { maximumFractionDigits: 0 })
console.log(
  `${ORDER_COUNT.toLocaleString('en')} orders a round, ${updatesPerRound.toLocaleString('en')} updates (order + trade), Node ${process.versions.node}; ` +
    `median of ${ROUNDS} rounds after a warm-up, phases interleaved per ${CHUNK.toLocaleString('en')} orders`,
)
console.table([
  { phase: PHASES[0]?.[0], 'updates / s': format(baselineRate), 'µs / update': (1e6 / baselineRate).toFixed(2), 'time vs baseline': '1.00' },
  { phase: PHASES[1]?.[0], 'updates / s': format(trackerRate), 'µs / update': (1e6 / trackerRate).toFixed(2), 'time vs baseline': ratio.toFixed(2) },
])
const expected = { created: (ORDER_COUNT * (ROUNDS + 1)), fills: ORDER_COUNT * 0.75 * 2 * (ROUNDS + 1) }
const created = (eventCounts.buyOrderCreated ?? 0) + (eventCounts.sellOrderCreated ?? 0)
const eventsOk = created === expected.created && eventCounts.orderFilled === expected.fills && (eventCounts.error ?? 0) === 0
console.log(
  `checks: events ${JSON.stringify(eventCounts)}; ${eventsOk ? 'as expected' : 'NOT as expected'}; ` +
    `${updatesProcessed.toLocaleString('en')} updates processed (${sink > 0 ? 'ok' : '?'})`,
)
console.log(`tracker alone: ${trackerOnlyUs.toFixed(2)} µs per update beyond building it (${format(1e6 / trackerOnlyUs)} updates/s)`)

reportFigures('order-tracking', [
  {
    measure: 'order + trade updates through OrderTracker with listeners (update objects built in the loop)',
    value: trackerRate,
    unit: '/s',
    ratio,
    note: `baseline (building the same objects alone) ${format(baselineRate)}/s; tracker alone ${trackerOnlyUs.toFixed(2)} µs/update${eventsOk ? '' : '; EVENT CHECK FAILED'}`,
  },
  { measure: 'the tracker alone (time per update minus building it)', value: trackerOnlyUs, unit: 'µs' },
])
