import { describe, expect, it } from 'vitest'
import { RESTING_BUY, startRig } from './simulator-test-kit.ts'

function post(path: string, body: unknown, method = 'POST'): Request {
  return new Request(`http://127.0.0.1${path}`, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
}

describe('control endpoint /__sim/', () => {
  it('arms a fault from JSON, lists it, counts it when it strikes and clears it', async () => {
    const rig = startRig()
    const armed = await rig.simulator.fetch(post('/__sim/faults', { kind: 'failRequests', path: '/api/v3/ping', count: 2 }))
    expect(armed.status).toBe(201)
    expect(await armed.json()).toEqual({ id: expect.any(Number) })
    expect((await rig.get('/api/v3/ping')).status).toBe(503)
    const listed = (await (await rig.get('/__sim/faults')).json()) as { counts: Record<string, number>; armed: unknown[]; clockSkewMs: number }
    expect(listed.counts['failRequests']).toBe(1)
    expect(listed.armed).toMatchObject([{ spec: { kind: 'failRequests', path: '/api/v3/ping', mode: 'reject', status: 503 }, remaining: 1 }])
    expect(listed.clockSkewMs).toBe(0)
    const cleared = await rig.simulator.fetch(new Request('http://127.0.0.1/__sim/faults', { method: 'DELETE' }))
    expect(await cleared.json()).toEqual({ cleared: 1 })
    expect((await rig.get('/api/v3/ping')).status).toBe(200)
  })

  it('answers an invalid fault with 400 and the reason', async () => {
    const rig = startRig()
    const response = await rig.simulator.fetch(post('/__sim/faults', { kind: 'delayFrames', channel: 'market' }))
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/ms/)
    const notJson = await rig.simulator.fetch(new Request('http://127.0.0.1/__sim/faults', { method: 'POST', body: '{' }))
    expect(notJson.status).toBe(400)
    expect(rig.simulator.faults.armed()).toEqual([])
  })

  it('serves the true book as plain decimal strings', async () => {
    const rig = startRig()
    const book = (await (await rig.get('/__sim/book?symbol=BTCUSDT&limit=3')).json()) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }
    const truth = rig.simulator.truth.book('BTCUSDT', 3)!
    expect(book.lastUpdateId).toBe(truth.lastUpdateId)
    expect(book.bids).toEqual(truth.bids.map((level) => [level.price.toFixed(), level.quantity.toFixed()]))
    expect(book.asks).toEqual(truth.asks.map((level) => [level.price.toFixed(), level.quantity.toFixed()]))
    expect(book.bids).toHaveLength(3)
    expect((await rig.get('/__sim/book?symbol=NOPE')).status).toBe(400)
    expect((await rig.get('/__sim/book')).status).toBe(400)
    expect((await rig.get('/__sim/book?symbol=BTCUSDT&limit=-1')).status).toBe(400)
  })

  it('serves orders by client order id and the fills of a trade', async () => {
    const rig = startRig()
    await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'truth-1' })
    const bestAsk = rig.simulator.truth.book('BTCUSDT', 1)!.asks[0]!
    await rig.signed('POST', '/api/v3/order', {
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: bestAsk.price.toFixed(), newClientOrderId: 'taker-1',
    })
    const orders = (await (await rig.get('/__sim/orders?clientOrderId=truth-1')).json()) as object[]
    expect(orders).toEqual([expect.objectContaining({ clientOrderId: 'truth-1', status: 'NEW', price: '1000', origQty: '0.01', executedQty: '0' })])
    const fills = (await (await rig.get('/__sim/fills?symbol=BTCUSDT')).json()) as { clientOrderId: string; qty: string; price: string }[]
    const takerFills = fills.filter((fill) => fill.clientOrderId === 'taker-1')
    expect(takerFills).toEqual([expect.objectContaining({ qty: '0.001', price: bestAsk.price.toFixed(), isBuyer: true, isMaker: false })])
  })

  it('pauses, steps and resumes the market makers', async () => {
    const rig = startRig()
    const paused = await rig.simulator.fetch(post('/__sim/makers', { running: false }))
    expect(await paused.json()).toEqual({ running: false })
    const before = rig.simulator.truth.book('BTCUSDT')!.lastUpdateId
    rig.simulator.stepMarketMakers(3)
    expect(rig.simulator.truth.book('BTCUSDT')!.lastUpdateId).toBe(before)
    await rig.simulator.fetch(post('/__sim/makers', { steps: 2 }))
    expect(rig.simulator.truth.book('BTCUSDT')!.lastUpdateId).toBeGreaterThan(before)
    await rig.simulator.fetch(post('/__sim/makers', { running: true }))
    expect(rig.simulator.marketMakersRunning).toBe(true)
    expect((await rig.simulator.fetch(post('/__sim/makers', { running: 'yes' }))).status).toBe(400)
  })

  it('answers unknown control routes with 404 and sends CORS headers', async () => {
    const rig = startRig()
    const response = await rig.get('/__sim/nothing')
    expect(response.status).toBe(404)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })
})

describe('socket routing', () => {
  it('sends /ws-api/v3 to the WS API and stream paths to the public streams', () => {
    const rig = startRig()
    const wsApi = rig.open('/ws-api/v3')
    wsApi.connection.receive('{"id":1,"method":"ping"}')
    expect(wsApi.socket.take()).toMatchObject([{ id: 1, status: 200, result: {} }])
    const market = rig.open('/ws')
    market.connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":2}')
    expect(market.socket.take()).toEqual([{ result: [], id: 2 }])
  })

  it('closes a socket on an unknown path at once', () => {
    const rig = startRig()
    const { socket } = rig.open('/nowhere')
    expect(socket.closes).toHaveLength(1)
    expect(socket.closes[0]!.code).toBe(1008)
  })

  it('derives the same test keys from the same seed, and different keys from another', async () => {
    const { createSimulator } = await import('../../../src/sim/index.ts')
    const first = createSimulator({ seed: 9 }).credentials
    expect(createSimulator({ seed: 9 }).credentials).toEqual(first)
    expect(createSimulator({ seed: 10 }).credentials.apiKey).not.toBe(first.apiKey)
    expect(first.apiKey).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(first.apiSecret).toMatch(/^[A-Za-z0-9]{64}$/)
  })
})

describe('open connections', () => {
  it('counts open sockets by kind and forgets closed ones', async () => {
    const rig = startRig()
    const market = rig.open('/ws/btcusdt@trade')
    rig.open('/ws-api/v3')
    expect(await (await rig.get('/__sim/connections')).json()).toEqual({ market: 1, wsApi: 1, listenKey: 0 })
    market.connection.closed()
    expect(rig.simulator.openConnections()).toEqual({ market: 0, wsApi: 1, listenKey: 0 })
  })

  it('answers a CORS preflight on the control endpoint', async () => {
    const rig = startRig()
    const response = await rig.simulator.fetch(new Request('http://127.0.0.1/__sim/faults', { method: 'OPTIONS' }))
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Headers')).toMatch(/Content-Type/)
  })
})

describe('synthetic liquidity', () => {
  it('quotes 25 levels a side by default, so a 20-level ladder is full; marketMakers overrides it', async () => {
    const rig = startRig()
    const book = rig.simulator.truth.book('BTCUSDT')!
    expect(book.bids).toHaveLength(25)
    expect(book.asks).toHaveLength(25)
    const { createSimulator } = await import('../../../src/sim/index.ts')
    const thin = createSimulator({ seed: 5, marketMakers: { levelsPerSide: 3 } }).truth.book('ETHUSDT')!
    expect([thin.bids.length, thin.asks.length]).toEqual([3, 3])
  })
})
