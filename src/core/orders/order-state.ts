// The order model's vocabulary: states, order and trade types, the two kinds of news an exchange
// gives about an order (an OrderUpdate changes its state, a TradeUpdate reports a fill), and the
// shapes an InFlightOrder is built from and saved as.
import { type Big, type DecimalInput, toDecimal } from '../decimal.ts'
import { InvalidInputError } from '../errors.ts'
import { TradeFee, type TradeFeeJSON } from './fees.ts'

/** Where an order is in its life. The values are readable strings; see `ORDER_STATE_CODES`. */
export const OrderState = {
  PENDING_CREATE: 'PENDING_CREATE',
  OPEN: 'OPEN',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  CANCELED: 'CANCELED',
  FILLED: 'FILLED',
  FAILED: 'FAILED',
} as const
export type OrderState = (typeof OrderState)[keyof typeof OrderState]

/**
 * The recipe's integer codes, for reading or writing state saved by a Hummingbot-style store.
 * spotwire's own JSON uses the names.
 */
export const ORDER_STATE_CODES = {
  PENDING_CREATE: 0,
  OPEN: 1,
  PENDING_CANCEL: 2,
  CANCELED: 3,
  PARTIALLY_FILLED: 4,
  FILLED: 5,
  FAILED: 6,
} as const satisfies Record<OrderState, number>

export type OrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET'
export type TradeType = 'BUY' | 'SELL'

const ORDER_TYPES: ReadonlySet<string> = /*#__PURE__*/ new Set<OrderType>(['LIMIT', 'LIMIT_MAKER', 'MARKET'])
const TRADE_TYPES: ReadonlySet<string> = /*#__PURE__*/ new Set<TradeType>(['BUY', 'SELL'])

export function isOrderType(value: unknown): value is OrderType {
  return typeof value === 'string' && ORDER_TYPES.has(value)
}

export function isTradeType(value: unknown): value is TradeType {
  return typeof value === 'string' && TRADE_TYPES.has(value)
}

export function isOrderState(value: unknown): value is OrderState {
  return typeof value === 'string' && Object.hasOwn(OrderState, value)
}

/** LIMIT and LIMIT_MAKER carry a price. */
export function isLimitOrderType(orderType: OrderType): boolean {
  return orderType === 'LIMIT' || orderType === 'LIMIT_MAKER'
}

/**
 * The state named by a recipe integer code.
 *
 * @example
 * orderStateFromCode(5) // 'FILLED'
 */
export function orderStateFromCode(code: number): OrderState {
  for (const [state, stateCode] of Object.entries(ORDER_STATE_CODES)) {
    if (stateCode === code) return state as OrderState
  }
  throw new InvalidInputError(`unknown order state code ${code}`)
}

/** CANCELED, FILLED and FAILED end an order's life. */
export function isFinalOrderState(state: OrderState): boolean {
  return state === 'CANCELED' || state === 'FILLED' || state === 'FAILED'
}

// The open states in the only order an order moves through them. A stale poll can report an
// earlier one (OPEN after PARTIALLY_FILLED, OPEN after our accepted cancel); it is news from the
// past, so it is ignored.
const OPEN_STATE_RANK: Partial<Record<OrderState, number>> = {
  PENDING_CREATE: 0,
  OPEN: 1,
  PARTIALLY_FILLED: 2,
  PENDING_CANCEL: 3,
}

/**
 * Whether an order in state `from` may move to `to`. The rule: a final state is never left (a
 * late OPEN after FILLED is ignored, unlike the Python original), any open state may end in any
 * final state, and open states only move forward (PENDING_CREATE → OPEN → PARTIALLY_FILLED →
 * PENDING_CANCEL). Staying in the same state is not a transition.
 *
 * @example
 * isOrderStateTransitionAllowed('FILLED', 'OPEN') // false
 * isOrderStateTransitionAllowed('PARTIALLY_FILLED', 'OPEN') // false
 * isOrderStateTransitionAllowed('OPEN', 'CANCELED') // true
 */
export function isOrderStateTransitionAllowed(from: OrderState, to: OrderState): boolean {
  if (from === to || isFinalOrderState(from)) return false
  if (isFinalOrderState(to)) return true
  return (OPEN_STATE_RANK[to] ?? 0) > (OPEN_STATE_RANK[from] ?? 0)
}

/**
 * News about an order's state, from a status query, the user stream or our own request flow. At
 * least one of `clientOrderId` and `exchangeOrderId` must be set.
 */
