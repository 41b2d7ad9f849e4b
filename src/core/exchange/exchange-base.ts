// The exchange base (the recipe's ExchangePyBase): everything a spot connector shares, behind the
// public API of DESIGN.md. A connector extends it and implements the hooks of `ExchangeHooks`
// (exchange-hooks.ts); the runtime (exchange-runtime.ts) runs the loops, streams and books.
//
//   start() ─▶ books (tracker + public stream), rules and symbols loop; when trading: fees loop,
//              status polling (5 s while the user stream is silent, 120 s while it speaks), lost
//              orders loop, user stream and its listener. Resolves once `ready`.
//   buy()/sell() ─▶ input checks (throw) ─▶ tracked (PENDING_CREATE) ─▶ checks against the rule
//              (orderFailure, nothing sent) ─▶ placeOrder ─▶ OPEN | FAILED | unknown: keep, reconcile
//   stop() ─▶ every loop, socket, timer and wait ends; nothing is left pending.
//
// Constructing starts nothing. Every connector call is retried once after a time-sync error and
// abandoned at once on stop. Failures of background work are reported on the `error` event.
import { type Clock, systemClock } from '../clock.ts'
import type { Big, DecimalInput } from '../decimal.ts'
import { asError, describeInput, InvalidInputError } from '../errors.ts'
import { type EventHandler, EventEmitter } from '../events.ts'
import type { OrderBookView } from '../order-book/order-book-view.ts'
import { ClientOrderIdGenerator } from '../orders/client-order-id.ts'
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import type { OrderEventSink } from '../orders/order-events.ts'
import type { InFlightOrderJSON, OrderType, TradeType } from '../orders/order-state.ts'
import { OrderTracker } from '../orders/order-tracker.ts'
import { splitTradingPair } from '../orders/trading-pair.ts'
import type { TradingRule } from '../orders/trading-rule.ts'
import { Throttler } from '../throttler.ts'
import { TimeSynchronizer } from '../time-synchronizer.ts'
import type { AccountBalance } from './balances.ts'
import { ExchangeStoppedError, ExchangeTaskError } from './exchange-errors.ts'
import { ExchangeHooks } from './exchange-hooks.ts'
import { ExchangeRuntime } from './exchange-runtime.ts'
import { isReady } from './exchange-status.ts'
import {
  type CancellationResult,
  DEFAULT_EXCHANGE_INTERVALS,
  type ExchangeBaseOptions,
  type ExchangeEvents,
  type ExchangeIntervals,
  type ExchangeStatusDict,
} from './exchange-types.ts'
import { cancelOrders, cancelTrackedOrder } from './order-cancellation.ts'
import { newInFlightOrder, parseOrderRequest, placeTrackedOrder, type PlacementConditions } from './order-placement.ts'
import type { SymbolMap } from './symbol-map.ts'

export abstract class ExchangeBase<UserStreamEvent = unknown> extends ExchangeHooks<UserStreamEvent> {
  readonly tradingPairs: readonly string[]
  /** False: books, prices and rules only (no balances, user stream or order polling). */
  readonly tradingRequired: boolean
  /** Every request's rate limiter; share it with other clients of the same key or IP. */
  readonly throttler: Throttler
  /** The exchange's clock estimate: signed requests take their timestamp from its `now()`. */
  readonly timeSynchronizer: TimeSynchronizer
  protected readonly clock: Clock
  protected readonly intervals: ExchangeIntervals
  /** Connectors feed it from the user stream (`processTradeUpdate`, `processOrderUpdate`). */
  protected readonly orderTracker: OrderTracker
  readonly #events = new EventEmitter<ExchangeEvents>()
  readonly #runtime: ExchangeRuntime<UserStreamEvent>
  #clientOrderIds: ClientOrderIdGenerator | undefined

