// One conformance test's world: the mock transport wired to the connector's routes and standing
// answers, the exchange built on it under fake timers, every event recorded, and the helpers the
// behaviours share (start, settle, place an order, feed the user stream, poll).
import { splitTradingPair } from '../core/orders/trading-pair.ts'
import type { ExchangeEvents } from '../core/exchange/exchange-types.ts'
import type {
  ConformanceExchange,
  ConformanceFill,
  ConformanceOrder,
  ConformanceRequestKind,
  ExchangeConformanceHooks,
} from './conformance-hooks.ts'
import type { ConformanceTestApi } from './conformance-test-api.ts'
import { MockFetch, type RecordedRequest } from './mock-fetch.ts'
import { type MockWebSocket, MockWebSocketServer } from './mock-websocket.ts'

/** The fake clock's start (any fixed instant; the suite never reads the real time). */
export const CONFORMANCE_START_TIME = 1_700_000_000_000
/** Status polling period the suite runs with, ms. */
export const STATUS_POLL_MS = 1_000
/** Lost-order loop period the suite runs with, ms: far from the status poll, so each can be run alone. */
export const LOST_ORDER_POLL_MS = 30_000
export const LAST_TRADED_PRICE = '9999.9'

const EVENT_NAMES = [
  'buyOrderCreated',
  'sellOrderCreated',
  'orderFilled',
  'orderCancelled',
  'buyOrderCompleted',
  'sellOrderCompleted',
  'orderFailure',
  'error',
] as const satisfies ReadonlyArray<keyof ExchangeEvents>

export type RecordedEvent = { readonly name: keyof ExchangeEvents; readonly payload: unknown }

export class ConformanceContext {
  readonly mock = new MockFetch()
  readonly server: MockWebSocketServer
  readonly exchange: ConformanceExchange
  readonly events: RecordedEvent[] = []
  readonly orders: ConformanceOrder[] = []
  readonly baseAsset: string
  readonly quoteAsset: string
  #nextExchangeOrderId = 2001
  #nextTradeId = 5001

  constructor(
    readonly hooks: ExchangeConformanceHooks,
    readonly test: ConformanceTestApi,
  ) {
    const { baseAsset, quoteAsset } = splitTradingPair(hooks.tradingPair)
    this.baseAsset = baseAsset
    this.quoteAsset = quoteAsset
    this.server = new MockWebSocketServer({
      onClientFrame: (socket, frame) => {
        const answer = hooks.streams.answerClientFrame?.(frame, socket)
        if (answer !== undefined) queueMicrotask(() => socket.isOpen && socket.feed(answer))
      },
    })
    this.#defineRoutes()
    this.exchange = hooks.createExchange({
      fetch: this.mock.fetch,
      socketFactory: this.server.factory,
      clock: { now: () => Date.now(), monotonic: () => Date.now() },
      tradingPairs: [hooks.tradingPair],
      apiKey: hooks.apiKey,
      apiSecret: hooks.apiSecret,
      intervals: { shortPollMs: STATUS_POLL_MS, longPollMs: STATUS_POLL_MS, lostOrderPollMs: LOST_ORDER_POLL_MS },
    })
    for (const name of EVENT_NAMES) this.exchange.on(name, (payload: unknown) => void this.events.push({ name, payload }))
  }

  /** Lets requests, sockets and promise chains run; timers due now fire, time does not move. */
  async settle(): Promise<void> {
    for (let round = 0; round < 5; round += 1) {
      await this.test.vi.advanceTimersByTimeAsync(0)
      for (let turn = 0; turn < 50; turn += 1) await Promise.resolve()
    }
  }

  async advance(ms: number): Promise<void> {
    await this.test.vi.advanceTimersByTimeAsync(ms)
    await this.settle()
  }

  /** Starts the exchange and greets it on the user stream; resolves once it is ready. */
  async start(): Promise<void> {
    const started = this.exchange.start()
    await this.settle()
    for (const frame of this.hooks.streams.userStreamGreeting()) this.userStream().feed(frame)
    await this.settle()
    await started
  }

  userStream(): MockWebSocket {
    const socket = this.server.last((candidate) => this.hooks.streams.isUserStream(candidate.url) && candidate.isOpen)
    if (socket === undefined) throw new Error('conformance: no open user-stream socket')
    return socket
  }

  publicStream(): MockWebSocket {
    const socket = this.server.last((candidate) => !this.hooks.streams.isUserStream(candidate.url) && candidate.isOpen)
    if (socket === undefined) throw new Error('conformance: no open public-stream socket')
    return socket
  }

  feedUserStream(frames: unknown): void {
    for (const frame of Array.isArray(frames) ? frames : [frames]) this.userStream().feed(frame)
  }

