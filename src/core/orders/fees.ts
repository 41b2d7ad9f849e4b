// Trading fees: what an exchange charges (the schema) and what one trade was charged (TradeFee).
// A fee is either added to the cost of an order (you pay more quote than price × amount) or
// deducted from its returns (you receive less than you bought or sold). Amounts are exact `Big`s;
// converting between tokens needs the trade's own price or a rate the caller supplies: there is
// no price oracle here.
import { type Big, type DecimalInput, toDecimal, ZERO } from '../decimal.ts'
import { InvalidInputError } from '../errors.ts'
import type { TradeType } from './order-state.ts'
import { splitTradingPair } from './trading-pair.ts'

/** An amount of one token. */
export interface TokenAmount {
  readonly token: string
  readonly amount: Big
}

/** What an exchange charges. Percent fees are fractions: `0.001` means 0.1 %. */
export interface TradeFeeSchema {
  /** The token percent fees are charged in when it is neither side of the pair (e.g. BNB). */
  readonly percentFeeToken: string | undefined
  readonly makerPercentFeeDecimal: Big
  readonly takerPercentFeeDecimal: Big
  /** Buys pay their percent fee out of the base they receive (Binance) rather than in extra quote. */
  readonly buyPercentFeeDeductedFromReturns: boolean
  readonly makerFixedFees: readonly TokenAmount[]
  readonly takerFixedFees: readonly TokenAmount[]
}

export interface TradeFeeSchemaInput {
  readonly percentFeeToken?: string
  readonly makerPercentFeeDecimal?: DecimalInput
  readonly takerPercentFeeDecimal?: DecimalInput
  readonly buyPercentFeeDeductedFromReturns?: boolean
  readonly makerFixedFees?: readonly TokenAmountInput[]
  readonly takerFixedFees?: readonly TokenAmountInput[]
}

export interface TokenAmountInput {
  readonly token: string
  readonly amount: DecimalInput
}

/** `addedToCost`: the buyer pays the fee on top. `deductedFromReturns`: the proceeds shrink. */
export type FeeKind = 'addedToCost' | 'deductedFromReturns'

/**
 * Conversion rates keyed `FROM-TO`: `{ 'BNB-USDT': '600' }` means 1 BNB is worth 600 USDT. A rate
 * also converts the other way (TO→FROM divides by it).
 */
export type ConversionRates = Readonly<Record<string, DecimalInput>>

/** The trade a fee belongs to, for converting it into a token. */
export interface FeeTradeContext {
  readonly tradingPair: string
  readonly price: Big
  /** Base amount traded. */
  readonly amount: Big
  readonly rates?: ConversionRates
}

export interface TradeFeeJSON {
  readonly kind: FeeKind
  readonly percent: string
  readonly percentToken: string | null
  readonly flatFees: ReadonlyArray<{ readonly token: string; readonly amount: string }>
}

function toTokenAmounts(fees: readonly TokenAmountInput[] | undefined, what: string): TokenAmount[] {
  return (fees ?? []).map((fee) => ({ token: fee.token, amount: toDecimal(fee.amount, what) }))
}

/**
 * Builds a fee schema with zero defaults, checking that a percent-fee token is not combined with
 * buy fees deducted from returns (a fee in a third token cannot come out of the base received).
 *
 * @example
 * const binanceDefault = createTradeFeeSchema({
 *   makerPercentFeeDecimal: '0.001', takerPercentFeeDecimal: '0.001', buyPercentFeeDeductedFromReturns: true,
 * })
 */
