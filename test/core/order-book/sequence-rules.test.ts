import { describe, expect, it } from 'vitest'
import { contiguousUpdateIdRule, newerDiffsOnlyRule } from '../../../src/core/order-book/sequence-rules.ts'

const range = (firstUpdateId: number, updateId: number) => ({ firstUpdateId, updateId })

describe('contiguousUpdateIdRule (Binance U/u)', () => {
  it('ignores a diff whose last id is not newer than the book (u <= book id)', () => {
    expect(contiguousUpdateIdRule.classify(range(90, 100), 100, true)).toBe('ignore')
    expect(contiguousUpdateIdRule.classify(range(95, 99), 100, false)).toBe('ignore')
  })

  it('applies the first diff after a snapshot only when it straddles it (U <= id + 1 <= u)', () => {
    expect(contiguousUpdateIdRule.classify(range(95, 105), 100, true)).toBe('apply')
    expect(contiguousUpdateIdRule.classify(range(101, 101), 100, true)).toBe('apply')
    expect(contiguousUpdateIdRule.classify(range(102, 105), 100, true)).toBe('gap')
  })

  it('applies a later diff only when it starts right after the previous one (U == previous u + 1)', () => {
    expect(contiguousUpdateIdRule.classify(range(101, 104), 100, false)).toBe('apply')
    expect(contiguousUpdateIdRule.classify(range(103, 104), 100, false)).toBe('gap')
    // Overlapping diffs never come from Binance: treated as a broken stream.
    expect(contiguousUpdateIdRule.classify(range(99, 104), 100, false)).toBe('gap')
  })
})

describe('newerDiffsOnlyRule', () => {
  it('applies every newer diff and ignores older ones, never reporting a gap', () => {
    expect(newerDiffsOnlyRule.classify(range(500, 600), 100, false)).toBe('apply')
    expect(newerDiffsOnlyRule.classify(range(90, 100), 100, true)).toBe('ignore')
  })
})
