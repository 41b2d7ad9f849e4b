// The recipe's BinanceExchange: the exchange base's hooks for Binance spot. Orders go over REST
// (exchange-orders.ts), the user stream's events are read in user-stream-events.ts, books come from
// the order-book data source, and private data from the user-stream data source in the domain's
// mode (WS API subscription on com/testnet, listen key on us).
import type { Big } from '../../core/decimal.ts'
import { InvalidInputError } from '../../core/errors.ts'
import type { AccountBalance } from '../../core/exchange/balances.ts'
import { ExchangeBase } from '../../core/exchange/exchange-base.ts'
import type { PlacedOrder, TradingRulesAndSymbols } from '../../core/exchange/exchange-types.ts'
import { withTimeSyncRetry } from '../../core/exchange/request-outcome.ts'
import type { InFlightOrder } from '../../core/orders/in-flight-order.ts'
import type { OrderType, OrderUpdate, TradeUpdate } from '../../core/orders/order-state.ts'
import type { RestAssistant } from '../../core/web/rest-assistant.ts'
import type { WebSocketFactory } from '../../core/web/ws-connection.ts'
import { BinanceOrderBookDataSource } from './api-order-book-data-source.ts'
import { BinanceApiUserStreamDataSource } from './api-user-stream-data-source.ts'
import { BinanceAuth } from './auth.ts'
import {
  type BinanceDomain,
  type BinanceUrls,
  CLIENT_ORDER_ID_MAX_LENGTH,
  CLIENT_ORDER_ID_PREFIX,
  LIMIT_IDS,
  PATHS,
  rateLimitsFor,
  USER_STREAM_MODE,
} from './constants.ts'
import { fetchAccountBalances, fetchTickerPrices, ping } from './exchange-market.ts'
import { type BinanceExchangeOptions, checkBinanceOptions, EXCHANGE_NAMES } from './exchange-options.ts'
import {
  type BinanceOrderApi,
  cancelOrder,
  type ExchangeOrderReport,
  fetchOpenOrders,
  fetchOrderFills,
  type OrderReference,
  orderUpdateFromReport,
  queryOrder,
  submitOrder,
} from './exchange-orders.ts'
import type { BinanceUserStreamEvent, ExecutionReport } from './schemas/user-data.ts'
import { balancesFromAccountPosition, executionReportUpdates } from './user-stream-events.ts'
import { parseExchangeInfo } from './utils.ts'
import { createBinanceRestAssistant, fetchServerTime } from './web-utils.ts'

/** `checkNetwork()`'s answer. */
export type NetworkStatus = 'CONNECTED' | 'NOT_CONNECTED'

/**
 * Binance spot. Build it with `createBinanceExchange` (spotwire/binance); constructing starts nothing.
 *
 * @example
 * const exchange = createBinanceExchange({ apiKey, apiSecret, tradingPairs: ['BTC-USDT'] })
 * await exchange.start()
 * const id = exchange.buy('BTC-USDT', '0.01', 'LIMIT', '30000')
 */
export class BinanceExchange extends ExchangeBase<BinanceUserStreamEvent> {
  readonly name: string
  readonly domain: BinanceDomain
  /** The URLs in use (the domain's, with the overrides given). */
  readonly urls: BinanceUrls
  readonly supportedOrderTypes: readonly OrderType[] = ['LIMIT', 'LIMIT_MAKER', 'MARKET']
  /** Binance answers a cancel with the order's final state (CANCELED). */
  readonly isCancelRequestSynchronous = true
  protected readonly clientOrderIdPrefix = CLIENT_ORDER_ID_PREFIX
  protected readonly clientOrderIdMaxLength = CLIENT_ORDER_ID_MAX_LENGTH
  readonly #auth: BinanceAuth | undefined
  readonly #rest: RestAssistant
  readonly #orders: BinanceOrderApi
  readonly #socketFactory: WebSocketFactory | undefined
  readonly #snapshotDepth: number | undefined

