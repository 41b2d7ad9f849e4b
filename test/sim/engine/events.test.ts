import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { createSimulatedExchange, type DepthUpdateEvent, type EngineEvent } from '../../../src/sim/engine/index.ts'
import { FIXED_TIME, engineWithAccounts, limitOrder } from './engine-test-kit.ts'

describe('engine events', () => {
  it('report a taker order as NEW, then each trade with both sides, then the depth diff, then balances', () => {
    const { engine, events } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'SELL', '60000', '0.1'))
    events.length = 0

    engine.placeOrder(limitOrder('taker', 'BUY', '60000', '0.05', { clientOrderId: 'taker-1' }))

    expect(events.map((event) => (event.type === 'orderUpdate' ? `${event.accountId}:${event.executionType}:${event.order.status}` : event.type))).toEqual([
      'taker:NEW:NEW',
      'trade',
      'taker:TRADE:FILLED',
      'maker:TRADE:PARTIALLY_FILLED',
      'depthUpdate',
      'balanceUpdate',
      'balanceUpdate',
    ])
    const takerTrade = events[2]
    expect(takerTrade?.type === 'orderUpdate' && {
      clientOrderId: takerTrade.order.clientOrderId,
      lastExecutedQuantity: takerTrade.lastExecutedQuantity.toFixed(),
      lastExecutedPrice: takerTrade.lastExecutedPrice.toFixed(),
      lastQuoteQuantity: takerTrade.lastQuoteQuantity.toFixed(),
      commission: takerTrade.commission.toFixed(),
      commissionAsset: takerTrade.commissionAsset,
      isMaker: takerTrade.isMaker,
      tradeId: takerTrade.tradeId,
      time: takerTrade.time,
    }).toEqual({ clientOrderId: 'taker-1', lastExecutedQuantity: '0.05', lastExecutedPrice: '60000', lastQuoteQuantity: '3000', commission: '0.00005', commissionAsset: 'BTC', isMaker: false, tradeId: 1, time: FIXED_TIME })
    const depth = events[4]
    expect(depth?.type === 'depthUpdate' && depth.asks.map((level) => [level.price.toFixed(), level.quantity.toFixed()])).toEqual([['60000', '0.05']])
    const takerBalances = events.find((event) => event.type === 'balanceUpdate' && event.accountId === 'taker')
    expect(takerBalances?.type === 'balanceUpdate' && takerBalances.balances.map((balance) => [balance.asset, balance.free.toFixed(), balance.locked.toFixed()])).toEqual([
      ['USDT', '997000', '0'],
      ['BTC', '10.04995', '0'],
    ])
  })

  it('report a cancel with the original client order id and a depth diff that removes the level', () => {
    const { engine, events } = engineWithAccounts('alice')
    engine.placeOrder(limitOrder('alice', 'BUY', '50000', '0.1', { clientOrderId: 'bid' }))
    events.length = 0
    engine.cancelOrder({ accountId: 'alice', symbol: 'BTCUSDT', clientOrderId: 'bid' })
    expect(events[0]).toMatchObject({ type: 'orderUpdate', executionType: 'CANCELED', originalClientOrderId: 'bid', order: { status: 'CANCELED', isOnBook: false } })
    expect(events[1]?.type === 'depthUpdate' && events[1].bids.map((level) => [level.price.toFixed(), level.quantity.toFixed()])).toEqual([['50000', '0']])
  })

  it('carry gap-free sequence numbers and per-market update ids that rebuild the true book', () => {
    const { engine, marketMakers, testAccountId } = createSimulatedExchange({ seed: 21, now: () => 0 })
    const events: EngineEvent[] = []
    const firstBooks = new Map(engine.marketConfigs().map((market) => [market.symbol, engine.book(market.symbol)]))
    engine.subscribe((event) => events.push(event))
    for (let step = 0; step < 80; step += 1) {
      marketMakers.step()
      if (step % 20 === 0) engine.placeOrder({ accountId: testAccountId, symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: new Big('0.2') })
    }

    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => (events[0]?.sequence ?? 0) + index))
    for (const [symbol, snapshot] of firstBooks) {
      const diffs = events.filter((event): event is DepthUpdateEvent => event.type === 'depthUpdate' && event.symbol === symbol)
      expect(diffs.length).toBeGreaterThan(0)
      let lastId = snapshot.lastUpdateId
      const local = { bids: new Map<string, string>(), asks: new Map<string, string>() }
      for (const level of snapshot.bids) local.bids.set(level.price.toFixed(), level.quantity.toFixed())
      for (const level of snapshot.asks) local.asks.set(level.price.toFixed(), level.quantity.toFixed())
      for (const diff of diffs) {
        // Binance's rule for a local book: each diff's U is the previous u + 1.
        expect(diff.firstUpdateId).toBe(lastId + 1)
        lastId = diff.finalUpdateId
        for (const [side, levels] of [['bids', diff.bids], ['asks', diff.asks]] as const) {
          for (const level of levels) {
            if (level.quantity.eq(0)) local[side].delete(level.price.toFixed())
            else local[side].set(level.price.toFixed(), level.quantity.toFixed())
          }
        }
      }
      const truth = engine.book(symbol)
      expect(truth.lastUpdateId).toBe(lastId)
      const sorted = (levels: Map<string, string>, descending: boolean) =>
        [...levels].sort(([a], [b]) => (new Big(a).lt(b) === descending ? 1 : -1))
      expect(sorted(local.bids, true)).toEqual(truth.bids.map((level) => [level.price.toFixed(), level.quantity.toFixed()]))
      expect(sorted(local.asks, false)).toEqual(truth.asks.map((level) => [level.price.toFixed(), level.quantity.toFixed()]))
    }
  })

  it('keep publishing to other listeners when one throws', () => {
    const { engine } = engineWithAccounts('alice')
    const received: string[] = []
    engine.subscribe(() => {
      throw new Error('broken socket')
    })
    engine.subscribe((event) => received.push(event.type))
    expect(engine.placeOrder(limitOrder('alice', 'BUY', '50000', '0.1')).ok).toBe(true)
    expect(received).toEqual(['orderUpdate', 'depthUpdate', 'balanceUpdate'])
  })
})
