import { connect } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startSimulatorServer, type SimulatorServer } from '../../../src/sim/server.node.ts'
import { createSimulator } from '../../../src/sim/simulator.ts'
import { delay, openSocket, signedQuery, watchTimers } from './node-test-kit.ts'

const servers: SimulatorServer[] = []

async function start(options: Parameters<typeof startSimulatorServer>[0] = {}): Promise<SimulatorServer> {
  const server = await startSimulatorServer({ seed: 3, tickMs: 20, ...options })
  servers.push(server)
  return server
}

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

describe('simulator server: REST', () => {
  it('binds 127.0.0.1 on a free port and answers /api/v3/time with the server clock', async () => {
    const server = await start()
    expect(server.port).toBeGreaterThan(0)
    expect(server.urls).toEqual({
      rest: `http://127.0.0.1:${server.port}/api`,
      ws: `ws://127.0.0.1:${server.port}`,
      wsApi: `ws://127.0.0.1:${server.port}/ws-api/v3`,
    })
    const before = Date.now()
    const response = await fetch(`${server.urls.rest}/v3/time`)
    expect(response.status).toBe(200)
    expect(response.headers.get('x-mbx-used-weight-1m')).toBe('1')
    const { serverTime } = (await response.json()) as { serverTime: number }
    expect(serverTime).toBeGreaterThanOrEqual(before)
    expect(serverTime).toBeLessThanOrEqual(Date.now())
  })

  it('places a signed LIMIT order with the printed keys (body in the POST, signed with node:crypto)', async () => {
    const server = await start()
    const depth = (await (await fetch(`${server.urls.rest}/v3/depth?symbol=BTCUSDT&limit=5`)).json()) as { bids: [string, string][] }
    const bestBid = depth.bids[0]?.[0]
    expect(bestBid).toBeDefined()
    const body = signedQuery(server.apiSecret, {
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: bestBid ?? '',
      newClientOrderId: 'node-server-1', timestamp: String(Date.now()),
    })
    const response = await fetch(`${server.urls.rest}/v3/order`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': server.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'node-server-1', side: 'BUY', type: 'LIMIT' })
    expect(server.simulator.truth.orders().map((order) => order.clientOrderId)).toContain('node-server-1')
  })

  it('refuses an order signed with another secret (-1022)', async () => {
    const server = await start()
    const query = signedQuery('not-the-secret', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', timestamp: String(Date.now()) })
    const response = await fetch(`${server.urls.rest}/v3/order?${query}`, { method: 'POST', headers: { 'X-MBX-APIKEY': server.apiKey } })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: -1022 })
  })

  it('answers an unknown route with 404', async () => {
    const server = await start()
    const response = await fetch(`${server.urls.rest}/v3/nothing-here`)
    expect(response.status).toBe(404)
    expect(await response.json()).toHaveProperty('code')
  })

  it('answers a CORS preflight with 204 and the allowed headers', async () => {
    const server = await start()
    const response = await fetch(`${server.urls.rest}/v3/order`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-mbx-apikey' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toMatch(/X-MBX-APIKEY/i)
  })
})

describe('simulator server: WebSockets', () => {
  it('streams depthUpdate frames on /ws/btcusdt@depth@100ms once the market makers move the book', async () => {
    const server = await start()
    const client = await openSocket(`${server.urls.ws}/ws/btcusdt@depth@100ms`)
    server.simulator.stepMarketMakers(3)
    const frame = await client.next((candidate) => candidate['e'] === 'depthUpdate')
    expect(frame).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT' })
    expect(typeof frame['U']).toBe('number')
    client.socket.close()
  })

  it('answers the WS API ping on /ws-api/v3', async () => {
    const server = await start()
    const client = await openSocket(server.urls.wsApi)
    client.socket.send(JSON.stringify({ id: 'p1', method: 'ping' }))
    expect(await client.next((frame) => frame['id'] === 'p1')).toMatchObject({ id: 'p1', status: 200, result: {} })
    client.socket.close()
  })

  it('pings every pingIntervalMs and keeps a socket that answers', async () => {
    // 15 pings span more than one pong timeout, so only the pongs can have kept the socket open.
    // Waiting for a count (not a fixed time) keeps this steady on a loaded machine.
    const server = await start({ pingIntervalMs: 50, pongTimeoutMs: 500 })
    const client = await openSocket(server.urls.wsApi)
    const deadline = Date.now() + 10_000
    while (client.pings.length < 15 && Date.now() < deadline) await delay(20)
    expect(client.pings.length).toBeGreaterThanOrEqual(15)
    expect(client.socket.readyState).toBe(client.socket.OPEN)
    client.socket.close()
  })

  it('terminates a socket that sends no pong within pongTimeoutMs', async () => {
    const server = await start({ pingIntervalMs: 40, pongTimeoutMs: 150 })
    const opened = Date.now()
    const client = await openSocket(`${server.urls.ws}/ws/btcusdt@trade`, { autoPong: false })
    expect(await client.closed).toBe(1006)
    expect(Date.now() - opened).toBeGreaterThanOrEqual(140)
    expect(client.pings.length).toBeGreaterThanOrEqual(2)
  })

  it('drops sockets without a closing handshake on POST /__sim/faults {"kind":"dropSockets"} (client sees 1006)', async () => {
    const server = await start()
    const market = await openSocket(`${server.urls.ws}/ws/btcusdt@depth@100ms`)
    const wsApi = await openSocket(server.urls.wsApi)
    const response = await fetch(`http://127.0.0.1:${server.port}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'dropSockets' }) })
    expect(response.status).toBe(201)
    expect(await market.closed).toBe(1006)
    expect(await wsApi.closed).toBe(1006)
    const counts = (await (await fetch(`http://127.0.0.1:${server.port}/__sim/faults`)).json()) as { counts: Record<string, number> }
    expect(counts.counts['dropSockets']).toBe(2)
  })
})

describe('simulator server: listen keys (Binance.US)', () => {
  async function newListenKey(server: SimulatorServer): Promise<Response> {
    return fetch(`${server.urls.rest}/v3/userDataStream`, { method: 'POST', headers: { 'X-MBX-APIKEY': server.apiKey } })
  }

  it('listenKeys: true serves POST /api/v3/userDataStream and the account\'s raw events on /ws/<listenKey>', async () => {
    const server = await start({ listenKeys: true })
    const response = await newListenKey(server)
    expect(response.status).toBe(200)
    const { listenKey } = (await response.json()) as { listenKey: string }
    expect(listenKey).toMatch(/^[A-Za-z0-9]{64}$/)
    const client = await openSocket(`${server.urls.ws}/ws/${listenKey}`)
    expect(server.simulator.openConnections()).toEqual({ market: 0, wsApi: 0, listenKey: 1 })
    const depth = (await (await fetch(`${server.urls.rest}/v3/depth?symbol=BTCUSDT&limit=5`)).json()) as { bids: [string, string][] }
    const body = signedQuery(server.apiSecret, {
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: depth.bids[0]?.[0] ?? '',
      newClientOrderId: 'listen-key-1', timestamp: String(Date.now()),
    })
    const order = await fetch(`${server.urls.rest}/v3/order`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': server.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(order.status, await order.clone().text()).toBe(200)
    expect(await client.next((frame) => frame['e'] === 'executionReport')).toMatchObject({ c: 'listen-key-1', x: 'NEW' })
    client.socket.close()
  })

  it('serves no listen keys by default, nor when given a simulator made without them', async () => {
    const plain = await start()
    expect((await newListenKey(plain)).status).toBe(404)
    const simulator = createSimulator({ seed: 3 })
    const given = await start({ simulator, listenKeys: true })
    expect((await newListenKey(given)).status).toBe(404)
    await given.close()
    simulator.dispose()
  })
})

describe('simulator server: lifecycle', () => {
  it('ends a hung request when its client aborts, and close() still resolves', async () => {
    const simulator = createSimulator({ seed: 3 })
    const fetchSpy = vi.spyOn(simulator, 'fetch')
    const server = await start({ simulator })
    simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/time', mode: 'hang' })
    const controller = new AbortController()
    const request = fetch(`${server.urls.rest}/v3/time`, { signal: controller.signal })
    await vi.waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(1))
    controller.abort()
    await expect(request).rejects.toThrow()
    // The simulator's side of the hung request settles once the server saw the client leave.
    await expect(fetchSpy.mock.results[0]?.value).resolves.toMatchObject({ status: 503 })
    await server.close()
    simulator.dispose()
  })

  it('close() stops listening, ends open sockets and timers, and a new connection is refused', async () => {
    const delays = { tickMs: 23, makerIntervalMs: 1234, pingIntervalMs: 4567, pongTimeoutMs: 7654 }
    const timers = watchTimers(Object.values(delays))
    const server = await start(delays)
    const client = await openSocket(server.urls.wsApi)
    const keepAlive = fetch(`${server.urls.rest}/v3/ping`)
    expect((await keepAlive).status).toBe(200)
    await server.close()
    expect(await client.closed).toBe(1006)
    expect(await refusesConnections(server.port)).toBe(true)
    expect(timers.created.size).toBe(4) // tick, makers, the socket's pings and its pong deadline
    expect(timers.uncleared()).toEqual([])
    expect(process.getActiveResourcesInfo()).not.toContain('TCPServerWrap')
    await server.close() // idempotent
  })

  it('serves a given simulator and leaves it undisposed on close()', async () => {
    const simulator = createSimulator({ seed: 9 })
    const server = await start({ simulator })
    expect(server.simulator).toBe(simulator)
    expect(server.apiKey).toBe(simulator.credentials.apiKey)
    await server.close()
    const response = await simulator.fetch(new Request('http://127.0.0.1/api/v3/ping'))
    expect(response.status).toBe(200)
    simulator.dispose()
  })

  it('rejects when the port is taken', async () => {
    const server = await start()
    await expect(startSimulatorServer({ port: server.port })).rejects.toThrow(/EADDRINUSE/)
  })
})