export interface OrderUpdate {
  readonly tradingPair: string
  /** When the exchange (or we) observed the state, epoch ms. */
  readonly updateTimestamp: number
  readonly newState: OrderState
  readonly clientOrderId?: string
  readonly exchangeOrderId?: string
  /**
   * Base amount the exchange says the order has executed so far, when it says so (a status query, a
   * stream report). A final update whose amount the order's fills do not reach makes the tracker
   * wait for (and the exchange base fetch) the missing fills. FILLED implies the whole amount.
   */
  readonly executedAmountBase?: Big
  /** For FAILED: what went wrong, for people. */
  readonly errorMessage?: string
  /** For FAILED: the kind of error (an error class name or the exchange's code). */
  readonly errorType?: string
}

/** One fill of an order. `tradeId` is unique per exchange and pair; fills are deduplicated by it. */
export interface TradeUpdate {
  readonly tradeId: string
  readonly clientOrderId?: string
  readonly exchangeOrderId?: string
  readonly tradingPair: string
  /** Epoch ms. */
  readonly fillTimestamp: number
  readonly fillPrice: Big
  readonly fillBaseAmount: Big
  readonly fillQuoteAmount: Big
  readonly fee: TradeFee
  readonly isTaker: boolean
}

export interface TradeUpdateJSON {
  readonly tradeId: string
  readonly clientOrderId: string | null
  readonly exchangeOrderId: string | null
  readonly tradingPair: string
  readonly fillTimestamp: number
  readonly fillPrice: string
  readonly fillBaseAmount: string
  readonly fillQuoteAmount: string
  readonly fee: TradeFeeJSON
  readonly isTaker: boolean
}

/** A fill as JSON: decimals as exact strings, the fee as its own JSON. */
export function tradeUpdateToJSON(update: TradeUpdate): TradeUpdateJSON {
  return {
    tradeId: update.tradeId,
    clientOrderId: update.clientOrderId ?? null,
    exchangeOrderId: update.exchangeOrderId ?? null,
    tradingPair: update.tradingPair,
    fillTimestamp: update.fillTimestamp,
    fillPrice: update.fillPrice.toFixed(),
    fillBaseAmount: update.fillBaseAmount.toFixed(),
    fillQuoteAmount: update.fillQuoteAmount.toFixed(),
    fee: update.fee.toJSON(),
    isTaker: update.isTaker,
  }
}

/** Reads a fill written by `tradeUpdateToJSON`; throws `InvalidInputError` when malformed. */
export function tradeUpdateFromJSON(json: TradeUpdateJSON): TradeUpdate {
  if (json === null || typeof json !== 'object') throw new InvalidInputError('a saved fill must be an object')
  if (typeof json.tradeId !== 'string' || typeof json.tradingPair !== 'string') {
    throw new InvalidInputError('a saved fill needs a tradeId and a tradingPair')
  }
  if (typeof json.fillTimestamp !== 'number') throw new InvalidInputError(`fill ${json.tradeId} has no fillTimestamp`)
  return {
    tradeId: json.tradeId,
    ...(typeof json.clientOrderId === 'string' ? { clientOrderId: json.clientOrderId } : {}),
    ...(typeof json.exchangeOrderId === 'string' ? { exchangeOrderId: json.exchangeOrderId } : {}),
    tradingPair: json.tradingPair,
    fillTimestamp: json.fillTimestamp,
    fillPrice: toDecimal(json.fillPrice, 'fillPrice'),
    fillBaseAmount: toDecimal(json.fillBaseAmount, 'fillBaseAmount'),
    fillQuoteAmount: toDecimal(json.fillQuoteAmount, 'fillQuoteAmount'),
    fee: TradeFee.fromJSON(json.fee),
    isTaker: json.isTaker !== false,
  }
}

/** What `new InFlightOrder(…)` takes. */
export interface InFlightOrderInit {
  readonly clientOrderId: string
  readonly tradingPair: string
  readonly orderType: OrderType
  readonly tradeType: TradeType
  /** Base amount. */
  readonly amount: DecimalInput
  /** Limit price; absent for MARKET orders. */
  readonly price?: DecimalInput
  /** Epoch ms. */
  readonly creationTimestamp: number
  readonly exchangeOrderId?: string
  readonly initialState?: OrderState
}

/** An order's tracking state as JSON: decimals as exact strings. */
export interface InFlightOrderJSON {
  readonly clientOrderId: string
  readonly exchangeOrderId: string | null
  readonly tradingPair: string
  readonly orderType: OrderType
  readonly tradeType: TradeType
  readonly price: string | null
  readonly amount: string
  readonly executedAmountBase: string
  readonly executedAmountQuote: string
  readonly state: OrderState
  readonly creationTimestamp: number
  readonly lastUpdateTimestamp: number
  readonly fills: Readonly<Record<string, TradeUpdateJSON>>
}
