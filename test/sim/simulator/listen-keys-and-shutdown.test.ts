import { describe, expect, it } from 'vitest'
import { createSimulator } from '../../../src/sim/index.ts'
import { API_KEY, API_SECRET, RESTING_BUY, RecordingSocket, START_TIME, hmacHex } from './simulator-test-kit.ts'

function simulatorWithListenKeys(listenKeys: boolean) {
  const clock = { now: START_TIME }
  const simulator = createSimulator({ seed: 4, now: () => clock.now, credentials: { apiKey: API_KEY, apiSecret: API_SECRET }, listenKeys })
  const openListenKey = () =>
    simulator.fetch(new Request('http://127.0.0.1/api/v3/userDataStream', { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } }))
  return { simulator, clock, openListenKey }
}

async function placeRestingBuy(simulator: ReturnType<typeof createSimulator>, clientOrderId: string): Promise<Response> {
  const query = new URLSearchParams({ ...RESTING_BUY, newClientOrderId: clientOrderId, timestamp: String(simulator.now()) }).toString()
  const signature = await hmacHex(API_SECRET, query)
  return simulator.fetch(new Request(`http://127.0.0.1/api/v3/order?${query}&signature=${signature}`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } }))
}

describe('listen keys through the whole simulator', () => {
  it('are off by default: the REST route is unknown and /ws/<key> is a public stream with no subscription', async () => {
    const { openListenKey, simulator } = simulatorWithListenKeys(false)
    expect((await openListenKey()).status).toBe(404)
    const socket = new RecordingSocket()
    simulator.connect(`/ws/${'a'.repeat(64)}`, socket)
    expect(simulator.openConnections()).toEqual({ market: 1, wsApi: 0, listenKey: 0 })
    expect((await placeRestingBuy(simulator, 'unseen')).status).toBe(200)
    expect(socket.sent).toEqual([])
  })

  it('when on, /ws/<listenKey> delivers the raw executionReport and counts as a listenKey socket', async () => {
    const { openListenKey, simulator } = simulatorWithListenKeys(true)
    const { listenKey } = (await (await openListenKey()).json()) as { listenKey: string }
    expect(listenKey).toMatch(/^[A-Za-z0-9]{64}$/)
    const socket = new RecordingSocket()
    simulator.connect(`/ws/${listenKey}`, socket)
    expect(simulator.openConnections()).toEqual({ market: 0, wsApi: 0, listenKey: 1 })
    expect((await placeRestingBuy(simulator, 'lk-order')).status).toBe(200)
    const events = socket.take() as { e: string; c?: string; X?: string }[]
    expect(events.map((event) => event.e)).toEqual(['executionReport', 'outboundAccountPosition'])
    expect(events[0]).toMatchObject({ c: 'lk-order', X: 'NEW' })
  })

  it('frame faults on userData reach listen-key streams; dropSockets listenKey ends them', async () => {
    const { openListenKey, simulator } = simulatorWithListenKeys(true)
    const { listenKey } = (await (await openListenKey()).json()) as { listenKey: string }
    const socket = new RecordingSocket()
    simulator.connect(`/ws/${listenKey}`, socket)
    simulator.faults.arm({ kind: 'duplicateFrames', channel: 'userData', event: 'executionReport' })
    await placeRestingBuy(simulator, 'twice')
    expect((socket.take() as { e: string }[]).map((event) => event.e)).toEqual(['executionReport', 'executionReport', 'outboundAccountPosition'])
    simulator.faults.arm({ kind: 'dropSockets', sockets: 'listenKey' })
    expect(socket.drops).toBe(1)
    expect(simulator.openConnections().listenKey).toBe(0)
  })

  it('tick() expires a key nobody kept alive: listenKeyExpired, then the socket closes', async () => {
    const { openListenKey, simulator, clock } = simulatorWithListenKeys(true)
    const { listenKey } = (await (await openListenKey()).json()) as { listenKey: string }
    const socket = new RecordingSocket()
    simulator.connect(`/ws/${listenKey}`, socket)
    clock.now += 60 * 60 * 1000
    simulator.tick()
    expect(socket.take()).toEqual([{ e: 'listenKeyExpired', E: clock.now, listenKey }])
    expect(socket.closes).toHaveLength(1)
  })
})

describe('serverShutdown fault', () => {
  it('announces the shutdown on every public stream, keeps them open and counts it', () => {
    const { simulator } = simulatorWithListenKeys(false)
    const raw = new RecordingSocket()
    const combined = new RecordingSocket()
    simulator.connect('/ws/btcusdt@trade', raw)
    simulator.connect('/stream?streams=btcusdt@trade', combined)
    simulator.faults.arm({ kind: 'serverShutdown' })
    expect(raw.take()).toEqual([{ e: 'serverShutdown', E: simulator.now() }])
    expect(combined.take()).toEqual([{ stream: '!serverShutdown', data: { e: 'serverShutdown', E: simulator.now() } }])
    expect(raw.closes).toEqual([])
    expect(simulator.faults.counts().serverShutdown).toBe(1)
  })
})
