// One order we placed, from before its request leaves (PENDING_CREATE) to its final state. It keeps
// the exchange's news in order: state only moves forward (see `isOrderStateTransitionAllowed`), fills
// are counted once per trade id, and waiting for the exchange id or the last fill always ends.
import { type Big, toDecimal, ZERO } from '../decimal.ts'
import { describeInput, InvalidInputError } from '../errors.ts'
import type { ConversionRates } from './fees.ts'
import { Latch } from './latch.ts'
import { ExchangeOrderIdTimeoutError } from './order-errors.ts'
import {
  type InFlightOrderInit,
  type InFlightOrderJSON,
  isFinalOrderState,
  isOrderState,
  isOrderStateTransitionAllowed,
  isOrderType,
  isTradeType,
  type OrderState,
  type OrderType,
  type OrderUpdate,
  type TradeType,
  type TradeUpdate,
  tradeUpdateFromJSON,
  type TradeUpdateJSON,
  tradeUpdateToJSON,
} from './order-state.ts'
import { splitTradingPair } from './trading-pair.ts'

/** How long `waitForExchangeOrderId` waits by default. */
export const EXCHANGE_ORDER_ID_WAIT_MS = 10_000

export class InFlightOrder {
  readonly clientOrderId: string
  readonly tradingPair: string
  readonly baseAsset: string
  readonly quoteAsset: string
  readonly orderType: OrderType
  readonly tradeType: TradeType
  readonly amount: Big
  readonly price: Big | undefined
  readonly creationTimestamp: number
  #state: OrderState
  #exchangeOrderId: string | undefined
  #executedAmountBase: Big = ZERO
  #executedAmountQuote: Big = ZERO
  #lastUpdateTimestamp: number
  readonly #fills = new Map<string, TradeUpdate>()
  readonly #exchangeOrderIdKnown = new Latch<string>()
  readonly #completelyFilled = new Latch<true>()

  /**
   * @example
   * const order = new InFlightOrder({
   *   clientOrderId: 'x-1', tradingPair: 'BTC-USDT', orderType: 'LIMIT', tradeType: 'BUY',
   *   amount: '0.01', price: '30000', creationTimestamp: Date.now(),
   * })
   */
  constructor(init: InFlightOrderInit) {
    if (typeof init.clientOrderId !== 'string' || init.clientOrderId === '') {
      throw new InvalidInputError('an order needs a client order id')
    }
    if (!isOrderType(init.orderType)) throw new InvalidInputError(`unknown order type ${describeInput(init.orderType)}`)
    if (!isTradeType(init.tradeType)) throw new InvalidInputError(`unknown trade type ${describeInput(init.tradeType)}`)
    const state = init.initialState ?? 'PENDING_CREATE'
    if (!isOrderState(state)) throw new InvalidInputError(`unknown order state ${describeInput(state)}`)
    const { baseAsset, quoteAsset } = splitTradingPair(init.tradingPair)
    this.clientOrderId = init.clientOrderId
    this.tradingPair = init.tradingPair
    this.baseAsset = baseAsset
    this.quoteAsset = quoteAsset
    this.orderType = init.orderType
    this.tradeType = init.tradeType
    this.amount = toDecimal(init.amount, 'amount')
    if (this.amount.lt(0)) throw new InvalidInputError(`an order amount cannot be negative, got ${this.amount.toFixed()}`)
    this.price = init.price === undefined ? undefined : toDecimal(init.price, 'price')
    this.creationTimestamp = init.creationTimestamp
    this.#lastUpdateTimestamp = init.creationTimestamp
    this.#state = state
    if (init.exchangeOrderId !== undefined) this.#setExchangeOrderId(init.exchangeOrderId)
  }

  get state(): OrderState {
    return this.#state
  }
  get exchangeOrderId(): string | undefined {
    return this.#exchangeOrderId
  }
  get executedAmountBase(): Big {
    return this.#executedAmountBase
  }
  get executedAmountQuote(): Big {
    return this.#executedAmountQuote
  }
  /** Epoch ms of the last change (state, exchange id or fill). */
  get lastUpdateTimestamp(): number {
    return this.#lastUpdateTimestamp
  }
  /** Fills by trade id, in arrival order. */
  get fills(): ReadonlyMap<string, TradeUpdate> {
    return this.#fills
  }

