// The exchange core: accepts, matches, settles and cancels orders for every market and publishes
// what happened. It speaks no protocol; REST and WS layers translate requests into these calls.
// Each public command runs to completion, then publishes its events (trades and order updates in
// the order they happened, then one depth diff per touched market, then balance changes).
import Big from 'big.js'
import { AccountLedger } from './accounts.ts'
import type { PriceLevelView } from './book.ts'
import { EngineEventBus, type EngineEventListener, type UnstampedEvent } from './engine-events.ts'
import { planFills } from './fill-planner.ts'
import { marketFillStep } from './filters.ts'
import { DEFAULT_MARKETS, type MarketConfig } from './market.ts'
import { MarketState, type OrderRecord, toOrderState } from './market-state.ts'
import { acceptOrder } from './order-intake.ts'
import { type AccountFill, type MarketTrade, type OrderState, type PlaceOrderRequest, isTerminal } from './order-types.ts'
import { type EngineRejection, REJECTIONS, RejectedError } from './rejections.ts'
import { SeededRandom } from './seeded-random.ts'
import { TradeSettlement } from './trade-settlement.ts'

export interface MatchingEngineOptions {
  readonly markets?: readonly MarketConfig[]
  /** Drives generated client order ids; the same seed and commands give the same results. */
  readonly seed?: number
  /** Milliseconds since the epoch for transaction times; inject a fixed clock in tests. */
  readonly now?: () => number
}

export type PlaceOrderResult =
  | { readonly ok: true; readonly order: OrderState; readonly fills: readonly AccountFill[] }
  | { readonly ok: false; readonly rejection: EngineRejection }

export type OrderResult = { readonly ok: true; readonly order: OrderState } | { readonly ok: false; readonly rejection: EngineRejection }

/** Names one order: by the exchange's `orderId` or by the account's `clientOrderId`. */
export interface OrderReference {
  readonly accountId: string
  readonly symbol: string
  readonly orderId?: number
  readonly clientOrderId?: string
}

export interface BookSnapshot {
  readonly symbol: string
  readonly lastUpdateId: number
  readonly bids: readonly PriceLevelView[]
  readonly asks: readonly PriceLevelView[]
}

export class MatchingEngine {
  readonly ledger = new AccountLedger()
  private readonly bus = new EngineEventBus()
  private readonly markets = new Map<string, MarketState>()
  private readonly ordersById = new Map<string, OrderRecord>()
  private readonly ordersByClientId = new Map<string, OrderRecord>()
  /** Orders that may still be open; closed ones are pruned lazily by `openOrders()`. */
  private readonly possiblyOpen = new Set<OrderRecord>()
  private readonly allFills: AccountFill[] = []
  /** Create requests per account, symbol and client order id, accepted or not. */
  private readonly createRequests = new Map<string, number>()
  private readonly pending: UnstampedEvent[] = []
  private readonly idRandom: SeededRandom
  private readonly settlement: TradeSettlement
  private readonly now: () => number

  /**
   * @example
   * const engine = new MatchingEngine({ seed: 7 })
   * engine.deposit('alice', { USDT: '1000' })
   * engine.placeOrder({ accountId: 'alice', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: new Big('50000'), quantity: new Big('0.01') })
   */
  constructor(options: MatchingEngineOptions = {}) {
    for (const config of options.markets ?? DEFAULT_MARKETS) this.markets.set(config.symbol, new MarketState(config))
    this.idRandom = new SeededRandom(options.seed ?? 1)
    this.now = options.now ?? (() => Date.now())
    this.settlement = new TradeSettlement(this.ledger, (event) => this.pending.push(event), (fill) => this.allFills.push(fill))
  }

  subscribe(listener: EngineEventListener): () => void {
    return this.bus.subscribe(listener)
  }

  marketConfigs(): MarketConfig[] {
    return [...this.markets.values()].map((market) => market.config)
  }

  /** Credits free balances (opening the account if new) and publishes the balance change. */
  deposit(accountId: string, balances: Readonly<Record<string, Big | string>>): void {
    this.ledger.deposit(accountId, balances)
    this.flush(this.now())
  }

  placeOrder(request: PlaceOrderRequest): PlaceOrderResult {
    const market = this.markets.get(request.symbol)
    if (!market) return { ok: false, rejection: REJECTIONS.invalidSymbol }
    if (request.clientOrderId !== undefined) {
      const key = clientKey(request.accountId, request.symbol, request.clientOrderId)
      this.createRequests.set(key, (this.createRequests.get(key) ?? 0) + 1)
    }
    const time = this.now()
    try {
      const result = this.place(market, request, time)
      return { ok: true, order: toOrderState(result.order), fills: result.fills }
    } catch (error) {
      if (error instanceof RejectedError) return { ok: false, rejection: error.rejection }
      throw error
    } finally {
      this.flush(time)
    }
  }

