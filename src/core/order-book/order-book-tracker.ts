// Keeps one live book per trading pair (the recipe's OrderBookTracker, with its quirks 1-3 fixed):
// buffers diffs until a snapshot, replays only the newer ones, checks every diff's sequence with
// the connector's rule, and on a gap marks the book stale and resyncs. It owns no socket: messages
// are pushed in with `handleMessage`, snapshots come from the source's `fetchSnapshot`.
import { asError, InvalidInputError, PayloadValidationError } from '../errors.ts'
import { EventEmitter } from '../events.ts'
import { OrderBook } from './order-book.ts'
import type {
  OrderBookDiffMessage,
  OrderBookMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from './order-book-message.ts'
import { findMessageProblem } from './order-book-message.ts'
import { TrackedOrderBookView, type OrderBookStatus, type OrderBookView } from './order-book-view.ts'
import type { DiffSequenceRule } from './sequence-rules.ts'
import { defaultSnapshotRetryDelay, syncSnapshot } from './snapshot-sync.ts'

/** Where snapshots and the sequence rule come from: a connector's data source, or a stub in tests. */
export interface OrderBookSnapshotSource {
  fetchSnapshot(tradingPair: string, signal: AbortSignal): Promise<OrderBookSnapshotMessage>
  readonly sequenceRule: DiffSequenceRule
}

export interface OrderBookTrackerOptions {
  readonly source: OrderBookSnapshotSource
  readonly tradingPairs?: readonly string[]
  /** Wait before snapshot attempt `attempt + 1` after attempt `attempt` failed. Default: 0.5 s doubling to 30 s. */
  readonly retryDelayMs?: (attempt: number) => number
  /** Diffs kept per pair while it waits for a snapshot (oldest dropped first). Default 1000. */
  readonly maxBufferedDiffs?: number
  /** Aborting it stops the tracker. */
  readonly signal?: AbortSignal
}

export interface OrderBookStatusChange {
  readonly tradingPair: string
  readonly status: OrderBookStatus
  readonly previous: OrderBookStatus
}

export interface OrderBookTrackerEvents {
  /** Snapshot failures (`SnapshotFetchError` from snapshot-sync.ts), malformed messages (`PayloadValidationError`), throwing callbacks. */
  error: Error
  status: OrderBookStatusChange
  /** After a snapshot (with its replayed diffs) and after each diff message applied. */
  update: OrderBookView
  /** A public trade of a tracked pair, once it has set the book's last trade price. */
  trade: OrderBookTradeMessage
}

type UpdateCallback = (book: OrderBookView) => void

class PairState {
  readonly book = new OrderBook()
  status: OrderBookStatus = 'syncing'
  /** Diffs waiting for a snapshot, oldest first. */
  buffer: OrderBookDiffMessage[] = []
  /** True until a diff has been applied on top of the latest snapshot. */
  awaitingFirstDiff = true
  /** Set while a snapshot fetch loop runs for this pair. */
  sync: AbortController | undefined
  readonly callbacks = new Set<UpdateCallback>()
  readonly view: TrackedOrderBookView
  constructor(readonly tradingPair: string) {
    this.view = new TrackedOrderBookView(tradingPair, this)
  }
}

type SnapshotOutcome = 'applied' | 'retry'

export class OrderBookTracker extends EventEmitter<OrderBookTrackerEvents> {
  readonly #source: OrderBookSnapshotSource
  readonly #retryDelayMs: (attempt: number) => number
  readonly #maxBufferedDiffs: number
  readonly #signal: AbortSignal | undefined
  readonly #pairs = new Map<string, PairState>()
  #state: 'idle' | 'running' | 'stopped' = 'idle'
  readonly #onAbort = (): void => this.stop()

  constructor(options: OrderBookTrackerOptions) {
    super()
    this.#source = options.source
    this.#retryDelayMs = options.retryDelayMs ?? defaultSnapshotRetryDelay
    this.#maxBufferedDiffs = options.maxBufferedDiffs ?? 1000
    this.#signal = options.signal
    for (const pair of options.tradingPairs ?? []) this.#pairs.set(pair, new PairState(pair))
  }

  get tradingPairs(): string[] {
    return [...this.#pairs.keys()]
  }

  get isRunning(): boolean {
    return this.#state === 'running'
  }

  /** True once every tracked pair has had a snapshot (its status left `'syncing'`). */
  get isInitialized(): boolean {
    for (const pair of this.#pairs.values()) if (pair.status === 'syncing') return false
    return true
  }

  /**
   * Starts fetching snapshots for every pair that is not live. Messages are accepted before
   * `start()` too (diffs are buffered); after `stop()` they are ignored until the next `start()`.
   *
   * @example
   * tracker.start()
   */
  start(): void {
    if (this.#state === 'running' || this.#signal?.aborted) return
    this.#state = 'running'
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true })
    for (const pair of this.#pairs.values()) if (pair.status !== 'live') this.#startSync(pair)
  }

  /** Stops every snapshot fetch and retry timer at once; live books become stale. Books are kept. */
  stop(): void {
    if (this.#state !== 'running') {
      this.#state = 'stopped'
      return
    }
    this.#state = 'stopped'
    this.#signal?.removeEventListener('abort', this.#onAbort)
    for (const pair of this.#pairs.values()) {
      this.#cancelSync(pair)
      pair.buffer = []
      if (pair.status === 'live') this.#setStatus(pair, 'stale')
    }
  }

  /** Tracks a pair from now on (returns false if it already is); its snapshot is fetched at once when running. */
  addTradingPair(tradingPair: string): boolean {
    if (this.#pairs.has(tradingPair)) return false
    const pair = new PairState(tradingPair)
    this.#pairs.set(tradingPair, pair)
    if (this.#state === 'running') this.#startSync(pair)
    return true
  }

  /** Stops tracking a pair (returns false if it was not tracked); views already handed out turn stale. */
  removeTradingPair(tradingPair: string): boolean {
    const pair = this.#pairs.get(tradingPair)
    if (!pair) return false
    this.#cancelSync(pair)
    this.#pairs.delete(tradingPair)
    pair.callbacks.clear()
    pair.buffer = []
    if (pair.status === 'live') this.#setStatus(pair, 'stale')
    return true
  }

  /** The pair's book view, or `undefined` when the pair is not tracked. */
  orderBook(tradingPair: string): OrderBookView | undefined {
    return this.#pairs.get(tradingPair)?.view
  }

  /** The pair's last public trade price, or null before its first trade (each trade is also a `trade` event). */
  lastTradePrice(tradingPair: string): number | null {
    return this.#pairs.get(tradingPair)?.book.lastTradePrice ?? null
  }

  /**
   * Calls `callback(view)` after the pair's snapshot is applied and after each diff message applied.
   * Returns a function that removes it. Throws for an untracked pair.
   *
   * @example
   * const off = tracker.onUpdate('BTC-USDT', (book) => render(book.bids(20), book.asks(20)))
   */
  onUpdate(tradingPair: string, callback: UpdateCallback): () => void {
    const pair = this.#pairs.get(tradingPair)
    if (!pair) throw new InvalidInputError(`${tradingPair} is not tracked; add it first`)
    pair.callbacks.add(callback)
    return () => pair.callbacks.delete(callback)
  }

  /** Marks a pair's book stale and fetches a new snapshot (after a reconnect, say). */
  resync(tradingPair: string): void {
    const pair = this.#pairs.get(tradingPair)
    if (pair) this.#resync(pair)
  }

  /**
   * Feeds one parsed message in. Messages for untracked pairs are ignored; a message that cannot
   * be applied is reported on `error` and leaves the book as it was.
   *
   * @example
   * tracker.handleMessage({ type: 'trade', tradingPair: 'BTC-USDT', tradeId: 1, price: '30000', amount: '0.1', side: 'buy', timestamp: Date.now() })
   */
  handleMessage(message: OrderBookMessage): void {
    if (this.#state === 'stopped') return
    const pair = this.#pairs.get(message.tradingPair)
    if (!pair) return
    if (message.type === 'diff') this.#handleDiff(pair, message)
    else if (message.type === 'snapshot') this.#handlePushedSnapshot(pair, message)
    else if (message.type === 'trade') this.#handleTrade(pair, message)
  }

  #handleTrade(pair: PairState, trade: OrderBookTradeMessage): void {
    if (this.#apply(pair, trade, () => pair.book.applyTrade(trade))) this.emit('trade', trade)
  }

  #handleDiff(pair: PairState, diff: OrderBookDiffMessage): void {
    if (pair.status !== 'live') {
      if (pair.buffer.push(diff) > this.#maxBufferedDiffs) pair.buffer.shift()
      return
    }
    const verdict = this.#source.sequenceRule.classify(diff, pair.book.lastUpdateId, pair.awaitingFirstDiff)
    if (verdict === 'ignore') return
    if (verdict === 'gap') {
      pair.buffer = [diff]
      this.#resync(pair)
      return
    }
    try {
      pair.book.applyDiffs(diff.bids, diff.asks, diff.updateId) // inline: the hot path allocates nothing
    } catch (error) {
      this.#reportInvalid(pair, diff, error)
      this.#resync(pair) // the diff is lost, so the book no longer follows the stream
      return
    }
    pair.awaitingFirstDiff = false
    this.#notify(pair)
  }

  #handlePushedSnapshot(pair: PairState, snapshot: OrderBookSnapshotMessage): void {
    const problem = findMessageProblem(snapshot)
    if (problem !== undefined) {
      this.#report(new PayloadValidationError(`order book snapshot for ${pair.tradingPair}`, snapshot, { details: problem }))
      return
    }
    // A pushed snapshot that cannot be used changes nothing; a running fetch loop carries on.
    if (this.#applySnapshot(pair, snapshot) === 'applied') this.#cancelSync(pair)
  }

  /**
   * Applies a snapshot and replays the buffered diffs newer than it, or nothing at all: the replay
   * is checked with the sequence rule first, so a snapshot older than the stream (or a hole in the
   * buffer) leaves the book untouched and asks for another snapshot.
   */
  #applySnapshot(pair: PairState, snapshot: OrderBookSnapshotMessage): SnapshotOutcome {
    const rule = this.#source.sequenceRule
    const replay: OrderBookDiffMessage[] = []
    let bookUpdateId = snapshot.updateId
    for (let index = 0; index < pair.buffer.length; index++) {
      const diff = pair.buffer[index] as OrderBookDiffMessage
      const verdict = rule.classify(diff, bookUpdateId, replay.length === 0)
      if (verdict === 'ignore') continue // already in the snapshot (quirk 2: never replayed)
      if (verdict === 'gap') {
        // Keep the diffs from the gap on: they continue each other and need a newer snapshot.
        pair.buffer = pair.buffer.slice(index)
        return 'retry'
      }
      replay.push(diff)
      bookUpdateId = diff.updateId
    }
    const book = pair.book
    const snapshotApplied = this.#apply(pair, snapshot, () =>
      book.applySnapshot(snapshot.bids, snapshot.asks, snapshot.updateId),
    )
    if (!snapshotApplied) return 'retry'
    pair.buffer = []
    const replayed = replay.every((diff) => this.#apply(pair, diff, () => book.applyDiffs(diff.bids, diff.asks, diff.updateId)))
    if (!replayed) {
      // The book now holds data that is not the exchange's current state.
      if (pair.status === 'syncing') this.#setStatus(pair, 'stale')
      return 'retry'
    }
    pair.awaitingFirstDiff = replay.length === 0
    this.#setStatus(pair, 'live')
    this.#notify(pair)
    return 'applied'
  }

  #resync(pair: PairState): void {
    if (pair.status === 'live') this.#setStatus(pair, 'stale')
    this.#startSync(pair)
  }

  #startSync(pair: PairState): void {
    if (this.#state !== 'running' || pair.sync) return
    const controller = new AbortController()
    pair.sync = controller
    syncSnapshot({
      tradingPair: pair.tradingPair,
      fetchSnapshot: (tradingPair, signal) => this.#source.fetchSnapshot(tradingPair, signal),
      apply: (snapshot) => this.#applySnapshot(pair, snapshot) === 'applied',
      report: (error) => this.#report(error),
      retryDelayMs: this.#retryDelayMs,
      signal: controller.signal,
    })
      .catch((error: unknown) => this.#report(asError(error)))
      .finally(() => {
        if (pair.sync === controller) pair.sync = undefined
      })
  }

  #cancelSync(pair: PairState): void {
    pair.sync?.abort()
    pair.sync = undefined
  }

  /** Runs `change`; on a throw reports it as a payload error and returns false (the book is unchanged). */
  #apply(pair: PairState, message: OrderBookMessage, change: () => void): boolean {
    try {
      change()
      return true
    } catch (error) {
      this.#reportInvalid(pair, message, error)
      return false
    }
  }

  #reportInvalid(pair: PairState, message: OrderBookMessage, cause: unknown): void {
    const source = `order book ${message.type} for ${pair.tradingPair}`
    this.#report(new PayloadValidationError(source, message, { cause }))
  }

  #notify(pair: PairState): void {
    for (const callback of pair.callbacks) {
      try {
        callback(pair.view)
      } catch (error) {
        this.#report(asError(error))
      }
    }
    this.emit('update', pair.view)
  }

  #setStatus(pair: PairState, status: OrderBookStatus): void {
    const previous = pair.status
    if (previous === status) return
    pair.status = status
    this.emit('status', { tradingPair: pair.tradingPair, status, previous })
  }

  #report(error: Error): void {
    this.emit('error', error)
  }
}
