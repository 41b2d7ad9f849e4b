// One soak run: a Binance exchange trading three pairs against the simulator over loopback while
// the simulator injects faults, with the invariants checked during the run and at its end. Used by
// `npm run soak` (soak-main.ts) and by soak.test.ts.
import { createBinanceExchange, type BinanceExchange } from '../../src/connectors/binance/index.ts'
import { POOL_IDS, RATE_LIMITS } from '../../src/connectors/binance/constants.ts'
import { Throttler } from '../../src/core/throttler.ts'
import { createSimulator, type Simulator } from '../../src/sim/index.ts'
import { startSimulatorServer } from '../../src/sim/server.node.ts'
import { tapBookReferences } from './book-reference.ts'
import { startFaultSchedule } from './fault-schedule.ts'
import { balanceDifferences, checkClockSkewRecovery, checkFills, checkOrders, checkRateLimits } from './invariants.ts'
import { SOAK_PAIRS, startOrderFlow } from './order-flow.ts'
import { type RequestTrail, captureConsole, captureSimulatorSecrets, explainRateLimitAnswers } from './soak-capture.ts'
import type { SoakOptions } from './soak-options.ts'
import { SoakRecorder, type Violation } from './soak-recorder.ts'
import { installTimerCensus } from './timer-census.ts'
import { ClientRequests } from './client-requests.ts'

/** The soak account's raised order limit (Binance's is 100 per 10 s; the simulator's default 50). */
export const SOAK_ORDERS_PER_10S = 400
/**
 * The soak IP's raised request weight per minute (Binance's is 6000). Polling the fills of every
 * recently finished order (as the recipe does) at a soak's order rate needs more than 6000; the
 * throttler and the simulator are given the same limit, so "never exceed it" is still checked.
 */
export const SOAK_REQUEST_WEIGHT_PER_MINUTE = 60_000

/**
 * How long after a 429 the simulator takes arriving requests to have been on the wire already. In
 * one busy process a burst the throttler released just before the 429 reaches the server up to
 * seconds later, so arrival time cannot tell when a request was sent: the soak sets this to the
 * fault's whole Retry-After (2 s) and checks "nothing sent while told to wait" exactly at the
 * connector's own fetch (ClientRequests). The simulator still bans (418) a client that exceeds the
 * request weight twice in a window, and counts calls made while banned.
 */
const IN_FLIGHT_GRACE_MS = 2_000

const EVENTS = ['buyOrderCreated', 'sellOrderCreated', 'orderFilled', 'orderCancelled', 'buyOrderCompleted', 'sellOrderCompleted', 'orderFailure', 'error', 'orderBookStatus', 'marketStreamConnected'] as const

export interface SoakResult {
  readonly options: SoakOptions
  readonly faultsStruck: Record<string, number>
  readonly faultsArmed: Readonly<Record<string, number>>
  readonly ordersPlaced: number
  readonly cancelsSent: number
  readonly ordersByOutcome: Record<string, number>
  readonly fills: number
  readonly booksCompared: number
  readonly errors: Record<string, number>
  readonly errorSamples: Record<string, string[]>
  readonly violations: readonly Violation[]
  readonly signaturesSeen: number
  readonly capturedCharacters: number
  readonly timersCreated: number
  readonly runMs: number
  readonly settleMs: number
}

export interface SoakHooks {
  /** Called once placing has stopped, before the final checks (the test plants violations here). */
  readonly beforeFinalChecks?: (rig: { recorder: SoakRecorder; exchange: BinanceExchange; simulator: Simulator }) => void
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void
}

/** Bounded wait: polls `condition` every 50 ms; false if it did not hold in time. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}

/**
 * @example
 * const result = await runSoak({ ...DEFAULT_SOAK_OPTIONS, durationMs: 5000, orders: 50 })
 * result.violations.length // 0
 */
