// Placing an order: the checks on the caller's input (synchronous, before anything is tracked),
// the checks against the trading rule (after tracking, before sending; each one fails the order
// with an event and sends nothing: a price off the tick or an amount off the step is refused, not
// rounded, so what is sent is exactly what was asked), and the request itself, whose failure is
// read as either a definite refusal (the order fails) or an unknown outcome (the order stays
// tracked and is reconciled by its client id; it is never sent again).
import { type Big, type DecimalInput, isMultipleOf, toDecimal } from '../decimal.ts'
import { describeInput, InvalidInputError } from '../errors.ts'
import { InFlightOrder } from '../orders/in-flight-order.ts'
import { isLimitOrderType, isOrderType, type OrderType, type OrderUpdate, type TradeType } from '../orders/order-state.ts'
import { splitTradingPair } from '../orders/trading-pair.ts'
import { findTradingRuleViolation, type TradingRule } from '../orders/trading-rule.ts'
import type { OrderFlowContext } from './order-flow-context.ts'
import { isDefiniteRejection } from './request-outcome.ts'

/** `errorType` of the orderFailure events the checks before sending produce. */
export const ORDER_CHECK_FAILURE = {
  notRunning: 'ExchangeNotRunning',
  unsupportedOrderType: 'UnsupportedOrderType',
  missingTradingRule: 'MissingTradingRule',
  noReferencePrice: 'NoReferencePrice',
  tradingRuleViolation: 'TradingRuleViolation',
} as const

/** An order as `buy`/`sell` received it, after the input checks. */
export interface OrderRequest {
  readonly tradeType: TradeType
  readonly tradingPair: string
  readonly orderType: OrderType
  readonly amount: Big
  /** The limit price; undefined for MARKET orders (a price given with one is ignored). */
  readonly price: Big | undefined
}

/**
 * Checks what the caller passed to `buy`/`sell` and throws `InvalidInputError` for anything
 * malformed: a pair not shaped `BASE-QUOTE`, an unknown order type, an amount or price that is not
 * a positive finite decimal (a string in exponent notation included: `'1e-8'` is refused, write
 * `'0.00000001'`), a limit order without a price. A price given with a MARKET order is checked,
 * then ignored.
 *
 * @example
 * parseOrderRequest('BUY', 'BTC-USDT', '0.01', 'LIMIT', '30000').price?.toFixed() // '30000'
 */
export function parseOrderRequest(
  tradeType: TradeType,
  tradingPair: string,
  amount: DecimalInput,
  orderType: unknown,
  price: DecimalInput | undefined,
): OrderRequest {
  if (typeof tradingPair !== 'string') throw new InvalidInputError(`a trading pair must be a string, got ${typeof tradingPair}`)
  splitTradingPair(tradingPair)
  if (!isOrderType(orderType)) {
    throw new InvalidInputError(`unknown order type ${describeInput(orderType)}; use LIMIT, LIMIT_MAKER or MARKET`)
  }
  const parsedAmount = orderDecimal(amount, 'amount')
  const parsedPrice = price === undefined ? undefined : orderDecimal(price, 'price')
  if (!isLimitOrderType(orderType)) return { tradeType, tradingPair, orderType, amount: parsedAmount, price: undefined }
  if (parsedPrice === undefined) throw new InvalidInputError(`a ${orderType} order needs a price`)
  return { tradeType, tradingPair, orderType, amount: parsedAmount, price: parsedPrice }
}

/** Plain decimal text only: an exponent could be any size (`'1e999999999'`), and the wire wants none. */
const EXPONENT = /e/i

function orderDecimal(input: DecimalInput, what: string): Big {
  if (typeof input === 'string' && EXPONENT.test(input)) {
    throw new InvalidInputError(`${what} must be plain decimal text without an exponent, got ${describeInput(input)}`)
  }
  const value = toDecimal(input, what)
  if (value.lte(0)) throw new InvalidInputError(`${what} must be above zero, got ${describeInput(input)}`)
  return value
}

/**
 * The order to track, with the amount and limit price exactly as asked: one off the rule's grid
 * fails its checks before sending rather than being rounded.
 */
export function newInFlightOrder(clientOrderId: string, request: OrderRequest, creationTimestamp: number): InFlightOrder {
  const { amount, price } = request
  return new InFlightOrder({
    clientOrderId,
    tradingPair: request.tradingPair,
    orderType: request.orderType,
    tradeType: request.tradeType,
    amount,
    ...(price === undefined ? {} : { price }),
    creationTimestamp,
  })
}

