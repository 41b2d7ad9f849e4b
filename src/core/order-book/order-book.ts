// The exchange-neutral order book (the recipe's OrderBook). It only applies what it is given;
// sequence checks live in the tracker and the connector's data source (DESIGN.md).
//
// Decisions, once:
// - Rows hold numbers (DESIGN.md rule 2 allows it for books); each price and amount string is parsed
//   once (`parseDecimalNumber`, the same double `Number` gives). Quantizing and orders use `Big`.
// - Every update is all or nothing: levels are parsed and checked into a scratch buffer first, so a
//   bad value throws `InvalidInputError` with the book untouched.
// - Crossed book after diffs: while best bid >= best ask, the side whose best level is older
//   (smaller updateId) loses that level; on a tie the bid goes (Hummingbot's rule). A snapshot is
//   the exchange's own state and is applied as given.
// - `bids(n)` / `asks(n)` return a cached array until a change reaches those rows: treat the array
//   and its rows as read-only. Rows are never mutated, so a kept array stays a consistent snapshot.
import { describeInput, InvalidInputError } from '../errors.ts'
import { BookSide, type OrderBookRow } from './book-side.ts'
import { walkSide, type BookWalkResult } from './book-walk.ts'
import { parseDecimalNumber } from './decimal-number.ts'
import type { PriceLevelInput, TakerSide } from './order-book-message.ts'

export type { OrderBookRow } from './book-side.ts'
export type { BookWalkResult } from './book-walk.ts'

/** The reading half of a book: what views and watchers get. */
export interface ReadonlyOrderBook {
  /** The best `depth` bids (all when omitted), highest price first. Do not mutate the result. */
  bids(depth?: number): readonly OrderBookRow[]
  /** The best `depth` asks (all when omitted), lowest price first. Do not mutate the result. */
  asks(depth?: number): readonly OrderBookRow[]
  readonly bestBid: OrderBookRow | null
  readonly bestAsk: OrderBookRow | null
  /** Number of bid / ask levels held. */
  readonly bidCount: number
  readonly askCount: number
  /** The update id of the last snapshot or diff applied (0 before any). */
  readonly lastUpdateId: number
  /** The update id of the last snapshot applied (0 before any). */
  readonly snapshotUpdateId: number
  /** Price of the last trade applied, or `null`. */
  readonly lastTradePrice: number | null
  /** Timestamp (epoch ms) of the last trade applied, or `null`. */
  readonly lastTradeTimestamp: number | null
  priceForVolume(side: TakerSide, volume: number): BookWalkResult
  vwapForVolume(side: TakerSide, volume: number): BookWalkResult
  priceForQuoteVolume(side: TakerSide, quoteVolume: number): BookWalkResult
}

/** What `applyTrade` needs from a trade (an `OrderBookTradeMessage` fits). */
export interface TradeInput {
  readonly price: string | number
  readonly timestamp?: number
}

export class OrderBook implements ReadonlyOrderBook {
  readonly #bids = new BookSide(true)
  readonly #asks = new BookSide(false)
  #lastUpdateId = 0
  #snapshotUpdateId = 0
  #lastTradePrice: number | null = null
  #lastTradeTimestamp: number | null = null
  /** Parsed prices and amounts of the update being applied: bids first, then asks. */
  #scratchPrices = new Float64Array(64)
  #scratchAmounts = new Float64Array(64)

  /**
   * Replaces the whole book. Rows with amount 0 are skipped; rows need not be sorted.
   *
   * @example
   * book.applySnapshot([['100.5', '2']], [['101', '1.5']], 1027024)
   */
  applySnapshot(bids: readonly PriceLevelInput[], asks: readonly PriceLevelInput[], updateId: number): void {
    checkUpdateId(updateId)
    const bidCount = this.#parseLevels(bids, asks)
    this.#bids.replaceAll(this.#scratchPrices, this.#scratchAmounts, 0, bidCount, updateId)
    this.#asks.replaceAll(this.#scratchPrices, this.#scratchAmounts, bidCount, bidCount + asks.length, updateId)
    this.#snapshotUpdateId = updateId
    this.#lastUpdateId = updateId
  }

  /**
   * Sets each given level (inserting it if new); an amount of 0 removes the level. Then resolves
   * a crossed book (see the file header).
   *
   * @example
   * book.applyDiffs([['100.5', '0']], [['101', '3']], 1027025)
   */
  applyDiffs(bids: readonly PriceLevelInput[], asks: readonly PriceLevelInput[], updateId: number): void {
    checkUpdateId(updateId)
    const bidCount = this.#parseLevels(bids, asks)
    const total = bidCount + asks.length
    const prices = this.#scratchPrices
    const amounts = this.#scratchAmounts
    for (let index = 0; index < bidCount; index++) {
      this.#bids.set(prices[index] as number, amounts[index] as number, updateId)
    }
    for (let index = bidCount; index < total; index++) {
      this.#asks.set(prices[index] as number, amounts[index] as number, updateId)
    }
    this.#uncross()
    this.#lastUpdateId = updateId
  }