  constructor(options: ExchangeBaseOptions) {
    super()
    for (const pair of options.tradingPairs) splitTradingPair(pair)
    this.tradingPairs = [...options.tradingPairs]
    this.tradingRequired = options.tradingRequired ?? true
    this.clock = options.clock ?? systemClock
    this.intervals = { ...DEFAULT_EXCHANGE_INTERVALS, ...options.intervals }
    const ownThrottler =
      options.throttler === undefined
        ? new Throttler(options.rateLimits ?? [], {
            clock: this.clock,
            ...(options.rateLimitSharePercent === undefined ? {} : { sharePercent: options.rateLimitSharePercent }),
            onError: (error) => this.reportError(error),
          })
        : undefined
    this.throttler = options.throttler ?? (ownThrottler as Throttler)
    this.timeSynchronizer =
      options.timeSynchronizer ??
      new TimeSynchronizer({ clock: this.clock, onError: (error) => this.reportError(error, 'syncing the clock') })
    // The tracker's `error` payloads are `unknown`; the exchange's are Errors.
    const events: OrderEventSink = {
      emit: (name, payload) => (name === 'error' ? this.reportError(payload) : this.#events.emit(name, payload as never)),
    }
    this.orderTracker = new OrderTracker({
      events,
      clock: this.clock,
      // A final state its fills fall short of: fetch them (the stream's trade events were lost).
      onFillsMissing: (order) => this.#runtime.recoverFills(order),
      ...(options.lostOrderCountLimit === undefined ? {} : { lostOrderCountLimit: options.lostOrderCountLimit }),
    })
    this.#runtime = new ExchangeRuntime({
      tradingPairs: this.tradingPairs,
      tradingRequired: this.tradingRequired,
      clock: this.clock,
      intervals: this.intervals,
      tracker: this.orderTracker,
      timeSynchronizer: this.timeSynchronizer,
      ownThrottler,
      report: (error, task) => this.reportError(error, task),
      emitMarketEvent: (name, payload) => this.#events.emit(name, payload),
      hooks: {
        name: () => this.name,
        isCancelRequestSynchronous: () => this.isCancelRequestSynchronous,
        placeOrder: (order, signal) => this.placeOrder(order, signal),
        placeCancel: (order, signal) => this.placeCancel(order, signal),
        requestOrderStatus: (order, signal) => this.requestOrderStatus(order, signal),
        allTradeUpdatesForOrder: (order, signal) => this.allTradeUpdatesForOrder(order, signal),
        fetchBalances: (signal) => this.fetchBalances(signal),
        fetchTradingRules: (signal) => this.fetchTradingRules(signal),
        fetchServerTime: (signal) => this.fetchServerTime(signal),
        updateTradingFees: (signal) => this.updateTradingFees(signal),
        pollStatus: (signal) => this.pollStatus(signal),
        createOrderBookDataSource: () => this.createOrderBookDataSource(),
        createUserStreamDataSource: () => this.createUserStreamDataSource(),
        handleUserStreamEvent: (event) => this.handleUserStreamEvent(event),
        isTimeSyncError: (error) => this.isTimeSyncError(error),
        isOrderNotFoundDuringStatusUpdate: (error) => this.isOrderNotFoundDuringStatusUpdate(error),
        isOrderNotFoundDuringCancel: (error) => this.isOrderNotFoundDuringCancel(error),
      },
    })
  }

  // ── Lifecycle ───────────────────────────────────────────────────────────────────────────────
  /**
   * Starts the books, the loops and (when trading) the user stream, and resolves once `ready`.
   * Calling it again returns the same promise. Rejects with `ExchangeStoppedError` when stopped first.
   *
   * @example
   * await exchange.start()
   */
  start(): Promise<void> {
    return this.#runtime.start()
  }

  /**
   * Stops every loop, socket, timer and wait, and resolves once all background work has ended.
   * Open orders stay in `trackingStates` (save them; `restoreTrackingStates` after a restart).
   * Final: a stopped exchange does not start again.
   *
   * @example
   * await exchange.stop()
   */
  stop(): Promise<void> {
    return this.#runtime.stop()
  }

  /** True when every `statusDict` flag is. */
  get ready(): boolean {
    return isReady(this.statusDict)
  }

  /** The readiness flags; the trading ones are true when trading is not required. */
  get statusDict(): ExchangeStatusDict {
    return this.#runtime.statusDict
  }

  // ── Orders ──────────────────────────────────────────────────────────────────────────────────
  /**
   * Places a buy order and returns its client order id at once; what happens to it arrives as
   * events. Throws `InvalidInputError` (nothing tracked, nothing sent) for malformed input; an
   * order that breaks the pair's trading rule (price off the tick, amount off the step, notional
   * under the minimum, …) fails with `orderFailure` instead, also before anything is sent.
   *
   * @example
   * const id = exchange.buy('BTC-USDT', '0.01', 'LIMIT', '30000')
   */
  buy(tradingPair: string, amount: DecimalInput, orderType: OrderType, price?: DecimalInput): string {
    return this.#submit('BUY', tradingPair, amount, orderType, price)
  }

  /**
   * Places a sell order; see `buy`.
   *
   * @example
   * const id = exchange.sell('BTC-USDT', '0.01', 'MARKET')
   */
  sell(tradingPair: string, amount: DecimalInput, orderType: OrderType, price?: DecimalInput): string {
    return this.#submit('SELL', tradingPair, amount, orderType, price)
  }

  /**
   * Cancels an open order. Resolves true once the exchange accepted the cancel (`orderCancelled`
   * follows the exchange's state), false when it refused, did not find the order, did not answer
   * (reported on `error`), or the order is not open or not known. Rejects only with
   * `InvalidInputError` (nothing sent) for a pair not shaped `BASE-QUOTE`, an id that is not a
   * non-empty string, or an order of another pair.
   *
   * @example
   * await exchange.cancel('BTC-USDT', id)
   */
  async cancel(tradingPair: string, clientOrderId: string): Promise<boolean> {
    splitTradingPair(tradingPair)
    if (typeof clientOrderId !== 'string' || clientOrderId === '') {
      throw new InvalidInputError(`a client order id must be a non-empty string, got ${describeInput(clientOrderId)}`)
    }
    const order = this.orderTracker.fetchTrackedOrder(clientOrderId)
    if (order === undefined) return false
    if (order.tradingPair !== tradingPair) {
      throw new InvalidInputError(`order ${clientOrderId} is a ${order.tradingPair} order, not ${tradingPair}`)
    }
    const signal = this.#runtime.signal
    if (!this.#runtime.isRunning || signal === undefined) return false
    return this.#runtime.background(() => cancelTrackedOrder(this.#runtime.flow, order, signal), false)
  }

  /**
   * Cancels every open order and answers within `timeoutMs`: one `{ clientOrderId, success }` per
   * order, successes first. Rejects with `InvalidInputError` (nothing sent) unless `timeoutMs` is
   * a positive finite number.
   *
   * @example
   * const results = await exchange.cancelAll(10_000)
   */
  async cancelAll(timeoutMs: number): Promise<CancellationResult[]> {
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs < Infinity)) {
      throw new InvalidInputError(`cancelAll needs a timeout in ms above zero, got ${describeInput(timeoutMs)}`)
    }
    const orders = [...this.orderTracker.activeOrders.values()].filter((order) => !order.isDone)
    const failed = orders.map((order) => ({ clientOrderId: order.clientOrderId, success: false }))
    const signal = this.#runtime.signal
    if (!this.#runtime.isRunning || signal === undefined) return failed
    return this.#runtime.background(() => cancelOrders(this.#runtime.flow, orders, timeoutMs, signal), failed)
  }

  /** Open orders by client order id. */
  get inFlightOrders(): ReadonlyMap<string, InFlightOrder> {
    return this.orderTracker.activeOrders
  }

  /** Open and lost orders as JSON, by client order id: what to save to survive a restart. */
  get trackingStates(): Record<string, InFlightOrderJSON> {
    return this.orderTracker.trackingStates
  }

  /**
   * Tracks saved orders again: open ones become in flight (and are polled), failed ones lost. A
   * saved order that cannot be read is skipped and reported on `error` (an `InvalidInputError`);
   * `states` that is not an object throws `InvalidInputError`.
   *
   * @example
   * exchange.restoreTrackingStates(JSON.parse(saved))
   */
  restoreTrackingStates(states: Readonly<Record<string, InFlightOrderJSON>>): void {
    this.orderTracker.restoreTrackingStates(states)
  }

  /**
   * Adds a handler for an order event, a market event (`orderBookStatus`, `orderBookUpdate`,
   * `marketTrade`, `marketStreamConnected`) or `error`; returns a function that removes it.
   *
   * @example
   * exchange.on('orderFilled', (fill) => console.log(fill.tradeId, fill.amount.toFixed()))
   * exchange.on('marketTrade', (trade) => tape.push(`${trade.takerSide} ${trade.amount} @ ${trade.price}`))
   */
  on<Name extends keyof ExchangeEvents>(name: Name, handler: EventHandler<ExchangeEvents[Name]>): () => void {
    return this.#events.on(name, handler)
  }

  // ── Market data, balances, rules ────────────────────────────────────────────────────────────
  /**
   * The pair's live book (`'syncing'` and empty until its first snapshot). Throws
   * `InvalidInputError` for a pair this exchange does not track.
   *
   * @example
   * exchange.orderBook('BTC-USDT').bestBid?.price
   */
  orderBook(tradingPair: string): OrderBookView {
    const view = this.#runtime.orderBooks().tracker.orderBook(tradingPair)
    if (view === undefined) throw new InvalidInputError(`${tradingPair} is not one of this exchange's trading pairs`)
    return view
  }

  /**
   * The last traded price of each pair, fetched now. Rejects with `InvalidInputError` (nothing
   * sent) unless given an array of `BASE-QUOTE` pairs; a connector may also refuse pairs its
   * exchange does not list.
   *
   * @example
   * const prices = await exchange.getLastTradedPrices(['BTC-USDT']) // { 'BTC-USDT': Big }
   */
  async getLastTradedPrices(tradingPairs: readonly string[]): Promise<Record<string, Big>> {
    if (!Array.isArray(tradingPairs)) throw new InvalidInputError(`getLastTradedPrices needs an array of pairs, got ${describeInput(tradingPairs)}`)
    for (const pair of tradingPairs as readonly unknown[]) splitTradingPair(pair as string)
    if (this.#runtime.isStopped) throw new ExchangeStoppedError(`${this.name} was stopped`)
    const signal = this.#runtime.signal ?? new AbortController().signal
    return this.#runtime.call((s) => this.fetchLastTradedPrices(tradingPairs, s), signal)
  }

  /**
   * Total balance (free + locked); 0 for an asset not held. Throws `InvalidInputError` for an
   * asset that is not a non-empty string.
   *
   * @example
   * exchange.getBalance('BTC').toFixed()
   */
  getBalance(asset: string): Big {
    checkAsset(asset)
    return this.#runtime.balances.total(asset)
  }

  /**
   * Free balance; 0 for an asset not held. Throws as `getBalance` does.
   *
   * @example
   * exchange.getAvailableBalance('USDT').gte('100')
   */
  getAvailableBalance(asset: string): Big {
    checkAsset(asset)
    return this.#runtime.balances.available(asset)
  }

  /** Every balance, by asset. */
  get balances(): ReadonlyMap<string, AccountBalance> {
    return this.#runtime.balances.all
  }

  /** Trading rules by pair (updated in place by every refresh). */
  get tradingRules(): ReadonlyMap<string, TradingRule> {
    return this.#runtime.tradingRules
  }

  /** Exchange symbols ↔ trading pairs, from the last rules refresh. */
  get symbolMap(): SymbolMap {
    return this.#runtime.symbolMap
  }

  // ── For connectors ──────────────────────────────────────────────────────────────────────────
  /** One status poll: balances and orders in parallel. Override to add work; call `super.pollStatus`. */
  protected pollStatus(signal: AbortSignal): Promise<void> {
    return this.#runtime.pollBalancesAndOrders(signal)
  }

  /** Reports on the `error` event; with `task`, wrapped in an `ExchangeTaskError` naming it. */
  protected reportError(error: unknown, task?: string): void {
    this.#events.emit('error', task === undefined ? asError(error) : new ExchangeTaskError(this.name, task, error))
  }

  /** Sets one asset's balance (a user-stream balance event). */
  protected setBalance(balance: AccountBalance): void {
    this.#runtime.balances.set(balance)
  }

  protected removeBalance(asset: string): void {
    this.#runtime.balances.remove(asset)
  }

  /** Aborts on `stop()`; undefined before `start()`. For requests made outside the hooks. */
  protected get runSignal(): AbortSignal | undefined {
    return this.#runtime.signal
  }

  /** Resolves once the symbol map is loaded (the rules loop fills it). */
  protected waitForSymbolMap(signal?: AbortSignal): Promise<void> {
    return this.#runtime.waiters.waitFor(() => this.#runtime.symbolMap.size > 0, signal)
  }

  /** Takes a first clock sample if there is none: a REST pre-processor runs it before signed requests. */
  protected async ensureTimeSynchronized(signal?: AbortSignal): Promise<void> {
    await this.timeSynchronizer.updateIfUninitialized((s) => this.fetchServerTime(s), signal ? { signal } : {})
  }

  #submit(tradeType: TradeType, tradingPair: string, amount: DecimalInput, orderType: unknown, price: DecimalInput | undefined): string {
    const request = parseOrderRequest(tradeType, tradingPair, amount, orderType, price)
    const runtime = this.#runtime
    this.#clientOrderIds ??= new ClientOrderIdGenerator({
      prefix: this.clientOrderIdPrefix,
      ...(this.clientOrderIdMaxLength === undefined ? {} : { maxLength: this.clientOrderIdMaxLength }),
      clock: this.clock,
    })
    const clientOrderId = this.#clientOrderIds.next(tradeType, tradingPair)
    const order = newInFlightOrder(clientOrderId, request, this.clock.now())
    this.orderTracker.startTrackingOrder(order)
    const conditions = (): PlacementConditions => ({
      isRunning: runtime.isRunning,
      supportedOrderTypes: this.supportedOrderTypes,
      rule: runtime.tradingRules.get(tradingPair),
      bookPrice: () => runtime.bookPrice(tradingPair, tradeType),
    })
    runtime.spawn(() => placeTrackedOrder(runtime.flow, order, conditions, runtime.signal ?? AbortSignal.abort()))
    return clientOrderId
  }
}

function checkAsset(asset: unknown): void {
  if (typeof asset !== 'string' || asset === '') throw new InvalidInputError(`an asset must be a non-empty string, got ${describeInput(asset)}`)
}