  /** Cancels an open order; -2011 "Unknown order sent." when it is unknown or already closed. */
  cancelOrder(reference: OrderReference): OrderResult {
    const order = this.find(reference)
    const market = this.markets.get(reference.symbol)
    if (!order || !market || isTerminal(order.status)) return { ok: false, rejection: REJECTIONS.unknownOrderOnCancel }
    const time = this.now()
    market.book.remove(order)
    order.status = 'CANCELED'
    this.settlement.close(market, order, 'CANCELED', time)
    this.flush(time)
    return { ok: true, order: toOrderState(order) }
  }

  /** Looks an order up; -2013 "Order does not exist." when there is none. */
  queryOrder(reference: OrderReference): OrderResult {
    const order = this.find(reference)
    return order ? { ok: true, order: toOrderState(order) } : { ok: false, rejection: REJECTIONS.orderDoesNotExist }
  }

  /** How many create requests named this client order id (accepted, or rejected e.g. as a duplicate). */
  createRequestCount(accountId: string, symbol: string, clientOrderId: string): number {
    return this.createRequests.get(clientKey(accountId, symbol, clientOrderId)) ?? 0
  }

  openOrders(accountId: string, symbol?: string): OrderState[] {
    const open: OrderState[] = []
    for (const order of this.possiblyOpen) {
      if (isTerminal(order.status)) this.possiblyOpen.delete(order)
      else if (order.accountId === accountId && (symbol === undefined || order.symbol === symbol)) open.push(toOrderState(order))
    }
    return open
  }

  // Ground truth for tests and for the protocol layers' snapshots.

  /** The true book of a market, best levels first, with the update id it reflects. */
  book(symbol: string, limit?: number): BookSnapshot {
    const market = this.requireMarket(symbol)
    return { symbol, lastUpdateId: market.lastUpdateId, bids: market.book.bids.view(limit), asks: market.book.asks.view(limit) }
  }

  /** The latest order an account (any account when omitted) placed with this client order id. */
  orderByClientOrderId(symbol: string, clientOrderId: string, accountId?: string): OrderState | undefined {
    if (accountId !== undefined) {
      const order = this.ordersByClientId.get(clientKey(accountId, symbol, clientOrderId))
      return order ? toOrderState(order) : undefined
    }
    const matches = [...this.ordersById.values()].filter((order) => order.symbol === symbol && order.clientOrderId === clientOrderId)
    const latest = matches.at(-1)
    return latest ? toOrderState(latest) : undefined
  }

  orders(): OrderState[] {
    return [...this.ordersById.values()].map(toOrderState)
  }

  /** Every fill, both sides of every trade, in execution order. */
  fills(): readonly AccountFill[] {
    return this.allFills
  }

  trades(symbol: string): readonly MarketTrade[] {
    return this.requireMarket(symbol).trades
  }

  /** Total commission the exchange has taken in an asset. */
  feesCollected(asset: string): Big {
    return this.settlement.feesCollected(asset)
  }

  referencePrice(symbol: string): Big | undefined {
    return this.requireMarket(symbol).referencePrice()
  }