  get isPendingCreate(): boolean {
    return this.#state === 'PENDING_CREATE'
  }
  get isPendingCancelConfirmation(): boolean {
    return this.#state === 'PENDING_CANCEL'
  }
  /** Not yet in a final state (PENDING_CREATE, OPEN, PARTIALLY_FILLED, PENDING_CANCEL). */
  get isOpen(): boolean {
    return !isFinalOrderState(this.#state)
  }
  /** In a final state, or its fills cover the whole amount. */
  get isDone(): boolean {
    return isFinalOrderState(this.#state) || this.#fillsCoverAmount()
  }
  /** FILLED, or its fills cover the whole (non-zero) amount. */
  get isFilled(): boolean {
    return this.#state === 'FILLED' || this.#fillsCoverAmount()
  }
  get isFailure(): boolean {
    return this.#state === 'FAILED'
  }
  get isCancelled(): boolean {
    return this.#state === 'CANCELED'
  }

  /** Σ(price × base) / Σ base over the fills; undefined before the first fill. Rounded to Big.DP places. */
  get averageExecutedPrice(): Big | undefined {
    let base = ZERO
    let quote = ZERO
    for (const fill of this.#fills.values()) {
      base = base.plus(fill.fillBaseAmount)
      quote = quote.plus(fill.fillPrice.times(fill.fillBaseAmount))
    }
    return base.eq(0) || quote.eq(0) ? undefined : quote.div(base)
  }

  /**
   * Every fill's fee, expressed in `token`. Fees in another token are converted by the fill's price
   * (base ↔ quote) or by `rates`; throws `InvalidInputError` when a needed rate is missing.
   *
   * @example
   * order.cumulativeFeePaid('USDT', { 'BNB-USDT': '600' })
   */
  cumulativeFeePaid(token: string, rates?: ConversionRates): Big {
    let total = ZERO
    for (const fill of this.#fills.values()) {
      total = total.plus(
        fill.fee.amountInToken(token, {
          tradingPair: this.tradingPair,
          price: fill.fillPrice,
          amount: fill.fillBaseAmount,
          ...(rates === undefined ? {} : { rates }),
        }),
      )
    }
    return total
  }

  /**
   * Resolves with the exchange order id once known. Rejects with `ExchangeOrderIdTimeoutError` after
   * `timeoutMs` (default 10 s), or with the signal's reason when it aborts.
   *
   * @example
   * const exchangeOrderId = await order.waitForExchangeOrderId({ timeoutMs: 5_000, signal })
   */
  async waitForExchangeOrderId(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? EXCHANGE_ORDER_ID_WAIT_MS
    const result = await this.#exchangeOrderIdKnown.wait(timeoutMs, options.signal)
    if (result.outcome === 'set') return result.value
    if (result.outcome === 'aborted') throw result.reason
    throw new ExchangeOrderIdTimeoutError(this.clientOrderId, timeoutMs)
  }

  /**
   * Resolves true once the fills cover the amount, false after `timeoutMs` or when `signal` aborts.
   * Never rejects.
   */
  async waitUntilCompletelyFilled(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return (await this.#completelyFilled.wait(timeoutMs, signal)).outcome === 'set'
  }

  /**
   * Applies a state update meant for this order (matched by client or exchange id). Returns true
   * when something changed: a first exchange id or an allowed state transition.
   */
  updateWithOrderUpdate(update: OrderUpdate): boolean {
    if (!this.#concerns(update.clientOrderId, update.exchangeOrderId)) return false
    let changed = false
    if (update.exchangeOrderId !== undefined && this.updateExchangeOrderId(update.exchangeOrderId)) changed = true
    if (isOrderStateTransitionAllowed(this.#state, update.newState)) {
      this.#state = update.newState
      changed = true
    }
    if (changed) this.#lastUpdateTimestamp = Math.max(this.#lastUpdateTimestamp, update.updateTimestamp)
    return changed
  }

  /** Learns the exchange order id when none is known yet; returns true when it did. */
  updateExchangeOrderId(exchangeOrderId: string): boolean {
    if (this.#exchangeOrderId !== undefined) return false
    this.#setExchangeOrderId(exchangeOrderId)
    return true
  }

  /**
   * Records a fill meant for this order. Returns false, changing nothing, for a trade id already
   * seen or a fill of another order. Fills count in any state: a fill may race a cancel.
   */
  updateWithTradeUpdate(update: TradeUpdate): boolean {
    if (this.#fills.has(update.tradeId)) return false
    if (!this.#concerns(update.clientOrderId, update.exchangeOrderId)) return false
    this.#fills.set(update.tradeId, update)
    this.#executedAmountBase = this.#executedAmountBase.plus(update.fillBaseAmount)
    this.#executedAmountQuote = this.#executedAmountQuote.plus(update.fillQuoteAmount)
    this.#lastUpdateTimestamp = Math.max(this.#lastUpdateTimestamp, update.fillTimestamp)
    if (update.exchangeOrderId !== undefined) this.updateExchangeOrderId(update.exchangeOrderId)
    this.#checkCompletelyFilled()
    return true
  }

  toJSON(): InFlightOrderJSON {
    const fills: Record<string, TradeUpdateJSON> = {}
    for (const [tradeId, fill] of this.#fills) fills[tradeId] = tradeUpdateToJSON(fill)
    return {
      clientOrderId: this.clientOrderId,
      exchangeOrderId: this.#exchangeOrderId ?? null,
      tradingPair: this.tradingPair,
      orderType: this.orderType,
      tradeType: this.tradeType,
      price: this.price?.toFixed() ?? null,
      amount: this.amount.toFixed(),
      executedAmountBase: this.#executedAmountBase.toFixed(),
      executedAmountQuote: this.#executedAmountQuote.toFixed(),
      state: this.#state,
      creationTimestamp: this.creationTimestamp,
      lastUpdateTimestamp: this.#lastUpdateTimestamp,
      fills,
    }
  }

  /**
   * Rebuilds an order from `toJSON` output (saved tracking state). Throws `InvalidInputError` when
   * the JSON is malformed.
   *
   * @example
   * const copy = InFlightOrder.fromJSON(JSON.parse(JSON.stringify(order)))
   */
  static fromJSON(json: InFlightOrderJSON): InFlightOrder {
    if (json === null || typeof json !== 'object') throw new InvalidInputError('a saved order must be an object')
    const order = new InFlightOrder({
      clientOrderId: json.clientOrderId,
      tradingPair: json.tradingPair,
      orderType: json.orderType,
      tradeType: json.tradeType,
      amount: json.amount,
      ...(json.price === null || json.price === undefined ? {} : { price: json.price }),
      creationTimestamp: typeof json.creationTimestamp === 'number' ? json.creationTimestamp : -1,
      ...(typeof json.exchangeOrderId === 'string' ? { exchangeOrderId: json.exchangeOrderId } : {}),
      initialState: json.state,
    })
    for (const fillJSON of Object.values(json.fills ?? {})) {
      const fill = tradeUpdateFromJSON(fillJSON)
      order.#fills.set(fill.tradeId, fill)
    }
    order.#executedAmountBase = toDecimal(json.executedAmountBase, 'executedAmountBase')
    order.#executedAmountQuote = toDecimal(json.executedAmountQuote, 'executedAmountQuote')
    if (typeof json.lastUpdateTimestamp === 'number') order.#lastUpdateTimestamp = json.lastUpdateTimestamp
    order.#checkCompletelyFilled()
    return order
  }

  #concerns(clientOrderId: string | undefined, exchangeOrderId: string | undefined): boolean {
    return (
      (clientOrderId !== undefined && clientOrderId === this.clientOrderId) ||
      (exchangeOrderId !== undefined && exchangeOrderId === this.#exchangeOrderId)
    )
  }

  #setExchangeOrderId(exchangeOrderId: string): void {
    this.#exchangeOrderId = exchangeOrderId
    this.#exchangeOrderIdKnown.set(exchangeOrderId)
  }

  #fillsCoverAmount(): boolean {
    return this.amount.gt(0) && this.#executedAmountBase.gte(this.amount)
  }

  #checkCompletelyFilled(): void {
    if (this.#fillsCoverAmount()) this.#completelyFilled.set(true)
  }
}
