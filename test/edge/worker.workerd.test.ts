// The Worker's own routing (src/edge/worker.ts), called through its default export with the
// simulator's URLs in the env, as `wrangler dev` / `npm run dev:edge` wire it.
import { env } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import worker from '../../src/edge/worker.ts'
import type { EdgeEnv } from '../../src/edge/env.ts'
import { signedRequest, WORKER_ORIGIN } from './orders/order-api-caller.ts'

const sim = inject('edgeSimulator')
const CLIENT = { clientId: 'worker-test-client', secret: 'worker-test-secret-0123456789' }

function workerEnv(): EdgeEnv {
  return {
    ...env,
    BINANCE_REST_URL: sim.rest,
    BINANCE_WS_URL: sim.ws,
    BINANCE_WS_API_URL: sim.wsApi,
    BINANCE_API_KEY: sim.apiKey,
    BINANCE_API_SECRET: sim.apiSecret,
    SPOTWIRE_CLIENTS: JSON.stringify({ [CLIENT.clientId]: CLIENT.secret }),
    ALLOWED_PAIRS: 'BTC-USDT,ETH-USDT',
    MAX_NOTIONAL: '100000',
  }
}

function call(request: Request): Promise<Response> {
  return worker.fetch(request, workerEnv())
}

describe('the edge Worker routes', () => {
  it('GET /v1/health answers without auth; other methods get 405', async () => {
    const health = await call(new Request(`${WORKER_ORIGIN}/v1/health`))
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    expect((await call(new Request(`${WORKER_ORIGIN}/v1/health`, { method: 'POST' }))).status).toBe(405)
  })

  it('answers unknown paths with 404 in the error shape', async () => {
    const response = await call(new Request(`${WORKER_ORIGIN}/v2/anything`))
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('/v2/anything') } })
  })

  it('routes a signed order through /v1/orders to the exchange and cancels it', async () => {
    const body = JSON.stringify({ tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price: '20000', clientOrderId: 'worker-route-1' })
    const placed = await call((await signedRequest({ ...CLIENT, method: 'POST', path: '/v1/orders', body })).request)
    expect(placed.status).toBe(200)
    expect(await placed.json()).toMatchObject({ clientOrderId: 'worker-route-1', tradingPair: 'BTC-USDT', side: 'BUY', state: 'OPEN' })
    const truth = (await (await fetch(`${new URL(sim.rest).origin}/__sim/orders?clientOrderId=worker-route-1`)).json()) as { status: string }[]
    expect(truth.map((order) => order.status)).toEqual(['NEW'])
    const path = '/v1/orders/worker-route-1?tradingPair=BTC-USDT'
    const cancelled = await call((await signedRequest({ ...CLIENT, method: 'DELETE', path })).request)
    expect(cancelled.status).toBe(200)
    expect(await cancelled.json()).toMatchObject({ clientOrderId: 'worker-route-1', state: 'CANCELED' })
  })

  it('refuses an unsigned order with 401 before anything reaches the exchange', async () => {
    const response = await call(new Request(`${WORKER_ORIGIN}/v1/orders`, { method: 'POST', body: '{}' }))
    expect(response.status).toBe(401)
  })

  it('serves GET /v1/book/:pair from the BookRoom in DESIGN.md shape, and 405 for other methods', async () => {
    const response = await call(new Request(`${WORKER_ORIGIN}/v1/book/eth-usdt?depth=5`))
    expect(response.status).toBe(200)
    const book = (await response.json()) as { tradingPair: string; updateId: number; bids: [string, string][]; asks: [string, string][] }
    expect(Object.keys(book).sort()).toEqual(['asks', 'bids', 'tradingPair', 'updateId'])
    expect(book.tradingPair).toBe('ETH-USDT')
    expect(book.bids).toHaveLength(5)
    expect(Number(book.bids[0]![0])).toBeLessThan(Number(book.asks[0]![0]))
    expect((await call(new Request(`${WORKER_ORIGIN}/v1/book/ETH-USDT`, { method: 'POST' }))).status).toBe(405)
  })
})

describe('the edge Worker and browsers', () => {
  it('answers a CORS preflight allowing the caller-signature headers, and adds CORS to answers', async () => {
    const preflight = await call(new Request(`${WORKER_ORIGIN}/v1/orders`, { method: 'OPTIONS' }))
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('X-Spotwire-Signature')
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('DELETE')
    const refused = await call(new Request(`${WORKER_ORIGIN}/v1/orders`, { method: 'POST', body: '{}' }))
    expect(refused.status).toBe(401)
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })
})
