import { describe, expect, it } from 'vitest'
import { InvalidFaultError } from '../../../src/sim/index.ts'
import { RESTING_BUY, sleep, startRig } from './simulator-test-kit.ts'

const STATUS_UNKNOWN = { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' }

describe('REST request faults', () => {
  it('reject answers 5xx -1007 without placing the order', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'reject' })
    const response = await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'never-placed' })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual(STATUS_UNKNOWN)
    expect(rig.simulator.truth.order('never-placed')).toBeUndefined()
    expect(rig.simulator.faults.counts().failRequests).toBe(1)
  })

  it('afterExecute places the order, then answers 5xx: the client cannot know it went through', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute', status: 500 })
    const response = await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'placed-anyway' })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual(STATUS_UNKNOWN)
    expect(rig.simulator.truth.order('placed-anyway')).toMatchObject({ status: 'NEW', symbol: 'BTCUSDT' })
    // The fault was used up: the order can be queried normally.
    const query = await rig.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'placed-anyway' })
    expect(query.status).toBe(200)
    expect(await query.json()).toMatchObject({ clientOrderId: 'placed-anyway', status: 'NEW' })
  })

  it('only matching requests are hit: another path and another method pass', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'DELETE' })
    expect((await rig.get('/api/v3/time')).status).toBe(200)
    expect((await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'ok' })).status).toBe(200)
    const cancel = await rig.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'ok' })
    expect(cancel.status).toBe(503)
    expect(rig.simulator.truth.order('ok')?.status).toBe('NEW')
  })

  it('hang answers nothing until the client gives up', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/time', mode: 'hang' })
    const abort = new AbortController()
    let settled = false
    const pending = rig.simulator.fetch(new Request('http://127.0.0.1/api/v3/time', { signal: abort.signal })).finally(() => {
      settled = true
    })
    await sleep(30)
    expect(settled).toBe(false)
    abort.abort()
    expect((await pending).status).toBe(503)
  })

  it('clear() ends hung requests', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'failRequests', mode: 'hang', count: 2 })
    const pending = rig.get('/api/v3/ping')
    expect(rig.simulator.faults.clear()).toBe(1)
    expect((await pending).status).toBe(503)
    expect((await rig.get('/api/v3/ping')).status).toBe(200)
  })

  it('delayRequests answers normally, later', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'delayRequests', path: '/api/v3/ping', ms: 40 })
    const started = performance.now()
    const response = await rig.get('/api/v3/ping')
    expect(performance.now() - started).toBeGreaterThanOrEqual(35)
    expect(response.status).toBe(200)
    expect(rig.simulator.faults.counts().delayRequests).toBe(1)
  })

  it('clockSkew moves serverTime and the timestamp check; clear() moves it back', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'clockSkew', ms: -5000 })
    expect(await (await rig.get('/api/v3/time')).json()).toEqual({ serverTime: rig.clock.now - 5000 })
    // A client stamping with the true time is now 5 s ahead of the server: -1021.
    const query = new URLSearchParams({ ...RESTING_BUY, timestamp: String(rig.clock.now) })
    const { hmacHex, API_KEY, API_SECRET } = await import('./simulator-test-kit.ts')
    const signature = await hmacHex(API_SECRET, query.toString())
    const ahead = await rig.simulator.fetch(
      new Request(`http://127.0.0.1/api/v3/order?${query}&signature=${signature}`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } }),
    )
    expect(await ahead.json()).toMatchObject({ code: -1021 })
    rig.simulator.faults.clear()
    expect(await (await rig.get('/api/v3/time')).json()).toEqual({ serverTime: rig.clock.now })
    expect(rig.simulator.faults.counts().clockSkew).toBe(1)
  })

  it('refuses a malformed fault with a typed error and arms nothing', () => {
    const rig = startRig()
    expect(() => rig.simulator.faults.arm({ kind: 'failRequests', mode: 'explode' })).toThrow(InvalidFaultError)
    expect(() => rig.simulator.faults.arm({ kind: 'nonsense' })).toThrow(InvalidFaultError)
    expect(() => rig.simulator.faults.arm({ kind: 'dropFrames', channel: 'market', count: 0 })).toThrow(/count/)
    expect(() => rig.simulator.faults.arm({ kind: 'failRequests', status: 200 })).toThrow(InvalidFaultError)
    expect(rig.simulator.faults.armed()).toEqual([])
  })
})

describe('WS API request faults', () => {
  async function subscribedSession() {
    const rig = startRig()
    const session = rig.open('/ws-api/v3')
    session.connection.receive(await rig.wsApiRequest('sub', 'userDataStream.subscribe.signature', {}))
    session.socket.take()
    return { rig, ...session }
  }

  it('reject answers status 5xx -1007 and places nothing', async () => {
    const { rig, socket, connection } = await subscribedSession()
    rig.simulator.faults.arm({ kind: 'failRequests', wsApiMethod: 'order.place', mode: 'reject' })
    connection.receive(await rig.wsApiRequest(7, 'order.place', { ...RESTING_BUY, newClientOrderId: 'ws-never' }))
    expect(socket.take()).toEqual([{ id: 7, status: 503, error: STATUS_UNKNOWN }])
    expect(rig.simulator.truth.order('ws-never')).toBeUndefined()
  })

  it('afterExecute places the order, replies 5xx, and the user stream still reports it', async () => {
    const { rig, socket, connection } = await subscribedSession()
    rig.simulator.faults.arm({ kind: 'failRequests', wsApiMethod: 'order.place', mode: 'afterExecute' })
    connection.receive(await rig.wsApiRequest(8, 'order.place', { ...RESTING_BUY, newClientOrderId: 'ws-placed' }))
    const frames = socket.take()
    expect(frames[0]).toEqual({ id: 8, status: 503, error: STATUS_UNKNOWN })
    expect(frames[1]).toMatchObject({ event: { e: 'executionReport', c: 'ws-placed', X: 'NEW' } })
    expect(rig.simulator.truth.order('ws-placed')?.status).toBe('NEW')
  })

  it('hang never replies; other methods keep working', async () => {
    const { rig, socket, connection } = await subscribedSession()
    rig.simulator.faults.arm({ kind: 'failRequests', wsApiMethod: 'order.place', mode: 'hang' })
    connection.receive(await rig.wsApiRequest(9, 'order.place', { ...RESTING_BUY, newClientOrderId: 'ws-hung' }))
    connection.receive(JSON.stringify({ id: 10, method: 'ping' }))
    expect(socket.take()).toMatchObject([{ id: 10, status: 200 }])
    expect(rig.simulator.truth.order('ws-hung')).toBeUndefined()
  })

  it('a REST-only fault does not touch WS API requests', async () => {
    const { rig, socket, connection } = await subscribedSession()
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order' })
    connection.receive(await rig.wsApiRequest(11, 'order.place', { ...RESTING_BUY, newClientOrderId: 'ws-ok' }))
    expect(socket.take()[0]).toMatchObject({ id: 11, status: 200 })
  })
})
