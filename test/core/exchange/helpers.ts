// A scripted connector for the exchange base's tests: every hook records its call and runs a
// replaceable script; the public socket is a no-op, the private one a fake WebSocket under the real
// supervisor. Imports only src/, so the suites run in Node, workerd and Deno alike.
import { vi } from 'vitest'
import type { Clock } from '../../../src/core/clock.ts'
import { Big, toDecimal } from '../../../src/core/decimal.ts'
import { OrderBookDataSource } from '../../../src/core/order-book/data-source.ts'
import type {
  OrderBookDiffMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from '../../../src/core/order-book/order-book-message.ts'
import { contiguousUpdateIdRule } from '../../../src/core/order-book/sequence-rules.ts'
import type { AccountBalance } from '../../../src/core/exchange/balances.ts'
import { ExchangeBase } from '../../../src/core/exchange/exchange-base.ts'
import type { ExchangeBaseOptions, ExchangeEvents, PlacedOrder, TradingRulesAndSymbols } from '../../../src/core/exchange/exchange-types.ts'
import { UserStreamDataSource } from '../../../src/core/exchange/user-stream-data-source.ts'
import { createTradeFeeSchema, TradeFee } from '../../../src/core/orders/fees.ts'
import type { InFlightOrder } from '../../../src/core/orders/in-flight-order.ts'
import type { OrderState, OrderType, OrderUpdate, TradeUpdate } from '../../../src/core/orders/order-state.ts'
import { createTradingRule } from '../../../src/core/orders/trading-rule.ts'
import type { WsConnection } from '../../../src/core/web/ws-connection.ts'

export const START_TIME = 1_700_000_000_000
export const PAIR = 'BTC-USDT'

/** Follows the faked Date, so it moves with vi.advanceTimersByTime. */
export const fakeTimersClock: Clock = { now: () => Date.now(), monotonic: () => Date.now() }

/** Lets promise chains run (microtask turns only; no timer fires). */
export async function flush(turns = 30): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await Promise.resolve()
}

/** A promise with its settle functions, for hooks a test answers by hand. */
export function deferred<Value>(): { promise: Promise<Value>; resolve: (value: Value) => void; reject: (error: unknown) => void } {
  let resolve: (value: Value) => void = () => {}
  let reject: (error: unknown) => void = () => {}
  const promise = new Promise<Value>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A promise that settles only when `signal` aborts (a hook that hangs until stopped). */
export function untilAborted<Value>(signal: AbortSignal): Promise<Value> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
}

// ── Fake WebSocket (the private stream's server side) ────────────────────────────────────────

export class FakeWebSocket extends EventTarget {
  readyState = 0
  binaryType = 'blob'
  readonly sent: string[] = []
  /** Called for every message the client sends, after it is recorded. */
  onClientMessage: ((socket: FakeWebSocket, data: unknown) => void) | undefined

  constructor(readonly url: string) {
    super()
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('fake socket is not open')
    this.sent.push(data)
    this.onClientMessage?.(this, JSON.parse(data) as unknown)
  }

  close(code?: number, reason?: string): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code: code ?? 1005, reason: reason ?? '' }))
  }

  accept(): void {
    this.readyState = 1
    this.dispatchEvent(new Event('open'))
  }

  say(message: unknown): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(message) }))
  }

  drop(): void {
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code: 1006, reason: '' }))
  }
}

/** Opens every socket on the next microtask; `reply` answers the client's messages. */
export function fakeSocketServer(reply?: (socket: FakeWebSocket, data: unknown) => void) {
  const sockets: FakeWebSocket[] = []
  const factory = (url: string): FakeWebSocket => {
    const socket = new FakeWebSocket(url)
    socket.onClientMessage = reply
    sockets.push(socket)
    queueMicrotask(() => socket.accept())
    return socket
  }
  return { sockets, factory, last: (): FakeWebSocket => sockets.at(-1) as FakeWebSocket }
}

// ── The private stream ───────────────────────────────────────────────────────────────────────

export type FakeUserEvent =
  | { readonly kind: 'order'; readonly update: OrderUpdate }
  | { readonly kind: 'trade'; readonly update: TradeUpdate }
  | { readonly kind: 'balance'; readonly balance: AccountBalance }
  | { readonly kind: 'boom' }

/** Wire form of a fake event: decimals travel as `{ $big }`, fees as `{ $fee }` (their JSON). */
export function wireEvent(event: FakeUserEvent): unknown {
  return { event: toWire(event) }
}

