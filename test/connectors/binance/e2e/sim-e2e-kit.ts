// Shared setup for the Binance connector's end-to-end suites: one simulator server per test on a
// free loopback port, one exchange built with the public `createBinanceExchange` and pointed at it,
// a recorder of every exchange event, and the waits and comparisons the suites share. Each test
// tears down its exchange and server at its end (`onTestFinished`), pass or fail.
//
// The connector is driven through its public API only; the simulator is asked for ground truth
// (`simulator.truth`), faults and market-maker control in process.
import { onTestFinished } from 'vitest'
import { type BinanceExchange, createBinanceExchange } from '../../../../src/connectors/binance/index.ts'
import type { BinanceExchangeOptions } from '../../../../src/connectors/binance/index.ts'
import type { OrderTrackerEvents } from '../../../../src/core/orders/order-events.ts'
import type { Simulator } from '../../../../src/sim/index.ts'
import { startSimulatorServer } from '../../../../src/sim/server.node.ts'

/** Every wait in these suites gives up after this long: generous, bounded. */
export const WAIT_MS = 10_000

export type EventName = keyof OrderTrackerEvents | 'error'
type Payload<Name extends EventName> = Name extends 'error' ? Error : OrderTrackerEvents[Name]

const ORDER_EVENTS = [
  'buyOrderCreated',
  'sellOrderCreated',
  'orderFilled',
  'orderCancelled',
  'buyOrderCompleted',
  'sellOrderCompleted',
  'orderFailure',
] as const satisfies readonly (keyof OrderTrackerEvents)[]

/** Every event the exchange emitted, in order. */
export class EventLog {
  readonly entries: { readonly name: EventName; readonly payload: unknown }[] = []

  of<Name extends EventName>(name: Name): Payload<Name>[] {
    return this.entries.filter((entry) => entry.name === name).map((entry) => entry.payload as Payload<Name>)
  }

  /** Events of one order (order events carry `clientOrderId`), in order. */
  forOrder(clientOrderId: string): { readonly name: EventName; readonly payload: { readonly clientOrderId: string } }[] {
    return this.entries.filter(
      (entry): entry is { name: EventName; payload: { clientOrderId: string } } =>
        entry.name !== 'error' && (entry.payload as { clientOrderId?: unknown }).clientOrderId === clientOrderId,
    )
  }

  namesFor(clientOrderId: string): EventName[] {
    return this.forOrder(clientOrderId).map((entry) => entry.name)
  }

  /** Resolves with the first event `name` (already seen or still to come) that `match` accepts. */
  waitFor<Name extends EventName>(name: Name, match: (payload: Payload<Name>) => boolean = () => true, timeoutMs = WAIT_MS): Promise<Payload<Name>> {
    let found: Payload<Name> | undefined
    return waitUntil(
      () => {
        found = this.of(name).find(match)
        return found !== undefined
      },
      `event ${name}`,
      timeoutMs,
    ).then(() => found as Payload<Name>)
  }

  /** Error messages so far (for failure messages and the happy paths' "no error" checks). */
  errorMessages(): string[] {
    return this.of('error').map((error) => `${error.name}: ${error.message}${error.cause instanceof Error ? ` (cause: ${error.cause.message})` : ''}`)
  }
}

/**
 * Polls `condition` (every 5 ms) until it holds; rejects after `timeoutMs` naming `what`.
 *
 * @example
 * await waitUntil(() => exchange.orderBook('BTC-USDT').status === 'live', 'a live book')
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export interface E2eRig {
  readonly simulator: Simulator
  readonly urls: { readonly rest: string; readonly ws: string; readonly wsApi: string }
  readonly exchange: BinanceExchange
  readonly events: EventLog
  /** The test account's id inside the simulator (fills and orders of the makers are someone else's). */
  readonly testAccountId: string
  /** Stops the exchange, then the server. Idempotent; also run when the test finishes. */
  close(): Promise<void>
  /** The exchange alone (the server keeps running: for checks of what stop() leaves behind). */
  stopExchange(): Promise<void>
  /** Every connection the server accepted, in order (the kit records them at the simulator's socket door). */
  readonly serverSockets: readonly ServerSocketRecord[]
  /** Paths of the server's connections the simulator has not seen closed (`/stream?…`, `/ws-api/v3`). */
  openServerSockets(): string[]
  /** Every REST request the simulator answered (control endpoint included), in order. */
  readonly serverRequests: readonly ServerRequestRecord[]
}

export interface E2eOptions {
  readonly seed?: number
  readonly tradingPairs?: readonly string[]
  /** Extra exchange options (intervals, snapshotDepth, …). */
  readonly exchange?: Partial<Omit<BinanceExchangeOptions, 'apiKey' | 'apiSecret' | 'urls' | 'tradingPairs'>>
  /** Start the exchange and wait until it is ready. Default true. */
  readonly start?: boolean
  /** Serve Binance.US's listen-key user data streams (for `exchange: { domain: 'us' }`). Default false. */
  readonly listenKeys?: boolean
}

