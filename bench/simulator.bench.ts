// Simulator benchmark: (1) orders per second through the matching engine against building the same
// requests alone; (2) signed REST order round trips (POST /api/v3/order, then DELETE) over loopback
// against the same Requests handed to `simulator.fetch` in process. Run: `npm run bench:sim`.
//
// Side by side in one process, phases interleaved chunk by chunk in alternating order after a
// warm-up round, medians reported (STYLE.md rule 10). Nothing here fails on a timing.
import { createSimulatedExchange, type MatchingEngine } from '../src/sim/engine/index.ts'
import { startSimulatorServer } from '../src/sim/server.node.ts'
import { createSimulator } from '../src/sim/simulator.ts'
import { type FlowCommand, orderFlow } from './simulator-order-flow.ts'
import { type OrderClient, type ResponseType, type RoundTripStats, type Send, median, percentile, runRoundTrips } from './simulator-rest-client.ts'
import { type BenchFigure, reportFigures } from './bench-report.ts'

const SEED = 20260721
const SYMBOL = 'BTCUSDT'
const ORDER_COUNT = 20_000
const ORDER_CHUNK = 2_000
const ROUNDS = 5
const ROUND_TRIPS = 150 // per phase per round
const CONCURRENCY = 8
const MAKER = 'bench-maker'
const DEEP_POCKETS = { BTC: '1000000', USDT: '100000000000' }

/** Keeps results observable so the optimizer cannot drop the work. */
let sink = 0
const rate = (count: number, ms: number): number => (count * 1000) / ms
const format = (value: number, digits = 0): string => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })

// ---- 1. Matching in process ----------------------------------------------------------------------

interface MatchingRun {
  readonly engine: MatchingEngine
  readonly next: () => FlowCommand
  /** The maker's orders that rested when placed; cancels pick from these. */
  readonly open: number[]
  /** Maker orders filled since they rested: dropped from `open` when a cancel picks them. */
  readonly filled: Set<number>
  counts: { rejected: number; canceled: number; cancelMisses: number; multiLevelTakes: number }
}

function newMatchingRun(): MatchingRun {
  const { engine, testAccountId } = createSimulatedExchange({ seed: SEED })
  engine.deposit(MAKER, DEEP_POCKETS)
  engine.deposit(testAccountId, DEEP_POCKETS)
  const next = orderFlow({ seed: SEED, symbol: SYMBOL, midCents: 6_000_000, makerAccountId: MAKER, takerAccountId: testAccountId })
  const filled = new Set<number>()
  // One listener, as the simulator's REST and stream layers always have; it keeps cancels aimed at open orders.
  engine.subscribe((event) => {
    if (event.type === 'orderUpdate' && event.accountId === MAKER && event.order.status === 'FILLED') filled.add(event.order.orderId)
  })
  return { engine, next, open: [], filled, counts: { rejected: 0, canceled: 0, cancelMisses: 0, multiLevelTakes: 0 } }
}

/** Removes and returns the open order `pick` points at (swap-remove, so every pick costs the same). */
function takeOpen(open: number[], pick: number): number | undefined {
  if (open.length === 0) return undefined
  const index = Math.floor(pick * open.length)
  const orderId = open[index] as number
  open[index] = open[open.length - 1] as number
  open.pop()
  return orderId
}

function matchOrders(run: MatchingRun, count: number): void {
  const { engine, open, filled, counts } = run
  for (let index = 0; index < count; index++) {
    const command = run.next()
    if (command.kind === 'cancel') {
      let orderId = takeOpen(open, command.pick)
      while (orderId !== undefined && filled.delete(orderId)) orderId = takeOpen(open, command.pick)
      const result = orderId === undefined ? undefined : engine.cancelOrder({ accountId: MAKER, symbol: SYMBOL, orderId })
      if (result?.ok) counts.canceled++
      else counts.cancelMisses++
      continue
    }
    const result = engine.placeOrder(command.request)
    if (!result.ok) {
      counts.rejected++
      continue
    }
    if (command.kind === 'rest' && result.order.isOnBook) open.push(result.order.orderId)
    const { fills } = result
    const [first, last] = [fills[0], fills[fills.length - 1]]
    if (first && last && !first.price.eq(last.price)) counts.multiLevelTakes++
    sink += fills.length
  }
}