function toWire(value: unknown): unknown {
  if (value instanceof Big) return { $big: value.toFixed() }
  if (value instanceof TradeFee) return { $fee: value.toJSON() }
  if (Array.isArray(value)) return value.map(toWire)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item)]))
}

function reviveBigs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveBigs)
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  if (typeof record['$big'] === 'string') return toDecimal(record['$big'])
  if (record['$fee'] !== undefined) return TradeFee.fromJSON(record['$fee'] as never)
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, reviveBigs(item)]))
}

/** Logs in with `{op: 'subscribe'}` and waits for the server's `{type: 'ack'}`. */
export class FakeUserStream extends UserStreamDataSource<FakeUserEvent> {
  readonly name = 'fake'
  readonly authentications: number[] = []
  url = 'wss://fake.test/private'

  protected streamUrl(): string {
    return this.url
  }

  protected async authenticate(connection: WsConnection): Promise<void> {
    this.authentications.push(Date.now())
    connection.send({ op: 'subscribe' })
    const reply = (await connection.receive({ timeoutMs: 5_000 })) as { type?: string }
    if (reply.type !== 'ack') throw new Error(`subscription refused: ${JSON.stringify(reply)}`)
  }

  protected parseMessage(raw: unknown): FakeUserEvent | undefined {
    const message = raw as { type?: string; event?: unknown }
    if (message.type === 'ack' || message.type === 'pong') return undefined
    if (message.event === undefined) throw new Error('not an event')
    return reviveBigs(message.event) as FakeUserEvent
  }

  /** For tests of the keep-alive hook. */
  addKeepAlive(intervalMs: number, run: (signal: AbortSignal) => Promise<void>): void {
    this.registerKeepAlive({ name: 'listen key', intervalMs, run })
  }

  forceReconnect(): void {
    this.reconnect()
  }

  /** Network clean-up on stop (a listen-key DELETE, say); none by default. */
  cleanUp: (() => Promise<void>) | undefined

  override stop(): void | Promise<void> {
    super.stop()
    return this.cleanUp?.()
  }
}

/** Acknowledges every subscribe. */
export const ackingServer = (): ReturnType<typeof fakeSocketServer> =>
  fakeSocketServer((socket, data) => {
    if ((data as { op?: string }).op === 'subscribe') queueMicrotask(() => socket.say({ type: 'ack' }))
  })

// ── The public books ─────────────────────────────────────────────────────────────────────────

export class FakeBookSource extends OrderBookDataSource {
  readonly name = 'fake'
  readonly sequenceRule = contiguousUpdateIdRule
  listens = 0
  snapshot: (tradingPair: string) => Promise<OrderBookSnapshotMessage> = (tradingPair) =>
    Promise.resolve({
      type: 'snapshot',
      tradingPair,
      updateId: 100,
      bids: [['29990', '1']],
      asks: [['30010', '2']],
      timestamp: Date.now(),
    })

  fetchSnapshot(tradingPair: string): Promise<OrderBookSnapshotMessage> {
    return this.snapshot(tradingPair)
  }
  listenForSubscriptions(): void {
    this.listens += 1
  }
  protected channelOf(): undefined {
    return undefined
  }
  protected parseDiff(): OrderBookDiffMessage {
    throw new Error('no diffs here')
  }
  protected parseTrade(): OrderBookTradeMessage {
    throw new Error('no trades here')
  }
  protected sendSubscribe(): Promise<void> {
    return Promise.resolve()
  }
  protected sendUnsubscribe(): Promise<void> {
    return Promise.resolve()
  }
}

// ── The connector ────────────────────────────────────────────────────────────────────────────

export const feeSchema = createTradeFeeSchema({ makerPercentFeeDecimal: '0.001', takerPercentFeeDecimal: '0.001' })

export const btcUsdtRule = createTradingRule({
  tradingPair: PAIR,
  minOrderSize: '0.001',
  minPriceIncrement: '0.01',
  minBaseAmountIncrement: '0.0001',
  minNotionalSize: '10',
})

export interface Script {
  placeOrder: (order: InFlightOrder, signal: AbortSignal) => Promise<PlacedOrder>
  placeCancel: (order: InFlightOrder, signal: AbortSignal) => Promise<boolean>
  requestOrderStatus: (order: InFlightOrder, signal: AbortSignal) => Promise<OrderUpdate>
  allTradeUpdatesForOrder: (order: InFlightOrder, signal: AbortSignal) => Promise<readonly TradeUpdate[]>
  fetchBalances: (signal: AbortSignal) => Promise<readonly AccountBalance[]>
  fetchTradingRules: (signal: AbortSignal) => Promise<TradingRulesAndSymbols>
  fetchLastTradedPrices: (pairs: readonly string[], signal: AbortSignal) => Promise<Record<string, Big>>
  fetchServerTime: (signal: AbortSignal) => Promise<number>
  updateTradingFees: (signal: AbortSignal) => Promise<void>
}

