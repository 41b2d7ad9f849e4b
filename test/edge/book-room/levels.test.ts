// What the room publishes: plain decimal text for any double, and level differences that turn one
// published window into the next.
import { describe, expect, it } from 'vitest'
import { diffLevels, formatDecimal, type Level } from '../../../src/edge/book-room/levels.ts'

describe('formatDecimal', () => {
  it('writes numbers as plain decimals that read back as the same number', () => {
    const cases: [number, string][] = [
      [30000.01, '30000.01'],
      [0.05, '0.05'],
      [1e-7, '0.0000001'],
      [1.23e-8, '0.0000000123'],
      [2.5e21, '2500000000000000000000'],
      [0, '0'],
    ]
    for (const [value, text] of cases) {
      expect(formatDecimal(value)).toBe(text)
      expect(Number(formatDecimal(value))).toBe(value)
    }
  })
})

describe('diffLevels', () => {
  const apply = (book: Map<number, number>, changes: [string, string][]): Map<number, number> => {
    for (const [price, amount] of changes) {
      if (Number(amount) === 0) book.delete(Number(price))
      else book.set(Number(price), Number(amount))
    }
    return book
  }

  it('gives the changed, new and departed levels, so applying them turns the old window into the new', () => {
    const before: Level[] = [{ price: 10, amount: 1 }, { price: 9, amount: 2 }, { price: 8, amount: 3 }]
    const after: Level[] = [{ price: 11, amount: 1 }, { price: 10, amount: 1 }, { price: 9, amount: 5 }]
    const changes = diffLevels(before, after)
    expect(changes).toEqual([['11', '1'], ['9', '5'], ['8', '0']])
    const book = apply(new Map(before.map((level) => [level.price, level.amount])), changes)
    expect(book).toEqual(new Map(after.map((level) => [level.price, level.amount])))
  })

  it('gives nothing when nothing changed', () => {
    expect(diffLevels([{ price: 1, amount: 1 }], [{ price: 1, amount: 1 }])).toEqual([])
  })
})
