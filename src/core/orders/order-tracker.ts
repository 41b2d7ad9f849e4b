// The order tracker (the recipe's ClientOrderTracker): holds every order we placed, applies the
// exchange's news to it and turns the changes into order events, each exactly once.
//
//   active  ── final state ──▶ cached (finished; fills still land here for 30 s) ──▶ forgotten
//     │
//     └─ not found N times ──▶ orderFailure, then lost: still gets fills (orderFilled) and is
//                              reconciled; a final state from the exchange removes it silently.
//
//   awaiting fills: a finished (or lost) order whose fills fall short of what the exchange says it
//   executed stays findable for fills, past the cache's TTL, until they add up or the exchange base
//   gives up asking (`onFillsMissing`, `stopAwaitingFills`); each late fill is emitted once.
//
// Decisions: state never leaves a final state and open states only move forward
// (isOrderStateTransitionAllowed); a FILLED update waits (bounded, abortable) for the fills that
// complete the order, and completes anyway when they are late; the Nth consecutive miss (default 3)
// makes an order lost (the recipe: miss N + 1) and any update for the order resets the count; an
// order leaves `active` before its final event is emitted, so handlers see it as finished.
import { type Clock, systemClock } from '../clock.ts'
import type { Big } from '../decimal.ts'
import { describeInput, InvalidInputError } from '../errors.ts'
import { ExpiringCache } from './expiring-cache.ts'
import { InFlightOrder } from './in-flight-order.ts'
import { OrderTrackingError } from './order-errors.ts'
import { emitCreatedEventIfAccepted, emitFinalEvent, type OrderEventSink, orderFilledEvent } from './order-events.ts'
import { type InFlightOrderJSON, isFinalOrderState, type OrderUpdate, type TradeUpdate } from './order-state.ts'
import {
  CACHED_ORDER_TTL_MS,
  LOST_ORDER_COUNT_LIMIT,
  LOST_ORDER_ERROR_TYPE,
  MAX_CACHED_ORDERS,
  type OrderIds,
  type OrderTrackerOptions,
  TRADE_FILLS_WAIT_TIMEOUT_MS,
} from './order-tracker-options.ts'

type Pool = 'active' | 'cached' | 'lost' | 'awaitingFills'
const UPDATABLE: readonly Pool[] = ['active', 'lost']
const FILLABLE: readonly Pool[] = ['active', 'cached', 'lost', 'awaitingFills']

export class OrderTracker {
  readonly events: OrderEventSink
  /** Consecutive misses that make an order lost; may be changed at any time. */
  lostOrderCountLimit: number
  readonly #clock: Clock
  readonly #fillsWaitMs: number
  readonly #active = new Map<string, InFlightOrder>()
  readonly #cached: ExpiringCache<string, InFlightOrder>
  readonly #lost = new Map<string, InFlightOrder>()
  readonly #notFoundCounts = new Map<string, number>()
  readonly #awaitingFills = new Map<string, InFlightOrder>()
  /** Base amount each awaiting order's fills must reach. */
  readonly #fillTargets = new Map<string, Big>()
  readonly #onFillsMissing: ((order: InFlightOrder) => void) | undefined
  #waits = new AbortController()