/** The same commands built from the same seed, with ids handed out instead of matching. */
function buildOnly(): (count: number) => void {
  const next = orderFlow({ seed: SEED, symbol: SYMBOL, midCents: 6_000_000, makerAccountId: MAKER, takerAccountId: 'test-account' })
  const open: number[] = []
  let nextId = 0
  return (count) => {
    for (let index = 0; index < count; index++) {
      const command = next()
      if (command.kind === 'cancel') sink += takeOpen(open, command.pick) ?? 0
      else if (command.kind === 'rest') open.push(nextId++)
      else sink += command.request.quantity?.c.length ?? 0
    }
  }
}

type Phase = (count: number) => void
function interleave(phases: Phase[], total: number, chunk: number, reverse: boolean): number[] {
  const spent = phases.map(() => 0)
  for (let done = 0, step = 0; done < total; done += chunk, step++) {
    const order = phases.map((_, index) => index)
    if ((step % 2 === 1) !== reverse) order.reverse()
    for (const index of order) {
      const started = performance.now()
      ;(phases[index] as Phase)(Math.min(chunk, total - done))
      spent[index] = (spent[index] as number) + performance.now() - started
    }
  }
  return spent
}

const matching = { baseline: [] as number[], engine: [] as number[], ratio: [] as number[] }
let lastRun: MatchingRun | undefined
const matchingStarted = performance.now()
for (let round = 0; round <= ROUNDS; round++) {
  const run = newMatchingRun()
  const [buildMs, matchMs] = interleave([buildOnly(), (count) => matchOrders(run, count)], ORDER_COUNT, ORDER_CHUNK, round % 2 === 1) as [number, number]
  lastRun = run
  if (round === 0) continue // warm-up: let the JIT settle
  matching.baseline.push(rate(ORDER_COUNT, buildMs))
  matching.engine.push(rate(ORDER_COUNT, matchMs))
  matching.ratio.push(matchMs / buildMs)
}
const matchingSeconds = (performance.now() - matchingStarted) / 1000

/** The book and counters a round ends with (every round ends the same: the flow is seeded). */
function endOfRound(run: MatchingRun) {
  const { bids, asks } = run.engine.book(SYMBOL)
  const restingOrders = run.engine.openOrders(MAKER, SYMBOL).length + run.engine.openOrders('test-account', SYMBOL).length
  return { bidLevels: bids.length, askLevels: asks.length, restingOrders, trades: run.engine.trades(SYMBOL).length, counts: run.counts }
}
const { bidLevels, askLevels, restingOrders, trades, counts } = endOfRound(lastRun as MatchingRun)
lastRun = undefined // let the last engine go before the REST part
const matchingRate = median(matching.engine)
const buildRate = median(matching.baseline)
const matchingRatio = median(matching.ratio)

console.log(
  `\n1. matching in process: ${format(ORDER_COUNT)} orders a round (70% resting LIMIT, 20% crossing LIMIT GTC/IOC, 10% cancels), ` +
    `median of ${ROUNDS} rounds after a warm-up, interleaved per ${format(ORDER_CHUNK)} orders (${matchingSeconds.toFixed(1)} s)`,
)
console.table([
  { phase: 'build requests only (baseline)', 'orders / s': format(buildRate), 'µs / order': (1e6 / buildRate).toFixed(2), 'time vs baseline': '1.00' },
  { phase: 'build + MatchingEngine', 'orders / s': format(matchingRate), 'µs / order': (1e6 / matchingRate).toFixed(2), 'time vs baseline': matchingRatio.toFixed(2) },
])
console.log(
  `matching: ${format(matchingRate)} orders/s through the engine vs ${format(buildRate)} orders/s building the requests alone ` +
    `(${matchingRatio.toFixed(1)}x the time); book at the end of a round: ${bidLevels} bid / ${askLevels} ask levels, ` +
    `${format(restingOrders)} resting orders; ${format(trades)} trades, ${format(counts.multiLevelTakes)} takes across levels, ` +
    `${format(counts.canceled)} cancels (${format(counts.cancelMisses)} found no open order), ${counts.rejected} rejections`,
)

// ---- 2. REST order round trips --------------------------------------------------------------------

// Binance's limits (50 orders / 10 s, 6,000 weight / min) would refuse most of these requests, so the
// benchmark serves its own simulator with the limits out of the way.
const unlimited = { requestWeightPerMinute: 1e12, ordersPer10Seconds: 1e12, ordersPerDay: 1e12 }
const simulator = createSimulator({ seed: SEED, limits: unlimited })
const server = await startSimulatorServer({ port: 0, seed: SEED, simulator })
simulator.marketMakersRunning = false // a quiet book: every round trip does the same work
const client: OrderClient = { restBase: server.urls.rest, apiKey: server.apiKey, apiSecret: server.apiSecret }
const loopback: Send = (request) => fetch(request)
const inProcess: Send = (request) => simulator.fetch(request)