  /**
   * Records a public trade's price as the last trade price.
   *
   * @example
   * book.applyTrade({ price: '30000.01', timestamp: Date.now() })
   */
  applyTrade(trade: TradeInput): void {
    const price = parseDecimalNumber(trade.price)
    if (!(price > 0 && price < Infinity)) {
      throw new InvalidInputError(`trade price must be a positive number, got ${describeInput(trade.price)}`)
    }
    this.#lastTradePrice = price
    this.#lastTradeTimestamp = trade.timestamp ?? null
  }

  /** Empties both sides and forgets the update ids (the last trade price is kept). */
  clear(): void {
    this.#bids.clear()
    this.#asks.clear()
    this.#lastUpdateId = 0
    this.#snapshotUpdateId = 0
  }

  bids(depth: number = this.#bids.size): readonly OrderBookRow[] {
    return this.#bids.top(depth)
  }

  asks(depth: number = this.#asks.size): readonly OrderBookRow[] {
    return this.#asks.top(depth)
  }

  get bestBid(): OrderBookRow | null {
    return this.#bids.best
  }

  get bestAsk(): OrderBookRow | null {
    return this.#asks.best
  }

  get bidCount(): number {
    return this.#bids.size
  }

  get askCount(): number {
    return this.#asks.size
  }

  get lastUpdateId(): number {
    return this.#lastUpdateId
  }

  get snapshotUpdateId(): number {
    return this.#snapshotUpdateId
  }

  get lastTradePrice(): number | null {
    return this.#lastTradePrice
  }

  get lastTradeTimestamp(): number | null {
    return this.#lastTradeTimestamp
  }

  /**
   * The worst price a market order of `volume` (base) would reach. A buy walks the asks, a sell
   * the bids. When the side is too thin, fills what there is and sets `isComplete: false`.
   *
   * @example
   * book.priceForVolume('buy', 2) // { price: 101.5, filledVolume: 2, filledQuoteVolume: 202.5, isComplete: true }
   */
  priceForVolume(side: TakerSide, volume: number): BookWalkResult {
    return walkSide(this.#takenSide(side), volume, false, false)
  }

  /**
   * The volume-weighted average price of a market order of `volume` (base); thin books as in
   * `priceForVolume`. `filledQuoteVolume` is the quote amount for the base amount filled.
   *
   * @example
   * book.vwapForVolume('sell', 2).price // 100.25
   */
  vwapForVolume(side: TakerSide, volume: number): BookWalkResult {
    return walkSide(this.#takenSide(side), volume, false, true)
  }

  /**
   * The worst price a market order spending `quoteVolume` would reach, and the base it would fill.
   *
   * @example
   * book.priceForQuoteVolume('buy', 1000).filledVolume // base bought for 1000 quote
   */
  priceForQuoteVolume(side: TakerSide, quoteVolume: number): BookWalkResult {
    return walkSide(this.#takenSide(side), quoteVolume, true, false)
  }

  #takenSide(side: TakerSide): BookSide {
    return side === 'buy' ? this.#asks : this.#bids
  }

  #uncross(): void {
    const bids = this.#bids
    const asks = this.#asks
    // NaN (an empty side) fails the comparison, so an empty side never counts as crossed.
    while (bids.bestPrice >= asks.bestPrice) {
      if (bids.bestUpdateId > asks.bestUpdateId) asks.removeBest()
      else bids.removeBest()
    }
  }

  /** Parses both sides into the scratch buffers, checking every value; returns the bid count. */
  #parseLevels(bids: readonly PriceLevelInput[], asks: readonly PriceLevelInput[]): number {
    if (!Array.isArray(bids) || !Array.isArray(asks)) throw new InvalidInputError('bids and asks must be arrays')
    const total = bids.length + asks.length
    if (total > this.#scratchPrices.length) {
      const capacity = Math.max(total, this.#scratchPrices.length * 2)
      this.#scratchPrices = new Float64Array(capacity)
      this.#scratchAmounts = new Float64Array(capacity)
    }
    parseInto(bids, this.#scratchPrices, this.#scratchAmounts, 0, 'bids')
    parseInto(asks, this.#scratchPrices, this.#scratchAmounts, bids.length, 'asks')
    return bids.length
  }
}

function parseInto(
  levels: readonly PriceLevelInput[],
  prices: Float64Array,
  amounts: Float64Array,
  offset: number,
  sideName: string,
): void {
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index] as PriceLevelInput
    const price = parseDecimalNumber(level?.[0])
    const amount = parseDecimalNumber(level?.[1])
    if (!(price > 0 && price < Infinity && amount >= 0 && amount < Infinity)) {
      throw new InvalidInputError(
        `${sideName}[${index}] must be [positive price, non-negative amount], got ${describeInput(level)}`,
      )
    }
    prices[offset + index] = price
    amounts[offset + index] = amount
  }
}

function checkUpdateId(updateId: number): void {
  if (!Number.isFinite(updateId)) throw new InvalidInputError(`updateId must be a finite number, got ${updateId}`)
}
