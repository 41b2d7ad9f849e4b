import Big from 'big.js'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { START_TIME, type StreamRig, startStreams, wireLevels } from './stream-test-kit.ts'

const referenceKeys = (name: string): string[] =>
  Object.keys(JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../shared/reference/binance/ws-streams/${name}`, import.meta.url)), 'utf8')) as object)

interface DiffPayload {
  e: string
  E: number
  s: string
  U: number
  u: number
  b: [string, string][]
  a: [string, string][]
}

type LocalSide = Map<string, string>

/** Binance's "manage a local order book" procedure, applied to buffered diffs and a snapshot. */
function replayOntoSnapshot(snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }, diffs: readonly DiffPayload[]) {
  const bids: LocalSide = new Map(snapshot.bids)
  const asks: LocalSide = new Map(snapshot.asks)
  let bookId = snapshot.lastUpdateId
  const remaining = diffs.filter((diff) => diff.u > bookId)
  const first = remaining[0]
  if (first) expect(first.U <= bookId + 1 && bookId + 1 <= first.u + 1).toBe(true)
  for (const diff of remaining) {
    expect(diff.U).toBeLessThanOrEqual(bookId + 1)
    for (const [side, levels] of [[bids, diff.b], [asks, diff.a]] as const) {
      for (const [price, quantity] of levels) {
        if (new Big(quantity).eq(0)) side.delete(price)
        else side.set(price, quantity)
      }
    }
    bookId = diff.u
  }
  const ordered = (side: LocalSide, descending: boolean): [string, string][] =>
    [...side.entries()].sort(([left], [right]) => new Big(left).cmp(new Big(right)) * (descending ? -1 : 1))
  return { lastUpdateId: bookId, bids: ordered(bids, true), asks: ordered(asks, false) }
}

function wireBook(rig: StreamRig, symbol: string, limit: number) {
  const book = rig.exchange.engine.book(symbol, limit)
  return { lastUpdateId: book.lastUpdateId, bids: wireLevels(book.bids), asks: wireLevels(book.asks) }
}

describe('diff depth streams', () => {
  it('@depth@100ms: continuous U = previous u + 1, and a replay onto a snapshot gives the true book', () => {
    const rig = startStreams(5)
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    const diffs: DiffPayload[] = []
    const runSteps = (count: number) => {
      for (let step = 0; step < count; step += 1) {
        rig.exchange.marketMakers.step()
        rig.advance(100)
        diffs.push(...(socket.take() as unknown as DiffPayload[]))
      }
    }
    runSteps(3)
    // The client's REST snapshot arrives while diffs are already buffering.
    const snapshot = wireBook(rig, 'BTCUSDT', 1000)
    runSteps(40)
    expect(diffs.length).toBeGreaterThan(30)
    expect(Object.keys(diffs[0] ?? {})).toEqual(referenceKeys('depthUpdate_diffDepth.json'))
    for (const [index, diff] of diffs.entries()) {
      expect(diff).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT' })
      expect(diff.U).toBeLessThanOrEqual(diff.u)
      if (index > 0) expect(diff.U).toBe((diffs[index - 1]?.u ?? 0) + 1)
    }
    expect(snapshot).not.toEqual(wireBook(rig, 'BTCUSDT', 1000))
    expect(replayOntoSnapshot(snapshot, diffs)).toEqual(wireBook(rig, 'BTCUSDT', 1000))
  })

  it('@depth merges a second of engine updates into one diff per market and skips quiet windows', () => {
    const rig = startStreams(9)
    const { socket } = rig.open('/stream?streams=ethusdt@depth/ethusdt@depth@100ms')
    const snapshot = wireBook(rig, 'ETHUSDT', 1000)
    const slowDiffs: DiffPayload[] = []
    for (let second = 0; second < 6; second += 1) {
      // Four maker steps inside each second, then a quiet second with no engine activity.
      for (let step = 0; step < 4; step += 1) {
        rig.exchange.marketMakers.step()
        rig.advance(100)
      }
      rig.advance(600)
      rig.advance(1000)
      const frames = socket.take() as unknown as { stream: string; data: DiffPayload }[]
      const slow = frames.filter((frame) => frame.stream === 'ethusdt@depth').map((frame) => frame.data)
      expect(slow).toHaveLength(1)
      expect(frames.filter((frame) => frame.stream === 'ethusdt@depth@100ms')).toHaveLength(4)
      expect(slow[0]?.E).toBe(rig.clock.now - 1000)
      slowDiffs.push(...slow)
    }
    for (const [index, diff] of slowDiffs.entries()) {
      if (index > 0) expect(diff.U).toBe((slowDiffs[index - 1]?.u ?? 0) + 1)
      expect(diff.u - diff.U).toBeGreaterThanOrEqual(3)
    }
    expect(replayOntoSnapshot(snapshot, slowDiffs)).toEqual(wireBook(rig, 'ETHUSDT', 1000))
  })
})

describe('partial book streams', () => {
  it('@depth5/10/20 equal the engine top N at each push, on their own cadence', () => {
    const rig = startStreams(3)
    const { socket } = rig.open('/stream?streams=btcusdt@depth5/btcusdt@depth10@100ms/ethbtc@depth20@100ms')
    for (let step = 0; step < 10; step += 1) {
      rig.exchange.marketMakers.step()
      rig.advance(100)
      const frames = socket.take()
      const expected = [
        { stream: 'btcusdt@depth10@100ms', data: wireBook(rig, 'BTCUSDT', 10) },
        { stream: 'ethbtc@depth20@100ms', data: wireBook(rig, 'ETHBTC', 20) },
      ]
      // The one-second stream follows on each whole second (START_TIME is a whole second).
      if (rig.clock.now % 1000 === 0) expected.push({ stream: 'btcusdt@depth5', data: wireBook(rig, 'BTCUSDT', 5) })
      expect(frames).toEqual(expected)
      expect(Object.keys(frames[0]?.['data'] as object)).toEqual(referenceKeys('partialBookDepth_depthN.json'))
    }
  })
})

describe('trade and bookTicker streams', () => {
  it('@trade sends one frame per engine trade, m true only when the buyer was the maker', () => {
    const rig = startStreams(4)
    const { socket } = rig.open('/ws/btcusdt@trade')
    const { engine, testAccountId } = rig.exchange
    const top = engine.book('BTCUSDT', 1)
    const bestAsk = top.asks[0]?.price ?? new Big(0)
    const bestBid = top.bids[0]?.price ?? new Big(0)
    rig.clock.now += 7
    engine.placeOrder({ accountId: testAccountId, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: bestAsk, quantity: new Big('0.001') })
    engine.placeOrder({ accountId: testAccountId, symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', price: bestBid, quantity: new Big('0.002') })
    const trades = engine.trades('BTCUSDT').slice(-2)
    expect(socket.take()).toEqual([
      { e: 'trade', E: START_TIME + 7, s: 'BTCUSDT', t: trades[0]?.tradeId, p: bestAsk.toFixed(8), q: '0.00100000', T: START_TIME + 7, m: false, M: true },
      { e: 'trade', E: START_TIME + 7, s: 'BTCUSDT', t: trades[1]?.tradeId, p: bestBid.toFixed(8), q: '0.00200000', T: START_TIME + 7, m: true, M: true },
    ])
    expect(Object.keys(JSON.parse(socket.sent[0] ?? '{}'))).toEqual(referenceKeys('trade.json'))
    for (let step = 0; step < 30; step += 1) rig.exchange.marketMakers.step()
    const laterTrades = engine.trades('BTCUSDT').filter((trade) => trade.tradeId > (trades[1]?.tradeId ?? 0))
    const frames = socket.take()
    expect(laterTrades.length).toBeGreaterThan(0)
    expect(frames.map((frame) => [frame['t'], frame['m']])).toEqual(laterTrades.map((trade) => [trade.tradeId, trade.isBuyerMaker]))
  })

  it('@bookTicker follows the best bid and ask in real time with the book update id', () => {
    const rig = startStreams(6)
    const { socket } = rig.open('/ws/ethusdt@bookTicker')
    for (let step = 0; step < 10; step += 1) {
      rig.exchange.marketMakers.step()
      const frames = socket.take()
      const book = rig.exchange.engine.book('ETHUSDT', 1)
      const [bid, ask] = [wireLevels(book.bids)[0], wireLevels(book.asks)[0]]
      const last = frames.at(-1)
      // u names the update that last moved the top, which may be older than the book's own id.
      expect(last).toEqual({ u: expect.any(Number), s: 'ETHUSDT', b: bid?.[0], B: bid?.[1], a: ask?.[0], A: ask?.[1] })
      expect(last?.['u']).toBeLessThanOrEqual(book.lastUpdateId)
      const updateIds = frames.map((frame) => frame['u'] as number)
      expect(updateIds).toEqual([...updateIds].sort((left, right) => left - right))
      expect(Object.keys(last ?? {})).toEqual(referenceKeys('bookTicker.json'))
    }
    // A change away from the top of the book doesn't move the ticker, so nothing is sent.
    const { engine, testAccountId } = rig.exchange
    engine.placeOrder({ accountId: testAccountId, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: new Big('100'), quantity: new Big('0.1') })
    expect(socket.take()).toEqual([])
  })
})