  /**
   * @example
   * const events = new EventEmitter<OrderTrackerEvents>()
   * events.on('orderFilled', (fill) => console.log(fill.tradeId, fill.amount.toFixed()))
   * const tracker = new OrderTracker({ events, clock })
   */
  constructor(options: OrderTrackerOptions) {
    this.#clock = options.clock ?? systemClock
    this.events = options.events
    this.lostOrderCountLimit = options.lostOrderCountLimit ?? LOST_ORDER_COUNT_LIMIT
    if (!Number.isInteger(this.lostOrderCountLimit) || this.lostOrderCountLimit < 1) {
      throw new InvalidInputError(`lostOrderCountLimit must be a whole number >= 1, got ${this.lostOrderCountLimit}`)
    }
    this.#fillsWaitMs = options.tradeFillsWaitTimeoutMs ?? TRADE_FILLS_WAIT_TIMEOUT_MS
    this.#onFillsMissing = options.onFillsMissing
    this.#cached = new ExpiringCache({
      clock: this.#clock,
      ttlMs: options.cachedOrderTtlMs ?? CACHED_ORDER_TTL_MS,
      maxSize: options.maxCachedOrders ?? MAX_CACHED_ORDERS,
    })
  }

  /** Orders not yet final, by client id (the exchange's `inFlightOrders`). */
  get activeOrders(): ReadonlyMap<string, InFlightOrder> {
    return this.#active
  }
  /** Recently finished orders, by client id. */
  get cachedOrders(): ReadonlyMap<string, InFlightOrder> {
    return new Map(this.#cached.entries())
  }
  /** Orders the exchange could not find, by client id. */
  get lostOrders(): ReadonlyMap<string, InFlightOrder> {
    return this.#lost
  }
  /** Active and cached. */
  get allOrders(): ReadonlyMap<string, InFlightOrder> {
    return new Map([...this.#cached.entries(), ...this.#active])
  }
  /** Finished or lost orders whose fills do not yet add up to what the exchange executed. */
  get ordersAwaitingFills(): ReadonlyMap<string, InFlightOrder> {
    return this.#awaitingFills
  }
  /** Active, cached, lost and awaiting fills: every order a fill may belong to. */
  get allFillableOrders(): ReadonlyMap<string, InFlightOrder> {
    return new Map([...this.#awaitingFills, ...this.#cached.entries(), ...this.#lost, ...this.#active])
  }
  /** Active and lost: every order whose state still needs the exchange's answer. */
  get allUpdatableOrders(): ReadonlyMap<string, InFlightOrder> {
    return new Map([...this.#lost, ...this.#active])
  }

  /**
   * Starts tracking an order; call it before the order's request leaves (DESIGN.md rule 4).
   * Throws `InvalidInputError` when the client order id is already tracked, cached or lost.
   */
  startTrackingOrder(order: InFlightOrder): void {
    const id = order.clientOrderId
    if (this.#active.has(id) || this.#lost.has(id) || this.#awaitingFills.has(id) || this.#cached.get(id) !== undefined) {
      throw new InvalidInputError(`client order id ${id} is already in use`)
    }
    this.#active.set(id, order)
  }

  /** Moves an active order to the cache of finished orders. */
  stopTrackingOrder(clientOrderId: string): void {
    const order = this.#active.get(clientOrderId)
    if (order === undefined) return
    this.#active.delete(clientOrderId)
    this.#notFoundCounts.delete(clientOrderId)
    this.#cached.set(clientOrderId, order)
  }

  /** An active order by client id. */
  fetchTrackedOrder(clientOrderId: string): InFlightOrder | undefined {
    return this.#active.get(clientOrderId)
  }
  /** A cached (finished) order by client id. */
  fetchCachedOrder(clientOrderId: string): InFlightOrder | undefined {
    return this.#cached.get(clientOrderId)
  }
  /** An active or cached order, by client id first, then by exchange id. */
  fetchOrder(ids: OrderIds): InFlightOrder | undefined {
    return this.#find(ids, ['active', 'cached'])
  }
  /** A lost order, by client id first, then by exchange id. */
  fetchLostOrder(ids: OrderIds): InFlightOrder | undefined {
    return this.#find(ids, ['lost'])
  }
  /** An active, cached, lost or awaiting-fills order (where a fill may land). */
  fetchFillableOrder(ids: OrderIds): InFlightOrder | undefined {
    return this.#find(ids, FILLABLE)
  }
  /** An active or lost order (one whose state the exchange base still queries). */
  fetchUpdatableOrder(ids: OrderIds): InFlightOrder | undefined {
    return this.#find(ids, UPDATABLE)
  }

  /**
   * Applies a state update and emits what it changes: created (leaving PENDING_CREATE for OPEN,
   * PARTIALLY_FILLED or FILLED), then cancelled / completed / failure when it ends the order, which
   * then moves to the cache. A FILLED update first waits (up to 5 s, ended early by `stop()`) for
   * the fills that complete the order. An update for a lost order only removes it, silently, when
   * it is final. Never rejects; problems go to the `error` event.
   *
   * @example
   * await tracker.processOrderUpdate({ clientOrderId, tradingPair, updateTimestamp: Date.now(), newState: 'OPEN', exchangeOrderId: '42' })
   */
  async processOrderUpdate(update: OrderUpdate): Promise<void> {
    if (update.clientOrderId === undefined && update.exchangeOrderId === undefined) {
      this.#report(new OrderTrackingError('updateWithoutOrderId', `an update for ${update.tradingPair} names no order`))
      return
    }
    const tracked = this.fetchOrder(update)
    if (tracked !== undefined) {
      // The exchange knows the order: earlier "not found" answers were transient.
      this.#notFoundCounts.delete(tracked.clientOrderId)
      if (update.newState === 'FILLED' && !tracked.isDone) {
        // Learn the exchange id first, so fills that name only it find the order during the wait
        // (and so the fills can be fetched by it).
        if (update.exchangeOrderId !== undefined) tracked.updateExchangeOrderId(update.exchangeOrderId)
        this.#expectFills(tracked, update)
        await this.#waitForFills(tracked)
      }
    }
    const order = tracked ?? this.fetchLostOrder(update)
    if (order === undefined) return // not ours, or forgotten long ago: nothing to reconcile
    if (this.#lost.get(order.clientOrderId) === order) {
      order.updateWithOrderUpdate(update) // may teach us its exchange id; its state stays FAILED
      if (isFinalOrderState(update.newState)) this.#lost.delete(order.clientOrderId)
      this.#expectFills(order, update)
      return
    }
    this.#applyOrderUpdate(order, update)
    this.#expectFills(order, update)
  }

  /**
   * Records a fill and emits `orderFilled` for it, once per trade id. The order is found among
   * active, cached and lost orders by client id, else exchange id; a fill for an unknown order is
   * reported on `error`.
   */
  processTradeUpdate(update: TradeUpdate): void {
    const order = this.fetchFillableOrder(update)
    if (order === undefined) {
      this.#report(
        new OrderTrackingError('unknownOrderFill', `fill ${update.tradeId} belongs to no tracked order`, {
          clientOrderId: update.clientOrderId,
          exchangeOrderId: update.exchangeOrderId,
        }),
      )
      return
    }
    if (!order.updateWithTradeUpdate(update)) return
    const target = this.#fillTargets.get(order.clientOrderId)
    if (target !== undefined && order.executedAmountBase.gte(target)) {
      this.stopAwaitingFills(order.clientOrderId)
      // Cached again for a while, so a duplicate of a late fill is still recognised as one.
      if (!this.#active.has(order.clientOrderId) && !this.#lost.has(order.clientOrderId)) this.#cached.set(order.clientOrderId, order)
    }
    if (update.fillBaseAmount.lte(0)) return
    this.events.emit('orderFilled', orderFilledEvent(order, update, this.#clock.now()))
  }

  /** Stops holding an order for its missing fills (they add up, or the exchange base gave up asking). */
  stopAwaitingFills(clientOrderId: string): void {
    this.#awaitingFills.delete(clientOrderId)
    this.#fillTargets.delete(clientOrderId)
  }

  /**
   * Counts one "not found" answer for an active order. The `lostOrderCountLimit`-th consecutive one
   * fails it (`orderFailure`, errorType `OrderLost`) and moves it to the lost orders. For a lost
   * order, a further miss means the exchange has no trace of it: it is dropped silently.
   */
  async processOrderNotFound(clientOrderId: string): Promise<void> {
    const active = this.#active.get(clientOrderId)
    if (active === undefined) {
      this.#lost.delete(clientOrderId)
      return
    }
    const misses = (this.#notFoundCounts.get(clientOrderId) ?? 0) + 1
    this.#notFoundCounts.set(clientOrderId, misses)
    if (misses < this.lostOrderCountLimit) return
    this.#applyOrderUpdate(active, {
      clientOrderId,
      tradingPair: active.tradingPair,
      updateTimestamp: this.#clock.now(),
      newState: 'FAILED',
      errorMessage: `order ${clientOrderId} was not found on the exchange ${misses} times in a row; tracking it as lost`,
      errorType: LOST_ORDER_ERROR_TYPE,
    })
    this.#cached.delete(clientOrderId)
    this.#lost.set(clientOrderId, active)
  }

  /** Active and lost orders as JSON, by client id: what to save to survive a restart. */
  get trackingStates(): Record<string, InFlightOrderJSON> {
    const states: Record<string, InFlightOrderJSON> = {}
    for (const [id, order] of this.allUpdatableOrders) states[id] = order.toJSON()
    return states
  }

  /**
   * Restores saved `trackingStates`: open orders become active again, FAILED ones lost, the rest
   * (finished) are skipped, as are ids already tracked. A malformed entry is reported on `error`;
   * `states` that is not an object throws `InvalidInputError`.
   */
  restoreTrackingStates(states: Readonly<Record<string, InFlightOrderJSON>>): void {
    if (typeof states !== 'object' || states === null || Array.isArray(states)) {
      throw new InvalidInputError(`saved tracking states must be an object by client order id, got ${describeInput(states)}`)
    }
    for (const json of Object.values(states)) {
      let order: InFlightOrder
      try {
        order = InFlightOrder.fromJSON(json)
      } catch (error) {
        this.#report(error)
        continue
      }
      const id = order.clientOrderId
      if (this.#active.has(id) || this.#lost.has(id)) continue
      if (order.isOpen) this.#active.set(id, order)
      else if (order.isFailure) this.#lost.set(id, order)
    }
  }

  /**
   * Ends every pending FILLED wait at once (its update is then applied with the fills at hand), so
   * no timer is left behind. The tracker stays usable; later waits run normally.
   */
  stop(): void {
    this.#waits.abort()
    this.#waits = new AbortController()
  }

  async #waitForFills(order: InFlightOrder): Promise<void> {
    const signal = this.#waits.signal
    const filled = await order.waitUntilCompletelyFilled(this.#fillsWaitMs, signal)
    if (filled || signal.aborted) return
    const executed = `${order.executedAmountBase.toFixed()}/${order.amount.toFixed()}`
    this.#report(
      new OrderTrackingError(
        'fillsLate',
        `order ${order.clientOrderId} is FILLED but only ${executed} ${order.baseAsset} of fills arrived within ${this.#fillsWaitMs} ms; completing it with those (later fills are still reported)`,
        { clientOrderId: order.clientOrderId, exchangeOrderId: order.exchangeOrderId },
      ),
    )
  }

  // A final update the order's fills fall short of: hold the order for its fills and say so once
  // (again only if the exchange later reports more executed).
  #expectFills(order: InFlightOrder, update: OrderUpdate): void {
    if (!isFinalOrderState(update.newState)) return
    const target = update.newState === 'FILLED' ? (update.executedAmountBase ?? order.amount) : update.executedAmountBase
    if (target === undefined || order.executedAmountBase.gte(target)) return
    const known = this.#fillTargets.get(order.clientOrderId)
    if (known !== undefined && known.gte(target)) return
    this.#fillTargets.set(order.clientOrderId, target)
    this.#awaitingFills.set(order.clientOrderId, order)
    try {
      this.#onFillsMissing?.(order)
    } catch (error) {
      this.#report(error)
    }
  }

  #applyOrderUpdate(order: InFlightOrder, update: OrderUpdate): void {
    const previous = order.state
    if (!order.updateWithOrderUpdate(update) || order.state === previous) return
    const now = this.#clock.now()
    emitCreatedEventIfAccepted(this.events, order, previous, now)
    if (order.isOpen) return
    this.stopTrackingOrder(order.clientOrderId)
    emitFinalEvent(this.events, order, update, now)
  }

  // By client id first (a map lookup), then by exchange id (a scan: an order learns its exchange id
  // late, and a few thousand orders at most are held).
  #find(ids: OrderIds, pools: readonly Pool[]): InFlightOrder | undefined {
    const { clientOrderId, exchangeOrderId } = ids
    const byName = { active: this.#active, cached: this.#cached, lost: this.#lost, awaitingFills: this.#awaitingFills }
    const poolOf = (pool: Pool) => byName[pool]
    if (clientOrderId !== undefined) {
      for (const pool of pools) {
        const order = poolOf(pool).get(clientOrderId)
        if (order !== undefined) return order
      }
    }
    if (exchangeOrderId === undefined) return undefined
    for (const pool of pools) {
      for (const order of poolOf(pool).values()) if (order.exchangeOrderId === exchangeOrderId) return order
    }
    return undefined
  }

  #report(error: unknown): void {
    this.events.emit('error', error)
  }
}