export async function runSoak(options: SoakOptions, hooks: SoakHooks = {}): Promise<SoakResult> {
  const log = hooks.log ?? (() => {})
  const census = installTimerCensus()
  const simulator = createSimulator({ seed: options.seed, limits: {
      ordersPer10Seconds: SOAK_ORDERS_PER_10S,
      ordersPerDay: 10_000_000,
      requestWeightPerMinute: SOAK_REQUEST_WEIGHT_PER_MINUTE,
      inFlightGraceMilliseconds: IN_FLIGHT_GRACE_MS,
    },
  })
  const server = await startSimulatorServer({ simulator })
  const references = tapBookReferences(simulator)
  const recorder = new SoakRecorder(references)
  recorder.secrets.addSecret(server.apiKey, 'the API key')
  recorder.secrets.addSecret(server.apiSecret, 'the API secret')
  const trail: RequestTrail = []
  captureSimulatorSecrets(simulator, recorder.secrets, trail)
  const releaseConsole = captureConsole(recorder.secrets)
  const raised: Readonly<Record<string, number>> = { [POOL_IDS.orders10s]: SOAK_ORDERS_PER_10S, [POOL_IDS.requestWeight]: SOAK_REQUEST_WEIGHT_PER_MINUTE }
  const throttler = new Throttler(RATE_LIMITS.map((limit) => (raised[limit.id] === undefined ? limit : { ...limit, limit: raised[limit.id] as number })))
  const clientRequests = new ClientRequests()
  const exchange = census.asConnector(() =>
    createBinanceExchange({
      fetch: clientRequests.fetch,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      tradingPairs: SOAK_PAIRS.map((pair) => pair.tradingPair),
      urls: server.urls,
      throttler,
      // A 100-level snapshot weighs 5, not 50: resyncs after gaps stay cheap (the books hold < 100 levels a side).
      snapshotDepth: 100,
      // Status polling every 6 s (default 120 s while the user stream is up): events lost to faults,
      // and orders whose create went unanswered, are reconciled within a soak's settling time.
      intervals: { longPollMs: 6_000 },
    }),
  )
  for (const name of EVENTS) exchange.on(name, (payload: unknown) => recorder.recordEvent(name, payload))
  exchange.on('orderBookUpdate', (update) => {
    recorder.recordEvent('orderBookUpdate', update)
    const book = exchange.orderBook(update.tradingPair)
    if (book.status !== 'live') {
      recorder.booksSkipped += 1
      return
    }
    const rows = (side: readonly { price: number; amount: number }[]) => side.map((row) => [row.price, row.amount] as const)
    recorder.checkLiveBook(update.tradingPair, update.updateId, { bids: rows(book.bids(100_000)), asks: rows(book.asks(100_000)) })
  })

  const startedAt = Date.now()
  let placingEndedAt = startedAt
  let settledAt = startedAt
  let flow: ReturnType<typeof startOrderFlow> | undefined
  let schedule: ReturnType<typeof startFaultSchedule> | undefined
  try {
    await census.asConnector(() => exchange.start())
    log(`started: ${SOAK_PAIRS.map((pair) => pair.tradingPair).join(', ')} against the simulator at ${server.urls.rest}`)
    const runStartedAt = Date.now()
    schedule = startFaultSchedule(simulator, { seed: options.seed, intervalMs: Math.max(5, Math.floor(options.durationMs / Math.max(1, options.faults))) })
    flow = startOrderFlow(exchange, simulator, {
      seed: options.seed,
      intervalMs: Math.max(5, Math.floor(options.durationMs / Math.max(1, options.orders))),
      maxOrders: options.orders,
      onIssued: (clientOrderId, tradingPair) => recorder.issued(clientOrderId, tradingPair),
      asConnector: census.asConnector,
    })
    const progress = options.progressMs > 0 ? setInterval(() => log(progressLine(simulator, recorder, flow?.placed() ?? 0, runStartedAt)), options.progressMs) : undefined
    await new Promise((resolve) => setTimeout(resolve, options.durationMs))
    clearInterval(progress)
    flow.stop()
    schedule.stop()
    placingEndedAt = Date.now()
    log(`placing stopped: ${progressLine(simulator, recorder, flow.placed(), runStartedAt)}; settling (at most ${options.settleMs / 1000} s)`)

    // Settle: cancel what rests, then wait for every order to be final on both sides and balances to agree.
    const testAccountId = simulator.exchange.testAccountId
    const settled = () => recorder.unfinished().length === 0 && exchange.inFlightOrders.size === 0 && simulator.exchange.engine.openOrders(testAccountId).length === 0
    const settleDeadline = placingEndedAt + options.settleMs
    while (!settled() && Date.now() < settleDeadline) {
      await census.asConnector(() => exchange.cancelAll(3_000)).catch(() => [])
      await waitFor(settled, Math.min(3_000, Math.max(0, settleDeadline - Date.now())))
    }
    // Fills of a finished order may still land (status polling fetches them for recently finished orders).
    await waitFor(() => checkFills(recorder, simulator).length === 0, Math.max(0, settleDeadline - Date.now()))
    await waitFor(() => balanceDifferences(exchange, simulator).length === 0, Math.max(2_000, settleDeadline - Date.now()))
    settledAt = Date.now()
    if (process.env['SOAK_DEBUG'] === '1') {
      const recent = clientRequests.sent.filter((sent) => sent.at > Date.now() - 10_000).length
      log(`debug: throttler pending ${throttler.pendingCount}, banned ${String(throttler.bannedUntil)}, requests sent in the last 10 s ${recent}, in flight ${exchange.inFlightOrders.size}, health ${JSON.stringify((exchange as unknown as { health?: () => unknown }).health?.() ?? null)}`)
    }

    hooks.beforeFinalChecks?.({ recorder, exchange, simulator })
    for (const violation of [
      ...checkOrders(recorder, simulator, (id) => {
        const order = exchange.inFlightOrders.get(id)
        return order ? `${order.state}${order.exchangeOrderId === undefined ? '' : ` (exchange id ${order.exchangeOrderId})`}` : 'not tracked'
      }),
      ...checkFills(recorder, simulator),
      ...balanceDifferences(exchange, simulator).map((detail) => ({ invariant: 'balances equal the simulator after settling', detail })),
      ...checkRateLimits(simulator.rateLimitViolations(), () => explainRateLimitAnswers(trail)),
      ...clientRequests.sentWhileToldToWait().map((detail) => ({ invariant: 'no request sent while told to wait (client side)', detail })),
      ...checkClockSkewRecovery(recorder, schedule.skewChanges, placingEndedAt, 8_000),
    ]) {
      recorder.violations.push(violation)
    }
  } finally {
    flow?.stop()
    schedule?.stop()
    await exchange.stop()
    const closed = await waitFor(() => Object.values(simulator.openConnections()).every((count) => count === 0), 5_000)
    if (!closed) recorder.violation('stop() leaves no socket', `open on the simulator after stop(): ${JSON.stringify(simulator.openConnections())}`)
    // Timers made inside Node's own fetch (undici's keep-alive connection pool) belong to the platform, not the connector.
    const timers = census.live().origins.filter((origin) => !origin.trimStart().startsWith('at Parser.setTimeout (node:internal/deps/undici'))
    if (timers.length > 0) recorder.violation('stop() leaves no timer', `${timers.length} connector timers still pending, made at:\n${timers.slice(0, 3).join('\n---\n')}`)
    const trailFile = process.env['SOAK_TRAIL_FILE']
    if (trailFile !== undefined && trailFile !== '') {
      const { writeFileSync } = await import('node:fs')
      writeFileSync(trailFile, JSON.stringify({ sent: clientRequests.sent, limitAnswers: clientRequests.limitAnswers, arrived: trail }))
    }
    references.stop()
    releaseConsole()
    census.uninstall()
    await server.close()
    simulator.dispose()
  }
  for (const finding of recorder.secrets.findings()) recorder.violation('no secret in logs, errors or events', finding)

  const struck: Record<string, number> = { ...simulator.faults.counts() }
  struck['clockSkew'] = schedule?.armed['clockSkew'] ?? 0 // the schedule's resets to 0 are not faults
  return {
    options,
    faultsStruck: struck,
    faultsArmed: { ...(schedule?.armed ?? {}) },
    ordersPlaced: flow?.placed() ?? 0,
    cancelsSent: flow?.cancelsSent() ?? 0,
    ordersByOutcome: outcomes(recorder),
    fills: recorder.fillCount(),
    booksCompared: recorder.booksCompared,
    errors: Object.fromEntries(recorder.errorsByName),
    errorSamples: Object.fromEntries(recorder.errorSamples),
    violations: recorder.violations,
    signaturesSeen: recorder.secrets.signaturesSeen,
    capturedCharacters: recorder.secrets.scannedCharacters,
    timersCreated: census.created(),
    runMs: placingEndedAt - startedAt,
    settleMs: settledAt - placingEndedAt,
  }
}

function outcomes(recorder: SoakRecorder): Record<string, number> {
  const result: Record<string, number> = {}
  for (const order of recorder.orders.values()) {
    const final = [...order.events].reverse().find((name) => name.endsWith('Completed') || name === 'orderCancelled' || name === 'orderFailure') ?? 'not final'
    const key = final.endsWith('Completed') ? 'filled' : final === 'orderCancelled' ? 'cancelled' : final === 'orderFailure' ? 'failed' : final
    result[key] = (result[key] ?? 0) + 1
  }
  return result
}

function progressLine(simulator: Simulator, recorder: SoakRecorder, placed: number, since: number): string {
  const faults = Object.values(simulator.faults.counts()).reduce((sum, count) => sum + count, 0)
  return `${Math.round((Date.now() - since) / 1000)} s: ${placed} orders, ${recorder.fillCount()} fills, ~${faults} faults, ${recorder.booksCompared} live books compared, ${recorder.violations.length} violations`
}