  /** Throws `InvalidInputError` for invalid options (see `checkBinanceOptions`). */
  constructor(options: BinanceExchangeOptions) {
    const checked = checkBinanceOptions(options)
    super({
      tradingPairs: options.tradingPairs,
      tradingRequired: checked.tradingRequired,
      rateLimits: rateLimitsFor(checked.domain),
      ...(options.throttler === undefined ? {} : { throttler: options.throttler }),
      ...(options.rateLimitSharePercent === undefined ? {} : { rateLimitSharePercent: options.rateLimitSharePercent }),
      ...(options.intervals === undefined ? {} : { intervals: options.intervals }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    })
    this.domain = checked.domain
    this.name = EXCHANGE_NAMES[checked.domain]
    this.urls = checked.urls
    this.#socketFactory = options.socketFactory
    this.#snapshotDepth = options.snapshotDepth
    const credentials = checked.credentials
    this.#auth = credentials
      ? new BinanceAuth({
          ...credentials,
          now: () => this.timeSynchronizer.now(),
          ...(options.recvWindowMs === undefined ? {} : { recvWindowMs: options.recvWindowMs }),
        })
      : undefined
    this.#rest = createBinanceRestAssistant({
      urls: this.urls,
      throttler: this.throttler,
      timeSynchronizer: this.timeSynchronizer,
      clock: this.clock,
      onError: (error) => this.reportError(error),
      ...(this.#auth ? { auth: this.#auth } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
    this.#orders = { rest: this.#rest, exchangeSymbolFor: (pair) => this.#exchangeSymbolFor(pair) }
  }

  // ── Beyond the base's API ───────────────────────────────────────────────────────────────────
  /**
   * Every pair Binance lists for spot trading: the symbol map once loaded, else fetched now.
   * Resolves [] (the failure reported on `error`) when it cannot be fetched.
   *
   * @example
   * const pairs = await exchange.allTradingPairs() // ['BTC-USDT', 'ETH-BTC', …]
   */
  async allTradingPairs(): Promise<string[]> {
    if (this.symbolMap.size > 0) return this.symbolMap.tradingPairs
    try {
      const { symbols } = await this.#publicCall((signal) => this.fetchTradingRules(signal))
      return symbols.map((symbol) => symbol.tradingPair)
    } catch (error) {
      this.reportError(error, 'fetching the trading pairs')
      return []
    }
  }

  /**
   * Pings Binance: CONNECTED when it answers, NOT_CONNECTED when it does not. An abort of `signal` rejects.
   *
   * @example
   * await exchange.checkNetwork() // 'CONNECTED'
   */
  async checkNetwork(signal: AbortSignal = new AbortController().signal): Promise<NetworkStatus> {
    try {
      await ping(this.#rest, signal)
      return 'CONNECTED'
    } catch (error) {
      if (signal.aborted) throw error
      return 'NOT_CONNECTED'
    }
  }

  /**
   * One order as Binance has it, by our client order id or by Binance's order id (for orders this
   * exchange does not track). Rejects with `OrderNotFoundError` when Binance does not know it.
   *
   * @example
   * await exchange.fetchOrder('BTC-USDT', { exchangeOrderId: '28' })
   */
  fetchOrder(tradingPair: string, reference: OrderReference): Promise<ExchangeOrderReport> {
    return this.#signedCall((signal) => queryOrder(this.#orders, tradingPair, reference, signal))
  }

  /**
   * Open orders on Binance, of one pair or of every listed pair: for reconciling with `inFlightOrders`.
   *
   * @example
   * const open = await exchange.fetchOpenOrders('BTC-USDT')
   */
  fetchOpenOrders(tradingPair?: string): Promise<ExchangeOrderReport[]> {
    return this.#signedCall((signal) => fetchOpenOrders(this.#orders, tradingPair, (symbol) => this.#tradingPairFor(symbol), signal))
  }

  /**
   * Cancels an order by Binance's order id (one placed elsewhere, or known only by that id). True
   * when Binance answers CANCELED; rejects with `OrderNotFoundError` for an unknown order. The
   * tracked orders' state follows from the user stream and polling.
   *
   * @example
   * await exchange.cancelByExchangeOrderId('BTC-USDT', '28')
   */
  cancelByExchangeOrderId(tradingPair: string, exchangeOrderId: string): Promise<boolean> {
    return this.#signedCall((signal) => cancelOrder(this.#orders, tradingPair, { exchangeOrderId }, signal))
  }

  // ── Hooks ───────────────────────────────────────────────────────────────────────────────────
  protected placeOrder(order: InFlightOrder, signal: AbortSignal): Promise<PlacedOrder> {
    return submitOrder(this.#orders, order, signal)
  }

  /** By client order id: always known, and the id the order was created with. */
  protected placeCancel(order: InFlightOrder, signal: AbortSignal): Promise<boolean> {
    return cancelOrder(this.#orders, order.tradingPair, { clientOrderId: order.clientOrderId }, signal)
  }

  protected async requestOrderStatus(order: InFlightOrder, signal: AbortSignal): Promise<OrderUpdate> {
    const report = await queryOrder(this.#orders, order.tradingPair, { clientOrderId: order.clientOrderId }, signal)
    return orderUpdateFromReport(report, order.clientOrderId)
  }

  protected async allTradeUpdatesForOrder(order: InFlightOrder, signal: AbortSignal): Promise<readonly TradeUpdate[]> {
    const exchangeOrderId = order.exchangeOrderId
    // myTrades is asked by Binance's order id; before the create is answered there are no fills to know of.
    if (exchangeOrderId === undefined) return []
    return fetchOrderFills(this.#orders, { tradingPair: order.tradingPair, exchangeOrderId, clientOrderId: order.clientOrderId }, signal)
  }

  protected fetchBalances(signal: AbortSignal): Promise<readonly AccountBalance[]> {
    return fetchAccountBalances(this.#rest, signal)
  }

  /** The whole listing (it is also the symbol map); symbols that cannot be read are reported and skipped. */
  protected async fetchTradingRules(signal: AbortSignal): Promise<TradingRulesAndSymbols> {
    const raw = await this.#rest.request({ path: PATHS.exchangeInfo, limitId: LIMIT_IDS.exchangeInfo, signal })
    const { symbols, tradingRules, problems } = parseExchangeInfo(raw)
    for (const problem of problems) this.reportError(problem)
    return { symbols, tradingRules }
  }

  protected async fetchLastTradedPrices(tradingPairs: readonly string[], signal: AbortSignal): Promise<Record<string, Big>> {
    if (tradingPairs.length === 0) return {}
    // Once the symbol map is loaded, a pair Binance does not list is refused here, not sent.
    const unknown = this.symbolMap.size > 0 ? tradingPairs.filter((pair) => this.symbolMap.exchangeSymbolFor(pair) === undefined) : []
    if (unknown.length > 0) throw new InvalidInputError(`${this.name} does not list ${unknown.join(', ')}`)
    const symbols = tradingPairs.map((pair) => this.#exchangeSymbolFor(pair))
    const bySymbol = await fetchTickerPrices(this.#rest, symbols, signal)
    const prices: Record<string, Big> = {}
    tradingPairs.forEach((pair, index) => {
      const price = bySymbol.get(symbols[index] ?? '')
      if (price !== undefined) prices[pair] = price
    })
    return prices
  }

  protected fetchServerTime(signal: AbortSignal): Promise<number> {
    return fetchServerTime(this.#rest, signal)
  }

  protected createOrderBookDataSource(): BinanceOrderBookDataSource {
    return new BinanceOrderBookDataSource({
      rest: this.#rest,
      wsUrl: this.urls.ws,
      toExchangeSymbol: (pair) => this.#exchangeSymbolFor(pair),
      toTradingPair: (symbol) => this.#tradingPairFor(symbol),
      tradingPairs: this.tradingPairs,
      clock: this.clock,
      ...(this.#socketFactory ? { socketFactory: this.#socketFactory } : {}),
      ...(this.#snapshotDepth === undefined ? {} : { snapshotDepth: this.#snapshotDepth }),
    })
  }

  protected createUserStreamDataSource(): BinanceApiUserStreamDataSource {
    const auth = this.#auth
    if (auth === undefined) throw new InvalidInputError(`${this.name}: the user stream needs apiKey and apiSecret`)
    return new BinanceApiUserStreamDataSource({
      mode: USER_STREAM_MODE[this.domain],
      urls: this.urls,
      apiKey: auth.apiKey,
      // Signed with the exchange's clock, sampled first: a subscribe stamped by a skewed local clock is refused.
      signWsPayload: async (params) => {
        await this.ensureTimeSynchronized(this.runSignal)
        return auth.signWsPayload(params)
      },
      now: () => this.timeSynchronizer.now(),
      rest: this.#rest,
      limiter: this.throttler,
      clock: this.clock,
      ...(this.#socketFactory ? { socketFactory: this.#socketFactory } : {}),
    })
  }

  protected handleUserStreamEvent(event: BinanceUserStreamEvent): void | Promise<void> {
    if (event.e === 'executionReport') return this.#applyExecutionReport(event)
    if (event.e === 'outboundAccountPosition') {
      for (const balance of balancesFromAccountPosition(event)) this.setBalance(balance)
    }
    // balanceUpdate: the outboundAccountPosition that follows carries the new balance.
    // listStatus: each order of the list reports itself with an executionReport.
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────
  #applyExecutionReport(report: ExecutionReport): void | Promise<void> {
    const tradingPair = this.#tradingPairFor(report.s)
    if (tradingPair === undefined) return // a symbol we do not trade: an order placed elsewhere
    const { trade, order } = executionReportUpdates(report, tradingPair)
    const tracker = this.orderTracker
    // Orders placed by other programs on the same account are none of ours.
    if (trade !== undefined && tracker.fetchFillableOrder(trade) !== undefined) tracker.processTradeUpdate(trade)
    if (tracker.fetchUpdatableOrder(order) === undefined) return
    const applied = tracker.processOrderUpdate(order)
    // A FILLED update waits for the order's fills (up to 5 s); later events must not wait behind it.
    if (order.newState !== 'FILLED') return applied
  }

  /** Binance's symbol for a pair: the map's, else base and quote joined (Binance's rule for spot symbols). */
  #exchangeSymbolFor(tradingPair: string): string {
    return this.symbolMap.exchangeSymbolFor(tradingPair) ?? tradingPair.replace('-', '')
  }

  #tradingPairFor(symbol: string): string | undefined {
    return this.symbolMap.tradingPairFor(symbol) ?? this.tradingPairs.find((pair) => pair.replace('-', '') === symbol)
  }

  /** A call outside the hooks: aborted by `stop()`, and retried once after a time-sync refusal. */
  #signedCall<Result>(request: (signal: AbortSignal) => Promise<Result>): Promise<Result> {
    const signal = this.runSignal ?? new AbortController().signal
    return withTimeSyncRetry(() => request(signal), {
      isTimeSyncError: (error) => this.isTimeSyncError(error),
      resync: () => this.timeSynchronizer.resync((s) => this.fetchServerTime(s), { signal }),
    })
  }

  #publicCall<Result>(request: (signal: AbortSignal) => Promise<Result>): Promise<Result> {
    return request(this.runSignal ?? new AbortController().signal)
  }
}
