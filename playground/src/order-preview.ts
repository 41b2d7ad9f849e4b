// What the order ticket would send, worked out before sending: the amount and price brought onto
// the trading rule's grid (rounded toward zero, as the library does), and every reason the
// exchange would refuse it, in words. Pure: no DOM, so it reads (and could be tested) on its own.
import {
  type Big,
  findTradingRuleViolation,
  formatOrderAmount,
  formatOrderPrice,
  quantizeOrderAmount,
  quantizeOrderPrice,
  splitTradingPair,
  type TradingRule,
  tryDecimal,
} from 'spotwire'

export type TicketOrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET'

export interface TicketInput {
  readonly tradingPair: string
  readonly side: 'BUY' | 'SELL'
  readonly orderType: TicketOrderType
  readonly amountText: string
  readonly priceText: string
  /** The rule, or undefined when the endpoint does not publish one (the edge router checks it). */
  readonly rule: TradingRule | undefined
  readonly bestBid: number | undefined
  readonly bestAsk: number | undefined
  /** Free balance of an asset as a decimal string, undefined when unknown. */
  readonly available: (asset: string) => string | undefined
}

export interface TicketPreview {
  /** What would be sent; present only when nothing blocks the order. */
  readonly order: { readonly amount: string; readonly price: string | undefined } | undefined
  /** Why it cannot be sent (empty when it can). */
  readonly problems: readonly string[]
  /** What changed or deserves a look, but does not block (rounding, an estimated notional). */
  readonly notes: readonly string[]
}

export function previewOrder(input: TicketInput): TicketPreview {
  const problems: string[] = []
  const notes: string[] = []
  const { baseAsset, quoteAsset } = splitTradingPair(input.tradingPair)
  const isMarket = input.orderType === 'MARKET'
  const rule = input.rule

  const enteredAmount = parsePositive(input.amountText, 'amount', problems)
  const enteredPrice = isMarket ? undefined : parsePositive(input.priceText, 'price', problems)
  if (isMarket && input.priceText.trim() !== '') notes.push('price is not used for MARKET orders (they take the book)')

  let amount = enteredAmount
  let price = enteredPrice
  let amountText = enteredAmount?.toFixed()
  let priceText = enteredPrice?.toFixed()
  if (rule && enteredAmount) {
    amount = quantizeOrderAmount(rule, enteredAmount)
    amountText = formatOrderAmount(rule, enteredAmount)
    if (!amount.eq(enteredAmount)) notes.push(`amount rounded down to the step ${rule.minBaseAmountIncrement.toFixed()}: ${amountText}`)
  }
  if (rule && enteredPrice) {
    price = quantizeOrderPrice(rule, enteredPrice)
    priceText = formatOrderPrice(rule, enteredPrice)
    if (!price.eq(enteredPrice)) notes.push(`price rounded down to the tick ${rule.minPriceIncrement.toFixed()}: ${priceText}`)
  }
  if (amount && amount.lte(0) && enteredAmount?.gt(0)) problems.push(`amount ${enteredAmount.toFixed()} is below one step (${rule?.minBaseAmountIncrement.toFixed()})`)
  if (price && price.lte(0) && enteredPrice?.gt(0)) problems.push(`price ${enteredPrice.toFixed()} is below one tick (${rule?.minPriceIncrement.toFixed()})`)

  // A MARKET order's notional is estimated from the side of the book it takes.
  const bookPrice = input.side === 'BUY' ? input.bestAsk : input.bestBid
  const referencePrice = isMarket ? (bookPrice === undefined ? undefined : tryDecimal(String(bookPrice))) : price
  if (isMarket && referencePrice === undefined) problems.push(`the book has no ${input.side === 'BUY' ? 'asks' : 'bids'} to take`)

  if (rule && amount && amount.gt(0) && problems.length === 0) {
    const violation = findTradingRuleViolation(rule, { orderType: input.orderType, amount, ...(referencePrice ? { price: referencePrice } : {}) })
    if (violation) problems.push(violation)
  }
  if (input.orderType === 'LIMIT_MAKER' && price) {
    const crosses = input.side === 'BUY' ? input.bestAsk !== undefined && price.gte(input.bestAsk) : input.bestBid !== undefined && price.lte(input.bestBid)
    if (crosses) problems.push(`a LIMIT_MAKER ${input.side === 'BUY' ? 'buy at or above the best ask' : 'sell at or below the best bid'} would take liquidity; the exchange rejects it`)
  }

  if (amount && referencePrice && problems.length === 0) {
    const notional = amount.times(referencePrice)
    notes.push(`${isMarket ? '≈ ' : ''}${notional.round(8).toFixed()} ${quoteAsset}`)
    const [asset, needed] = input.side === 'BUY' ? [quoteAsset, notional] : [baseAsset, amount]
    const free = input.available(asset)
    if (free !== undefined && needed.gt(free)) {
      const message = `needs ${needed.round(8).toFixed()} ${asset}, ${free} available`
      if (isMarket) notes.push(`${message} (estimate)`)
      else problems.push(message)
    }
  }

  const order = problems.length === 0 && amountText !== undefined ? { amount: amountText, price: isMarket ? undefined : priceText } : undefined
  return { order, problems, notes }
}

function parsePositive(text: string, what: string, problems: string[]): Big | undefined {
  const trimmed = text.trim()
  if (trimmed === '') {
    problems.push(`enter an ${what}`.replace('an price', 'a price'))
    return undefined
  }
  const value = /^\d*\.?\d+$|^\d+\.$/.test(trimmed) ? tryDecimal(trimmed) : undefined
  if (value === undefined) {
    problems.push(`${what} "${trimmed}" is not a plain decimal number (digits and one dot)`)
    return undefined
  }
  if (value.lte(0)) {
    problems.push(`${what} must be above zero`)
    return undefined
  }
  return value
}
