import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { createSimulatedExchange } from '../../../src/sim/engine/index.ts'

/** Runs a fixed script and returns everything observable, as plain JSON. */
function run(seed: number): string {
  const { engine, marketMakers, testAccountId } = createSimulatedExchange({ seed, now: () => 1 })
  for (let step = 0; step < 60; step += 1) {
    marketMakers.step()
    if (step % 15 === 0) engine.placeOrder({ accountId: testAccountId, symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: new Big('1') })
  }
  const books = engine.marketConfigs().map((market) => engine.book(market.symbol))
  return JSON.stringify({ fills: engine.fills(), books, orders: engine.orders() })
}

describe('determinism', () => {
  it('replays identically under the same seed: same fills, orders and books', () => {
    expect(run(42)).toBe(run(42))
  })

  it('produces a different market under a different seed', () => {
    expect(run(42)).not.toBe(run(43))
  })
})
