import { describe, expect, it } from 'vitest'
import { createSimulatedExchange } from '../../../src/sim/engine/index.ts'

describe('synthetic market makers', () => {
  it('keep every seeded market two-sided and uncrossed for many steps, and make trades print', () => {
    const { engine, marketMakers } = createSimulatedExchange({ seed: 3, now: () => 0 })
    const symbols = engine.marketConfigs().map((market) => market.symbol)
    expect(symbols).toEqual(['BTCUSDT', 'ETHUSDT', 'ETHBTC'])
    for (let step = 0; step < 300; step += 1) {
      marketMakers.step()
      for (const symbol of symbols) {
        const { bids, asks } = engine.book(symbol)
        const bestBid = bids[0]
        const bestAsk = asks[0]
        if (!bestBid || !bestAsk) throw new Error(`${symbol} is one-sided after step ${step}`)
        expect(bestBid.price.lt(bestAsk.price), `${symbol} crossed at step ${step}`).toBe(true)
      }
    }
    for (const symbol of symbols) expect(engine.trades(symbol).length, symbol).toBeGreaterThan(30)
  })

  it('move the mid over time and quote around it', () => {
    const { engine, marketMakers } = createSimulatedExchange({ seed: 9, now: () => 0 })
    const start = marketMakers.midPrice('BTCUSDT')
    for (let step = 0; step < 50; step += 1) marketMakers.step()
    const mid = marketMakers.midPrice('BTCUSDT')
    expect(mid?.eq(start ?? 0)).toBe(false)
    const { bids, asks } = engine.book('BTCUSDT')
    expect(bids[0]?.price.lte(mid ?? 0) && asks[0]?.price.gte(mid ?? 0)).toBe(true)
  })

  it('do not quote across a user order; that rung simply stays empty', () => {
    const { engine, marketMakers, testAccountId } = createSimulatedExchange({ seed: 4, now: () => 0 })
    const bestAsk = engine.book('BTCUSDT').asks[0]
    if (!bestAsk) throw new Error('no asks')
    // A user bid above the makers' whole ask ladder would be crossed by any new maker ask.
    const highBid = bestAsk.price.times(0.999).round(2)
    engine.placeOrder({ accountId: testAccountId, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: highBid, quantity: bestAsk.quantity.div(1000).round(5).plus('0.0001') })
    for (let step = 0; step < 20; step += 1) {
      marketMakers.step()
      const book = engine.book('BTCUSDT')
      expect(book.bids[0] && book.asks[0] && book.bids[0].price.lt(book.asks[0].price)).toBe(true)
    }
  })
})
