import { describe, expect, it } from 'vitest'
import { bestQuotes, keysOf, readReference, referenceKeys, signed, startSimulator } from './rest-test-kit.ts'

const ORDER = '/api/v3/order'

describe('order routes', () => {
  it('answer ACK, RESULT and FULL with the reference keys', async () => {
    const simulator = startSimulator()
    const { ask } = bestQuotes(simulator)
    const base = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: ask }
    for (const responseType of ['ACK', 'RESULT', 'FULL'] as const) {
      const { status, body } = await signed(simulator, 'POST', ORDER, { ...base, newOrderRespType: responseType })
      expect(status).toBe(200)
      expect(keysOf(body), responseType).toEqual(referenceKeys(`rest/POST_api_v3_order_${responseType}.json`))
    }
    const full = (await signed(simulator, 'POST', ORDER, { ...base, newClientOrderId: 'myFullOrder' })).body as Record<string, unknown>
    const fills = full['fills'] as object[]
    expect(full).toMatchObject({ clientOrderId: 'myFullOrder', status: 'FILLED', transactTime: simulator.clock.now, workingTime: simulator.clock.now, selfTradePreventionMode: 'NONE' })
    expect(fills.length).toBeGreaterThan(0)
    const reference = readReference('rest/POST_api_v3_order_FULL.json') as { fills: object[] }
    expect(keysOf(fills[0])).toEqual(keysOf(reference.fills[0]))
  })

  it('pass filter failures (-1013) and insufficient balance (-2010) through with HTTP 400', async () => {
    const simulator = startSimulator()
    expect(await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000.001' })).toMatchObject({
      status: 400, body: { code: -1013, msg: 'Filter failure: PRICE_FILTER' },
    })
    expect((await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.000001', price: '50000' })).body)
      .toEqual({ code: -1013, msg: 'Filter failure: LOT_SIZE' })
    expect(await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '11', price: '90000' })).toMatchObject({
      status: 400, body: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
    })
    expect((await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'HOLD', type: 'LIMIT' })).body).toEqual({ code: -1117, msg: 'Invalid side.' })
    expect((await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1e3', price: '1' })).body).toMatchObject({ code: -1100 })
  })

  it('query, cancel and list orders by orderId or origClientOrderId', async () => {
    const simulator = startSimulator()
    const resting = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' }
    const placed = (await signed(simulator, 'POST', ORDER, { ...resting, newClientOrderId: 'rest-1' })).body as { orderId: number }

    const byId = await signed(simulator, 'GET', ORDER, { symbol: 'BTCUSDT', orderId: String(placed.orderId) })
    expect(keysOf(byId.body)).toEqual(referenceKeys('rest/GET_api_v3_order.json'))
    expect(byId.body).toMatchObject({ status: 'NEW', isWorking: true, price: '30000.00000000', clientOrderId: 'rest-1' })
    expect((await signed(simulator, 'GET', ORDER, { symbol: 'BTCUSDT', origClientOrderId: 'rest-1' })).body).toEqual(byId.body)

    const open = (await signed(simulator, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body as object[]
    expect(open).toHaveLength(1)
    expect(keysOf(open[0])).toEqual(referenceKeys('rest/GET_api_v3_openOrders.json'))

    const canceled = await signed(simulator, 'DELETE', ORDER, { symbol: 'BTCUSDT', origClientOrderId: 'rest-1', newClientOrderId: 'cancel-1' })
    expect(keysOf(canceled.body)).toEqual(referenceKeys('rest/DELETE_api_v3_order.json'))
    expect(canceled.body).toMatchObject({ status: 'CANCELED', origClientOrderId: 'rest-1', clientOrderId: 'cancel-1' })
    expect((await signed(simulator, 'GET', '/api/v3/openOrders')).body).toEqual([])
  })

  it('answer -2013 for GET and -2011 for DELETE of an unknown order', async () => {
    const simulator = startSimulator()
    expect(await signed(simulator, 'GET', ORDER, { symbol: 'BTCUSDT', orderId: '424242' })).toMatchObject({ status: 400, body: { code: -2013, msg: 'Order does not exist.' } })
    expect(await signed(simulator, 'DELETE', ORDER, { symbol: 'BTCUSDT', origClientOrderId: 'never-placed' })).toMatchObject({ status: 400, body: { code: -2011, msg: 'Unknown order sent.' } })
    expect((await signed(simulator, 'GET', ORDER, { symbol: 'BTCUSDT' })).body).toEqual({ code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" })
  })

  it('DELETE openOrders cancels every open order of the symbol', async () => {
    const simulator = startSimulator()
    for (const price of ['30000', '30001', '30002']) {
      await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price })
    }
    const { status, body } = await signed(simulator, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' }, { inBody: true })
    expect(status).toBe(200)
    const canceled = body as { status: string }[]
    expect(canceled.map((order) => order.status)).toEqual(['CANCELED', 'CANCELED', 'CANCELED'])
    expect(keysOf(canceled[0])).toEqual(referenceKeys('rest/DELETE_api_v3_order.json'))
    expect((await signed(simulator, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body).toEqual([])
  })

  it('myTrades lists the fills of a filled order, and account shows the new balances', async () => {
    const simulator = startSimulator()
    const placed = (await signed(simulator, 'POST', ORDER, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' })).body as { orderId: number; fills: { tradeId: number }[] }
    const trades = (await signed(simulator, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' })).body as { orderId: number; id: number; isBuyer: boolean }[]
    expect(trades.map((trade) => trade.id)).toEqual(placed.fills.map((fill) => fill.tradeId))
    expect(trades.every((trade) => trade.orderId === placed.orderId && trade.isBuyer)).toBe(true)
    expect(keysOf(trades[0])).toEqual(referenceKeys('rest/GET_api_v3_myTrades.json'))

    const account = (await signed(simulator, 'GET', '/api/v3/account')).body as { balances: { asset: string; free: string }[] }
    expect(keysOf(account)).toEqual(referenceKeys('rest/GET_api_v3_account.json'))
    const btc = account.balances.find((balance) => balance.asset === 'BTC')
    // 0.01 bought minus the 0.1% commission taken in BTC.
    expect(btc?.free).toBe('10.00999000')
  })
})