interface RestPhase {
  readonly name: string
  readonly send: Send
  readonly responseType: ResponseType
  readonly concurrency: number
  readonly perRound: RoundTripStats[]
}
const restPhase = (name: string, send: Send, responseType: ResponseType, concurrency: number): RestPhase => ({ name, send, responseType, concurrency, perRound: [] })
const pairs: [RestPhase, RestPhase][] = [
  [restPhase('loopback, ACK', loopback, 'ACK', 1), restPhase('in process, ACK', inProcess, 'ACK', 1)],
  [restPhase('loopback, FULL', loopback, 'FULL', 1), restPhase('in process, FULL', inProcess, 'FULL', 1)],
  [restPhase(`loopback, ACK, ${CONCURRENCY} concurrent`, loopback, 'ACK', CONCURRENCY), restPhase(`in process, ACK, ${CONCURRENCY} concurrent`, inProcess, 'ACK', CONCURRENCY)],
]
const failures: string[] = []
const restStarted = performance.now()
try {
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [pairIndex, pair] of pairs.entries()) {
      const ordered = (round + pairIndex) % 2 === 1 ? [...pair].reverse() : pair
      for (const phase of ordered) {
        const stats = await runRoundTrips(phase.send, client, phase.responseType, ROUND_TRIPS, phase.concurrency)
        failures.push(...stats.failures)
        if (round > 0) phase.perRound.push(stats)
      }
    }
  }
} finally {
  await server.close()
  simulator.dispose()
}
const restSeconds = (performance.now() - restStarted) / 1000

const summaryOf = (phase: RestPhase) => {
  const latencies = phase.perRound.flatMap((stats) => stats.latencies)
  return {
    perSecond: median(phase.perRound.map((stats) => rate(stats.latencies.length, stats.ms))),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  }
}
console.log(
  `\n2. REST order round trips (signed POST /api/v3/order for a resting LIMIT, then DELETE), ${ROUND_TRIPS} per phase a round, ` +
    `median of ${ROUNDS} rounds after a warm-up, pairs interleaved in alternating order (${restSeconds.toFixed(1)} s); ` +
    'client and server share this one Node thread',
)
const rows: Record<string, string>[] = []
const summaries: string[] = []
const restFigures: BenchFigure[] = []
for (const [over, within] of pairs) {
  const [a, b] = [summaryOf(over), summaryOf(within)]
  const ratios = over.perRound.map((stats, index) => stats.ms / ((within.perRound[index] as RoundTripStats).ms))
  const ratio = median(ratios)
  for (const [phase, summary] of [[over, a], [within, b]] as const) {
    rows.push({
      phase: phase.name,
      'round trips / s': format(summary.perSecond),
      'p50 ms': summary.p50.toFixed(3),
      'p99 ms': summary.p99.toFixed(3),
      'time vs in process': phase === over ? ratio.toFixed(2) : '1.00',
    })
  }
  restFigures.push({
    measure: `REST order round trips over loopback, ${within.name.replace('in process, ', '')} (ratio: time vs in process)`,
    value: a.perSecond,
    unit: '/s',
    ratio,
    note: `p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms; in process ${format(b.perSecond)}/s`,
  })
  summaries.push(
    `REST ${within.name.replace('in process, ', '')}: ${format(a.perSecond)} round trips/s over loopback ` +
      `(p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms) vs ${format(b.perSecond)}/s in process ` +
      `(p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms): ${ratio.toFixed(1)}x the time, the transport's share ${((1 - 1 / ratio) * 100).toFixed(0)}%`,
  )
}
console.table(rows)
for (const line of summaries) console.log(line)
console.log(`checks: ${failures.length} failed round trips${failures.length ? ` (first: ${failures[0]})` : ''} (${sink > 0 ? 'ok' : '?'})`)

reportFigures('simulator', [
  {
    measure: 'orders/s through the matching engine (ratio: time vs building the requests alone)',
    value: matchingRate,
    unit: '/s',
    ratio: matchingRatio,
    note: `building alone ${format(buildRate)}/s`,
  },
  ...restFigures,
])
