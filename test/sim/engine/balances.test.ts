import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { createSimulatedExchange, type MatchingEngine } from '../../../src/sim/engine/index.ts'

const ASSETS = ['BTC', 'ETH', 'USDT'] as const

function holdings(engine: MatchingEngine): Record<string, string> {
  return Object.fromEntries(ASSETS.map((asset) => [asset, engine.ledger.totalOf(asset).plus(engine.feesCollected(asset)).toFixed()]))
}

describe('balances', () => {
  it('are conserved: across all accounts, each asset changes only by the fees the exchange took', () => {
    const { engine, marketMakers, testAccountId } = createSimulatedExchange({ seed: 11, now: () => 0 })
    const before = holdings(engine)
    for (let step = 0; step < 150; step += 1) {
      marketMakers.step()
      if (step % 10 === 0) {
        engine.placeOrder({ accountId: testAccountId, symbol: 'ETHBTC', side: step % 20 === 0 ? 'BUY' : 'SELL', type: 'MARKET', quantity: new Big('0.5') })
        engine.placeOrder({ accountId: testAccountId, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: new Big('2500') })
      }
    }
    expect(engine.fills().length).toBeGreaterThan(50)
    expect(ASSETS.every((asset) => engine.feesCollected(asset).gt(0))).toBe(true)
    expect(holdings(engine)).toEqual(before)
  })

  it('keep exactly what open orders need locked and never go negative', () => {
    const { engine, marketMakers } = createSimulatedExchange({ seed: 5, now: () => 0 })
    for (let step = 0; step < 100; step += 1) marketMakers.step()
    for (const accountId of engine.ledger.accountIds()) {
      const needed = new Map<string, Big>()
      for (const order of engine.openOrders(accountId)) {
        const market = engine.marketConfigs().find((config) => config.symbol === order.symbol)
        if (!market) throw new Error(`no market ${order.symbol}`)
        const remaining = order.originalQuantity.minus(order.executedQuantity)
        const [asset, amount] = order.side === 'BUY' ? [market.quoteAsset, remaining.times(order.price)] : [market.baseAsset, remaining]
        needed.set(asset, (needed.get(asset) ?? new Big(0)).plus(amount))
      }
      for (const balance of engine.ledger.balances(accountId)) {
        expect(balance.free.gte(0) && balance.locked.gte(0)).toBe(true)
        expect(balance.locked.toFixed(), `${accountId} ${balance.asset}`).toBe((needed.get(balance.asset) ?? new Big(0)).toFixed())
      }
    }
  })

  it('start the test account with 10 BTC, 100 ETH and 1,000,000 USDT', () => {
    const { engine, testAccountId } = createSimulatedExchange()
    expect(engine.ledger.balances(testAccountId).map((balance) => [balance.asset, balance.free.toFixed(), balance.locked.toFixed()])).toEqual([
      ['BTC', '10', '0'],
      ['ETH', '100', '0'],
      ['USDT', '1000000', '0'],
    ])
  })
})
