import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { engineWithAccounts, expectRejected, limitOrder } from './engine-test-kit.ts'

describe('order filters and order-placement failures', () => {
  const { engine } = engineWithAccounts('alice')

  it('rejects prices off the tick or out of range with -1013 PRICE_FILTER', () => {
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '60000.001', '0.1')), -1013, 'Filter failure: PRICE_FILTER')
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '0', '0.1')), -1013, 'Filter failure: PRICE_FILTER')
    expectRejected(engine.placeOrder(limitOrder('alice', 'SELL', '1000000.01', '0.00001')), -1013, 'Filter failure: PRICE_FILTER')
  })

  it('rejects quantities off the step or out of range with -1013 LOT_SIZE', () => {
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '60000', '0.000015')), -1013, 'Filter failure: LOT_SIZE')
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '60000', '0.000001')), -1013, 'Filter failure: LOT_SIZE')
    expectRejected(engine.placeOrder(limitOrder('alice', 'SELL', '60000', '9000.00001')), -1013, 'Filter failure: LOT_SIZE')
  })

  it('rejects a MARKET quantity above the market maximum with -1013 MARKET_LOT_SIZE', () => {
    const result = engine.placeOrder({ accountId: 'alice', symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: new Big('100.00001') })
    expectRejected(result, -1013, 'Filter failure: MARKET_LOT_SIZE')
  })

  it('rejects a notional below the minimum with -1013 NOTIONAL, for limits and quoteOrderQty', () => {
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '100', '0.0001')), -1013, 'Filter failure: NOTIONAL')
    const market = engine.placeOrder({ accountId: 'alice', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: new Big('4.99') })
    expectRejected(market, -1013, 'Filter failure: NOTIONAL')
  })

  it('checks filters in Binance order: price, then quantity, then notional', () => {
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '0.001', '0.000001')), -1013, 'Filter failure: PRICE_FILTER')
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '0.01', '0.000001')), -1013, 'Filter failure: LOT_SIZE')
  })

  it('rejects an order the account cannot pay for with -2010 and locks nothing', () => {
    expectRejected(engine.placeOrder(limitOrder('alice', 'SELL', '60000', '10.00001')), -2010, 'Account has insufficient balance for requested action.')
    expectRejected(engine.placeOrder(limitOrder('nobody', 'BUY', '60000', '0.1')), -2010, 'Account has insufficient balance for requested action.')
    expect(engine.ledger.balance('alice', 'BTC').locked.toFixed()).toBe('0')
    expect(engine.openOrders('alice')).toEqual([])
  })

  it('names missing or unwanted parameters and unknown symbols', () => {
    expectRejected(engine.placeOrder({ accountId: 'alice', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: new Big('1') }), -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.")
    expectRejected(engine.placeOrder({ accountId: 'alice', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' }), -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
    expectRejected(engine.placeOrder({ accountId: 'alice', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: new Big('1'), price: new Big('1') }), -1106, "Parameter 'price' sent when not required.")
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '60000', '0.1', { symbol: 'DOGEUSDT' })), -1121, 'Invalid symbol.')
  })
})
