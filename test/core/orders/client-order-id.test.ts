import { describe, expect, it, vi } from 'vitest'
import { InvalidInputError } from '../../../src/core/errors.ts'
import {
  BINANCE_CLIENT_ORDER_ID_PATTERN,
  ClientOrderIdGenerator,
} from '../../../src/core/orders/client-order-id.ts'
import { ManualClock } from './helpers.ts'

const BINANCE_PREFIX = 'x-MG43PCSN'

describe('client order id', () => {
  it('get new client order id: starts with the prefix, the side and the pair hint', () => {
    const ids = new ClientOrderIdGenerator({ prefix: BINANCE_PREFIX, maxLength: 36 })
    expect(ids.next('BUY', 'BTC-USDT').startsWith('x-MG43PCSNBBCUT')).toBe(true)
    expect(ids.next('SELL', 'ETH-USDC').startsWith('x-MG43PCSNSEHUC')).toBe(true)
  })

  it('never yields the same id twice in 100k calls within one millisecond', () => {
    const ids = new ClientOrderIdGenerator({ prefix: BINANCE_PREFIX, maxLength: 36, clock: new ManualClock() })
    const seen = new Set<string>()
    for (let index = 0; index < 100_000; index += 1) seen.add(ids.next(index % 2 ? 'BUY' : 'SELL', 'BTC-USDT'))
    expect(seen.size).toBe(100_000)
  })

  it('stays unique from the nonce alone when randomness repeats and the clock steps back', () => {
    const random = vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => array)
    try {
      const clock = new ManualClock()
      const ids = new ClientOrderIdGenerator({ prefix: BINANCE_PREFIX, maxLength: 36, clock })
      const seen = new Set<string>()
      for (let index = 0; index < 2_000; index += 1) {
        if (index === 1_000) clock.advance(-60_000)
        seen.add(ids.next('BUY', 'BTC-USDT'))
      }
      expect(seen.size).toBe(2_000)
      expect(random).toHaveBeenCalled()
    } finally {
      random.mockRestore()
    }
  })

  it('uses only the characters Binance allows and at most 36 of them', () => {
    const ids = new ClientOrderIdGenerator({ prefix: BINANCE_PREFIX, maxLength: 36 })
    for (let index = 0; index < 1_000; index += 1) {
      const id = ids.next('SELL', '1000SHIB-USDT')
      expect(id).toMatch(BINANCE_CLIENT_ORDER_ID_PATTERN)
      expect(id.length).toBeLessThanOrEqual(36)
    }
  })

  it('fills the maximum length with randomness', () => {
    const ids = new ClientOrderIdGenerator({ prefix: BINANCE_PREFIX, maxLength: 36, randomLength: 64 })
    expect(ids.next('BUY', 'BTC-USDT')).toHaveLength(36)
  })

  it('drops randomness, then the pair hint, before it would cut the nonce', () => {
    const tight = new ClientOrderIdGenerator({ prefix: 'ab', maxLength: 17 })
    const id = tight.next('BUY', 'BTC-USDT')
    expect(id).toHaveLength(17)
    expect(id.startsWith('abBBCUT')).toBe(true)
    const tighter = new ClientOrderIdGenerator({ prefix: 'ab', maxLength: 14 })
    const shortId = tighter.next('BUY', 'BTC-USDT')
    expect(shortId).toHaveLength(14)
    expect(shortId.startsWith('abB')).toBe(true)
    expect(shortId.includes('BCUT')).toBe(false)
  })

  it('makes ids of prefix + 1 + 4 + 10 + 12 characters when there is no maximum', () => {
    expect(new ClientOrderIdGenerator({ prefix: 'p' }).next('BUY', 'BTC-USDT')).toHaveLength(28)
  })

  it('keeps nonces in time order, so ids from one generator sort by creation', () => {
    const clock = new ManualClock()
    const ids = new ClientOrderIdGenerator({ clock, randomLength: 0 })
    const first = ids.next('BUY', 'BTC-USDT')
    clock.advance(5)
    const second = ids.next('BUY', 'BTC-USDT')
    expect(first < second).toBe(true)
  })

  it('hints a pair whose asset names hold no letters or digits with XX', () => {
    expect(new ClientOrderIdGenerator().next('BUY', '$$-USDT').startsWith('BXXUT')).toBe(true)
  })

  it('refuses a prefix with characters exchanges reject', () => {
    expect(() => new ClientOrderIdGenerator({ prefix: 'bad prefix!' })).toThrow(InvalidInputError)
  })

  it('refuses a maximum length too short for prefix, side and nonce', () => {
    expect(() => new ClientOrderIdGenerator({ prefix: BINANCE_PREFIX, maxLength: 20 })).toThrow(/leaves no room/)
  })

  it('refuses a negative random length', () => {
    expect(() => new ClientOrderIdGenerator({ randomLength: -1 })).toThrow(InvalidInputError)
  })
})