/**
 * A simulator server on 127.0.0.1:0 and a Binance exchange wired to it with the test account's
 * keys, started (unless `start: false`), torn down when the test finishes.
 *
 * @example
 * const { exchange, simulator, events } = await startE2e({ seed: 11 })
 */
export async function startE2e(options: E2eOptions = {}): Promise<E2eRig> {
  // The kit records, at the simulator's doors, the connections the server hands it (what each asked
  // for, what it was sent, when the server saw it close) and the REST requests; the server looks
  // both doors up on every use, so wrapping them before the exchange connects sees everything.
  const server = await startSimulatorServer({ port: 0, seed: options.seed ?? 7, listenKeys: options.listenKeys ?? false })
  const { simulator } = server
  const sockets = recordSockets(simulator)
  const requests = recordRequests(simulator)
  const exchange = createBinanceExchange({
    apiKey: server.apiKey,
    apiSecret: server.apiSecret,
    tradingPairs: options.tradingPairs ?? ['BTC-USDT'],
    domain: 'com',
    urls: server.urls,
    ...options.exchange,
  })
  const events = new EventLog()
  for (const name of [...ORDER_EVENTS, 'error'] as const) {
    exchange.on(name, (payload: unknown) => events.entries.push({ name, payload }))
  }
  let exchangeStopped: Promise<void> | undefined
  let closed: Promise<void> | undefined
  const stopExchange = (): Promise<void> => (exchangeStopped ??= exchange.stop())
  const rig: E2eRig = {
    simulator: server.simulator,
    urls: server.urls,
    exchange,
    events,
    testAccountId: server.simulator.exchange.testAccountId,
    stopExchange,
    close: () =>
      (closed ??= (async () => {
        try {
          await stopExchange()
        } finally {
          await server.close() // disposes the simulator it created
        }
      })()),
    serverSockets: sockets,
    openServerSockets: () => sockets.filter((socket) => socket.open).map((socket) => socket.path),
    serverRequests: requests,
  }
  onTestFinished(() => rig.close())
  if (options.start ?? true) {
    await withTimeout(exchange.start(), WAIT_MS, () => `exchange.start() (status ${JSON.stringify(exchange.statusDict)}; errors ${events.errorMessages().join(' | ')})`)
  }
  return rig
}

/** One connection the server handed the simulator, as the kit saw it. */
export interface ServerSocketRecord {
  readonly path: string
  open: boolean
  /** The `method` of every JSON request the client sent on it (WS API) or of SUBSCRIBE frames. */
  readonly methods: string[]
  /** Every frame the server sent on it that reached the transport, parsed (after the simulator's frame faults). */
  readonly sent: unknown[]
}

/** One REST request the simulator answered. */
export interface ServerRequestRecord {
  readonly method: string
  /** The path under the server's root (`/api/v3/userDataStream`). */
  readonly path: string
  /** Query-string parameters (the connector's PUT and DELETE carry `listenKey` there). */
  readonly query: URLSearchParams
  /** The status answered; undefined while the request is still running. */
  status: number | undefined
}

/** Wraps `simulator.connect` to record every connection the server accepts, what it asked and whether it is still open. */
function recordSockets(simulator: Simulator): ServerSocketRecord[] {
  const records: ServerSocketRecord[] = []
  const connect = simulator.connect.bind(simulator)
  simulator.connect = (path, socket) => {
    const record: ServerSocketRecord = { path, open: true, methods: [], sent: [] }
    records.push(record)
    const recordingSocket: typeof socket = {
      send: (text) => {
        record.sent.push(parsedOrText(text))
        socket.send(text)
      },
      close: (code, reason) => socket.close(code, reason),
      ...(socket.drop ? { drop: () => socket.drop?.() } : {}),
    }
    const connection = connect(path, recordingSocket)
    return {
      receive: (text) => {
        connection.receive(text)
        // Recorded after the simulator handled it: a recorded subscribe is a subscription in place.
        record.methods.push(methodOf(text))
      },
      closed: () => {
        record.open = false
        connection.closed()
      },
    }
  }
  return records
}

/** Wraps `simulator.fetch` to record every REST request and the status answered. */
function recordRequests(simulator: Simulator): ServerRequestRecord[] {
  const records: ServerRequestRecord[] = []
  const fetchFromSimulator = simulator.fetch.bind(simulator)
  simulator.fetch = async (request) => {
    const url = new URL(request.url)
    const record: ServerRequestRecord = { method: request.method, path: url.pathname, query: url.searchParams, status: undefined }
    records.push(record)
    const response = await fetchFromSimulator(request)
    record.status = response.status
    return response
  }
  return records
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text // a malformed-frame fault
  }
}

