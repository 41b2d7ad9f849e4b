// The public-data path (DESIGN.md "Public API"): one live Binance book, no keys, no exchange info.
// It imports only the order-book and web parts of the core and the connector's market-data files,
// so a dashboard that watches a book never bundles the trading code (rule 8).
import { describeInput, InvalidInputError } from '../../core/errors.ts'
import { OrderBookTracker } from '../../core/order-book/order-book-tracker.ts'
import type { OrderBookStatus, OrderBookView } from '../../core/order-book/order-book-view.ts'
import { RestAssistant } from '../../core/web/rest-assistant.ts'
import type { WebSocketFactory } from '../../core/web/ws-connection.ts'
import { BinanceOrderBookDataSource } from './api-order-book-data-source.ts'
import { type BinanceDomain, type BinanceUrls, DEFAULT_URLS } from './constants.ts'

export interface WatchOrderBookOptions {
  /** `BASE-QUOTE`, e.g. `'BTC-USDT'`; the Binance symbol is the pair without the dash. */
  readonly tradingPair: string
  /** Per-key overrides of the domain's URLs (a simulator, a proxy). Only `rest` and `ws` are used. */
  readonly urls?: Partial<BinanceUrls>
  /** Default `'com'`. */
  readonly domain?: BinanceDomain
  /** Aborting it stops the watch, like `stop()`. */
  readonly signal?: AbortSignal
  /** Runs after the snapshot is applied and after each diff message applied. */
  readonly onUpdate?: (book: OrderBookView) => void
  /**
   * Runs when `book.status` changes, before the `onUpdate` of the snapshot that makes it live; a
   * book going stale (a gap, a lost socket) calls only this, since nothing was applied.
   */
  readonly onStatusChange?: (status: OrderBookStatus, book: OrderBookView) => void
  /** Levels per side in the REST snapshot (1–5000). Default 1000. */
  readonly depth?: number
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch
  /** Default: the platform's WebSocket. */
  readonly socketFactory?: WebSocketFactory
  /** Reconnects, resyncs after gaps, malformed payloads, failed snapshots: none of them stops the watch. */
  readonly onError?: (error: Error) => void
}

export interface OrderBookWatch {
  /** The live book: the same view `ex.orderBook(pair)` gives; its `status` says whether to trust it. */
  readonly book: OrderBookView
  /** Closes the socket and every timer and request. Idempotent. */
  stop(): void
}

const TRADING_PAIR = /^([A-Z0-9]+)-([A-Z0-9]+)$/

/**
 * Watches one Binance order book: REST snapshot, then the `<symbol>@depth@100ms` stream, resynced
 * after every gap or reconnect. Nothing is left running after `stop()` or an aborted `signal`.
 *
 * @example
 * const watch = watchOrderBook({ tradingPair: 'BTC-USDT', onUpdate: (book) => render(book.bids(10), book.asks(10)) })
 * // later
 * watch.stop()
 */
export function watchOrderBook(options: WatchOrderBookOptions): OrderBookWatch {
  // Checked here (compactly: this is the dashboard bundle), so that a bad option is an error at
  // once rather than a failing request or a TypeError later.
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('watchOrderBook needs an options object')
  const { tradingPair, signal } = options
  const match = typeof tradingPair === 'string' ? TRADING_PAIR.exec(tradingPair) : null
  if (!match) throw new InvalidInputError(`tradingPair must look like BTC-USDT, got ${describeInput(tradingPair)}`)
  const symbol = `${match[1]}${match[2]}`
  const domain = options.domain ?? 'com'
  const urls = { ...DEFAULT_URLS[domain], ...options.urls }
  if (!Object.hasOwn(DEFAULT_URLS, domain) || !URL.canParse(urls.rest) || !URL.canParse(urls.ws)) {
    throw new InvalidInputError("domain must be 'com', 'us' or 'testnet', and urls.rest and urls.ws absolute URLs")
  }
  for (const value of [options.onUpdate, options.onStatusChange, options.onError, options.fetch, options.socketFactory, signal && (signal.addEventListener ?? null)]) {
    if (value !== undefined && typeof value !== 'function') throw new InvalidInputError('callbacks must be functions, and signal an AbortSignal')
  }

  // No throttler: one book asks for a snapshot only on a resync, with the tracker's backoff between
  // failures, and the throttler would add about a tenth to the bundle.
  const rest = new RestAssistant({ baseUrl: urls.rest, ...(options.fetch ? { fetch: options.fetch } : {}) })
  const source = new BinanceOrderBookDataSource({
    rest,
    wsUrl: urls.ws,
    toExchangeSymbol: () => symbol,
    toTradingPair: (received) => (received === symbol ? tradingPair : undefined),
    tradingPairs: [tradingPair],
    trades: false,
    ...(options.depth === undefined ? {} : { snapshotDepth: options.depth }),
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
  })
  const tracker = new OrderBookTracker({ source, tradingPairs: [tradingPair] })
  source.attach(tracker)
  const onError = options.onError
  if (onError) {
    source.on('error', onError)
    tracker.on('error', onError)
  }
  if (options.onUpdate) tracker.onUpdate(tradingPair, options.onUpdate)
  const book = tracker.orderBook(tradingPair) as OrderBookView
  const onStatusChange = options.onStatusChange
  if (onStatusChange) tracker.on('status', (change) => onStatusChange(change.status, book))

  const running = new AbortController()
  const stop = (): void => {
    if (running.signal.aborted) return
    signal?.removeEventListener('abort', stop)
    running.abort()
    tracker.stop()
    source.removeAllListeners()
    tracker.removeAllListeners()
  }
  if (signal?.aborted) {
    stop()
    return { book, stop }
  }
  signal?.addEventListener('abort', stop, { once: true })
  tracker.start()
  void source.listenForSubscriptions(running.signal)
  return { book, stop }
}
