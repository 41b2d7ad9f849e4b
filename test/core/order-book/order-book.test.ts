import { describe, expect, it } from 'vitest'
import { InvalidInputError } from '../../../src/core/errors.ts'
import { OrderBook } from '../../../src/core/order-book/order-book.ts'

type Level = [string, string]

function prices(rows: readonly { price: number }[]): number[] {
  return rows.map((row) => row.price)
}

function bookWith(bids: Level[], asks: Level[], updateId = 100): OrderBook {
  const book = new OrderBook()
  book.applySnapshot(bids, asks, updateId)
  return book
}

/** A copy of everything a reader can see, to prove a failed update changed nothing. */
function visibleState(book: OrderBook): unknown {
  return {
    bids: book.bids().map((row) => ({ ...row })),
    asks: book.asks().map((row) => ({ ...row })),
    lastUpdateId: book.lastUpdateId,
    snapshotUpdateId: book.snapshotUpdateId,
  }
}

describe('OrderBook', () => {
  describe('snapshots', () => {
    it('orders bids highest first and asks lowest first, whatever the input order', () => {
      const book = bookWith(
        [['99.5', '1'], ['100.25', '2'], ['98', '3']],
        [['101.75', '1'], ['100.5', '2'], ['102', '3']],
        1027024,
      )
      expect(prices(book.bids())).toEqual([100.25, 99.5, 98])
      expect(prices(book.asks())).toEqual([100.5, 101.75, 102])
      expect(book.bids(1)).toEqual([{ price: 100.25, amount: 2, updateId: 1027024 }])
      expect(book.lastUpdateId).toBe(1027024)
      expect(book.snapshotUpdateId).toBe(1027024)
    })

    it('reads the documented Binance depth snapshot', () => {
      // rest/GET_api_v3_depth.json
      const book = bookWith([['4.00000000', '431.00000000']], [['4.00000200', '12.00000000']], 1027024)
      expect(book.bestBid).toEqual({ price: 4, amount: 431, updateId: 1027024 })
      expect(book.bestAsk).toEqual({ price: 4.000002, amount: 12, updateId: 1027024 })
    })

    it('accepts numbers as well as decimal strings and ignores extra elements in a level', () => {
      const book = new OrderBook()
      book.applySnapshot([[100, 2, 'ignored'], ['99', 1]], [['101', '3', 7]], 5)
      expect(book.bids()).toEqual([
        { price: 100, amount: 2, updateId: 5 },
        { price: 99, amount: 1, updateId: 5 },
      ])
      expect(book.asks()).toEqual([{ price: 101, amount: 3, updateId: 5 }])
    })

    it('skips zero amounts and lets a later row for the same price win', () => {
      const book = bookWith([['100', '1'], ['99', '0.00000000'], ['100', '4']], [['101', '2']])
      expect(book.bids()).toEqual([{ price: 100, amount: 4, updateId: 100 }])
    })

    it('replaces the whole book on a new snapshot', () => {
      const book = bookWith([['100', '1'], ['99', '1']], [['101', '1']], 100)
      book.applyDiffs([['98', '5']], [], 101)
      book.applySnapshot([['90', '1']], [['95', '2']], 200)
      expect(book.bids()).toEqual([{ price: 90, amount: 1, updateId: 200 }])
      expect(book.asks()).toEqual([{ price: 95, amount: 2, updateId: 200 }])
      expect(book.lastUpdateId).toBe(200)
    })

    it('applies a crossed snapshot as given (it is the exchange state, not an update)', () => {
      const book = bookWith([['101', '1']], [['100', '1']])
      expect(book.bestBid?.price).toBe(101)
      expect(book.bestAsk?.price).toBe(100)
    })
  })

  describe('diffs', () => {
    it('sets amounts, inserts new levels in price order and removes a level whose amount is 0', () => {
      const book = bookWith([['100', '1'], ['99', '1'], ['98', '1']], [['101', '1'], ['102', '1']], 100)
      book.applyDiffs([['99', '0'], ['100', '2.5'], ['99.5', '3'], ['97', '1']], [['101.5', '4'], ['102', '0.00000000']], 101)
      expect(book.bids()).toEqual([
        { price: 100, amount: 2.5, updateId: 101 },
        { price: 99.5, amount: 3, updateId: 101 },
        { price: 98, amount: 1, updateId: 100 },
        { price: 97, amount: 1, updateId: 101 },
      ])
      expect(book.asks()).toEqual([
        { price: 101, amount: 1, updateId: 100 },
        { price: 101.5, amount: 4, updateId: 101 },
      ])
    })

    it('ignores the removal of a level it does not hold', () => {
      const book = bookWith([['100', '1']], [['101', '1']])
      book.applyDiffs([['99', '0']], [['105', '0']], 101)
      expect(prices(book.bids())).toEqual([100])
      expect(prices(book.asks())).toEqual([101])
    })

    it("sets lastUpdateId to the diff's id and keeps the snapshot's id", () => {
      const book = bookWith([['100', '1']], [['101', '1']], 100)
      book.applyDiffs([], [], 107)
      expect(book.lastUpdateId).toBe(107)
      expect(book.snapshotUpdateId).toBe(100)
    })

    it('keeps both sides sorted through many inserts and removals, near the top and deep', () => {
      // A reference model checks the book through growth past its initial capacity and long shifts.
      const book = new OrderBook()
      const reference = new Map<number, number>()
      let seed = 7
      const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647)
      for (let updateId = 1; updateId <= 3000; updateId++) {
        const price = 1000 + Math.floor(random() * 800) / 4
        const amount = random() < 0.3 ? 0 : Math.ceil(random() * 100) / 10
        book.applyDiffs([[price, amount]], [], updateId)
        if (amount === 0) reference.delete(price)
        else reference.set(price, amount)
      }
      const expected = [...reference].sort((a, b) => b[0] - a[0])
      expect(book.bids().map((row) => [row.price, row.amount])).toEqual(expected)
      expect(book.bidCount).toBe(expected.length)
      expect(book.askCount).toBe(0)
    })
  })

  describe('crossed book after diffs', () => {
    it('removes the older ask levels when a newer bid crosses them', () => {
      const book = bookWith([['100', '1']], [['101', '1'], ['102', '1'], ['103', '1']], 100)
      book.applyDiffs([['102', '5']], [], 101)
      expect(book.bestBid).toEqual({ price: 102, amount: 5, updateId: 101 })
      expect(prices(book.asks())).toEqual([103])
    })

    it('removes the older bid levels when a newer ask crosses them', () => {
      const book = bookWith([['100', '1'], ['99', '1'], ['98', '1']], [['101', '1']], 100)
      book.applyDiffs([], [['99', '2']], 101)
      expect(book.bestAsk).toEqual({ price: 99, amount: 2, updateId: 101 })
      expect(prices(book.bids())).toEqual([98])
    })

    it('removes the bid when both crossing levels come from the same update (Hummingbot rule)', () => {
      const book = bookWith([], [])
      book.applyDiffs([['101', '1']], [['100', '1']], 5)
      expect(book.bestBid).toBeNull()
      expect(book.bestAsk?.price).toBe(100)
    })
  })

  describe('reading', () => {
    it('gives the best bid and ask, or null for an empty side', () => {
      const book = new OrderBook()
      expect(book.bestBid).toBeNull()
      expect(book.bestAsk).toBeNull()
      book.applySnapshot([['100', '1'], ['99', '1']], [], 1)
      expect(book.bestBid).toEqual({ price: 100, amount: 1, updateId: 1 })
      expect(book.bestAsk).toBeNull()
    })

    it('returns at most n rows, all rows without n, and none for 0 or a negative n', () => {
      const book = bookWith([['100', '1'], ['99', '1'], ['98', '1']], [['101', '1'], ['102', '1']])
      expect(prices(book.bids(2))).toEqual([100, 99])
      expect(prices(book.asks(10))).toEqual([101, 102])
      expect(prices(book.bids())).toEqual([100, 99, 98])
      expect(book.bids(0)).toEqual([])
      expect(book.asks(-3)).toEqual([])
      expect(prices(book.bids(2.7))).toEqual([100, 99])
    })

    it('returns the same array for repeated reads until a change reaches the rows it holds', () => {
      const book = bookWith([['100', '1'], ['99', '1'], ['98', '1'], ['97', '1']], [['101', '1']])
      const top = book.bids(2)
      expect(book.bids(2)).toBe(top)
      book.applyDiffs([['97', '3'], ['96', '1'], ['98', '0']], [], 101) // below the top two
      expect(book.bids(2)).toBe(top)
      book.applyDiffs([['99', '2']], [], 102)
      const changed = book.bids(2)
      expect(changed).not.toBe(top)
      expect(changed).toEqual([
        { price: 100, amount: 1, updateId: 100 },
        { price: 99, amount: 2, updateId: 102 },
      ])
      expect(changed[0]).toBe(top[0]) // the unchanged level keeps its row object
    })

    it('never changes an array or row handed out earlier', () => {
      const book = bookWith([['100', '1'], ['99', '1']], [['101', '1']])
      const before = book.bids(5)
      const beforeCopy = before.map((row) => ({ ...row }))
      book.applyDiffs([['100', '0'], ['99', '7'], ['99.5', '1']], [], 101)
      expect(before).toEqual(beforeCopy)
      expect(prices(book.bids(5))).toEqual([99.5, 99])
    })

    it('rebuilds when a different depth is asked for', () => {
      const book = bookWith([['100', '1'], ['99', '1'], ['98', '1']], [])
      expect(book.bids(1)).toHaveLength(1)
      expect(book.bids(3)).toHaveLength(3)
      expect(book.bids(2)).toHaveLength(2)
    })

    it('empties both sides and forgets ids on clear, keeping the last trade price', () => {
      const book = bookWith([['100', '1']], [['101', '1']], 9)
      book.applyTrade({ price: '100.5' })
      book.clear()
      expect(book.bids()).toEqual([])
      expect(book.asks()).toEqual([])
      expect(book.lastUpdateId).toBe(0)
      expect(book.snapshotUpdateId).toBe(0)
      expect(book.lastTradePrice).toBe(100.5)
    })
  })

  describe('invalid input', () => {
    const badLevels: { name: string; level: unknown }[] = [
      { name: 'a non-numeric price', level: ['abc', '1'] },
      { name: 'a zero price', level: ['0', '1'] },
      { name: 'a negative amount', level: ['100', '-1'] },
      { name: 'a blank amount', level: ['100', ' '] },
      { name: 'a missing amount', level: ['100'] },
      { name: 'an infinite price', level: [Number.POSITIVE_INFINITY, '1'] },
      { name: 'a level that is not an array', level: null },
    ]
    for (const { name, level } of badLevels) {
      it(`rejects ${name} with InvalidInputError and leaves the book untouched`, () => {
        const book = bookWith([['100', '1']], [['101', '1']], 100)
        const before = visibleState(book)
        // The bad level comes after a good one on the other side: nothing may be half-applied.
        const badDiff = (): void => book.applyDiffs([['99', '5']], [['102', '1'], level as [string, string]], 101)
        expect(badDiff).toThrow(InvalidInputError)
        expect(visibleState(book)).toEqual(before)
        expect(() => book.applySnapshot([['99', '5']], [level as [string, string]], 200)).toThrow(InvalidInputError)
        expect(visibleState(book)).toEqual(before)
      })
    }

    it('rejects sides that are not arrays', () => {
      const book = bookWith([['100', '1']], [], 100)
      expect(() => book.applyDiffs([], 'x' as unknown as [string, string][], 101)).toThrow(InvalidInputError)
      expect(prices(book.bids())).toEqual([100])
    })

    it('rejects an update id that is not a finite number', () => {
      const book = bookWith([['100', '1']], [], 100)
      expect(() => book.applyDiffs([['99', '1']], [], Number.NaN)).toThrow(InvalidInputError)
      expect(() => book.applySnapshot([], [], Number.POSITIVE_INFINITY)).toThrow(InvalidInputError)
      expect(prices(book.bids())).toEqual([100])
    })

    it('handles updates larger than its scratch buffer', () => {
      const levels: Level[] = []
      for (let index = 0; index < 500; index++) levels.push([String(1000 - index), '1'])
      const book = bookWith(levels, [])
      expect(book.bidCount).toBe(500)
      expect(book.bestBid?.price).toBe(1000)
    })
  })

  describe('trades', () => {
    it('keeps the last trade price and its time', () => {
      const book = new OrderBook()
      expect(book.lastTradePrice).toBeNull()
      book.applyTrade({ price: '30000.01', timestamp: 1_700_000_000_000 })
      book.applyTrade({ price: 30000.5 })
      expect(book.lastTradePrice).toBe(30000.5)
      expect(book.lastTradeTimestamp).toBeNull()
    })

    it('rejects a trade without a positive price and keeps the previous one', () => {
      const book = new OrderBook()
      book.applyTrade({ price: '10', timestamp: 1 })
      expect(() => book.applyTrade({ price: 'x' })).toThrow(InvalidInputError)
      expect(book.lastTradePrice).toBe(10)
      expect(book.lastTradeTimestamp).toBe(1)
    })
  })

  describe('walking the book for a volume', () => {
    // asks 101 x 1, 102 x 2, 104 x 1; bids 100 x 1, 99 x 3
    const sample = (): OrderBook =>
      bookWith([['100', '1'], ['99', '3']], [['101', '1'], ['102', '2'], ['104', '1']])

    it('gives the worst price a buy of a volume reaches, walking the asks', () => {
      expect(sample().priceForVolume('buy', 2)).toEqual({
        price: 102,
        filledVolume: 2,
        filledQuoteVolume: 203,
        isComplete: true,
      })
      expect(sample().priceForVolume('buy', 1).price).toBe(101)
    })

    it('gives the worst price a sell of a volume reaches, walking the bids', () => {
      expect(sample().priceForVolume('sell', 2.5)).toEqual({
        price: 99,
        filledVolume: 2.5,
        filledQuoteVolume: 248.5,
        isComplete: true,
      })
    })

    it('gives the volume-weighted average price for a volume', () => {
      const result = sample().vwapForVolume('buy', 3)
      expect(result.price).toBeCloseTo(305 / 3, 12)
      expect(result.filledQuoteVolume).toBe(305)
      expect(result.isComplete).toBe(true)
    })

    it('fills what a thin book holds and says it is incomplete', () => {
      const worst = sample().priceForVolume('buy', 10)
      expect(worst).toEqual({ price: 104, filledVolume: 4, filledQuoteVolume: 409, isComplete: false })
      const average = sample().vwapForVolume('sell', 10)
      expect(average).toEqual({ price: 397 / 4, filledVolume: 4, filledQuoteVolume: 397, isComplete: false })
    })

    it('gives the worst price and the base filled for a quote volume', () => {
      const result = sample().priceForQuoteVolume('buy', 203)
      expect(result).toEqual({ price: 102, filledVolume: 2, filledQuoteVolume: 203, isComplete: true })
      expect(sample().priceForQuoteVolume('buy', 1000).isComplete).toBe(false)
    })

    it('returns no price for an empty side or a size that is not positive', () => {
      const empty = { price: null, filledVolume: 0, filledQuoteVolume: 0, isComplete: false }
      expect(new OrderBook().priceForVolume('buy', 1)).toEqual(empty)
      expect(sample().vwapForVolume('sell', 0)).toEqual(empty)
      expect(sample().priceForQuoteVolume('sell', -5)).toEqual(empty)
    })
  })
})
