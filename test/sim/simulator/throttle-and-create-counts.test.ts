import { describe, expect, it } from 'vitest'
import { RESTING_BUY, startRig } from './simulator-test-kit.ts'

describe('throttleRequests fault', () => {
  it('answers 429 -1003 with Retry-After without running the request, and counts the fault', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'throttleRequests', path: '/api/v3/order', method: 'POST', retryAfterSeconds: 2 })
    const response = await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'throttled' })
    expect(response.status).toBe(429)
    expect(response.headers.get('Retry-After')).toBe('2')
    expect(await response.json()).toMatchObject({ code: -1003 })
    expect(rig.simulator.truth.order('throttled')).toBeUndefined()
    expect(rig.simulator.truth.createRequests('throttled')).toBe(0)
    expect(rig.simulator.faults.counts().throttleRequests).toBe(1)
    expect(rig.simulator.rateLimitViolations()).toEqual({ bansAnswered: 0, requestsWhileBanned: 0, requestsBeforeRetryAfter: 0 })
  })

  it('a request before Retry-After has passed earns a 418 ban, and calls while banned are counted', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'throttleRequests', path: '/api/v3/time' })
    expect((await rig.get('/api/v3/time')).status).toBe(429)
    rig.advance(500)
    const early = await rig.get('/api/v3/ping')
    expect(early.status).toBe(418)
    expect(Number(early.headers.get('Retry-After'))).toBeGreaterThan(0)
    rig.advance(1000)
    expect((await rig.get('/api/v3/ping')).status).toBe(418)
    expect(rig.simulator.rateLimitViolations()).toEqual({ bansAnswered: 2, requestsWhileBanned: 1, requestsBeforeRetryAfter: 1 })
  })

  it('requests already on the wire when the 429 went out are answered 429 again, not banned', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'throttleRequests', retryAfterSeconds: 2 })
    expect((await rig.get('/api/v3/time')).status).toBe(429)
    rig.advance(100)
    const inFlight = await rig.get('/api/v3/ping')
    expect(inFlight.status).toBe(429)
    expect(inFlight.headers.get('Retry-After')).toBe('2')
    expect(rig.simulator.rateLimitViolations()).toEqual({ bansAnswered: 0, requestsWhileBanned: 0, requestsBeforeRetryAfter: 0 })
  })

  it('a client that waits out Retry-After is served normally', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'throttleRequests', retryAfterSeconds: 1 })
    expect((await rig.get('/api/v3/time')).status).toBe(429)
    rig.advance(1000)
    expect((await rig.get('/api/v3/time')).status).toBe(200)
    expect(rig.simulator.rateLimitViolations().bansAnswered).toBe(0)
  })

  it('a clock skew neither shortens nor stretches Retry-After', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'throttleRequests', retryAfterSeconds: 1 })
    expect((await rig.get('/api/v3/time')).status).toBe(429)
    rig.simulator.faults.arm({ kind: 'clockSkew', ms: -5000 })
    rig.advance(1000)
    expect((await rig.get('/api/v3/time')).status).toBe(200)
    expect(rig.simulator.rateLimitViolations().requestsBeforeRetryAfter).toBe(0)
  })

  it('leaves WS API requests alone', () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'throttleRequests' })
    expect(rig.simulator.faults.requestFault({ wsApiMethod: 'order.place' })).toBeUndefined()
  })
})

describe('create requests per client order id', () => {
  it('counts every create that reached the engine, accepted or rejected as a duplicate', async () => {
    const rig = startRig()
    expect(rig.simulator.truth.createRequests('once')).toBe(0)
    expect((await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'once' })).status).toBe(200)
    expect(rig.simulator.truth.createRequests('once')).toBe(1)
    const duplicate = await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'once' })
    expect(duplicate.status).toBe(400)
    expect(rig.simulator.truth.createRequests('once')).toBe(2)
    expect(rig.simulator.truth.createRequests('once', 'ETHUSDT')).toBe(0)
  })

  it('counts a create that ran under afterExecute but not one rejected before running', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute' })
    expect((await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'ran' })).status).toBe(503)
    rig.simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'reject' })
    expect((await rig.signed('POST', '/api/v3/order', { ...RESTING_BUY, newClientOrderId: 'did-not-run' })).status).toBe(503)
    expect(rig.simulator.truth.createRequests('ran')).toBe(1)
    expect(rig.simulator.truth.createRequests('did-not-run')).toBe(0)
  })
})