export function createTradeFeeSchema(input: TradeFeeSchemaInput = {}): TradeFeeSchema {
  const deducted = input.buyPercentFeeDeductedFromReturns ?? false
  if (input.percentFeeToken !== undefined && deducted) {
    throw new InvalidInputError(
      `a fee schema charging percent fees in ${input.percentFeeToken} cannot also deduct buy fees from returns`,
    )
  }
  return {
    percentFeeToken: input.percentFeeToken,
    makerPercentFeeDecimal: toDecimal(input.makerPercentFeeDecimal ?? 0, 'makerPercentFeeDecimal'),
    takerPercentFeeDecimal: toDecimal(input.takerPercentFeeDecimal ?? 0, 'takerPercentFeeDecimal'),
    buyPercentFeeDeductedFromReturns: deducted,
    makerFixedFees: toTokenAmounts(input.makerFixedFees, 'makerFixedFees amount'),
    takerFixedFees: toTokenAmounts(input.takerFixedFees, 'takerFixedFees amount'),
  }
}

/**
 * How a spot trade's fee is booked: a BUY is added to its cost unless the schema deducts buy fees
 * from returns and has no percent-fee token; every SELL is deducted from its returns.
 *
 * @example
 * spotFeeKind(createTradeFeeSchema({ buyPercentFeeDeductedFromReturns: true }), 'BUY') // 'deductedFromReturns'
 */
export function spotFeeKind(schema: TradeFeeSchema, tradeType: TradeType): FeeKind {
  const buyAddsToCost = !schema.buyPercentFeeDeductedFromReturns || schema.percentFeeToken !== undefined
  return tradeType === 'BUY' && buyAddsToCost ? 'addedToCost' : 'deductedFromReturns'
}

/**
 * Converts `amount` of `from` into `to` using the trade's price for its own pair, else a supplied
 * rate (either direction). Throws `InvalidInputError` when no route is known.
 */
export function convertTokenAmount(amount: Big, from: string, to: string, trade: FeeTradeContext): Big {
  if (from === to) return amount
  const { baseAsset, quoteAsset } = splitTradingPair(trade.tradingPair)
  if (from === baseAsset && to === quoteAsset) return amount.times(trade.price)
  if (from === quoteAsset && to === baseAsset) {
    if (trade.price.eq(0)) throw new InvalidInputError(`cannot convert ${from} to ${to} at a zero price`)
    return amount.div(trade.price)
  }
  const direct = trade.rates?.[`${from}-${to}`]
  if (direct !== undefined) return amount.times(toDecimal(direct, `rate ${from}-${to}`))
  const inverse = trade.rates?.[`${to}-${from}`]
  if (inverse !== undefined) {
    const rate = toDecimal(inverse, `rate ${to}-${from}`)
    if (rate.eq(0)) throw new InvalidInputError(`the rate ${to}-${from} is zero`)
    return amount.div(rate)
  }
  throw new InvalidInputError(`no rate to convert ${from} to ${to}; pass one as rates['${from}-${to}']`)
}

/** The fee charged on one trade: a percent of its notional and/or flat amounts of tokens. */
export class TradeFee {
  readonly kind: FeeKind
  /** A fraction of the notional: `0.001` is 0.1 %. */
  readonly percent: Big
  /** Set only when the percent fee is charged in a token outside the pair (e.g. BNB). */
  readonly percentToken: string | undefined
  readonly flatFees: readonly TokenAmount[]

  constructor(kind: FeeKind, options: { percent?: DecimalInput; percentToken?: string; flatFees?: readonly TokenAmountInput[] } = {}) {
    this.kind = kind
    this.percent = toDecimal(options.percent ?? 0, 'fee percent')
    this.percentToken = options.percentToken
    this.flatFees = Object.freeze(toTokenAmounts(options.flatFees, 'flat fee amount'))
  }

  /**
   * A spot trade's fee, booked per `spotFeeKind`. Exchanges that report the charged commission
   * (Binance `n`/`N`) pass it as a flat fee.
   *
   * @example
   * TradeFee.spot(schema, 'SELL', { flatFees: [{ token: 'USDT', amount: '0.03' }] })
   */
  static spot(
    schema: TradeFeeSchema,
    tradeType: TradeType,
    options: { percent?: DecimalInput; percentToken?: string; flatFees?: readonly TokenAmountInput[] } = {},
  ): TradeFee {
    return new TradeFee(spotFeeKind(schema, tradeType), options)
  }

