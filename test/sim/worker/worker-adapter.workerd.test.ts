// The Worker adapter inside workerd itself: the handler's fetch is called directly (no network),
// upgrades come back as real workerd WebSocketPair ends, and requests are signed here with WebCrypto
// rather than with src/, so a signing bug there cannot hide here.
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../../../src/sim/index.ts'
import { createSimulatorFetchHandler, type SimulatorFetchHandler } from '../../../src/sim/worker-adapter.ts'

const API_KEY = 'workerdKey0123456789workerdKey0123456789workerdKey0123456789abcd'
const API_SECRET = 'workerdSecret0123456789workerdSecret0123456789workerdSecret01234'
const ORIGIN = 'http://simulator.test'

/** The client end workerd puts on a 101 response (workers-types are not in the test program). */
interface ClientSocket {
  accept(): void
  send(message: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void
}

interface OpenedSocket {
  readonly socket: ClientSocket
  /** Resolves with the next frame (parsed) that `matches`, skipping the others. */
  next(matches?: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  readonly closed: Promise<{ code: number; reason: string }>
}

let simulator: Simulator
let handler: SimulatorFetchHandler
let started = false

afterEach(() => {
  if (!started) return
  handler.close()
  simulator.dispose()
  started = false
})

function start(options: { makerIntervalMs?: number } = {}): void {
  simulator = createSimulator({ seed: 11, credentials: { apiKey: API_KEY, apiSecret: API_SECRET } })
  // Slow makers by default so a book read over REST and one read in-process see the same state.
  handler = createSimulatorFetchHandler(simulator, { makerIntervalMs: options.makerIntervalMs ?? 60_000 })
  started = true
}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await handler.fetch(new Request(`${ORIGIN}${path}`))
  return { status: response.status, body: await response.json() }
}

async function hmacHex(secret: string, payload: string): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)))
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

async function signedPost(path: string, params: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const query = new URLSearchParams({ ...params, timestamp: String(simulator.now()) }).toString()
  const signature = await hmacHex(API_SECRET, query)
  const request = new Request(`${ORIGIN}${path}?${query}&signature=${signature}`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } })
  const response = await handler.fetch(request)
  return { status: response.status, body: await response.json() }
}

