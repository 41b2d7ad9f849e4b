import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { engineWithAccounts, limitOrder, placed } from './engine-test-kit.ts'

describe('ground truth accessors', () => {
  it('expose the true book with its update id, best levels first and aggregated per price', () => {
    const { engine } = engineWithAccounts('alice', 'bob')
    engine.placeOrder(limitOrder('alice', 'BUY', '59000', '0.1'))
    engine.placeOrder(limitOrder('bob', 'BUY', '59000', '0.2'))
    engine.placeOrder(limitOrder('bob', 'BUY', '59500', '0.1'))
    engine.placeOrder(limitOrder('alice', 'SELL', '61000', '0.1'))
    engine.placeOrder(limitOrder('alice', 'SELL', '60500', '0.1'))
    const book = engine.book('BTCUSDT')
    expect(book.lastUpdateId).toBe(5)
    expect(book.bids.map((level) => [level.price.toFixed(), level.quantity.toFixed()])).toEqual([['59500', '0.1'], ['59000', '0.3']])
    expect(book.asks.map((level) => level.price.toFixed())).toEqual(['60500', '61000'])
    expect(engine.book('BTCUSDT', 1).bids).toHaveLength(1)
    expect(engine.book('ETHBTC')).toEqual({ symbol: 'ETHBTC', lastUpdateId: 0, bids: [], asks: [] })
  })

  it('find every order by client order id, including closed ones, and generate ids when none is given', () => {
    const { engine } = engineWithAccounts('alice', 'bob')
    engine.placeOrder(limitOrder('alice', 'SELL', '60000', '0.1', { clientOrderId: 'ask-1' }))
    const { order: generated } = placed(engine.placeOrder(limitOrder('bob', 'BUY', '60000', '0.1')))
    expect(generated.clientOrderId).toMatch(/^[A-Za-z0-9]{22}$/)
    expect(engine.orderByClientOrderId('BTCUSDT', 'ask-1')).toMatchObject({ accountId: 'alice', status: 'FILLED', orderId: 1 })
    expect(engine.orderByClientOrderId('BTCUSDT', generated.clientOrderId, 'bob')).toMatchObject({ status: 'FILLED', orderId: 2 })
    expect(engine.orderByClientOrderId('BTCUSDT', 'ask-1', 'bob')).toBeUndefined()
    expect(engine.orderByClientOrderId('BTCUSDT', 'missing')).toBeUndefined()
  })

  it('list every fill of both sides, every public trade, and the open orders per account', () => {
    const { engine } = engineWithAccounts('alice', 'bob')
    engine.placeOrder(limitOrder('alice', 'SELL', '60000', '0.1'))
    engine.placeOrder(limitOrder('alice', 'SELL', '60100', '0.1'))
    engine.placeOrder({ accountId: 'bob', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: new Big('0.15') })
    expect(engine.fills().map((fill) => [fill.tradeId, fill.accountId, fill.isMaker, fill.quantity.toFixed()])).toEqual([
      [1, 'bob', false, '0.1'],
      [1, 'alice', true, '0.1'],
      [2, 'bob', false, '0.05'],
      [2, 'alice', true, '0.05'],
    ])
    expect(engine.trades('BTCUSDT').map((trade) => [trade.tradeId, trade.price.toFixed(), trade.isBuyerMaker, trade.sellerOrderId])).toEqual([
      [1, '60000', false, 1],
      [2, '60100', false, 2],
    ])
    expect(engine.openOrders('alice').map((order) => [order.orderId, order.status, order.executedQuantity.toFixed()])).toEqual([[2, 'PARTIALLY_FILLED', '0.05']])
    expect(engine.openOrders('bob')).toEqual([])
    expect(engine.referencePrice('BTCUSDT')?.toFixed()).toBe('60100')
  })
})