function methodOf(text: string): string {
  try {
    const method = (JSON.parse(text) as { method?: unknown }).method
    return typeof method === 'string' ? method : '?'
  } catch {
    return '?'
  }
}

async function withTimeout<Value>(promise: Promise<Value>, timeoutMs: number, what: () => string): Promise<Value> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// ── Comparisons with the ground truth ───────────────────────────────────────────────────────────

export interface BookRows {
  readonly lastUpdateId: number
  readonly bids: readonly (readonly [number, number])[]
  readonly asks: readonly (readonly [number, number])[]
}

/** The simulator's true book, as the connector's rows (numbers, best first). */
export function truthBook(simulator: Simulator, symbol: string, depth: number): BookRows {
  const book = simulator.truth.book(symbol, depth)
  if (book === undefined) throw new Error(`the simulator has no market ${symbol}`)
  const rows = (levels: typeof book.bids) => levels.map((level) => [Number(level.price.toFixed()), Number(level.quantity.toFixed())] as const)
  return { lastUpdateId: book.lastUpdateId, bids: rows(book.bids), asks: rows(book.asks) }
}

/** The connector's book for a pair, in the same shape. */
export function connectorBook(exchange: BinanceExchange, tradingPair: string, depth: number): BookRows {
  const view = exchange.orderBook(tradingPair)
  const rows = (side: readonly { price: number; amount: number }[]) => side.map((row) => [row.price, row.amount] as const)
  return { lastUpdateId: view.lastUpdateId, bids: rows(view.bids(depth)), asks: rows(view.asks(depth)) }
}

/**
 * With the makers paused, waits until the connector's book is live and has caught up with the
 * simulator's update id (the depth stream pushes every 100 ms), then returns both for comparison.
 */
export async function caughtUpBooks(rig: E2eRig, tradingPair: string, symbol: string, depth: number): Promise<{ connector: BookRows; truth: BookRows }> {
  const view = rig.exchange.orderBook(tradingPair)
  await waitUntil(
    () => view.status === 'live' && view.lastUpdateId === truthBook(rig.simulator, symbol, 1).lastUpdateId,
    `the ${tradingPair} book to be live at the simulator's update id (book: ${view.status} at ${view.lastUpdateId})`,
  )
  return { connector: connectorBook(rig.exchange, tradingPair, depth), truth: truthBook(rig.simulator, symbol, depth) }
}

export interface BalanceRow {
  readonly total: string
  readonly available: string
}

/** The test account's true balances: total (free + locked) and available (free) per asset. */
export function truthBalances(simulator: Simulator): Record<string, BalanceRow> {
  const result: Record<string, BalanceRow> = {}
  for (const balance of simulator.truth.balances()) {
    result[balance.asset] = { total: balance.free.plus(balance.locked).toFixed(), available: balance.free.toFixed() }
  }
  return result
}

/** The connector's balances of the same assets. */
export function connectorBalances(exchange: BinanceExchange, assets: readonly string[]): Record<string, BalanceRow> {
  const result: Record<string, BalanceRow> = {}
  for (const asset of assets) {
    result[asset] = { total: exchange.getBalance(asset).toFixed(), available: exchange.getAvailableBalance(asset).toFixed() }
  }
  return result
}

/** Waits until the connector's balances equal the simulator's, for every asset the simulator lists. */
export async function balancesMatchTruth(rig: E2eRig): Promise<Record<string, BalanceRow>> {
  let truth = truthBalances(rig.simulator)
  await waitUntil(
    () => {
      truth = truthBalances(rig.simulator)
      return JSON.stringify(connectorBalances(rig.exchange, Object.keys(truth))) === JSON.stringify(truth)
    },
    `the connector's balances to equal the simulator's ${JSON.stringify(truth)} (connector: ${JSON.stringify(connectorBalances(rig.exchange, Object.keys(truth)))})`,
  )
  return truth
}

/**
 * Records every distinct status a book passes through, sampled on every turn of the event loop
 * (`setImmediate`): a gap marks the book stale in a socket callback and the snapshot that heals it
 * needs at least one more network round trip, so a turn always falls in between.
 */
export function recordBookStatuses(exchange: BinanceExchange, tradingPair: string): { readonly seen: string[]; stop(): void } {
  const view = exchange.orderBook(tradingPair)
  const seen: string[] = [view.status]
  let running = true
  const sample = (): void => {
    if (!running) return
    if (seen.at(-1) !== view.status) seen.push(view.status)
    setImmediate(sample)
  }
  setImmediate(sample)
  return {
    seen,
    stop: () => {
      running = false
    },
  }
}
