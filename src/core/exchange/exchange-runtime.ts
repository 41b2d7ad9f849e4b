// What runs between `start()` and `stop()`: the books and their public stream, the loops (rules,
// fees, status polling, lost orders), the user stream and its listener, the state they fill
// (rules, symbols, balances) and the readiness they add up to. `ExchangeBase` owns one and keeps
// the public API; this class owns every timer, socket and background task, so that `stop()` can
// end them all and wait until nothing is left.
import type { Clock } from '../clock.ts'
import { type Big, toDecimal } from '../decimal.ts'
import { OrderBookTracker } from '../order-book/order-book-tracker.ts'
import type { InFlightOrder } from '../orders/in-flight-order.ts'
import type { OrderUpdate, TradeType, TradeUpdate } from '../orders/order-state.ts'
import type { OrderTracker } from '../orders/order-tracker.ts'
import type { TradingRule } from '../orders/trading-rule.ts'
import type { Throttler } from '../throttler.ts'
import type { TimeSynchronizer } from '../time-synchronizer.ts'
import { type AccountBalance, Balances } from './balances.ts'
import { ExchangeStoppedError } from './exchange-errors.ts'
import { recoverMissingFills } from './fill-recovery.ts'
import { computeStatusDict, ConditionWaiters, isReady } from './exchange-status.ts'
import type {
  ExchangeIntervals,
  ExchangeOrderBookDataSource,
  ExchangeStatusDict,
  PlacedOrder,
  TradingRulesAndSymbols,
} from './exchange-types.ts'
import { forwardMarketEvents, type MarketEventSink } from './market-events.ts'
import type { OrderFlowContext } from './order-flow-context.ts'
import { updateActiveOrders, updateLostOrders } from './order-status-polling.ts'
import { runPeriodically } from './periodic-task.ts'
import { withTimeSyncRetry } from './request-outcome.ts'
import { StatusPollSchedule } from './status-poll-schedule.ts'
import { SymbolMap } from './symbol-map.ts'
import { abortable, TaskGroup } from './task-group.ts'
import type { UserStreamDataSource } from './user-stream-data-source.ts'
import { listenToUserStream } from './user-stream-listener.ts'

/** The connector's hooks as the runtime calls them (the base binds its protected members). */
export interface RuntimeHooks<Event> {
  readonly name: () => string
  readonly isCancelRequestSynchronous: () => boolean
  placeOrder(order: InFlightOrder, signal: AbortSignal): Promise<PlacedOrder>
  placeCancel(order: InFlightOrder, signal: AbortSignal): Promise<boolean>
  requestOrderStatus(order: InFlightOrder, signal: AbortSignal): Promise<OrderUpdate>
  allTradeUpdatesForOrder(order: InFlightOrder, signal: AbortSignal): Promise<readonly TradeUpdate[]>
  fetchBalances(signal: AbortSignal): Promise<readonly AccountBalance[]>
  fetchTradingRules(signal: AbortSignal): Promise<TradingRulesAndSymbols>
  fetchServerTime(signal: AbortSignal): Promise<number>
  updateTradingFees(signal: AbortSignal): Promise<void>
  pollStatus(signal: AbortSignal): Promise<void>
  createOrderBookDataSource(): ExchangeOrderBookDataSource
  createUserStreamDataSource(): UserStreamDataSource<Event>
  handleUserStreamEvent(event: Event): void | Promise<void>
  isTimeSyncError(error: unknown): boolean
  isOrderNotFoundDuringStatusUpdate(error: unknown): boolean
  isOrderNotFoundDuringCancel(error: unknown): boolean
}

export interface ExchangeRuntimeOptions<Event> {
  readonly tradingPairs: readonly string[]
  readonly tradingRequired: boolean
  readonly clock: Clock
  readonly intervals: ExchangeIntervals
  readonly tracker: OrderTracker
  readonly timeSynchronizer: TimeSynchronizer
  /** Stopped with the runtime; undefined when it is shared (someone else stops it). */
  readonly ownThrottler: Throttler | undefined
  readonly hooks: RuntimeHooks<Event>
  /** Reports on the exchange's `error` event; `task` names failed background work. */
  readonly report: (error: unknown, task?: string) => void
  /** Emits the market events (book status and updates, public trades, stream opens) until stop. */
  readonly emitMarketEvent: MarketEventSink
}