  /** Places a LIMIT order (the hooks' amount and price unless given) and returns it as the kit sees it. */
  place(tradeType: 'BUY' | 'SELL', amount = this.hooks.order.amount, price = this.hooks.order.price): ConformanceOrder {
    const place = tradeType === 'BUY' ? this.exchange.buy.bind(this.exchange) : this.exchange.sell.bind(this.exchange)
    const clientOrderId = place(this.hooks.tradingPair, amount, 'LIMIT', price)
    const order: ConformanceOrder = {
      clientOrderId,
      exchangeOrderId: String(this.#nextExchangeOrderId++),
      tradingPair: this.hooks.tradingPair,
      tradeType,
      orderType: 'LIMIT',
      amount,
      price,
    }
    this.orders.push(order)
    return order
  }

  /** A placed, accepted order (the exchange answered its create). */
  async placeOpen(tradeType: 'BUY' | 'SELL' = 'BUY'): Promise<ConformanceOrder> {
    const order = this.place(tradeType)
    await this.settle()
    return order
  }

  /** A fill of the order at its price; `amount` defaults to the whole order. */
  fill(order: ConformanceOrder, amount = order.amount): ConformanceFill {
    return {
      tradeId: String(this.#nextTradeId++),
      price: order.price,
      amount,
      feeAmount: '0.5',
      feeToken: this.quoteAsset,
      timestamp: Date.now(),
    }
  }

  /** The order a request concerns: the first the validator accepts for it. */
  orderOf(request: RecordedRequest, validate: (request: RecordedRequest, order: ConformanceOrder) => void): ConformanceOrder | undefined {
    return this.orders.find((order) => {
      try {
        validate(request, order)
        return true
      } catch {
        return false
      }
    })
  }

  requestsOf(kind: ConformanceRequestKind): RecordedRequest[] {
    return this.mock.requestsOf(kind)
  }

  /** Payloads of one event, in order. */
  eventsNamed<Name extends keyof ExchangeEvents>(name: Name): Array<ExchangeEvents[Name]> {
    return this.events.filter((event) => event.name === name).map((event) => event.payload as ExchangeEvents[Name])
  }

  /** Names of the order events (errors left out), in order. */
  get orderEventNames(): string[] {
    return this.events.filter((event) => event.name !== 'error').map((event) => event.name)
  }

  get errors(): Error[] {
    return this.eventsNamed('error')
  }

  /** Polls the status until the order is lost (orderFailure), at most ten rounds. */
  async makeLost(order: ConformanceOrder): Promise<void> {
    this.mock.reply('orderStatus', this.hooks.responses.orderNotFound('status'))
    for (let round = 0; round < 10 && !this.#failed(order); round += 1) await this.advance(STATUS_POLL_MS)
    if (!this.#failed(order)) throw new Error(`conformance: order ${order.clientOrderId} did not become lost`)
  }

  /** Stops the exchange and checks nothing is left running. */
  async stopAndCheckClean(): Promise<void> {
    await this.exchange.stop()
    this.test.expect(this.test.vi.getTimerCount(), 'timers left after stop()').toBe(0)
    this.test.expect(this.server.liveSockets.map((socket) => socket.url), 'sockets left open after stop()').toEqual([])
  }

  #failed(order: ConformanceOrder): boolean {
    return this.eventsNamed('orderFailure').some((event) => event.clientOrderId === order.clientOrderId)
  }

  #defineRoutes(): void {
    const { routes, responses, validators } = this.hooks
    const mock = this.mock
    mock.route('serverTime', routes.serverTime, () => responses.serverTime(Date.now()))
    mock.route('ping', routes.ping, responses.ping())
    mock.route('exchangeInfo', routes.exchangeInfo, responses.exchangeInfo())
    mock.route('orderBookSnapshot', routes.orderBookSnapshot, responses.orderBookSnapshot(100))
    mock.route(
      'balances',
      routes.balances,
      responses.balances([
        { asset: this.baseAsset, available: '10', total: '15' },
        { asset: this.quoteAsset, available: '2000', total: '2000' },
      ]),
    )
    mock.route('lastTradedPrice', routes.lastTradedPrice, responses.lastTradedPrice(this.hooks.tradingPair, LAST_TRADED_PRICE))
    const answerFor = (validate: (request: RecordedRequest, order: ConformanceOrder) => void, reply: (order: ConformanceOrder) => ReturnType<typeof responses.ping>) =>
      (request: RecordedRequest) => {
        const order = this.orderOf(request, validate)
        return order === undefined ? { status: 400, text: 'conformance: no order of the kit matches this request' } : reply(order)
      }
    mock.route('createOrder', routes.createOrder, answerFor(validators.orderCreation, (order) => responses.orderCreated(order)))
    mock.route('cancelOrder', routes.cancelOrder, answerFor(validators.orderCancellation, (order) => responses.orderCanceled(order)))
    mock.route('orderStatus', routes.orderStatus, answerFor(validators.orderStatus, (order) => responses.orderStatus(order, 'OPEN', '0')))
    mock.route('orderFills', routes.orderFills, answerFor(validators.orderFills, (order) => responses.orderFills(order, [])))
    for (const extra of this.hooks.extraRoutes ?? []) mock.route(extra.name, extra.matcher, extra.reply)
  }
}
