// The data source's socket over time: syncing books through gaps, liveness pings, reconnects with
// resync, the 24 h roll without a stale book, and a stop that leaves nothing behind.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { binanceMarket, depthFrame, depthSnapshot, flush, tradeFrame } from './market-data-helpers.ts'

const SHUTDOWN = { stream: '!serverShutdown', data: { e: 'serverShutdown', E: 1_770_123_456_789 } }

/** A market whose BNB-BTC book is live at update id 106. */
async function liveMarket(overrides: Parameters<typeof binanceMarket>[0] = {}) {
  const market = binanceMarket(overrides)
  const socket = await market.listen()
  socket.say(depthFrame('BNBBTC', 101, 103, [['100', '2']]))
  socket.say(depthFrame('BNBBTC', 104, 106, [], [['101', '3']]))
  await flush()
  market.depth.pending().respond(200, depthSnapshot(102))
  await flush()
  return { ...market, socket, book: market.tracker.orderBook('BNB-BTC')! }
}

describe('Binance order book data source: the connection', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('syncs a book through gaps: buffered diffs straddle the snapshot, a gap resyncs, old diffs are ignored', async () => {
    const market = await liveMarket()
    const { book, socket, depth } = market
    expect(book.status).toBe('live')
    expect(book.lastUpdateId).toBe(106)
    expect(book.bids()).toMatchObject([{ price: 100, amount: 2 }])
    expect(book.asks()).toMatchObject([{ price: 101, amount: 3 }])

    socket.say(depthFrame('BNBBTC', 100, 105, [['100', '9']])) // u <= book id: ignored
    await flush()
    expect(book.bids()).toMatchObject([{ price: 100, amount: 2 }])

    socket.say(depthFrame('BNBBTC', 110, 112, [['99', '1']])) // 107..109 missing
    await flush()
    expect(book.status).toBe('stale')
    expect(depth.pendingCount()).toBe(1)
    depth.pending().respond(200, depthSnapshot(111, [['98', '1']]))
    await flush()
    expect(book.status).toBe('live')
    expect(book.lastUpdateId).toBe(112)
    expect(book.bids().map((row) => row.price)).toEqual([99, 98])

    // A snapshot older than the first buffered diff is fetched again.
    socket.say(depthFrame('BNBBTC', 120, 125))
    await flush()
    depth.pending().respond(200, depthSnapshot(100))
    await flush()
    expect(book.status).toBe('stale')
    await vi.advanceTimersByTimeAsync(1_000)
    depth.pending().respond(200, depthSnapshot(122))
    await flush()
    expect(book.status).toBe('live')
    expect(book.lastUpdateId).toBe(125)
    expect(market.statuses).toEqual(['live', 'stale', 'live', 'stale', 'live'])
    market.stop()
  })

  it('never half-applies a malformed frame: it is reported and the book stays as it was', async () => {
    const market = await liveMarket()
    market.socket.say({ stream: 'bnbbtc@depth@100ms', data: { ...depthFrame('BNBBTC', 107, 108).data, b: [['100', 'lots']] } })
    await flush()
    expect(market.errors).toHaveLength(1)
    expect(market.book.lastUpdateId).toBe(106)
    expect(market.book.bids()).toMatchObject([{ price: 100, amount: 2 }])
    market.stop()
  })

  it('asks a silent socket LIST_SUBSCRIPTIONS, keeps it when answered, replaces it when not', async () => {
    const market = await liveMarket()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(market.socket.sentJson).toEqual([{ method: 'LIST_SUBSCRIPTIONS', id: 1 }])
    market.socket.say({ result: ['bnbbtc@depth@100ms', 'bnbbtc@trade'], id: 1 })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(market.socket.readyState).toBe(1)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(market.socket.sentJson).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(market.socket.closedWith?.code).toBe(4000)
    expect(market.errors.some((error) => error.message.includes('silent'))).toBe(true)
    market.stop()
  })

  it('reconnects with the current pairs after a drop and resyncs every book (diffs were missed)', async () => {
    const market = await liveMarket()
    market.socket.drop()
    await flush()
    await market.source.subscribe('ETH-USDT') // while down: nothing to send
    expect(market.socket.sent).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    const second = market.sockets.last()
    expect(market.sockets.sockets).toHaveLength(2)
    expect(second.url).toContain('streams=bnbbtc@depth@100ms/bnbbtc@trade/ethusdt@depth@100ms/ethusdt@trade')
    second.accept()
    await flush()
    expect(second.sent).toEqual([])
    expect(market.book.status).toBe('stale')
    second.say(depthFrame('BNBBTC', 140, 141))
    await flush()
    market.depth.pending().respond(200, depthSnapshot(140))
    await flush()
    expect(market.book.status).toBe('live')
    expect(market.book.lastUpdateId).toBe(141)
    expect(market.source.health()).toMatchObject({ state: 'open', reconnects: 1 })
    market.stop()
  })

  it("emits 'connected' on every socket open, counted: 1 first, 2 after a drop and reconnect, 3 for a roll's replacement", async () => {
    const market = binanceMarket({ maxConnectionAgeMs: 60_000, livenessTimeoutMs: 0 })
    const connections: number[] = []
    market.source.on('connected', (event) => connections.push(event.connections))
    const first = await market.listen()
    expect(connections).toEqual([1])
    first.drop()
    await flush()
    expect(connections).toEqual([1])
    await vi.advanceTimersByTimeAsync(1_000)
    market.sockets.last().accept()
    await flush()
    expect(connections).toEqual([1, 2])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(market.sockets.sockets).toHaveLength(3)
    market.sockets.last().accept()
    await flush()
    expect(connections).toEqual([1, 2, 3])
    expect(market.source.connections).toBe(3)
    market.stop()
  })

  describe('rolling the connection before the 24 h cut-off', () => {
    it('opens the replacement first, moves the book over at the continuing diff, and never goes stale', async () => {
      const market = await liveMarket({ maxConnectionAgeMs: 60_000, livenessTimeoutMs: 0 })
      const { socket: old, sockets, book, depth } = market
      const requestsBefore = depth.requests.length
      await vi.advanceTimersByTimeAsync(59_999)
      expect(sockets.sockets).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(sockets.sockets).toHaveLength(2)
      const replacement = sockets.last()
      expect(replacement.url).toBe(old.url)
      replacement.accept()
      await flush()

      old.say(depthFrame('BNBBTC', 107, 108, [['100', '4']]))
      replacement.say(depthFrame('BNBBTC', 107, 108, [['100', '4']])) // the same event: dropped
      old.say(tradeFrame('BNBBTC', 50))
      replacement.say(tradeFrame('BNBBTC', 50))
      await flush()
      expect(book.lastUpdateId).toBe(108)
      expect(old.readyState).toBe(1)

      replacement.say(depthFrame('BNBBTC', 109, 110, [['100', '5']])) // continues: the pair moves over
      await flush()
      expect(book.lastUpdateId).toBe(110)
      expect(old.readyState).toBe(3)
      old.say(depthFrame('BNBBTC', 109, 110)) // too late: the old socket is closed
      replacement.say(depthFrame('BNBBTC', 111, 112, [['100', '6']]))
      await flush()
      expect(book.lastUpdateId).toBe(112)
      expect(book.bids()).toMatchObject([{ price: 100, amount: 6 }])
      expect(book.lastTradePrice).toBe(0.001)
      expect(market.statuses).toEqual(['live'])
      expect(depth.requests.length).toBe(requestsBefore)
      expect(market.errors).toEqual([])

      // The replacement is rolled in its turn.
      await vi.advanceTimersByTimeAsync(60_000)
      expect(sockets.sockets).toHaveLength(3)
      market.stop()
    })

    it('rolls at 23 h by default, an hour before Binance cuts the connection', async () => {
      const market = await liveMarket({ livenessTimeoutMs: 0 })
      await vi.advanceTimersByTimeAsync(23 * 3_600_000 - 1)
      expect(market.sockets.sockets).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(market.sockets.sockets).toHaveLength(2)
      market.stop()
    })

    it('rolls at once when Binance announces serverShutdown', async () => {
      const market = await liveMarket({ livenessTimeoutMs: 0 })
      market.socket.say(SHUTDOWN)
      await flush()
      expect(market.sockets.sockets).toHaveLength(2)
      market.socket.say(SHUTDOWN) // already rolling
      await flush()
      expect(market.sockets.sockets).toHaveLength(2)
      expect(market.errors).toEqual([])
      market.stop()
    })

    it('completes the roll at its deadline when a pair stays quiet', async () => {
      const market = await liveMarket({ tradingPairs: ['BNB-BTC', 'ETH-USDT'], livenessTimeoutMs: 0 })
      market.depth.pending().respond(200, depthSnapshot(5)) // ETH-USDT
      await flush()
      market.socket.say(SHUTDOWN)
      await flush()
      const replacement = market.sockets.last()
      replacement.accept()
      await flush()
      market.socket.say(depthFrame('BNBBTC', 107, 108))
      replacement.say(depthFrame('BNBBTC', 107, 108))
      replacement.say(depthFrame('BNBBTC', 109, 110))
      replacement.say(depthFrame('ETHUSDT', 6, 7)) // held: the old socket never confirmed ETH's position
      await flush()
      expect(market.socket.readyState).toBe(1)
      expect(market.tracker.orderBook('ETH-USDT')?.lastUpdateId).toBe(5)
      await vi.advanceTimersByTimeAsync(30_000)
      expect(market.socket.readyState).toBe(3)
      expect(market.tracker.orderBook('ETH-USDT')?.lastUpdateId).toBe(7)
      expect(market.book.lastUpdateId).toBe(110)
      expect(market.statuses).not.toContain('stale')
      market.stop()
    })

    it('lets the replacement take over at once when the old socket drops mid-roll', async () => {
      const market = await liveMarket({ livenessTimeoutMs: 0 })
      market.socket.say(SHUTDOWN)
      await flush()
      const replacement = market.sockets.last()
      replacement.accept()
      await flush()
      market.socket.say(depthFrame('BNBBTC', 107, 108))
      replacement.say(depthFrame('BNBBTC', 108, 109)) // misaligned with the old socket: held
      await flush()
      expect(market.book.lastUpdateId).toBe(108)
      market.socket.drop()
      await flush()
      // The held overlap is handed to the tracker, whose sequence rule resyncs the book.
      expect(market.sockets.sockets).toHaveLength(2)
      replacement.say(depthFrame('BNBBTC', 110, 111))
      await flush()
      market.depth.pending().respond(200, depthSnapshot(110))
      await flush()
      expect(market.book.status).toBe('live')
      expect(market.book.lastUpdateId).toBe(111)
      market.stop()
    })

    it('abandons a replacement that cannot connect, keeps the old socket and tries again a minute later', async () => {
      const market = await liveMarket({ livenessTimeoutMs: 0 })
      market.socket.say(SHUTDOWN)
      await flush()
      market.sockets.last().fail('refused')
      await flush()
      expect(market.socket.readyState).toBe(1)
      market.socket.say(depthFrame('BNBBTC', 107, 108))
      await flush()
      expect(market.book.lastUpdateId).toBe(108)
      await vi.advanceTimersByTimeAsync(59_999)
      expect(market.sockets.sockets).toHaveLength(2)
      await vi.advanceTimersByTimeAsync(1)
      expect(market.sockets.sockets).toHaveLength(3)
      market.stop()
    })

    it('abandons a replacement that never opens within the roll timeout', async () => {
      const market = await liveMarket({ livenessTimeoutMs: 0, rollTimeoutMs: 5_000 })
      market.socket.say(SHUTDOWN)
      await flush()
      const replacement = market.sockets.last()
      await vi.advanceTimersByTimeAsync(5_000)
      expect(replacement.readyState).toBe(3)
      expect(market.socket.readyState).toBe(1)
      market.stop()
    })
  })

  it('stop leaves no timer and no open socket', async () => {
    const market = await liveMarket({ maxConnectionAgeMs: 60_000 })
    await market.source.subscribe('ETH-USDT')
    const queued = market.source.subscribe('BTC-USDT') // waits behind the pacing interval
    market.socket.say(SHUTDOWN)
    await flush()
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    market.stop()
    await expect(queued).resolves.toBe(true)
    await flush()
    expect(vi.getTimerCount()).toBe(0)
    expect(market.sockets.sockets.every((socket) => socket.readyState === 3)).toBe(true)
    expect(market.source.health()).toBeUndefined()
  })
})