  private place(market: MarketState, request: PlaceOrderRequest, time: number): { order: OrderRecord; fills: AccountFill[] } {
    const { config, book } = market
    const accepted = acceptOrder(config, request, market.referencePrice())
    const clientOrderId = request.clientOrderId ?? this.idRandom.nextId(22)
    const existing = this.ordersByClientId.get(clientKey(request.accountId, config.symbol, clientOrderId))
    if (existing && !isTerminal(existing.status)) throw new RejectedError(REJECTIONS.duplicateOrder)

    const plan = planFills(book, {
      side: accepted.side,
      stepSize: marketFillStep(config),
      ...(accepted.kind === 'limit' ? { limitPrice: accepted.price, quantity: accepted.quantity } : {}),
      ...(accepted.kind === 'marketByQuantity' ? { quantity: accepted.quantity } : {}),
      ...(accepted.kind === 'marketByQuote' ? { quoteBudget: accepted.quoteOrderQty } : {}),
    })
    if (accepted.kind === 'limit' && accepted.type === 'LIMIT_MAKER' && plan.fills.length > 0) {
      throw new RejectedError(REJECTIONS.wouldTakeAsMaker)
    }
    const isBuy = accepted.side === 'BUY'
    const lockedAsset = isBuy ? config.quoteAsset : config.baseAsset
    // A limit order locks its worst case; a market order locks exactly what its plan will spend.
    const lockAmount = accepted.kind === 'limit'
      ? (isBuy ? accepted.price.times(accepted.quantity) : accepted.quantity)
      : (isBuy ? plan.quoteQuantity : plan.baseQuantity)
    this.ledger.lock(request.accountId, lockedAsset, lockAmount)

    const originalQuantity = accepted.kind === 'marketByQuote' ? plan.baseQuantity : accepted.quantity
    const order: OrderRecord = {
      accountId: request.accountId,
      symbol: config.symbol,
      orderId: market.takeOrderId(),
      clientOrderId,
      side: accepted.side,
      type: accepted.kind === 'limit' ? accepted.type : 'MARKET',
      timeInForce: accepted.kind === 'limit' ? accepted.timeInForce : 'GTC',
      price: accepted.kind === 'limit' ? accepted.price : new Big(0),
      originalQuantity,
      originalQuoteOrderQuantity: accepted.kind === 'marketByQuote' ? accepted.quoteOrderQty : new Big(0),
      executedQuantity: new Big(0),
      cumulativeQuoteQuantity: new Big(0),
      status: 'NEW',
      createdAt: time,
      updatedAt: time,
      workingTime: -1,
      isOnBook: false,
      remainingQuantity: originalQuantity,
      lockedAsset,
      lockedRemaining: lockAmount,
    }
    this.ordersById.set(orderKey(config.symbol, order.orderId), order)
    this.ordersByClientId.set(clientKey(order.accountId, config.symbol, clientOrderId), order)
    this.possiblyOpen.add(order)
    this.settlement.report(market, order, 'NEW', time)

    const fokCannotFill = accepted.kind === 'limit' && accepted.timeInForce === 'FOK' && plan.baseQuantity.lt(accepted.quantity)
    const fills: AccountFill[] = []
    if (!fokCannotFill) {
      for (const planned of plan.fills) fills.push(this.settlement.trade(market, order, planned.maker, planned.price, planned.quantity, time))
    }
    const rests = accepted.kind === 'limit' && (accepted.type === 'LIMIT_MAKER' || accepted.timeInForce === 'GTC')
    if (order.remainingQuantity.gt(0) && rests) {
      // Keep exactly price × remaining locked: a BUY that filled below its limit gets the difference back now.
      if (isBuy) this.settlement.unlockSurplus(order, order.price.times(order.remainingQuantity))
      order.isOnBook = true
      order.workingTime = time
      book.add(order)
    } else if (order.remainingQuantity.gt(0) || (accepted.kind === 'marketByQuote' && plan.fills.length === 0)) {
      // IOC and FOK leftovers, and MARKET orders that ran out of book, expire (Binance: EXPIRED).
      this.settlement.close(market, order, 'EXPIRED', time)
    } else {
      order.workingTime = time
      this.settlement.releaseLock(order)
    }
    return { order, fills }
  }

  private find(reference: OrderReference): OrderRecord | undefined {
    const order = reference.orderId !== undefined
      ? this.ordersById.get(orderKey(reference.symbol, reference.orderId))
      : reference.clientOrderId !== undefined
        ? this.ordersByClientId.get(clientKey(reference.accountId, reference.symbol, reference.clientOrderId))
        : undefined
    return order && order.accountId === reference.accountId ? order : undefined
  }

  private requireMarket(symbol: string): MarketState {
    const market = this.markets.get(symbol)
    if (!market) throw new RangeError(`Unknown market ${symbol}`)
    return market
  }

  /** Publishes what the last command did: its events, then book diffs, then balance changes. */
  private flush(time: number): void {
    const events = this.pending.splice(0)
    for (const market of this.markets.values()) {
      const changes = market.book.takeChanges()
      if (changes.length === 0) continue
      market.lastUpdateId += 1
      const toView = (side: 'BUY' | 'SELL') => changes.filter((change) => change.side === side).map(({ price, quantity }) => ({ price, quantity }))
      events.push({ type: 'depthUpdate', symbol: market.config.symbol, time, firstUpdateId: market.lastUpdateId, finalUpdateId: market.lastUpdateId, bids: toView('BUY'), asks: toView('SELL') })
    }
    for (const [accountId, balances] of this.ledger.takeChanges()) events.push({ type: 'balanceUpdate', accountId, time, balances })
    for (const event of events) this.bus.publish(event)
  }
}

function orderKey(symbol: string, orderId: number): string {
  return `${symbol}#${orderId}`
}

function clientKey(accountId: string, symbol: string, clientOrderId: string): string {
  return `${accountId}\u0000${symbol}\u0000${clientOrderId}`
}
