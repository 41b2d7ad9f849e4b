import { describe, expect, it } from 'vitest'
import { get, signed, startSimulator } from './rest-test-kit.ts'

const usedWeight = (headers: Headers): number => Number(headers.get('X-MBX-USED-WEIGHT-1M'))

describe('rate limits', () => {
  it('add each route’s documented weight to X-MBX-USED-WEIGHT-1M', async () => {
    const simulator = startSimulator()
    const steps: [string, number][] = [
      ['/api/v3/ping', 1],
      ['/api/v3/time', 1],
      ['/api/v3/exchangeInfo', 20],
      ['/api/v3/depth?symbol=BTCUSDT', 5],
      ['/api/v3/depth?symbol=BTCUSDT&limit=500', 25],
      ['/api/v3/depth?symbol=BTCUSDT&limit=1000', 50],
      ['/api/v3/depth?symbol=BTCUSDT&limit=5000', 250],
      ['/api/v3/trades?symbol=BTCUSDT', 25],
      ['/api/v3/ticker/price?symbol=BTCUSDT', 2],
      ['/api/v3/ticker/price', 4],
      ['/api/v3/ticker/24hr', 80],
    ]
    let expected = 0
    for (const [path, weight] of steps) {
      expected += weight
      expect(usedWeight((await get(simulator, path)).headers), path).toBe(expected)
    }
    expected += 20
    expect(usedWeight((await signed(simulator, 'GET', '/api/v3/account')).headers)).toBe(expected)
    // A new minute starts a new window.
    simulator.clock.now += 60_000
    expect(usedWeight((await get(simulator, '/api/v3/ping')).headers)).toBe(1)
  })

  it('count successful orders in X-MBX-ORDER-COUNT-10S and -1D', async () => {
    const simulator = startSimulator()
    const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' }
    expect((await signed(simulator, 'POST', '/api/v3/order', order)).headers.get('X-MBX-ORDER-COUNT-10S')).toBe('1')
    const second = await signed(simulator, 'POST', '/api/v3/order', order)
    expect([second.headers.get('X-MBX-ORDER-COUNT-10S'), second.headers.get('X-MBX-ORDER-COUNT-1D')]).toEqual(['2', '2'])
  })

  it('refuse orders beyond the 10 s order limit with -1015', async () => {
    const simulator = startSimulator({ limits: { ordersPer10Seconds: 1 } })
    const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' }
    expect((await signed(simulator, 'POST', '/api/v3/order', order)).status).toBe(200)
    const refused = await signed(simulator, 'POST', '/api/v3/order', order)
    expect(refused).toMatchObject({ status: 429, body: { code: -1015, msg: 'Too many new orders; current limit is 1 orders per 10 SECOND.' } })
    expect(refused.headers.get('Retry-After')).toBe('10')
  })

  it('answer 429 with Retry-After past the weight limit, then 418 (banned) when the caller keeps going', async () => {
    const simulator = startSimulator({ limits: { requestWeightPerMinute: 3 } })
    for (let call = 0; call < 3; call += 1) expect((await get(simulator, '/api/v3/ping')).status).toBe(200)
    simulator.clock.now += 15_000
    const limited = await get(simulator, '/api/v3/ping')
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({
      code: -1003,
      msg: 'Too much request weight used; current limit is 3 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
    })
    // START_TIME sits 20 s into its minute, so the window ends 25 s after this call.
    expect(limited.headers.get('Retry-After')).toBe('25')

    const banned = await get(simulator, '/api/v3/time')
    const bannedUntil = simulator.clock.now + 120_000
    expect(banned).toMatchObject({
      status: 418,
      body: { code: -1003, msg: `Way too much request weight used; IP banned until ${bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.` },
    })
    expect(banned.headers.get('Retry-After')).toBe('120')
    // The ban outlasts the weight window.
    simulator.clock.now += 60_000
    expect((await get(simulator, '/api/v3/ping')).status).toBe(418)
    simulator.clock.now += 60_000
    expect((await get(simulator, '/api/v3/ping')).status).toBe(200)
  })

  it('keep budgets per IP', async () => {
    const simulator = startSimulator({ limits: { requestWeightPerMinute: 1 } })
    await get(simulator, '/api/v3/ping')
    const elsewhere = await simulator.handle(new Request('http://127.0.0.1/api/v3/ping', { headers: { 'X-Forwarded-For': '10.0.0.2' } }))
    expect(elsewhere.status).toBe(200)
    expect(elsewhere.headers.get('X-MBX-USED-WEIGHT-1M')).toBe('1')
  })
})

describe('CORS', () => {
  it('puts CORS headers on every response and answers the OPTIONS preflight', async () => {
    const simulator = startSimulator()
    for (const response of [await get(simulator, '/api/v3/ping'), await get(simulator, '/api/v3/missing'), await signed(simulator, 'GET', '/api/v3/account', {}, { apiKey: 'nobody' })]) {
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
      expect(response.headers.get('Access-Control-Expose-Headers')).toContain('X-MBX-USED-WEIGHT-1M')
    }
    const preflight = await simulator.handle(new Request('http://127.0.0.1/api/v3/order', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-mbx-apikey' },
    }))
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('DELETE')
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('X-MBX-APIKEY')
  })
})
