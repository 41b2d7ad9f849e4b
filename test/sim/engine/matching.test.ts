import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { balanceOf, engineWithAccounts, expectRejected, limitOrder, placed, plain } from './engine-test-kit.ts'

describe('matching engine', () => {
  it('fills the best price first and, at one price, the oldest order first', () => {
    const { engine } = engineWithAccounts('alice', 'bob', 'carol', 'taker')
    const alice = placed(engine.placeOrder(limitOrder('alice', 'SELL', '60000', '0.1'))).order
    const bob = placed(engine.placeOrder(limitOrder('bob', 'SELL', '60000', '0.1'))).order
    const carol = placed(engine.placeOrder(limitOrder('carol', 'SELL', '59999.99', '0.1'))).order

    const { order, fills } = placed(engine.placeOrder(limitOrder('taker', 'BUY', '60000', '0.25')))

    expect(fills.map((fill) => [plain(fill.price), plain(fill.quantity)])).toEqual([
      ['59999.99', '0.1'],
      ['60000', '0.1'],
      ['60000', '0.05'],
    ])
    expect(order.status).toBe('FILLED')
    expect(engine.queryOrder({ accountId: 'carol', symbol: 'BTCUSDT', orderId: carol.orderId })).toMatchObject({ order: { status: 'FILLED' } })
    expect(engine.queryOrder({ accountId: 'alice', symbol: 'BTCUSDT', orderId: alice.orderId })).toMatchObject({ order: { status: 'FILLED' } })
    const bobNow = engine.queryOrder({ accountId: 'bob', symbol: 'BTCUSDT', orderId: bob.orderId })
    expect(bobNow.ok && [bobNow.order.status, plain(bobNow.order.executedQuantity)]).toEqual(['PARTIALLY_FILLED', '0.05'])
    expect(engine.book('BTCUSDT').asks.map((level) => [plain(level.price), plain(level.quantity)])).toEqual([['60000', '0.05']])
  })

  it('sweeps several levels and rests the remainder of a GTC order at its limit price', () => {
    const { engine } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'SELL', '60000', '0.1'))
    engine.placeOrder(limitOrder('maker', 'SELL', '60001', '0.1'))
    engine.placeOrder(limitOrder('maker', 'SELL', '60005', '0.1'))

    const { order, fills } = placed(engine.placeOrder(limitOrder('taker', 'BUY', '60001', '0.3')))

    expect(fills).toHaveLength(2)
    expect([order.status, plain(order.executedQuantity), plain(order.cumulativeQuoteQuantity), order.isOnBook]).toEqual(['PARTIALLY_FILLED', '0.2', '12000.1', true])
    const book = engine.book('BTCUSDT')
    expect(book.bids.map((level) => [plain(level.price), plain(level.quantity)])).toEqual([['60001', '0.1']])
    expect(book.asks.map((level) => plain(level.price))).toEqual(['60005'])
    // Locked is exactly price × remaining: the part that filled below the limit was not over-locked.
    expect(balanceOf(engine, 'taker', 'USDT')).toEqual({ free: '981999.8', locked: '6000.1' })
  })

  it('trades an account against its own resting order (self-trade prevention NONE)', () => {
    const { engine } = engineWithAccounts('alice')
    engine.placeOrder(limitOrder('alice', 'SELL', '60000', '0.1'))
    const { order, fills } = placed(engine.placeOrder(limitOrder('alice', 'BUY', '60000', '0.1')))

    expect(order.status).toBe('FILLED')
    expect(engine.fills().map((fill) => [fill.accountId, fill.isBuyer, fill.isMaker])).toEqual([
      ['alice', true, false],
      ['alice', false, true],
    ])
    expect(fills[0]?.commission.toFixed()).toBe('0.0001')
    // Only the two commissions are gone: 0.0001 BTC (taker buy) and 6 USDT (maker sell).
    expect(balanceOf(engine, 'alice', 'BTC')).toEqual({ free: '9.9999', locked: '0' })
    expect(balanceOf(engine, 'alice', 'USDT')).toEqual({ free: '999994', locked: '0' })
  })

  it('expires the unfilled rest of an IOC order and releases its lock', () => {
    const { engine } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'SELL', '60000', '0.1'))
    const { order } = placed(engine.placeOrder(limitOrder('taker', 'BUY', '60000', '0.3', { timeInForce: 'IOC' })))

    expect([order.status, plain(order.executedQuantity), order.isOnBook]).toEqual(['EXPIRED', '0.1', false])
    expect(engine.book('BTCUSDT').bids).toEqual([])
    expect(balanceOf(engine, 'taker', 'USDT')).toEqual({ free: '994000', locked: '0' })
  })

  it('fills a FOK order completely or expires it without any trade', () => {
    const { engine } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'SELL', '60000', '0.1'))
    engine.placeOrder(limitOrder('maker', 'SELL', '60010', '0.1'))

    const tooBig = placed(engine.placeOrder(limitOrder('taker', 'BUY', '60010', '0.3', { timeInForce: 'FOK' })))
    expect([tooBig.order.status, tooBig.fills.length]).toEqual(['EXPIRED', 0])
    expect(engine.book('BTCUSDT').asks).toHaveLength(2)
    expect(balanceOf(engine, 'taker', 'USDT')).toEqual({ free: '1000000', locked: '0' })

    const fits = placed(engine.placeOrder(limitOrder('taker', 'BUY', '60010', '0.2', { timeInForce: 'FOK' })))
    expect([fits.order.status, fits.fills.length]).toEqual(['FILLED', 2])
  })

  it('rejects a LIMIT_MAKER that would take and rests one that would not', () => {
    const { engine } = engineWithAccounts('maker', 'alice')
    engine.placeOrder(limitOrder('maker', 'SELL', '60000', '0.1'))

    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '60000', '0.1', { type: 'LIMIT_MAKER' })), -2010, 'Order would immediately match and take.')
    expect(engine.orders().filter((order) => order.accountId === 'alice')).toEqual([])
    expect(balanceOf(engine, 'alice', 'USDT').locked).toBe('0')

    const resting = placed(engine.placeOrder(limitOrder('alice', 'BUY', '59999.99', '0.1', { type: 'LIMIT_MAKER' })))
    expect([resting.order.status, resting.order.isOnBook, resting.order.timeInForce]).toEqual(['NEW', true, 'GTC'])
  })

  it('spends at most quoteOrderQty on a MARKET buy, in whole lot steps', () => {
    const { engine } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'SELL', '60000', '0.01'))
    engine.placeOrder(limitOrder('maker', 'SELL', '60100', '0.05'))

    const { order, fills } = placed(engine.placeOrder({ accountId: 'taker', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: new Big('1000') }))

    // 600 USDT buys 0.01 at 60000; the other 400 buy floor(400 / 60100) = 0.00665 at 60100.
    expect(fills.map((fill) => [plain(fill.price), plain(fill.quantity)])).toEqual([['60000', '0.01'], ['60100', '0.00665']])
    expect([order.status, plain(order.executedQuantity), plain(order.cumulativeQuoteQuantity), plain(order.originalQuoteOrderQuantity), plain(order.price)])
      .toEqual(['FILLED', '0.01665', '999.665', '1000', '0'])
    expect(balanceOf(engine, 'taker', 'USDT')).toEqual({ free: '999000.335', locked: '0' })
  })

  it('sells for a quote amount with quoteOrderQty and fills MARKET orders by quantity across levels', () => {
    const { engine } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'BUY', '60000', '0.01'))
    engine.placeOrder(limitOrder('maker', 'BUY', '59000', '1'))

    const bySell = placed(engine.placeOrder({ accountId: 'taker', symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quoteOrderQty: new Big('600') }))
    expect(bySell.fills.map((fill) => [plain(fill.price), plain(fill.quantity)])).toEqual([['60000', '0.01']])

    const byQuantity = placed(engine.placeOrder({ accountId: 'taker', symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: new Big('0.5') }))
    expect([byQuantity.order.status, byQuantity.fills[0]?.price.toFixed(), byQuantity.order.timeInForce]).toEqual(['FILLED', '59000', 'GTC'])
  })

  it('expires a MARKET order that finds no liquidity', () => {
    const { engine } = engineWithAccounts('taker')
    const { order, fills } = placed(engine.placeOrder({ accountId: 'taker', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: new Big('0.1') }))
    expect([order.status, fills.length]).toEqual(['EXPIRED', 0])
    expect(balanceOf(engine, 'taker', 'USDT')).toEqual({ free: '1000000', locked: '0' })
  })

  it('releases the lock on cancel, by orderId or by clientOrderId, and refuses unknown orders', () => {
    const { engine } = engineWithAccounts('alice')
    const buy = placed(engine.placeOrder(limitOrder('alice', 'BUY', '50000', '0.1'))).order
    placed(engine.placeOrder(limitOrder('alice', 'SELL', '70000', '0.5', { clientOrderId: 'my-sell' })))
    expect(balanceOf(engine, 'alice', 'USDT')).toEqual({ free: '995000', locked: '5000' })
    expect(balanceOf(engine, 'alice', 'BTC')).toEqual({ free: '9.5', locked: '0.5' })

    expect(engine.cancelOrder({ accountId: 'alice', symbol: 'BTCUSDT', orderId: buy.orderId })).toMatchObject({ ok: true, order: { status: 'CANCELED' } })
    expect(engine.cancelOrder({ accountId: 'alice', symbol: 'BTCUSDT', clientOrderId: 'my-sell' })).toMatchObject({ ok: true, order: { status: 'CANCELED' } })
    expect(balanceOf(engine, 'alice', 'USDT')).toEqual({ free: '1000000', locked: '0' })
    expect(balanceOf(engine, 'alice', 'BTC')).toEqual({ free: '10', locked: '0' })
    expect(engine.book('BTCUSDT')).toMatchObject({ bids: [], asks: [] })

    expect(engine.cancelOrder({ accountId: 'alice', symbol: 'BTCUSDT', orderId: buy.orderId })).toEqual({ ok: false, rejection: { code: -2011, msg: 'Unknown order sent.' } })
    expect(engine.cancelOrder({ accountId: 'bob', symbol: 'BTCUSDT', clientOrderId: 'my-sell' })).toEqual({ ok: false, rejection: { code: -2011, msg: 'Unknown order sent.' } })
    expect(engine.queryOrder({ accountId: 'alice', symbol: 'BTCUSDT', orderId: 999 })).toEqual({ ok: false, rejection: { code: -2013, msg: 'Order does not exist.' } })
  })

  it('charges maker and taker commission on the asset each side receives', () => {
    const { engine } = engineWithAccounts('maker', 'taker')
    engine.placeOrder(limitOrder('maker', 'BUY', '60000', '0.1'))
    const { fills } = placed(engine.placeOrder(limitOrder('taker', 'SELL', '60000', '0.1')))
    expect(fills.map((fill) => [plain(fill.commission), fill.commissionAsset, fill.isMaker, fill.isBuyer])).toEqual([['6', 'USDT', false, false]])
    const makerFill = engine.fills().find((fill) => fill.accountId === 'maker')
    expect([makerFill && plain(makerFill.commission), makerFill?.commissionAsset, makerFill?.isMaker]).toEqual(['0.0001', 'BTC', true])
    expect(fills[0]?.tradeId).toBe(makerFill?.tradeId)
  })

  it('refuses a second open order with the same client order id', () => {
    const { engine } = engineWithAccounts('alice')
    placed(engine.placeOrder(limitOrder('alice', 'BUY', '50000', '0.1', { clientOrderId: 'same' })))
    expectRejected(engine.placeOrder(limitOrder('alice', 'BUY', '50000', '0.1', { clientOrderId: 'same' })), -2010, 'Duplicate order sent.')
  })
})
