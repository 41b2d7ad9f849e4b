// One exchange stream for a room: `watchOrderBook` keeps the book (sequence checks, gap → resync,
// reconnects) with the core's tracker; this turns its callbacks into what the room fans out.
import { watchOrderBook, type OrderBookWatch, type WatchOrderBookOptions } from '../../connectors/binance/watch-order-book.ts'
import type { OrderBookStatus, OrderBookView } from '../../core/order-book/order-book-view.ts'
import { diffLevels, publishBook, type PublishedBook, type WireLevel } from './levels.ts'

/** What the feed reports, in order; the room numbers each one with its `seq`. */
export type FeedEvent =
  /** The book is live (first sync or after a resync): viewers replace their book with `book`. */
  | { readonly type: 'snapshot'; readonly book: PublishedBook }
  /** Levels that changed since the last event; amount "0" removes a level. */
  | { readonly type: 'update'; readonly updateId: number; readonly bids: WireLevel[]; readonly asks: WireLevel[] }
  /** The book left `live`: viewers keep their book only as a hint until the next snapshot. */
  | { readonly type: 'status'; readonly status: OrderBookStatus }

export interface BookFeedOptions {
  readonly tradingPair: string
  readonly urls: { readonly rest: string; readonly ws: string }
  /** Levels per side the room publishes (the snapshot route's largest depth). */
  readonly depth: number
  readonly onEvent: (event: FeedEvent) => void
  readonly onError?: (error: Error) => void
  /** Default: spotwire's `watchOrderBook` (tests may inject another). */
  readonly watch?: (options: WatchOrderBookOptions) => OrderBookWatch
}

export class BookFeed {
  readonly #options: BookFeedOptions
  readonly #watch: OrderBookWatch
  /** The book as last published; `undefined` whenever it is not live. */
  #published: PublishedBook | undefined
  #status: OrderBookStatus = 'syncing'
  #stopped = false
  readonly #liveWaiters = new Set<(book: PublishedBook | undefined) => void>()

  constructor(options: BookFeedOptions) {
    this.#options = options
    const watch = options.watch ?? watchOrderBook
    this.#watch = watch({
      tradingPair: options.tradingPair,
      urls: { rest: options.urls.rest, ws: options.urls.ws },
      onUpdate: (book) => this.#onUpdate(book),
      onStatusChange: (status) => this.#onStatusChange(status),
      ...(options.onError ? { onError: options.onError } : {}),
    })
  }

  get status(): OrderBookStatus {
    return this.#status
  }

  /** The book as viewers hold it after the last event, while live. */
  get published(): PublishedBook | undefined {
    return this.#published
  }

  /** Resolves with the live book, at once or when it gets live; `undefined` after `timeoutMs` or `stop()`. */
  whenLive(timeoutMs: number): Promise<PublishedBook | undefined> {
    if (this.#published || this.#stopped) return Promise.resolve(this.#published)
    return new Promise((resolve) => {
      const done = (book: PublishedBook | undefined): void => {
        clearTimeout(timer)
        this.#liveWaiters.delete(done)
        resolve(book)
      }
      const timer = setTimeout(() => done(undefined), timeoutMs)
      this.#liveWaiters.add(done)
    })
  }

  /** Closes the exchange socket and every timer; no event follows. Idempotent. */
  stop(): void {
    if (this.#stopped) return
    this.#stopped = true
    this.#watch.stop()
    this.#published = undefined
    for (const done of [...this.#liveWaiters]) done(undefined)
  }

  #onStatusChange(status: OrderBookStatus): void {
    // `live` is announced by the snapshot `onUpdate` that follows, with the book itself.
    if (this.#stopped || status === 'live') return
    this.#status = status
    this.#published = undefined
    this.#options.onEvent({ type: 'status', status })
  }

  #onUpdate(book: OrderBookView): void {
    if (this.#stopped || book.status !== 'live') return
    const next = publishBook(book, this.#options.depth)
    const previous = this.#published
    this.#published = next
    this.#status = 'live'
    if (!previous) {
      this.#options.onEvent({ type: 'snapshot', book: next })
      for (const done of [...this.#liveWaiters]) done(next)
      return
    }
    const bids = diffLevels(previous.bids, next.bids)
    const asks = diffLevels(previous.asks, next.asks)
    if (bids.length === 0 && asks.length === 0 && next.updateId === previous.updateId) return
    this.#options.onEvent({ type: 'update', updateId: next.updateId, bids, asks })
  }
}