interface LoopTiming {
  readonly periodMs: number
  /** Wait after a successful round; default `periodMs`. */
  readonly nextDelayMs?: () => number
  readonly initialDelayMs?: number
}

type OrderBooks = { readonly tracker: OrderBookTracker; readonly source: ExchangeOrderBookDataSource }

export class ExchangeRuntime<Event> {
  readonly balances = new Balances()
  /** Replaced in place by each refresh, so a reference handed out stays current. */
  readonly tradingRules = new Map<string, TradingRule>()
  readonly waiters = new ConditionWaiters()
  readonly #options: ExchangeRuntimeOptions<Event>
  readonly #hooks: RuntimeHooks<Event>
  readonly #tasks = new TaskGroup()
  readonly #statusPolls: StatusPollSchedule
  #symbolMap = new SymbolMap()
  #state: 'idle' | 'running' | 'stopped' = 'idle'
  #run: AbortController | undefined
  #started: Promise<void> | undefined
  #books: OrderBooks | undefined
  #userStream: UserStreamDataSource<Event> | undefined
  #flow: OrderFlowContext | undefined
  /** Client ids of orders whose missing fills are being fetched. */
  readonly #recoveringFills = new Set<string>()
  /** The user stream's clean-up, then the own throttler's stop; every stop() call waits for it. */
  #stopping: Promise<void> | undefined

  constructor(options: ExchangeRuntimeOptions<Event>) {
    this.#options = options
    this.#hooks = options.hooks
    this.#statusPolls = new StatusPollSchedule(options.intervals, options.clock, () => this.#userStream)
  }

  get isRunning(): boolean {
    return this.#state === 'running'
  }

  get isStopped(): boolean {
    return this.#state === 'stopped'
  }

  /** Aborts on stop; undefined before start. */
  get signal(): AbortSignal | undefined {
    return this.#run?.signal
  }

  get symbolMap(): SymbolMap {
    return this.#symbolMap
  }

  get statusDict(): ExchangeStatusDict {
    return computeStatusDict({
      tradingRequired: this.#options.tradingRequired,
      symbolCount: this.#symbolMap.size,
      orderBooksInitialized: this.orderBooks().tracker.isInitialized,
      balancesLoaded: this.balances.isLoaded,
      tradingRuleCount: this.tradingRules.size,
      userStreamLastReceivedAt: this.#userStream?.lastReceivedAt ?? 0,
    })
  }