export function statusOf(order: InFlightOrder, newState: OrderState, exchangeOrderId = order.exchangeOrderId ?? 'EX-1'): OrderUpdate {
  return { clientOrderId: order.clientOrderId, exchangeOrderId, tradingPair: order.tradingPair, updateTimestamp: Date.now(), newState }
}

export function fillOf(order: InFlightOrder, tradeId: string, amount = order.amount.toFixed(), price = order.price?.toFixed() ?? '30000'): TradeUpdate {
  const fillBaseAmount = toDecimal(amount)
  const fillPrice = toDecimal(price)
  return {
    tradeId,
    clientOrderId: order.clientOrderId,
    exchangeOrderId: order.exchangeOrderId ?? 'EX-1',
    tradingPair: order.tradingPair,
    fillTimestamp: Date.now(),
    fillPrice,
    fillBaseAmount,
    fillQuoteAmount: fillBaseAmount.times(fillPrice),
    fee: TradeFee.spot(feeSchema, order.tradeType, { flatFees: [{ token: 'USDT', amount: '0.1' }] }),
    isTaker: true,
  }
}

export interface FakeExchangeOptions extends Partial<ExchangeBaseOptions> {
  readonly cancelIsSynchronous?: boolean
  readonly orderTypes?: readonly OrderType[]
}

export class FakeExchange extends ExchangeBase<FakeUserEvent> {
  readonly name = 'fake'
  readonly supportedOrderTypes: readonly OrderType[]
  readonly isCancelRequestSynchronous: boolean
  protected readonly clientOrderIdPrefix = 'T-'
  protected readonly clientOrderIdMaxLength = 32
  /** Every hook call in order: `placeOrder:<client id>`, `fetchBalances`, … */
  readonly calls: string[] = []
  readonly books = new FakeBookSource({ tradingPairs: [PAIR] })
  server = ackingServer()
  userStreams: FakeUserStream[] = []
  handled: FakeUserEvent[] = []
  exchangeIds = 0
  readonly script: Script = {
    placeOrder: () => Promise.resolve({ exchangeOrderId: `EX-${++this.exchangeIds}`, updateTimestamp: Date.now() }),
    placeCancel: () => Promise.resolve(true),
    requestOrderStatus: (order) => Promise.resolve(statusOf(order, 'OPEN')),
    allTradeUpdatesForOrder: () => Promise.resolve([]),
    fetchBalances: () =>
      Promise.resolve([
        { asset: 'BTC', total: toDecimal('1.5'), available: toDecimal('1') },
        { asset: 'USDT', total: toDecimal('1000'), available: toDecimal('1000') },
      ]),
    fetchTradingRules: () => Promise.resolve({ tradingRules: [btcUsdtRule], symbols: [{ exchangeSymbol: 'BTCUSDT', tradingPair: PAIR }] }),
    fetchLastTradedPrices: (pairs) => Promise.resolve(Object.fromEntries(pairs.map((pair) => [pair, toDecimal('30000.5')]))),
    fetchServerTime: () => Promise.resolve(Date.now()),
    updateTradingFees: () => Promise.resolve(),
  }

  constructor(options: FakeExchangeOptions = {}) {
    super({ tradingPairs: [PAIR], clock: fakeTimersClock, ...options })
    this.isCancelRequestSynchronous = options.cancelIsSynchronous ?? true
    this.supportedOrderTypes = options.orderTypes ?? ['LIMIT', 'LIMIT_MAKER', 'MARKET']
  }

  /** Names of the calls recorded so far, without arguments. */
  callNames(): string[] {
    return this.calls.map((call) => call.split(':')[0] ?? call)
  }
  count(name: string): number {
    return this.callNames().filter((call) => call === name).length
  }
  get signal(): AbortSignal | undefined {
    return this.runSignal
  }
  report(error: unknown, task?: string): void {
    this.reportError(error, task)
  }
  balance(balance: AccountBalance): void {
    this.setBalance(balance)
  }
  dropBalance(asset: string): void {
    this.removeBalance(asset)
  }
  symbolsLoaded(signal?: AbortSignal): Promise<void> {
    return this.waitForSymbolMap(signal)
  }
  syncClock(signal?: AbortSignal): Promise<void> {
    return this.ensureTimeSynchronized(signal)
  }

