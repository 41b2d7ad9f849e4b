import { describe, expect, it } from 'vitest'
import { START_TIME, bestQuotes, get, keysOf, readReference, referenceKeys, signed, startSimulator } from './rest-test-kit.ts'

describe('public REST routes', () => {
  it('ping answers {} and time answers the injected server time', async () => {
    const simulator = startSimulator()
    expect((await get(simulator, '/api/v3/ping')).body).toEqual({})
    expect((await get(simulator, '/api/v3/time')).body).toEqual({ serverTime: START_TIME })
  })

  it('exchangeInfo has the reference keys, rateLimits and filters, and narrows by symbol/symbols', async () => {
    const simulator = startSimulator()
    const { status, body } = await get(simulator, '/api/v3/exchangeInfo')
    expect(status).toBe(200)
    const info = body as { symbols: Record<string, unknown>[]; rateLimits: unknown[]; serverTime: number }
    // `sors` is optional ("Present only when SOR is available"); the simulator has no SOR.
    expect(keysOf(info)).toEqual(referenceKeys('rest/GET_api_v3_exchangeInfo.json').filter((key) => key !== 'sors'))
    expect(info.serverTime).toBe(START_TIME)
    expect(info.rateLimits).toContainEqual({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 })
    const reference = readReference('rest/GET_api_v3_exchangeInfo.json') as { symbols: object[] }
    const btc = info.symbols.find((symbol) => symbol['symbol'] === 'BTCUSDT')
    expect(keysOf(btc)).toEqual(keysOf(reference.symbols[0]))
    expect(btc?.['filters']).toContainEqual({ filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' })
    expect((btc?.['filters'] as { filterType: string }[]).map((filter) => filter.filterType)).toEqual(['PRICE_FILTER', 'LOT_SIZE', 'MARKET_LOT_SIZE', 'NOTIONAL'])

    const one = (await get(simulator, '/api/v3/exchangeInfo?symbol=ETHBTC')).body as { symbols: { symbol: string }[] }
    expect(one.symbols.map((symbol) => symbol.symbol)).toEqual(['ETHBTC'])
    const some = (await get(simulator, `/api/v3/exchangeInfo?symbols=${encodeURIComponent('["ETHUSDT","BTCUSDT"]')}`)).body as { symbols: { symbol: string }[] }
    expect(some.symbols.map((symbol) => symbol.symbol)).toEqual(['ETHUSDT', 'BTCUSDT'])
    expect(await get(simulator, '/api/v3/exchangeInfo?symbol=NOPE')).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } })
  })

  it('depth has the reference shape, string levels best-first, and honours limit', async () => {
    const simulator = startSimulator()
    const { body } = await get(simulator, '/api/v3/depth?symbol=BTCUSDT&limit=5')
    const depth = body as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }
    expect(keysOf(depth)).toEqual(referenceKeys('rest/GET_api_v3_depth.json'))
    expect(depth.bids.length).toBeGreaterThan(0)
    expect(depth.bids.length).toBeLessThanOrEqual(5)
    expect(depth.bids[0]?.[0]).toMatch(/^\d+\.\d{8}$/)
    expect(Number(depth.bids[0]?.[0])).toBeLessThan(Number(depth.asks[0]?.[0]))
    expect(depth.lastUpdateId).toBe(simulator.exchange.engine.book('BTCUSDT').lastUpdateId)
    expect(await get(simulator, '/api/v3/depth')).toMatchObject({
      status: 400,
      body: { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
    })
    expect(await get(simulator, '/api/v3/depth?symbol=btc%20usdt')).toMatchObject({
      status: 400,
      body: { code: -1100, msg: "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'." },
    })
  })

  it('trades, ticker/price, ticker/bookTicker and ticker/24hr have the reference shapes', async () => {
    const simulator = startSimulator()
    // Trade once so trades and tickers have something to report.
    const { ask } = bestQuotes(simulator)
    expect((await signed(simulator, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: ask })).status).toBe(200)

    const trades = (await get(simulator, '/api/v3/trades?symbol=BTCUSDT&limit=1')).body as object[]
    expect(trades).toHaveLength(1)
    expect(keysOf(trades[0])).toEqual(referenceKeys('rest/GET_api_v3_trades.json'))

    const price = (await get(simulator, '/api/v3/ticker/price?symbol=BTCUSDT')).body
    expect(keysOf(price)).toEqual(referenceKeys('rest/GET_api_v3_ticker_price_single.json'))
    expect(price).toEqual({ symbol: 'BTCUSDT', price: Number(ask).toFixed(8) })
    const prices = (await get(simulator, '/api/v3/ticker/price')).body as object[]
    expect(prices.map((entry) => keysOf(entry))).toEqual(prices.map(() => referenceKeys('rest/GET_api_v3_ticker_price_list.json')))

    const book = (await get(simulator, '/api/v3/ticker/bookTicker?symbol=ETHUSDT')).body
    expect(keysOf(book)).toEqual(referenceKeys('rest/GET_api_v3_ticker_bookTicker_single.json'))
    const books = (await get(simulator, `/api/v3/ticker/bookTicker?symbols=${encodeURIComponent('["ETHUSDT","ETHBTC"]')}`)).body as object[]
    expect(books).toHaveLength(2)
    expect(keysOf(books[1])).toEqual(referenceKeys('rest/GET_api_v3_ticker_bookTicker_list.json'))

    const daily = (await get(simulator, '/api/v3/ticker/24hr?symbol=BTCUSDT')).body as Record<string, unknown>
    expect(keysOf(daily)).toEqual(referenceKeys('rest/GET_api_v3_ticker_24hr_FULL_single.json'))
    expect(daily).toMatchObject({ lastPrice: Number(ask).toFixed(8), count: 1, closeTime: simulator.clock.now, priceChangePercent: '0.000' })
    const all = (await get(simulator, '/api/v3/ticker/24hr')).body as object[]
    expect(all.map((entry) => keysOf(entry))).toEqual(all.map(() => referenceKeys('rest/GET_api_v3_ticker_24hr_FULL_list.json')))
  })

  it('answers an unknown route with 404 and a Binance-style body', async () => {
    const simulator = startSimulator()
    const response = await get(simulator, '/api/v3/nothing')
    expect(response.status).toBe(404)
    expect(keysOf(response.body)).toEqual(referenceKeys('rest/error_payload.json'))
    expect((await simulator.handle(new Request('http://127.0.0.1/api/v3/ping', { method: 'POST' }))).status).toBe(404)
  })
})