  /** Starts everything once; resolves when ready, rejects with `ExchangeStoppedError` if stopped first. */
  start(): Promise<void> {
    if (this.#started) return this.#started
    const name = this.#hooks.name()
    if (this.#state === 'stopped') return Promise.reject(new ExchangeStoppedError(`${name} was stopped; create a new exchange`))
    this.#state = 'running'
    const run = new AbortController()
    this.#run = run
    const signal = run.signal
    this.#started = this.waiters.waitFor(() => isReady(this.statusDict))
    this.#started.catch(() => {}) // start-and-forget callers must not see an unhandled rejection
    const books = this.orderBooks()
    books.tracker.start()
    this.spawn(async () => books.source.listenForSubscriptions(signal), 'order book stream')
    const { intervals } = this.#options
    this.#loop('trading rules', (s) => this.#refreshTradingRules(s), { periodMs: intervals.tradingRulesMs })
    if (this.#options.tradingRequired) {
      this.#loop('trading fees', (s) => this.call((t) => this.#hooks.updateTradingFees(t), s), { periodMs: intervals.tradingFeesMs })
      // Wakes at least every short interval; each wake finds the poll due (5 s or 120 s) or not.
      this.#loop('status polling', (s) => this.#pollStatusIfDue(s), {
        periodMs: intervals.shortPollMs,
        nextDelayMs: () => this.#statusPolls.nextCheckMs(),
      })
      this.#loop('lost orders', (s) => updateLostOrders(this.flow, s), {
        periodMs: intervals.lostOrderPollMs,
        initialDelayMs: intervals.lostOrderPollMs,
      })
      this.#startUserStream(signal)
    }
    this.waiters.notify()
    return this.#started
  }

  /** Ends every loop, socket, timer and wait, then resolves once all background work has settled. */
  async stop(): Promise<void> {
    if (this.#state !== 'stopped') {
      this.#state = 'stopped'
      const name = this.#hooks.name()
      this.#run?.abort(new ExchangeStoppedError(`${name} was stopped`))
      this.waiters.failAll(new ExchangeStoppedError(`${name} was stopped before it became ready`))
      const userStreamStopped = this.#userStream?.stop()
      this.#books?.tracker.stop()
      this.#options.tracker.stop()
      // The user stream's own clean-up (e.g. closing a listen key with a DELETE) is part of stopping
      // and draws from the throttler, so the throttler stops only once that clean-up is over.
      this.#stopping = Promise.resolve(userStreamStopped)
        .catch((error: unknown) => this.#options.report(error, 'user stream stop'))
        .finally(() => this.#options.ownThrottler?.stop())
    }
    await this.#stopping
    await this.#tasks.settled()
    this.#options.tracker.stop() // ends a fill wait begun while the last tasks settled
  }

  /** The books, built on first use (building starts nothing). */
  orderBooks(): OrderBooks {
    if (this.#books) return this.#books
    const source = this.#hooks.createOrderBookDataSource()
    const tracker = new OrderBookTracker({ source, tradingPairs: this.#options.tradingPairs })
    source.attach(tracker)
    source.on('error', (error) => this.#options.report(error))
    tracker.on('error', (error) => this.#options.report(error))
    tracker.on('status', () => this.waiters.notify())
    forwardMarketEvents({ tracker, source, emit: this.#options.emitMarketEvent, isActive: () => this.#state !== 'stopped' })
    this.#books = { tracker, source }
    return this.#books
  }

  /** The price a MARKET order would meet: best ask for a buy, best bid for a sell. */
  bookPrice(tradingPair: string, tradeType: TradeType): Big | undefined {
    const view = this.orderBooks().tracker.orderBook(tradingPair)
    const row = tradeType === 'BUY' ? view?.bestAsk : view?.bestBid
    return row ? toDecimal(row.price) : undefined
  }

  /** A connector call: retried once after a time-sync error, abandoned at once when `signal` aborts. */
  call<Result>(hook: (signal: AbortSignal) => Promise<Result>, signal: AbortSignal): Promise<Result> {
    const { timeSynchronizer } = this.#options
    const attempt = withTimeSyncRetry(() => hook(signal), {
      isTimeSyncError: (error) => this.#hooks.isTimeSyncError(error),
      // The exchange says our estimate is wrong: start over from a fresh sample (one for a whole burst).
      resync: () => timeSynchronizer.resync((s) => this.#hooks.fetchServerTime(s), { signal }),
    })
    return abortable(attempt, signal)
  }

  /** Runs `work` in the background (stop waits for it); a rejection is reported under `task`. */
  spawn(work: () => Promise<void>, task?: string): void {
    this.#tasks.spawn(work, (error) => this.#options.report(error, task))
  }

  /** Runs `work` as background work and hands its result back (`fallback` if it throws, reported). */
  background<Result>(work: () => Promise<Result>, fallback: Result): Promise<Result> {
    return new Promise((resolve) => {
      this.#tasks.spawn(
        async () => resolve(await work()),
        (error) => {
          this.#options.report(error)
          resolve(fallback)
        },
      )
    })
  }

  /** The default status poll: balances and active orders in parallel; a balance failure is rethrown. */
  async pollBalancesAndOrders(signal: AbortSignal): Promise<void> {
    const [balances] = await Promise.allSettled([this.#refreshBalances(signal), updateActiveOrders(this.flow, signal)])
    if (balances.status === 'rejected') throw balances.reason
  }

  /**
   * Fetches the missing fills of an order the tracker holds for them (`onFillsMissing`), in the
   * background, one task per order; nothing before start or after stop.
   */
  recoverFills(order: InFlightOrder): void {
    const signal = this.#run?.signal
    const id = order.clientOrderId
    if (this.#state !== 'running' || signal === undefined || this.#recoveringFills.has(id)) return
    this.#recoveringFills.add(id)
    this.spawn(async () => {
      try {
        await recoverMissingFills(this.flow, order, signal)
      } finally {
        this.#recoveringFills.delete(id)
      }
    }, 'fetching missing fills')
  }

  /** What the order flows need, built on first use (the connector's fields are set by then). */
  get flow(): OrderFlowContext {
    const hooks = this.#hooks
    this.#flow ??= {
      tracker: this.#options.tracker,
      clock: this.#options.clock,
      intervals: this.#options.intervals,
      isCancelRequestSynchronous: hooks.isCancelRequestSynchronous(),
      placing: new Set(),
      report: (task, error) => this.#options.report(error, task),
      calls: {
        placeOrder: (order, signal) => this.call((s) => hooks.placeOrder(order, s), signal),
        placeCancel: (order, signal) => this.call((s) => hooks.placeCancel(order, s), signal),
        requestOrderStatus: (order, signal) => this.call((s) => hooks.requestOrderStatus(order, s), signal),
        allTradeUpdatesForOrder: (order, signal) => this.call((s) => hooks.allTradeUpdatesForOrder(order, s), signal),
        isOrderNotFoundDuringStatusUpdate: (error) => hooks.isOrderNotFoundDuringStatusUpdate(error),
        isOrderNotFoundDuringCancel: (error) => hooks.isOrderNotFoundDuringCancel(error),
      },
    }
    return this.#flow
  }

  /** Runs `run` now (or after `initialDelayMs`) and every `periodMs`; failures back off, capped at the period. */
  #loop(task: string, run: (signal: AbortSignal) => Promise<void>, timing: LoopTiming): void {
    const signal = this.#run?.signal
    if (signal === undefined) return
    const { periodMs, nextDelayMs = () => periodMs, initialDelayMs = 0 } = timing
    const { loopErrorBackoffMs, loopErrorBackoffMaxMs } = this.#options.intervals
    const backoff = { initialMs: loopErrorBackoffMs, maxMs: Math.min(loopErrorBackoffMaxMs, periodMs) }
    const onError = (error: unknown, retryInMs: number): void => this.#options.report(error, `${task} (retrying in ${retryInMs} ms)`)
    this.spawn(() => runPeriodically({ run, nextDelayMs, initialDelayMs, backoff, signal, onError }), task)
  }

  async #refreshTradingRules(signal: AbortSignal): Promise<void> {
    const { tradingRules, symbols } = await this.call((s) => this.#hooks.fetchTradingRules(s), signal)
    const symbolMap = new SymbolMap(symbols)
    this.tradingRules.clear()
    for (const rule of tradingRules) this.tradingRules.set(rule.tradingPair, rule)
    this.#symbolMap = symbolMap
    this.waiters.notify()
  }

  async #refreshBalances(signal: AbortSignal): Promise<void> {
    const balances = await this.call((s) => this.#hooks.fetchBalances(s), signal)
    this.balances.replaceAll(balances)
    this.waiters.notify()
  }

  async #pollStatusIfDue(signal: AbortSignal): Promise<void> {
    if (!this.#statusPolls.isDue) return
    this.#statusPolls.markPolled()
    try {
      const { timeSynchronizer } = this.#options
      await timeSynchronizer.update((s) => abortable(this.#hooks.fetchServerTime(s), s), { signal })
      await this.#hooks.pollStatus(signal)
    } catch (error) {
      this.#statusPolls.markFailed() // due again: the loop's back-off decides when
      throw error
    }
  }

  #startUserStream(signal: AbortSignal): void {
    const stream = this.#hooks.createUserStreamDataSource()
    this.#userStream = stream
    stream.on('error', (error) => this.#options.report(error))
    stream.on('received', () => this.waiters.notify())
    // A subscription that succeeds makes its handshake reply count (see lastReceivedAt).
    stream.on('connected', () => this.waiters.notify())
    stream.start(signal)
    const handle = (event: Event): void | Promise<void> => this.#hooks.handleUserStreamEvent(event)
    const report = (error: unknown): void => this.#options.report(error, 'handling a user stream event')
    this.#tasks.spawn(() => listenToUserStream(stream, handle, signal, report), report)
  }
}
