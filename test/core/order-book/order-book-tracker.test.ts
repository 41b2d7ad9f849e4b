import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InvalidInputError, NetworkError, PayloadValidationError } from '../../../src/core/errors.ts'
import type {
  OrderBookDiffMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
  PriceLevelInput,
} from '../../../src/core/order-book/order-book-message.ts'
import {
  OrderBookTracker,
  type OrderBookSnapshotSource,
  type OrderBookTrackerOptions,
} from '../../../src/core/order-book/order-book-tracker.ts'
import type { OrderBookView } from '../../../src/core/order-book/order-book-view.ts'
import { contiguousUpdateIdRule } from '../../../src/core/order-book/sequence-rules.ts'
import { defaultSnapshotRetryDelay, SnapshotFetchError } from '../../../src/core/order-book/snapshot-sync.ts'

const PAIR = 'BTC-USDT'

interface SnapshotRequest {
  readonly tradingPair: string
  readonly signal: AbortSignal
  resolve(snapshot: OrderBookSnapshotMessage): void
  reject(error: unknown): void
}

function snapshot(
  updateId: number,
  bids: PriceLevelInput[] = [['100', '1']],
  asks: PriceLevelInput[] = [['101', '1']],
  tradingPair = PAIR,
): OrderBookSnapshotMessage {
  return { type: 'snapshot', tradingPair, updateId, bids, asks, timestamp: 0 }
}

function diff(
  firstUpdateId: number,
  updateId: number,
  bids: PriceLevelInput[] = [],
  asks: PriceLevelInput[] = [],
  tradingPair = PAIR,
): OrderBookDiffMessage {
  return { type: 'diff', tradingPair, firstUpdateId, updateId, bids, asks, timestamp: 0 }
}

/** Lets pending promise callbacks (a resolved fetch and what follows it) run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve()
}

function prices(rows: readonly { price: number }[]): number[] {
  return rows.map((row) => row.price)
}

/** A tracker on a snapshot source whose requests the test answers by hand. */
function createTracker(options: Partial<OrderBookTrackerOptions> = {}) {
  const requests: SnapshotRequest[] = []
  const source: OrderBookSnapshotSource = {
    sequenceRule: contiguousUpdateIdRule,
    fetchSnapshot: (tradingPair, signal) =>
      new Promise((resolve, reject) => requests.push({ tradingPair, signal, resolve, reject })),
  }
  const tracker = new OrderBookTracker({ source, tradingPairs: [PAIR], ...options })
  const errors: Error[] = []
  tracker.on('error', (error) => errors.push(error))
  const statuses: string[] = []
  tracker.on('status', (change) => statuses.push(`${change.tradingPair} ${change.previous}->${change.status}`))
  const view = tracker.orderBook(PAIR)
  if (!view) throw new Error('the tracker has no view for its pair')
  const request = (index: number): SnapshotRequest => {
    const found = requests[index]
    if (!found) throw new Error(`no snapshot request #${index} (made ${requests.length})`)
    return found
  }
  return { tracker, requests, request, errors, statuses, view }
}