  /**
   * The fee a schema predicts for a trade before it happens (maker or taker rate and fixed fees).
   *
   * @example
   * TradeFee.estimate(schema, 'BUY', { isMaker: false }).percent.toFixed() // '0.001'
   */
  static estimate(schema: TradeFeeSchema, tradeType: TradeType, options: { isMaker: boolean }): TradeFee {
    const percentToken = schema.percentFeeToken
    return TradeFee.spot(schema, tradeType, {
      percent: options.isMaker ? schema.makerPercentFeeDecimal : schema.takerPercentFeeDecimal,
      ...(percentToken === undefined ? {} : { percentToken }),
      flatFees: options.isMaker ? schema.makerFixedFees : schema.takerFixedFees,
    })
  }

  /** The token the fee is reported in: the percent token, else the first flat fee's token. */
  get feeAsset(): string | undefined {
    return this.percentToken ?? this.flatFees[0]?.token
  }

  /**
   * The whole fee of a trade expressed in `token`: the percent part (price × amount × percent, a
   * quote value) plus every flat fee, converted by the trade's price or by `rates`.
   * Throws `InvalidInputError` when a part needs a rate that was not given.
   *
   * @example
   * fee.amountInToken('USDT', { tradingPair: 'BTC-USDT', price: toDecimal('30000'), amount: toDecimal('0.1') })
   */
  amountInToken(token: string, trade: FeeTradeContext): Big {
    const { quoteAsset } = splitTradingPair(trade.tradingPair)
    let total = ZERO
    if (!this.percent.eq(0)) {
      const quoteValue = trade.price.times(trade.amount).times(this.percent)
      total = total.plus(convertTokenAmount(quoteValue, quoteAsset, token, trade))
    }
    for (const flat of this.flatFees) total = total.plus(convertTokenAmount(flat.amount, flat.token, token, trade))
    return total
  }

  /** True when both fees charge the same, the same way. */
  equals(other: TradeFee): boolean {
    return (
      this.kind === other.kind &&
      this.percent.eq(other.percent) &&
      this.percentToken === other.percentToken &&
      this.flatFees.length === other.flatFees.length &&
      this.flatFees.every((fee, index) => {
        const theirs = other.flatFees[index]
        return theirs !== undefined && theirs.token === fee.token && theirs.amount.eq(fee.amount)
      })
    )
  }

  toJSON(): TradeFeeJSON {
    return {
      kind: this.kind,
      percent: this.percent.toFixed(),
      percentToken: this.percentToken ?? null,
      flatFees: this.flatFees.map((fee) => ({ token: fee.token, amount: fee.amount.toFixed() })),
    }
  }

  /**
   * Reads a fee written by `toJSON`; throws `InvalidInputError` when it is malformed.
   *
   * @example
   * TradeFee.fromJSON(JSON.parse(JSON.stringify(fee))).equals(fee) // true
   */
  static fromJSON(json: TradeFeeJSON): TradeFee {
    if (json === null || typeof json !== 'object') throw new InvalidInputError('a trade fee must be an object')
    if (json.kind !== 'addedToCost' && json.kind !== 'deductedFromReturns') {
      throw new InvalidInputError(`unknown fee kind ${JSON.stringify(json.kind)}`)
    }
    if (!Array.isArray(json.flatFees)) throw new InvalidInputError('a trade fee needs a flatFees list')
    const flatFees = json.flatFees.map((fee) => {
      if (typeof fee?.token !== 'string') throw new InvalidInputError('a flat fee needs a token')
      return { token: fee.token, amount: toDecimal(fee.amount, 'flat fee amount') }
    })
    return new TradeFee(json.kind, {
      percent: json.percent,
      ...(typeof json.percentToken === 'string' ? { percentToken: json.percentToken } : {}),
      flatFees,
    })
  }
}
