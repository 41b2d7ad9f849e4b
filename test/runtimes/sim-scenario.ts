// The end-to-end scenario every runtime runs against the simulator the harness starts on loopback:
// the real Binance connector syncs BTC-USDT through an injected sequence gap (stale, then live again
// and equal to the simulator's true book), places and cancels a signed order and receives its
// events, then stops with no socket left open on the simulator's side. Web APIs only (fetch for the
// simulator's /__sim/ control endpoint), so the same file runs in Node, workerd, Deno and Chromium.
import type { OrderBookStatus } from '../../src/core/order-book/order-book-view.ts'
import { createBinanceExchange } from '../../src/connectors/binance/index.ts'
import type { SimulatorEndpoints } from '../../src/sim/endpoints.ts'

/** What `npm run sim` prints, and what the harness hands each runtime. */
export type { SimulatorEndpoints }

/** The scenario's observations, in a shape each runtime's test compares with `EXPECTED_SUMMARY`. */
export interface ScenarioSummary {
  readonly firstStatus: OrderBookStatus
  readonly sawStaleAfterGap: boolean
  readonly statusAfterResync: OrderBookStatus
  readonly gapsInjected: number
  readonly bookEqualsTruth: boolean
  readonly orderCreatedEvent: boolean
  readonly truthAfterCreate: string | undefined
  readonly orderCancelledEvent: boolean
  readonly truthAfterCancel: string | undefined
  readonly connectionsAfterStop: Record<string, number>
}

export const EXPECTED_SUMMARY: ScenarioSummary = {
  firstStatus: 'live',
  sawStaleAfterGap: true,
  statusAfterResync: 'live',
  gapsInjected: 1,
  bookEqualsTruth: true,
  orderCreatedEvent: true,
  truthAfterCreate: 'NEW',
  orderCancelledEvent: true,
  truthAfterCancel: 'CANCELED',
  connectionsAfterStop: { market: 0, wsApi: 0, listenKey: 0 },
}

const PAIR = 'BTC-USDT'
const LEVELS = 20
const WAIT_MS = 15_000

interface TruthBook {
  readonly lastUpdateId: number
  readonly bids: [string, string][]
  readonly asks: [string, string][]
}