/** A started tracker whose book is live at `updateId` (bids 100 x 1, asks 101 x 1). */
async function createLiveTracker(updateId = 100, options: Partial<OrderBookTrackerOptions> = {}) {
  const context = createTracker(options)
  context.tracker.start()
  context.request(0).resolve(snapshot(updateId))
  await settle()
  expect(context.view.status).toBe('live')
  return context
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('OrderBookTracker', () => {
  describe('initial sync', () => {
    it("is 'syncing' with an empty book until the first snapshot, then 'live'", async () => {
      const { tracker, request, view, statuses } = createTracker()
      expect(view.status).toBe('syncing')
      expect(tracker.isInitialized).toBe(false)
      tracker.start()
      expect(request(0).tradingPair).toBe(PAIR)
      expect(view.bids()).toEqual([])
      expect(view.bestAsk).toBeNull()
      request(0).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('live')
      expect(tracker.isInitialized).toBe(true)
      expect(view.bestBid).toEqual({ price: 100, amount: 1, updateId: 100 })
      expect(statuses).toEqual([`${PAIR} syncing->live`])
    })

    it('listen for order book diffs: buffers diffs until the snapshot arrives, then replays only the newer ones', async () => {
      const { tracker, request, view } = createTracker()
      tracker.start()
      tracker.handleMessage(diff(95, 100, [['90', '9']])) // u <= 102: already in the snapshot
      tracker.handleMessage(diff(101, 103, [['99', '2']]))
      tracker.handleMessage(diff(104, 106, [], [['101', '0'], ['102', '3']]))
      expect(view.bids()).toEqual([])
      request(0).resolve(snapshot(102))
      await settle()
      expect(view.status).toBe('live')
      expect(prices(view.bids())).toEqual([100, 99]) // 90 came from a diff older than the snapshot
      expect(view.asks()).toEqual([{ price: 102, amount: 3, updateId: 106 }])
      expect(view.lastUpdateId).toBe(106)
    })

    it('drops buffered diffs whose updateId is not newer than the snapshot, even the one equal to it', async () => {
      const { tracker, request, view } = createTracker()
      tracker.start()
      tracker.handleMessage(diff(99, 100, [['95', '5']]))
      request(0).resolve(snapshot(100))
      await settle()
      expect(prices(view.bids())).toEqual([100])
      expect(view.lastUpdateId).toBe(100)
    })

    it('refetches a snapshot older than the first buffered diff (Binance step 4) without reporting an error', async () => {
      const { tracker, request, requests, view, errors } = createTracker()
      tracker.start()
      tracker.handleMessage(diff(150, 152, [['99', '1']]))
      request(0).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('syncing')
      expect(view.bids()).toEqual([]) // the old snapshot was not applied
      await vi.advanceTimersByTimeAsync(defaultSnapshotRetryDelay(1))
      expect(requests).toHaveLength(2)
      request(1).resolve(snapshot(151))
      await settle()
      expect(view.status).toBe('live')
      expect(view.lastUpdateId).toBe(152)
      expect(errors).toEqual([])
    })

    it('keeps the diffs after a hole in the buffer and fetches a snapshot newer than the hole', async () => {
      const { tracker, request, view } = createTracker()
      tracker.start()
      tracker.handleMessage(diff(101, 102))
      tracker.handleMessage(diff(105, 106, [['98', '1']])) // 103-104 never arrived
      request(0).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('syncing')
      await vi.advanceTimersByTimeAsync(defaultSnapshotRetryDelay(1))
      request(1).resolve(snapshot(104))
      await settle()
      expect(view.status).toBe('live')
      expect(prices(view.bids())).toEqual([100, 98])
      expect(view.lastUpdateId).toBe(106)
    })

    it('keeps at most maxBufferedDiffs diffs while syncing, dropping the oldest', async () => {
      const { tracker, request, view } = createTracker({ maxBufferedDiffs: 2 })
      tracker.start()
      tracker.handleMessage(diff(101, 101, [['97', '1']]))
      tracker.handleMessage(diff(102, 102, [['98', '1']]))
      tracker.handleMessage(diff(103, 103, [['99', '1']]))
      // 101 was dropped, so a snapshot at 100 no longer connects to the buffer; one at 101 does.
      request(0).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('syncing')
      await vi.advanceTimersByTimeAsync(defaultSnapshotRetryDelay(1))
      request(1).resolve(snapshot(101))
      await settle()
      expect(prices(view.bids())).toEqual([100, 99, 98])
    })
  })

  describe('sequence checks on a live book', () => {
    it('applies a first diff that straddles the snapshot id, then each diff that follows on', async () => {
      const { tracker, view } = await createLiveTracker(100)
      tracker.handleMessage(diff(98, 102, [['99', '1']]))
      tracker.handleMessage(diff(103, 104, [['98', '1']]))
      expect(prices(view.bids())).toEqual([100, 99, 98])
      expect(view.lastUpdateId).toBe(104)
      expect(view.status).toBe('live')
      tracker.handleMessage(diff(104, 106)) // overlaps: only the first diff may straddle
      expect(view.status).toBe('stale')
    })

    it('ignores a diff with u <= the book id', async () => {
      const { tracker, view } = await createLiveTracker(100)
      const updates = vi.fn()
      tracker.onUpdate(PAIR, updates)
      tracker.handleMessage(diff(95, 100, [['50', '1']]))
      expect(prices(view.bids())).toEqual([100])
      expect(updates).not.toHaveBeenCalled()
      expect(view.status).toBe('live')
    })

    it('gap: marks the book stale, resyncs with a new snapshot while buffering, then goes live again', async () => {
      const { tracker, request, requests, view, statuses } = await createLiveTracker(100)
      tracker.handleMessage(diff(101, 102, [['99', '1']]))
      tracker.handleMessage(diff(105, 106, [['98', '1']])) // 103-104 are missing
      expect(view.status).toBe('stale')
      expect(requests.map((made) => made.tradingPair)).toEqual([PAIR, PAIR])
      tracker.handleMessage(diff(107, 108, [['97', '1']]))
      // Stale data stays readable, unchanged, while the resync runs.
      expect(prices(view.bids())).toEqual([100, 99])
      expect(view.lastUpdateId).toBe(102)
      request(1).resolve(snapshot(104, [['100', '2']]))
      await settle()
      expect(view.status).toBe('live')
      // The diff that revealed the gap was kept: it continues the new snapshot.
      expect(view.bids()).toEqual([
        { price: 100, amount: 2, updateId: 104 },
        { price: 98, amount: 1, updateId: 106 },
        { price: 97, amount: 1, updateId: 108 },
      ])
      expect(statuses).toEqual([`${PAIR} syncing->live`, `${PAIR} live->stale`, `${PAIR} stale->live`])
    })

    it('after replaying buffered diffs, a diff that overlaps the last one is a gap, not a straddle', async () => {
      const { tracker, request, view } = createTracker()
      tracker.start()
      tracker.handleMessage(diff(101, 102))
      request(0).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('live')
      tracker.handleMessage(diff(102, 104))
      expect(view.status).toBe('stale')
    })

    it('a first diff that does not straddle the snapshot is a gap', async () => {
      const { tracker, requests, view } = await createLiveTracker(100)
      tracker.handleMessage(diff(102, 103))
      expect(view.status).toBe('stale')
      expect(requests).toHaveLength(2)
    })

    it('resync(pair) marks a live book stale and fetches a new snapshot', async () => {
      const { tracker, requests, view } = await createLiveTracker(100)
      tracker.resync(PAIR)
      tracker.resync('UNKNOWN-PAIR')
      expect(view.status).toBe('stale')
      expect(requests).toHaveLength(2)
    })
  })

  describe('snapshot failures', () => {
    it('reports a failed snapshot fetch and retries with backoff', async () => {
      const { tracker, request, requests, view, errors } = createTracker()
      tracker.start()
      const cause = new NetworkError('socket hang up')
      request(0).reject(cause)
      await settle()
      expect(errors).toHaveLength(1)
      const first = errors[0] as SnapshotFetchError
      expect(first).toBeInstanceOf(SnapshotFetchError)
      expect(first).toMatchObject({ tradingPair: PAIR, attempt: 1, retryInMs: 500 })
      expect(first.cause).toBe(cause)
      await vi.advanceTimersByTimeAsync(499)
      expect(requests).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(requests).toHaveLength(2)
      request(1).reject(new Error('HTTP 503'))
      await settle()
      expect(errors[1]).toMatchObject({ attempt: 2, retryInMs: 1000 })
      await vi.advanceTimersByTimeAsync(1000)
      request(2).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('live')
      expect(vi.getTimerCount()).toBe(0)
    })

    it('reports a malformed snapshot or one for another pair, and fetches again', async () => {
      const { tracker, request, view, errors } = createTracker({ retryDelayMs: () => 10 })
      tracker.start()
      request(0).resolve({ ...snapshot(100), updateId: Number.NaN })
      await settle()
      await vi.advanceTimersByTimeAsync(10)
      request(1).resolve(snapshot(100, undefined, undefined, 'ETH-USDT'))
      await settle()
      await vi.advanceTimersByTimeAsync(10)
      request(2).resolve({ ...snapshot(100), bids: [['oops', '1']] })
      await settle()
      await vi.advanceTimersByTimeAsync(10)
      request(3).resolve(snapshot(100))
      await settle()
      expect(view.status).toBe('live')
      expect(errors).toHaveLength(3)
      expect(errors[0]).toBeInstanceOf(SnapshotFetchError)
      expect((errors[0] as SnapshotFetchError).cause).toBeInstanceOf(PayloadValidationError)
      expect(((errors[1] as SnapshotFetchError).cause as PayloadValidationError).details).toContain('ETH-USDT')
      // A level that does not parse is found by the book, which applies nothing.
      expect(errors[2]).toBeInstanceOf(PayloadValidationError)
    })

    it('defaultSnapshotRetryDelay doubles from 0.5 s up to 30 s', () => {
      expect([1, 2, 3, 4, 7, 8, 20].map(defaultSnapshotRetryDelay)).toEqual([
        500, 1000, 2000, 4000, 30_000, 30_000, 30_000,
      ])
    })
  })

  describe('stopping', () => {
    it('stop during a pending snapshot fetch: aborts it, applies nothing after stop and leaves no timer', async () => {
      const { tracker, request, view } = createTracker()
      tracker.start()
      const pending = request(0)
      tracker.stop()
      expect(pending.signal.aborted).toBe(true)
      pending.resolve(snapshot(100))
      tracker.handleMessage(diff(101, 101, [['99', '1']]))
      await settle()
      expect(view.status).toBe('syncing')
      expect(view.bids()).toEqual([])
      expect(vi.getTimerCount()).toBe(0)
      expect(tracker.isRunning).toBe(false)
    })

    it('stop during a retry wait clears its timer', async () => {
      const { tracker, request, requests } = createTracker()
      tracker.start()
      request(0).reject(new Error('down'))
      await settle()
      expect(vi.getTimerCount()).toBe(1)
      tracker.stop()
      expect(vi.getTimerCount()).toBe(0)
      await vi.advanceTimersByTimeAsync(60_000)
      expect(requests).toHaveLength(1)
    })

    it('aborting the signal it was given stops it', async () => {
      const controller = new AbortController()
      const { tracker, request } = createTracker({ signal: controller.signal })
      tracker.start()
      controller.abort()
      expect(request(0).signal.aborted).toBe(true)
      expect(tracker.isRunning).toBe(false)
      tracker.start() // an aborted signal keeps it stopped
      expect(tracker.isRunning).toBe(false)
    })

    it('turns live books stale on stop, keeps their data, and resyncs them on the next start', async () => {
      const { tracker, request, requests, view } = await createLiveTracker(100)
      tracker.stop()
      tracker.stop()
      expect(view.status).toBe('stale')
      expect(prices(view.bids())).toEqual([100])
      tracker.start()
      tracker.start()
      expect(requests).toHaveLength(2)
      request(1).resolve(snapshot(200))
      await settle()
      expect(view.status).toBe('live')
      expect(view.lastUpdateId).toBe(200)
    })

    it('a tracker stopped before it started ignores messages', () => {
      const { tracker, view } = createTracker()
      tracker.stop()
      tracker.handleMessage(snapshot(100))
      expect(view.status).toBe('syncing')
    })
  })

  describe('pairs at runtime', () => {
    it('adds a pair: buffers its diffs and fetches its snapshot at once when running', async () => {
      const { tracker, request, requests } = createTracker()
      tracker.start()
      expect(tracker.addTradingPair('ETH-USDT')).toBe(true)
      expect(tracker.addTradingPair('ETH-USDT')).toBe(false)
      expect(tracker.tradingPairs).toEqual([PAIR, 'ETH-USDT'])
      expect(requests.map((made) => made.tradingPair)).toEqual([PAIR, 'ETH-USDT'])
      tracker.handleMessage(diff(11, 12, [['2000', '1']], [], 'ETH-USDT'))
      request(1).resolve(snapshot(10, [['1999', '1']], [['2001', '1']], 'ETH-USDT'))
      await settle()
      const eth = tracker.orderBook('ETH-USDT')
      expect(eth?.status).toBe('live')
      expect(eth?.tradingPair).toBe('ETH-USDT')
      expect(prices(eth?.bids() ?? [])).toEqual([2000, 1999])
    })

    it('adds a pair before start without fetching', () => {
      const { tracker, requests } = createTracker()
      tracker.addTradingPair('ETH-USDT')
      expect(requests).toHaveLength(0)
    })

    it('removes a pair: cancels its pending fetch, ignores its messages and turns its view stale', async () => {
      const { tracker, request, requests, view } = await createLiveTracker(100)
      tracker.addTradingPair('ETH-USDT')
      const ethFetch = request(1)
      expect(tracker.removeTradingPair('ETH-USDT')).toBe(true)
      expect(ethFetch.signal.aborted).toBe(true)
      expect(tracker.removeTradingPair(PAIR)).toBe(true)
      expect(tracker.removeTradingPair(PAIR)).toBe(false)
      expect(view.status).toBe('stale')
      tracker.handleMessage(diff(101, 101, [['99', '1']]))
      expect(prices(view.bids())).toEqual([100])
      expect(tracker.orderBook(PAIR)).toBeUndefined()
      expect(tracker.tradingPairs).toEqual([])
      expect(requests).toHaveLength(2)
    })

    it('ignores messages for pairs it does not track', async () => {
      const { tracker, view } = await createLiveTracker(100)
      tracker.handleMessage(diff(101, 101, [['99', '1']], [], 'DOGE-USDT'))
      expect(prices(view.bids())).toEqual([100])
    })

    it('is initialized only once every pair has had a snapshot', async () => {
      const { tracker, request } = createTracker({ tradingPairs: [PAIR, 'ETH-USDT'] })
      tracker.start()
      request(0).resolve(snapshot(1))
      await settle()
      expect(tracker.isInitialized).toBe(false)
      request(1).resolve(snapshot(1, undefined, undefined, 'ETH-USDT'))
      await settle()
      expect(tracker.isInitialized).toBe(true)
    })
  })

  describe('trades', () => {
    it('keeps the last trade price per pair, before the snapshot too', async () => {
      const { tracker, view } = createTracker({ tradingPairs: [PAIR, 'ETH-USDT'] })
      const trade = { type: 'trade', tradeId: 1, amount: '0.1', side: 'buy', timestamp: 1_700_000_000_000 } as const
      tracker.handleMessage({ ...trade, tradingPair: PAIR, price: '30000.10' })
      tracker.handleMessage({ ...trade, tradingPair: 'ETH-USDT', price: '2000.5' })
      expect(tracker.lastTradePrice(PAIR)).toBe(30000.1)
      expect(tracker.lastTradePrice('ETH-USDT')).toBe(2000.5)
      expect(tracker.lastTradePrice('DOGE-USDT')).toBeNull()
      expect(view.lastTradePrice).toBe(30000.1)
      expect(view.lastTradeTimestamp).toBe(1_700_000_000_000)
    })

    it("emits 'trade' for each trade of a tracked pair once its price is kept, and none for a bad one, an untracked pair or after stop", async () => {
      const { tracker, errors } = await createLiveTracker(100)
      const trades: OrderBookTradeMessage[] = []
      tracker.on('trade', (trade) => trades.push(trade))
      const trade = { type: 'trade', tradingPair: PAIR, tradeId: 7, price: '30000.10', amount: '0.25', side: 'sell', timestamp: 5 } as const
      tracker.handleMessage(trade)
      tracker.handleMessage({ ...trade, tradeId: 8, price: 'NaN' })
      tracker.handleMessage({ ...trade, tradeId: 9, tradingPair: 'ETH-USDT' })
      expect(trades).toEqual([trade])
      expect(tracker.lastTradePrice(PAIR)).toBe(30000.1)
      expect(errors).toHaveLength(1)
      tracker.stop()
      tracker.handleMessage({ ...trade, tradeId: 10 })
      expect(trades).toHaveLength(1)
    })
  })

  describe('malformed messages and callbacks', () => {
    it('listen for order book diffs: a diff that does not parse is reported, the book is untouched and resyncs', async () => {
      const { tracker, requests, view, errors } = await createLiveTracker(100)
      const before = view.bids()
      tracker.handleMessage(diff(101, 101, [['99', '1']], [['abc', '1']]))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(PayloadValidationError)
      expect((errors[0] as PayloadValidationError).source).toBe(`order book diff for ${PAIR}`)
      expect((errors[0] as PayloadValidationError).cause).toBeInstanceOf(InvalidInputError)
      expect(view.bids()).toBe(before)
      expect(view.lastUpdateId).toBe(100)
      expect(view.status).toBe('stale')
      expect(requests).toHaveLength(2)
    })

    it('reports a trade it cannot apply and keeps the last good price', async () => {
      const { tracker, errors, view } = await createLiveTracker(100)
      const trade = { type: 'trade', tradingPair: PAIR, tradeId: 1, amount: '1', side: 'sell', timestamp: 1 } as const
      tracker.handleMessage({ ...trade, price: '10' })
      tracker.handleMessage({ ...trade, price: 'NaN' })
      expect(errors[0]).toBeInstanceOf(PayloadValidationError)
      expect(view.lastTradePrice).toBe(10)
    })

    it('a replayed diff that does not parse leaves the book stale and fetches again', async () => {
      const { tracker, request, view, errors } = createTracker({ retryDelayMs: () => 10 })
      tracker.start()
      tracker.handleMessage(diff(101, 101, [['bad', '1']]))
      request(0).resolve(snapshot(100))
      await settle()
      expect(errors[0]).toBeInstanceOf(PayloadValidationError)
      expect(view.status).toBe('stale')
      await vi.advanceTimersByTimeAsync(10)
      request(1).resolve(snapshot(105))
      await settle()
      expect(view.status).toBe('live')
    })

    it('runs onUpdate once after the snapshot and once per applied diff, not for buffered or ignored ones', async () => {
      const { tracker, request, view } = createTracker()
      const seen: number[] = []
      const off = tracker.onUpdate(PAIR, (book) => seen.push(book.lastUpdateId))
      const anyPair = vi.fn()
      tracker.on('update', anyPair)
      tracker.start()
      tracker.handleMessage(diff(101, 102))
      tracker.handleMessage(diff(103, 104))
      expect(seen).toEqual([])
      request(0).resolve(snapshot(101))
      await settle()
      tracker.handleMessage(diff(90, 95)) // ignored
      tracker.handleMessage(diff(105, 105))
      off()
      tracker.handleMessage(diff(106, 106))
      expect(seen).toEqual([104, 105])
      expect(anyPair).toHaveBeenCalledTimes(3)
      expect(anyPair).toHaveBeenLastCalledWith(view)
    })

    it('reports a callback that throws and still runs the others', async () => {
      const { tracker, errors } = await createLiveTracker(100)
      const failure = new Error('render failed')
      const second = vi.fn()
      tracker.onUpdate(PAIR, () => {
        throw failure
      })
      tracker.onUpdate(PAIR, second)
      tracker.handleMessage(diff(101, 101))
      expect(errors).toEqual([failure])
      expect(second).toHaveBeenCalledOnce()
    })

    it('refuses onUpdate for a pair it does not track', () => {
      const { tracker } = createTracker()
      expect(() => tracker.onUpdate('DOGE-USDT', () => {})).toThrow(InvalidInputError)
    })
  })

  describe('snapshots pushed on the socket', () => {
    it('applies a pushed snapshot, goes live and cancels the pending fetch', async () => {
      const { tracker, request, view } = createTracker()
      tracker.start()
      tracker.handleMessage(diff(101, 102, [['99', '1']]))
      tracker.handleMessage(snapshot(101))
      expect(view.status).toBe('live')
      expect(view.lastUpdateId).toBe(102)
      expect(request(0).signal.aborted).toBe(true)
    })

    it('reports a malformed pushed snapshot and keeps the book as it was', async () => {
      const { tracker, view, errors } = await createLiveTracker(100)
      tracker.handleMessage({ ...snapshot(200), asks: 'none' as unknown as PriceLevelInput[] })
      expect(errors[0]).toBeInstanceOf(PayloadValidationError)
      expect(view.status).toBe('live')
      expect(view.lastUpdateId).toBe(100)
    })
  })

  it('gives a view that reads through to the live book', async () => {
    const { view } = await createLiveTracker(100)
    const asView: OrderBookView = view
    expect(asView.tradingPair).toBe(PAIR)
    expect([view.bidCount, view.askCount, view.snapshotUpdateId]).toEqual([1, 1, 100])
    expect(prices(view.asks(1))).toEqual([101])
    expect(view.priceForVolume('buy', 1).price).toBe(101)
    expect(view.vwapForVolume('sell', 1).price).toBe(100)
    expect(view.priceForQuoteVolume('buy', 101).filledVolume).toBe(1)
  })
})
