// The read-only face of a tracked book: what `ex.orderBook(pair)` and `watchOrderBook` hand out.
// It reads through to the tracker's book, so one view stays valid across resyncs.
import type { BookWalkResult, OrderBook, OrderBookRow, ReadonlyOrderBook } from './order-book.ts'
import type { TakerSide } from './order-book-message.ts'

/**
 * - `'syncing'`: no snapshot applied yet; the book is empty.
 * - `'live'`: snapshot plus every diff since, in sequence.
 * - `'stale'`: the book holds old data (a gap was seen, the pair was removed or the tracker
 *   stopped); a resync is under way while the tracker runs.
 */
export type OrderBookStatus = 'syncing' | 'live' | 'stale'

export interface OrderBookView extends ReadonlyOrderBook {
  readonly tradingPair: string
  readonly status: OrderBookStatus
}

/** The tracker-side state a view reads through. */
export interface ViewSource {
  readonly book: OrderBook
  readonly status: OrderBookStatus
}

export class TrackedOrderBookView implements OrderBookView {
  readonly tradingPair: string
  readonly #source: ViewSource

  constructor(tradingPair: string, source: ViewSource) {
    this.tradingPair = tradingPair
    this.#source = source
  }

  get status(): OrderBookStatus {
    return this.#source.status
  }

  bids(depth?: number): readonly OrderBookRow[] {
    return this.#source.book.bids(depth)
  }

  asks(depth?: number): readonly OrderBookRow[] {
    return this.#source.book.asks(depth)
  }

  get bestBid(): OrderBookRow | null {
    return this.#source.book.bestBid
  }

  get bestAsk(): OrderBookRow | null {
    return this.#source.book.bestAsk
  }

  get bidCount(): number {
    return this.#source.book.bidCount
  }

  get askCount(): number {
    return this.#source.book.askCount
  }

  get lastUpdateId(): number {
    return this.#source.book.lastUpdateId
  }

  get snapshotUpdateId(): number {
    return this.#source.book.snapshotUpdateId
  }

  get lastTradePrice(): number | null {
    return this.#source.book.lastTradePrice
  }

  get lastTradeTimestamp(): number | null {
    return this.#source.book.lastTradeTimestamp
  }

  priceForVolume(side: TakerSide, volume: number): BookWalkResult {
    return this.#source.book.priceForVolume(side, volume)
  }

  vwapForVolume(side: TakerSide, volume: number): BookWalkResult {
    return this.#source.book.vwapForVolume(side, volume)
  }

  priceForQuoteVolume(side: TakerSide, quoteVolume: number): BookWalkResult {
    return this.#source.book.priceForQuoteVolume(side, quoteVolume)
  }
}