/** Runs the scenario; the second value carries details worth printing when a check fails. */
export async function runSimulatorScenario(sim: SimulatorEndpoints): Promise<{ summary: ScenarioSummary; details: Record<string, unknown> }> {
  const control = controlClient(sim.rest)
  // Fails fast (connection refused) when the harness started no simulator: the negative control.
  await control.get('/faults')
  await control.clearFaults()
  await control.post('/makers', { running: true })

  const exchange = createBinanceExchange({
    apiKey: sim.apiKey,
    apiSecret: sim.apiSecret,
    tradingPairs: [PAIR],
    urls: { rest: sim.rest, ws: sim.ws, wsApi: sim.wsApi },
  })
  const events: { name: string; clientOrderId: string }[] = []
  for (const name of ['buyOrderCreated', 'orderCancelled'] as const) {
    exchange.on(name, (event) => events.push({ name, clientOrderId: event.clientOrderId }))
  }
  const details: Record<string, unknown> = {}
  try {
    await exchange.start()
    const book = exchange.orderBook(PAIR)
    await waitFor('the first live book', () => book.status === 'live')
    const firstStatus = book.status

    // The gap: the next BTCUSDT diff is withheld, and the resync's snapshot is slowed so that the
    // stale state lasts long enough for every runtime's poll to see it.
    const gapsBefore = await gapCount(control)
    await control.post('/faults', { kind: 'delayRequests', path: '/api/v3/depth', ms: 400 })
    await control.post('/faults', { kind: 'skipSequenceIds', symbol: 'BTCUSDT' })
    await control.post('/makers', { steps: 3 })
    const seen = await watchStatus(() => book.status, (status) => status !== 'live')
    await waitFor('the book to be live again after the gap', () => book.status === 'live')
    const statusAfterResync = book.status
    const gapsInjected = (await gapCount(control)) - gapsBefore

    // Quiet the market and compare with the simulator's own book once the connector caught up.
    await control.post('/makers', { running: false })
    let truth: TruthBook = await control.book()
    await waitFor('the book to reach the simulator update id', async () => {
      truth = await control.book()
      return book.lastUpdateId === truth.lastUpdateId
    })
    const bookEqualsTruth = sameLevels(book.bids(LEVELS), truth.bids) && sameLevels(book.asks(LEVELS), truth.asks)
    details['book'] = { connector: { id: book.lastUpdateId, bids: book.bids(3), asks: book.asks(3) }, truth: { ...truth, bids: truth.bids.slice(0, 3), asks: truth.asks.slice(0, 3) } }

    // A signed LIMIT buy far below the market: created, then cancelled, with events for both.
    const bestBid = Number(truth.bids[0]?.[0] ?? '0')
    const price = String(Math.floor(bestBid * 0.9))
    const clientOrderId = exchange.buy(PAIR, '0.001', 'LIMIT', price)
    await waitFor('buyOrderCreated', () => events.some((event) => event.name === 'buyOrderCreated' && event.clientOrderId === clientOrderId))
    const truthAfterCreate = await control.orderStatus(clientOrderId)
    await exchange.cancel(PAIR, clientOrderId)
    await waitFor('orderCancelled', () => events.some((event) => event.name === 'orderCancelled' && event.clientOrderId === clientOrderId))
    const truthAfterCancel = await control.orderStatus(clientOrderId)

    await exchange.stop()
    let connectionsAfterStop: Record<string, number> = {}
    await waitFor('every socket to close', async () => {
      connectionsAfterStop = (await control.get('/connections')) as Record<string, number>
      return Object.values(connectionsAfterStop).every((count) => count === 0)
    }).catch(() => undefined)
    details['statusesSeen'] = seen
    details['events'] = events

    return {
      summary: {
        firstStatus,
        sawStaleAfterGap: seen.includes('stale'),
        statusAfterResync,
        gapsInjected,
        bookEqualsTruth,
        orderCreatedEvent: true,
        truthAfterCreate,
        orderCancelledEvent: true,
        truthAfterCancel,
        connectionsAfterStop,
      },
      details,
    }
  } finally {
    await exchange.stop()
    await control.post('/makers', { running: true }).catch(() => undefined)
  }
}

/** How many sequence gaps the simulator has injected so far (its counts only ever grow). */
async function gapCount(control: ReturnType<typeof controlClient>): Promise<number> {
  return ((await control.get('/faults')) as { counts: Record<string, number> }).counts['skipSequenceIds'] ?? 0
}

function controlClient(restUrl: string) {
  const base = `${new URL(restUrl).origin}/__sim`
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    })
    const parsed: unknown = await response.json()
    if (!response.ok) throw new Error(`control ${method} ${path} answered ${response.status}: ${JSON.stringify(parsed)}`)
    return parsed
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    clearFaults: () => call('DELETE', '/faults'),
    book: async () => (await call('GET', `/book?symbol=BTCUSDT&limit=${LEVELS}`)) as TruthBook,
    orderStatus: async (clientOrderId: string) => {
      const orders = (await call('GET', `/orders?clientOrderId=${encodeURIComponent(clientOrderId)}`)) as { status: string }[]
      return orders.at(-1)?.status
    },
  }
}

/** The connector's rows (numbers) against the simulator's decimal strings, level by level. */
function sameLevels(rows: readonly { price: number; amount: number }[], truth: readonly [string, string][]): boolean {
  return rows.length === truth.length && rows.every((row, index) => row.price === Number(truth[index]![0]) && row.amount === Number(truth[index]![1]))
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Polls a status until `until` holds, recording each distinct value seen on the way. */
async function watchStatus(read: () => OrderBookStatus, until: (status: OrderBookStatus) => boolean): Promise<OrderBookStatus[]> {
  const seen: OrderBookStatus[] = [read()]
  await waitFor('the book to leave live after the gap', () => {
    const status = read()
    if (seen.at(-1) !== status) seen.push(status)
    return until(status)
  })
  return seen
}