async function openSocket(path: string): Promise<OpenedSocket> {
  const response = await handler.fetch(new Request(`${ORIGIN}${path}`, { headers: { Upgrade: 'websocket' } }))
  expect(response.status).toBe(101)
  const socket = (response as Response & { webSocket: ClientSocket | null }).webSocket
  if (!socket) throw new Error('the 101 response carries no webSocket')
  socket.accept()
  const frames: Record<string, unknown>[] = []
  const waiters: (() => void)[] = []
  socket.addEventListener('message', (event) => {
    frames.push(JSON.parse(String(event.data)) as Record<string, unknown>)
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason }))
  })
  return {
    socket,
    closed,
    async next(matches = () => true) {
      for (;;) {
        const index = frames.findIndex(matches)
        if (index >= 0) return frames.splice(index, 1)[0] as Record<string, unknown>
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
  }
}

function bestAsk(): string {
  const ask = simulator.truth.book('BTCUSDT', 1)?.asks[0]
  if (!ask) throw new Error('BTCUSDT has no asks')
  return ask.price.toFixed(8)
}

describe('createSimulatorFetchHandler inside workerd', () => {
  it('runs inside workerd, where WebSocketPair exists', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
    expect(typeof (globalThis as { WebSocketPair?: unknown }).WebSocketPair).toBe('function')
  })

  it('answers /api/v3/time with the simulator clock', async () => {
    start()
    const before = simulator.now()
    const { status, body } = await getJson('/api/v3/time')
    expect(status).toBe(200)
    expect((body as { serverTime: number }).serverTime).toBeGreaterThanOrEqual(before)
    expect((body as { serverTime: number }).serverTime).toBeLessThanOrEqual(simulator.now())
  })

  it('answers /api/v3/depth with the true book', async () => {
    start()
    const { status, body } = await getJson('/api/v3/depth?symbol=BTCUSDT&limit=5')
    const truth = simulator.truth.book('BTCUSDT', 5)
    const levels = (side: readonly { price: { toFixed(digits: number): string }; quantity: { toFixed(digits: number): string } }[] = []) =>
      side.map((level) => [level.price.toFixed(8), level.quantity.toFixed(8)])
    expect(status).toBe(200)
    expect(body).toEqual({ lastUpdateId: truth?.lastUpdateId, bids: levels(truth?.bids), asks: levels(truth?.asks) })
    expect((body as { bids: unknown[] }).bids).toHaveLength(5)
  })

  it('places an order signed with WebCrypto, which the ground truth then holds', async () => {
    start()
    const { status, body } = await signedPost('/api/v3/order', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '1000',
      newClientOrderId: 'workerd-resting-1',
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'workerd-resting-1', status: 'NEW' })
    expect(simulator.truth.order('workerd-resting-1')).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'workerd-resting-1' })
  })

  it('refuses an order whose signature is wrong', async () => {
    start()
    const query = new URLSearchParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', timestamp: String(simulator.now()) })
    const response = await handler.fetch(
      new Request(`${ORIGIN}/api/v3/order?${query}&signature=${'0'.repeat(64)}`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } }),
    )
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: -1022 })
  })

  it('upgrades /ws-api/v3 to a WebSocket that answers ping', async () => {
    start()
    const { socket, next } = await openSocket('/ws-api/v3')
    socket.send('{"id":1,"method":"ping"}')
    expect(await next()).toMatchObject({ id: 1, status: 200, result: {} })
    socket.close(1000, 'done')
  })

  it('streams a trade on /ws/btcusdt@trade when a REST order crosses the book', async () => {
    start()
    const { socket, next } = await openSocket('/ws/btcusdt@trade')
    const price = bestAsk()
    const placed = await signedPost('/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price })
    expect(placed.status).toBe(200)
    const trade = simulator.exchange.engine.trades('BTCUSDT').at(-1)
    expect(await next((frame) => frame['e'] === 'trade')).toMatchObject({ e: 'trade', s: 'BTCUSDT', t: trade?.tradeId, p: price, q: '0.00100000', m: false })
    socket.close(1000, 'done')
  })

  it('streams trades the market makers make on their timer', async () => {
    start({ makerIntervalMs: 20 })
    // The first request starts the timers: opening the socket is enough.
    const { socket, next } = await openSocket('/ws/btcusdt@trade')
    expect(await next((frame) => frame['e'] === 'trade')).toMatchObject({ e: 'trade', s: 'BTCUSDT' })
    socket.close(1000, 'done')
  })

  it('pushes @depth@100ms diffs from its tick timer', async () => {
    start({ makerIntervalMs: 20 })
    const { socket, next } = await openSocket('/ws/btcusdt@depth@100ms')
    expect(await next((frame) => frame['e'] === 'depthUpdate')).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT' })
    socket.close(1000, 'done')
  })

  it('closes open sockets with 1011 on a dropSockets fault (workerd cannot drop TCP)', async () => {
    start()
    const stream = await openSocket('/ws/btcusdt@trade')
    const wsApi = await openSocket('/ws-api/v3')
    simulator.faults.arm({ kind: 'dropSockets' })
    expect(simulator.faults.counts().dropSockets).toBe(2)
    expect(await stream.closed).toMatchObject({ code: 1011 })
    expect(await wsApi.closed).toMatchObject({ code: 1011 })
  })

  it('tells the simulator when the client closes, so a later drop finds nothing to end', async () => {
    start()
    const { socket, closed } = await openSocket('/ws/btcusdt@trade')
    socket.close(1000, 'bye')
    expect(await closed).toMatchObject({ code: 1000 })
    simulator.faults.arm({ kind: 'dropSockets' })
    expect(simulator.faults.counts().dropSockets).toBe(0)
  })

  it('closes a socket on an unknown path at once', async () => {
    start()
    const { closed } = await openSocket('/nowhere')
    expect((await closed).code).not.toBe(1000)
  })

  it('fails an upgrade with a clear error where WebSocketPair is missing, and still serves REST', async () => {
    start()
    const global = globalThis as { WebSocketPair?: unknown }
    const pair = global.WebSocketPair
    global.WebSocketPair = undefined
    try {
      await expect(handler.fetch(new Request(`${ORIGIN}/ws-api/v3`, { headers: { Upgrade: 'websocket' } }))).rejects.toThrow(/WebSocketPair is not defined/)
      expect((await getJson('/api/v3/ping')).status).toBe(200)
    } finally {
      global.WebSocketPair = pair
    }
  })
})