  protected placeOrder(order: InFlightOrder, signal: AbortSignal): Promise<PlacedOrder> {
    this.calls.push(`placeOrder:${order.clientOrderId}:${this.inFlightOrders.has(order.clientOrderId) ? 'tracked' : 'untracked'}`)
    return this.script.placeOrder(order, signal)
  }
  protected placeCancel(order: InFlightOrder, signal: AbortSignal): Promise<boolean> {
    this.calls.push(`placeCancel:${order.clientOrderId}`)
    return this.script.placeCancel(order, signal)
  }
  protected requestOrderStatus(order: InFlightOrder, signal: AbortSignal): Promise<OrderUpdate> {
    this.calls.push(`requestOrderStatus:${order.clientOrderId}`)
    return this.script.requestOrderStatus(order, signal)
  }
  protected allTradeUpdatesForOrder(order: InFlightOrder, signal: AbortSignal): Promise<readonly TradeUpdate[]> {
    this.calls.push(`allTradeUpdatesForOrder:${order.clientOrderId}`)
    return this.script.allTradeUpdatesForOrder(order, signal)
  }
  protected fetchBalances(signal: AbortSignal): Promise<readonly AccountBalance[]> {
    this.calls.push('fetchBalances')
    return this.script.fetchBalances(signal)
  }
  protected fetchTradingRules(signal: AbortSignal): Promise<TradingRulesAndSymbols> {
    this.calls.push('fetchTradingRules')
    return this.script.fetchTradingRules(signal)
  }
  protected fetchLastTradedPrices(pairs: readonly string[], signal: AbortSignal): Promise<Record<string, Big>> {
    this.calls.push('fetchLastTradedPrices')
    return this.script.fetchLastTradedPrices(pairs, signal)
  }
  protected fetchServerTime(signal: AbortSignal): Promise<number> {
    this.calls.push('fetchServerTime')
    return this.script.fetchServerTime(signal)
  }
  protected override updateTradingFees(signal: AbortSignal): Promise<void> {
    this.calls.push('updateTradingFees')
    return this.script.updateTradingFees(signal)
  }
  protected createOrderBookDataSource(): FakeBookSource {
    return this.books
  }
  protected createUserStreamDataSource(): FakeUserStream {
    const stream = new FakeUserStream({ clock: fakeTimersClock, socket: { socketFactory: (url) => this.server.factory(url), livenessTimeoutMs: 0 } })
    this.userStreams.push(stream)
    return stream
  }
  protected handleUserStreamEvent(event: FakeUserEvent): void | Promise<void> {
    this.handled.push(event)
    if (event.kind === 'boom') throw new Error('handler exploded')
    if (event.kind === 'trade') this.orderTracker.processTradeUpdate(event.update)
    else if (event.kind === 'order') return this.orderTracker.processOrderUpdate(event.update)
    else this.setBalance(event.balance)
  }
}

export type RecordedEvent = { name: keyof ExchangeEvents; payload: unknown }

const EVENT_NAMES: ReadonlyArray<keyof ExchangeEvents> = [
  'buyOrderCreated',
  'sellOrderCreated',
  'orderFilled',
  'orderCancelled',
  'buyOrderCompleted',
  'sellOrderCompleted',
  'orderFailure',
  'error',
]

/** Records every event the exchange emits, in order. */
export function recordEvents(exchange: FakeExchange) {
  const recorded: RecordedEvent[] = []
  for (const name of EVENT_NAMES) exchange.on(name, (payload: unknown) => recorded.push({ name, payload }))
  return {
    recorded,
    names: (): string[] => recorded.map((event) => event.name),
    payloadsOf: <Name extends keyof ExchangeEvents>(name: Name): Array<ExchangeEvents[Name]> =>
      recorded.filter((event) => event.name === name).map((event) => event.payload as ExchangeEvents[Name]),
    errors: (): Error[] => recorded.filter((event) => event.name === 'error').map((event) => event.payload as Error),
  }
}

/** A started exchange, ready (rules, book, balances and an acknowledged user stream). */
export async function startedExchange(options: FakeExchangeOptions = {}) {
  const exchange = new FakeExchange(options)
  const events = recordEvents(exchange)
  const started = exchange.start()
  await vi.advanceTimersByTimeAsync(0)
  await started
  return { exchange, events }
}

/** Fake timers from START_TIME; call in beforeEach (and vi.useRealTimers in afterEach). */
export function useFakeClock(): void {
  vi.useFakeTimers()
  vi.setSystemTime(START_TIME)
}