/** What the checks before sending need to know about the exchange at that moment. */
export interface PlacementConditions {
  readonly isRunning: boolean
  readonly supportedOrderTypes: readonly OrderType[]
  readonly rule: TradingRule | undefined
  /** The price a MARKET order would meet in the book (best ask for a buy, best bid for a sell). */
  readonly bookPrice: () => Big | undefined
}

export interface CheckFailure {
  readonly errorType: string
  readonly errorMessage: string
}

/** The first reason not to send `order`, or undefined when it may go. */
export function findPreSendProblem(order: InFlightOrder, conditions: PlacementConditions): CheckFailure | undefined {
  const pair = order.tradingPair
  if (!conditions.isRunning) {
    return failure('notRunning', 'the exchange is not running: start() it before placing orders')
  }
  if (!conditions.supportedOrderTypes.includes(order.orderType)) {
    return failure('unsupportedOrderType', `${order.orderType} orders are not supported by this exchange`)
  }
  const rule = conditions.rule
  if (rule === undefined) {
    return failure('missingTradingRule', `no trading rule for ${pair}: the exchange does not list it, or its rules have not loaded yet`)
  }
  let price = order.price
  if (price !== undefined && !isMultipleOf(price, rule.minPriceIncrement)) {
    return failure('tradingRuleViolation', `price ${price.toFixed()} is not on the ${rule.minPriceIncrement.toFixed()} tick of ${pair}`)
  }
  if (!isMultipleOf(order.amount, rule.minBaseAmountIncrement)) {
    const step = rule.minBaseAmountIncrement.toFixed()
    return failure('tradingRuleViolation', `amount ${order.amount.toFixed()} is not a multiple of the ${step} step of ${pair}`)
  }
  // A MARKET order only needs a reference price when there is a notional bound to check.
  const hasNotionalBound =
    (rule.applyMinNotionalToMarket && rule.minNotionalSize.gt(0)) ||
    (rule.applyMaxNotionalToMarket && rule.maxNotionalSize !== undefined)
  if (price === undefined && hasNotionalBound) {
    price = conditions.bookPrice()
    if (price === undefined) {
      const side = order.tradeType === 'BUY' ? 'asks' : 'bids'
      return failure('noReferencePrice', `cannot check the notional of a MARKET order on ${pair}: the order book has no ${side}`)
    }
  }
  const violation = findTradingRuleViolation(rule, {
    orderType: order.orderType,
    amount: order.amount,
    ...(price === undefined ? {} : { price }),
  })
  return violation === undefined ? undefined : failure('tradingRuleViolation', violation)
}

function failure(kind: keyof typeof ORDER_CHECK_FAILURE, errorMessage: string): CheckFailure {
  return { errorType: ORDER_CHECK_FAILURE[kind], errorMessage }
}

/** A FAILED update for an order of ours. */
export function failedUpdate(order: InFlightOrder, timestamp: number, reason: CheckFailure): OrderUpdate {
  return {
    clientOrderId: order.clientOrderId,
    tradingPair: order.tradingPair,
    updateTimestamp: timestamp,
    newState: 'FAILED',
    errorMessage: reason.errorMessage,
    errorType: reason.errorType,
  }
}

/**
 * Checks, then sends a tracked order and applies the answer. Never rejects: a definite refusal fails
 * the order (orderFailure), an unknown outcome is reported on `error` and the order stays tracked
 * for status polling and the user stream to settle. A stop (signal) leaves it tracked as it is.
 */
export async function placeTrackedOrder(
  context: OrderFlowContext,
  order: InFlightOrder,
  conditions: () => PlacementConditions,
  signal: AbortSignal,
): Promise<void> {
  // Let buy()/sell() hand out the client id before any event about the order is emitted.
  await Promise.resolve()
  const { tracker, clock } = context
  const problem = findPreSendProblem(order, conditions())
  if (problem !== undefined) {
    await tracker.processOrderUpdate(failedUpdate(order, clock.now(), problem))
    return
  }
  const id = order.clientOrderId
  context.placing.add(id)
  try {
    const placed = await context.calls.placeOrder(order, signal)
    context.placing.delete(id)
    await tracker.processOrderUpdate({
      clientOrderId: id,
      tradingPair: order.tradingPair,
      updateTimestamp: placed.updateTimestamp,
      newState: 'OPEN',
      exchangeOrderId: String(placed.exchangeOrderId),
    })
  } catch (error) {
    context.placing.delete(id)
    if (signal.aborted) return
    if (isDefiniteRejection(error)) {
      const { message, name } = error as Error
      await tracker.processOrderUpdate(failedUpdate(order, clock.now(), { errorMessage: message, errorType: name }))
    } else {
      context.report(`placing order ${id} (outcome unknown; it stays tracked and is reconciled by its client id)`, error)
    }
  }
}
