import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { START_TIME, bestQuotes, get, keysOf, referenceKeys, signed, startSimulator, type Simulator } from './rest-test-kit.ts'

const usedWeight = (headers: Headers): number => Number(headers.get('X-MBX-USED-WEIGHT-1M'))

/** Two resting sells at one price inside the spread, then one market buy that takes both and one level more. */
async function sweepTwoOrdersAtOnePrice(simulator: Simulator): Promise<{ price: string; takerOrderId: number }> {
  const { bid, ask } = bestQuotes(simulator)
  const price = new Big(bid).plus(ask).div(2).round(2).toFixed(2)
  for (const quantity of ['0.01', '0.02']) {
    expect((await signed(simulator, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity, price })).status).toBe(200)
  }
  const taker = await signed(simulator, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.04' })
  expect(taker.status).toBe(200)
  return { price, takerOrderId: (taker.body as { orderId: number }).orderId }
}

describe('aggTrades', () => {
  it('has the reference keys and merges the trades of one taker order at one price', async () => {
    const simulator = startSimulator()
    const { price } = await sweepTwoOrdersAtOnePrice(simulator)
    const before = usedWeight((await get(simulator, '/api/v3/ping')).headers)
    const { status, body, headers } = await get(simulator, '/api/v3/aggTrades?symbol=BTCUSDT')
    expect(status).toBe(200)
    expect(usedWeight(headers) - before).toBe(4)
    const aggregates = body as { a: number; p: string; q: string; f: number; l: number; T: number; m: boolean; M: boolean }[]
    expect(keysOf(aggregates[0])).toEqual(referenceKeys('rest/GET_api_v3_aggTrades.json'))
    const trades = simulator.exchange.engine.trades('BTCUSDT')
    // Three trades (0.01 and 0.02 at the mid, 0.01 at the next ask) make two aggregates.
    expect(trades).toHaveLength(3)
    expect(aggregates).toEqual([
      { a: 0, p: new Big(price).toFixed(8), q: '0.03000000', f: trades[0]!.tradeId, l: trades[1]!.tradeId, T: START_TIME, m: false, M: true },
      { a: 1, p: trades[2]!.price.toFixed(8), q: '0.01000000', f: trades[2]!.tradeId, l: trades[2]!.tradeId, T: START_TIME, m: false, M: true },
    ])
  })

  it('pages by fromId (inclusive), by time, and by limit (most recent first when neither is sent)', async () => {
    const simulator = startSimulator()
    await sweepTwoOrdersAtOnePrice(simulator)
    simulator.clock.now += 1000
    const { ask } = bestQuotes(simulator)
    await signed(simulator, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: ask })
    const ids = async (query: string) => ((await get(simulator, `/api/v3/aggTrades?symbol=BTCUSDT&${query}`)).body as { a: number }[]).map((trade) => trade.a)
    expect(await ids('limit=2')).toEqual([1, 2])
    expect(await ids('fromId=1&limit=1')).toEqual([1])
    expect(await ids(`startTime=${START_TIME + 1}`)).toEqual([2])
    expect(await ids(`endTime=${START_TIME}`)).toEqual([0, 1])
    expect(await get(simulator, '/api/v3/aggTrades?symbol=NOPE')).toMatchObject({ status: 400, body: { code: -1121 } })
  })
})

describe('klines', () => {
  it('has the reference row shape, candles per interval, and weight 2', async () => {
    const simulator = startSimulator()
    await sweepTwoOrdersAtOnePrice(simulator)
    simulator.clock.now += 2 * 60_000
    const before = usedWeight((await get(simulator, '/api/v3/ping')).headers)
    const { status, body, headers } = await get(simulator, '/api/v3/klines?symbol=BTCUSDT&interval=1m')
    expect(status).toBe(200)
    expect(usedWeight(headers) - before).toBe(2)
    const rows = body as unknown[][]
    const open = Math.floor(START_TIME / 60_000) * 60_000
    const trades = simulator.exchange.engine.trades('BTCUSDT')
    const volume = trades.reduce((sum, trade) => sum.plus(trade.quantity), new Big(0))
    const quoteVolume = trades.reduce((sum, trade) => sum.plus(trade.quoteQuantity), new Big(0))
    const high = trades[2]!.price.toFixed(8)
    const low = trades[0]!.price.toFixed(8)
    expect(rows).toEqual([
      [open, low, high, low, high, volume.toFixed(8), open + 59_999, quoteVolume.toFixed(8), 3, volume.toFixed(8), quoteVolume.toFixed(8), '0'],
      // Candles without trades carry the last close and zero volume.
      [open + 60_000, high, high, high, high, '0.00000000', open + 119_999, '0.00000000', 0, '0.00000000', '0.00000000', '0'],
      [open + 120_000, high, high, high, high, '0.00000000', open + 179_999, '0.00000000', 0, '0.00000000', '0.00000000', '0'],
    ])
    expect(rows[0]!.map((value) => typeof value)).toEqual(['number', 'string', 'string', 'string', 'string', 'string', 'number', 'string', 'number', 'string', 'string', 'string'])
    expect(((await get(simulator, '/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1')).body as unknown[][]).map((row) => row[0])).toEqual([open + 120_000])
    expect(((await get(simulator, `/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${START_TIME}&limit=1`)).body as unknown[][]).map((row) => row[0])).toEqual([open])
    expect(((await get(simulator, '/api/v3/klines?symbol=BTCUSDT&interval=1h')).body as unknown[][]).map((row) => row[0])).toEqual([Math.floor(START_TIME / 3_600_000) * 3_600_000])
  })

  it('refuses an unknown interval with -1120 and a missing one with -1102', async () => {
    const simulator = startSimulator()
    expect(await get(simulator, '/api/v3/klines?symbol=BTCUSDT&interval=7m')).toMatchObject({ status: 400, body: { code: -1120, msg: 'Invalid interval.' } })
    expect(await get(simulator, '/api/v3/klines?symbol=BTCUSDT')).toMatchObject({ status: 400, body: { code: -1102 } })
    expect(await get(simulator, '/api/v3/klines?symbol=BTCUSDT&interval=1m')).toMatchObject({ status: 200, body: [] })
  })
})

describe('allOrders', () => {
  it('lists the account orders of a symbol in every state with the reference keys, weight 20', async () => {
    const simulator = startSimulator()
    const { takerOrderId } = await sweepTwoOrdersAtOnePrice(simulator)
    const { bid } = bestQuotes(simulator)
    const resting = await signed(simulator, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: new Big(bid).times(0.9).toFixed(2) })
    const restingId = (resting.body as { orderId: number }).orderId
    await signed(simulator, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(restingId) })

    const before = usedWeight((await get(simulator, '/api/v3/ping')).headers)
    const { status, body, headers } = await signed(simulator, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' })
    expect(status).toBe(200)
    expect(usedWeight(headers) - before).toBe(20)
    const orders = body as { orderId: number; status: string }[]
    expect(keysOf(orders[0])).toEqual(referenceKeys('rest/GET_api_v3_allOrders.json'))
    expect(orders.map((order) => order.status)).toEqual(['FILLED', 'FILLED', 'FILLED', 'CANCELED'])
    expect(orders[2]?.orderId).toBe(takerOrderId)
    const fromTaker = (await signed(simulator, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', orderId: String(takerOrderId), limit: '1' })).body as { orderId: number }[]
    expect(fromTaker.map((order) => order.orderId)).toEqual([takerOrderId])
    expect(((await signed(simulator, 'GET', '/api/v3/allOrders', { symbol: 'ETHUSDT' })).body as unknown[])).toEqual([])
  })
})
