// The edge's order API inside workerd, against the simulator the harness starts: every check in the
// contract's order (413, 401, 400, 403, 400, 429), an order routed, queried and cancelled end to end
// (the simulator verifies the exchange signature; its /__sim/ control endpoint is the truth), the
// exchange's errors as typed answers, and no secret or caller signature in any answer or log line.
import { env as bindings, listDurableObjectIds } from 'cloudflare:test'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { handleOrderRequest, type OrderRequestDeps } from '../../../src/edge/orders/order-routes.ts'
import type { EdgeEnv } from '../../../src/edge/env.ts'
import { type CallerRequestInit, signedRequest, WORKER_ORIGIN } from './order-api-caller.ts'

const sim = inject('edgeSimulator')
const simOrigin = new URL(sim.rest).origin
const { BOOK_ROOM, RATE_BUDGET } = bindings as unknown as Pick<EdgeEnv, 'BOOK_ROOM' | 'RATE_BUDGET'>

/** One client id per concern, so the per-client limit and replay memory of one cannot touch another. */
const CLIENTS = {
  alice: 'alice-secret-0123456789abcdef',
  bob: 'bob-secret-0123456789abcdef',
  carol: 'carol-secret-0123456789abcdef',
  dave: 'dave-secret-0123456789abcdef',
} as const
type ClientId = keyof typeof CLIENTS

const env: EdgeEnv = {
  BINANCE_REST_URL: sim.rest,
  BINANCE_API_KEY: sim.apiKey,
  BINANCE_API_SECRET: sim.apiSecret,
  SPOTWIRE_CLIENTS: JSON.stringify(CLIENTS),
  ALLOWED_PAIRS: 'BTC-USDT,ETH-USDT',
  MAX_NOTIONAL: '50000',
  BOOK_ROOM,
  RATE_BUDGET,
}

/** Every answer body and caller signature of the file, checked for secrets at the end. */
const answers: string[] = []
const signatures: string[] = []
const logLines: string[] = []

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly json: Record<string, unknown>
  readonly text: string
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text()
  answers.push(text)
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown>, text }
}

async function call(
  clientId: ClientId,
  init: Omit<CallerRequestInit, 'clientId' | 'secret'>,
  options: { env?: EdgeEnv; deps?: OrderRequestDeps } = {},
): Promise<Answer> {
  const { request, signature } = await signedRequest({ clientId, secret: CLIENTS[clientId], ...init })
  signatures.push(signature)
  return answer(await handleOrderRequest(request, options.env ?? env, { log: (line) => logLines.push(line), ...options.deps }))
}

const place = (clientId: ClientId, order: Record<string, unknown>, options: { env?: EdgeEnv; deps?: OrderRequestDeps } = {}) =>
  call(clientId, { method: 'POST', path: '/v1/orders', body: JSON.stringify(order) }, options)

const orderPath = (clientOrderId: string, tradingPair = 'BTC-USDT') => `/v1/orders/${encodeURIComponent(clientOrderId)}?tradingPair=${tradingPair}`

async function simOrders(clientOrderId: string): Promise<{ status: string; price: string; origQty: string; side: string; type: string }[]> {
  const response = await fetch(`${simOrigin}/__sim/orders?clientOrderId=${encodeURIComponent(clientOrderId)}`)
  return (await response.json()) as { status: string; price: string; origQty: string; side: string; type: string }[]
}

/** A price 10 % under the best bid, on the 0.01 tick: rests on the book without filling. */
async function restingBuyPrice(): Promise<string> {
  const book = (await (await fetch(`${simOrigin}/__sim/book?symbol=BTCUSDT&limit=1`)).json()) as { bids: [string, string][] }
  const bestBid = Number(book.bids[0]![0])
  return (Math.floor(bestBid * 0.9 * 100) / 100).toFixed(2)
}

function errorOf(reply: Answer): { code: string; message: string; exchangeCode?: number } {
  return reply.json['error'] as { code: string; message: string; exchangeCode?: number }
}

describe('the edge order API routes a signed order to the exchange', () => {
  it('places a LIMIT order end to end, then GET shows it open and DELETE cancels it', async () => {
    const price = await restingBuyPrice()
    const placed = await place('alice', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price })
    expect(placed.status, placed.text).toBe(200)
    const clientOrderId = placed.json['clientOrderId'] as string
    expect(clientOrderId).toMatch(/^sw-[0-9a-f]{32}$/)
    expect(placed.json).toEqual({
      clientOrderId,
      exchangeOrderId: expect.stringMatching(/^\d+$/),
      tradingPair: 'BTC-USDT',
      side: 'BUY',
      orderType: 'LIMIT',
      amount: '0.001',
      price: String(Number(price)),
      executedAmount: '0',
      state: 'OPEN',
    })
    const [truth] = await simOrders(clientOrderId)
    expect(truth).toMatchObject({ status: 'NEW', side: 'BUY', type: 'LIMIT', origQty: '0.001', price: String(Number(price)) })

    const queried = await call('alice', { method: 'GET', path: orderPath(clientOrderId) })
    expect(queried.status, queried.text).toBe(200)
    expect(queried.json).toEqual(placed.json)

    const cancelled = await call('alice', { method: 'DELETE', path: orderPath(clientOrderId) })
    expect(cancelled.status, cancelled.text).toBe(200)
    expect(cancelled.json).toEqual({ ...placed.json, state: 'CANCELED' })
    expect((await simOrders(clientOrderId)).at(-1)?.status).toBe('CANCELED')

    const after = await call('alice', { method: 'GET', path: orderPath(clientOrderId) })
    expect(after.json['state']).toBe('CANCELED')
    // The exchange's request weight was drawn from the fleet-wide RateBudget object.
    expect((await listDurableObjectIds(RATE_BUDGET)).length).toBe(1)
  })

  it('keeps a caller-chosen client order id, and prices a MARKET order from the book for the notional check', async () => {
    const clientOrderId = `edge-mkt-${Date.now()}`
    const placed = await place('alice', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'MARKET', amount: '0.0002', clientOrderId })
    expect(placed.status, placed.text).toBe(200)
    expect(placed.json).toMatchObject({ clientOrderId, tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'MARKET', amount: '0.0002', state: 'FILLED', executedAmount: '0.0002' })
    expect((await simOrders(clientOrderId)).at(-1)?.status).toBe('FILLED')
  })
})

describe('the edge order API checks callers', () => {
  const body = JSON.stringify({ tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price: '1000.00' })

  it('answers 401 without the auth headers', async () => {
    const reply = await answer(await handleOrderRequest(new Request(`${WORKER_ORIGIN}/v1/orders`, { method: 'POST', body }), env))
    expect(reply.status).toBe(401)
    expect(errorOf(reply).code).toBe('AUTH_MISSING')
  })

  it('answers 401 for an unknown key', async () => {
    const { request } = await signedRequest({ clientId: 'mallory', secret: 'mallory-secret-xyz', method: 'POST', path: '/v1/orders', body })
    const reply = await answer(await handleOrderRequest(request, env))
    expect(reply.status).toBe(401)
    expect(errorOf(reply).code).toBe('AUTH_INVALID')
  })

  it('answers 401 for a signature made with the wrong secret, or over another body', async () => {
    const { request } = await signedRequest({ clientId: 'bob', secret: 'not-bobs-secret-at-all', method: 'POST', path: '/v1/orders', body })
    expect((await answer(await handleOrderRequest(request, env))).status).toBe(401)
    const signed = await signedRequest({ clientId: 'bob', secret: CLIENTS.bob, method: 'POST', path: '/v1/orders', body })
    const tampered = new Request(signed.request, { body: body.replace('0.001', '0.002') })
    const reply = await answer(await handleOrderRequest(tampered, env))
    expect(reply.status).toBe(401)
    expect(errorOf(reply).code).toBe('AUTH_INVALID')
  })

  it('answers 401 for a timestamp more than 5 s old or ahead', async () => {
    const nowMs = Date.now()
    for (const offsetMs of [-5_001, 5_001, -60_000]) {
      const reply = await call('bob', { method: 'POST', path: '/v1/orders', body, timestampMs: nowMs + offsetMs }, { deps: { now: () => nowMs } })
      expect(reply.status, `offset ${offsetMs}`).toBe(401)
      expect(errorOf(reply).code).toBe('AUTH_TIMESTAMP_OUTSIDE_WINDOW')
    }
  })

  it('accepts a signature once and answers 401 to the same request sent again', async () => {
    const timestampMs = Date.now()
    const init = { method: 'POST', path: '/v1/orders', body: '{"side":"HOLD"}', timestampMs } as const
    const first = await call('bob', init)
    expect(first.status).toBe(400) // past auth: the schema refuses it
    const replay = await call('bob', init)
    expect(replay.status).toBe(401)
    expect(errorOf(replay).code).toBe('AUTH_REPLAYED')
  })

  it('answers 413 for a body over 16 KiB, before looking at auth', async () => {
    const huge = JSON.stringify({ tradingPair: 'BTC-USDT', padding: 'x'.repeat(16 * 1024) })
    const unsigned = await answer(await handleOrderRequest(new Request(`${WORKER_ORIGIN}/v1/orders`, { method: 'POST', body: huge }), env))
    expect(unsigned.status).toBe(413)
    const signed = await call('bob', { method: 'POST', path: '/v1/orders', body: huge })
    expect(signed.status).toBe(413)
    expect(errorOf(signed).code).toBe('BODY_TOO_LARGE')
  })
})

describe('the edge order API checks orders in the contract order', () => {
  it('answers 400 naming every field the schema refuses', async () => {
    const reply = await place('bob', { tradingPair: 'btc/usdt', side: 'HOLD', orderType: 'LIMIT', amount: '-1', quantity: '1' })
    expect(reply.status).toBe(400)
    const { code, message } = errorOf(reply)
    expect(code).toBe('INVALID_REQUEST')
    for (const field of ['tradingPair', 'side', 'amount', 'quantity']) expect(message).toContain(field)
    const noPrice = await place('bob', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001' })
    expect(noPrice.status).toBe(400)
    expect(errorOf(noPrice).message).toMatch(/price: required for LIMIT/)
    const noPair = await call('bob', { method: 'GET', path: '/v1/orders/sw-1' })
    expect(noPair.status).toBe(400)
    expect(errorOf(noPair).message).toContain('tradingPair')
  })

  it('answers 403 for a pair outside ALLOWED_PAIRS, even one the exchange lists', async () => {
    const reply = await place('bob', { tradingPair: 'ETH-BTC', side: 'BUY', orderType: 'LIMIT', amount: '1', price: '0.05' })
    expect(reply.status).toBe(403)
    expect(errorOf(reply).code).toBe('PAIR_NOT_ALLOWED')
    const query = await call('bob', { method: 'GET', path: orderPath('sw-1', 'ETH-BTC') })
    expect(query.status).toBe(403)
  })

  it('answers 403 for a notional above MAX_NOTIONAL, for LIMIT orders and for MARKET orders priced from the book', async () => {
    const limit = await place('bob', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '1', price: '50000.01' })
    expect(limit.status).toBe(403)
    expect(errorOf(limit)).toMatchObject({ code: 'NOTIONAL_TOO_LARGE', message: expect.stringContaining('50000') })
    const market = await place('bob', { tradingPair: 'BTC-USDT', side: 'SELL', orderType: 'MARKET', amount: '1' })
    expect(market.status).toBe(403)
    expect(errorOf(market).code).toBe('NOTIONAL_TOO_LARGE')
  })

  it("answers 400 naming the exchange's rule for an off-tick price, an off-step amount and a notional under the minimum", async () => {
    const offTick = await place('bob', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price: '30000.005' })
    expect(offTick.status).toBe(400)
    expect(errorOf(offTick)).toMatchObject({ code: 'TRADING_RULE_VIOLATION', message: expect.stringContaining('PRICE_FILTER') })
    expect(errorOf(offTick).message).toContain('tick size 0.01')
    const offStep = await place('bob', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.000015', price: '30000.00' })
    expect(errorOf(offStep).message).toContain('LOT_SIZE')
    const tiny = await place('bob', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.0001', price: '30000.00' })
    expect(tiny.status).toBe(400)
    expect(errorOf(tiny).message).toContain('NOTIONAL')
  })

  it('answers 429 with Retry-After once a client passes its per-client limit, and the exchange error of each order before that', async () => {
    const nowMs = Date.now()
    const deps = { now: () => nowMs }
    for (let index = 0; index < 10; index += 1) {
      const reply = await call('carol', { method: 'GET', path: orderPath(`no-such-order-${index}`), timestampMs: nowMs }, { deps })
      expect(reply.status, reply.text).toBe(404)
      expect(errorOf(reply)).toMatchObject({ code: 'ORDER_NOT_FOUND', exchangeCode: -2013 })
    }
    const limited = await call('carol', { method: 'GET', path: orderPath('no-such-order-10'), timestampMs: nowMs }, { deps })
    expect(limited.status).toBe(429)
    expect(errorOf(limited).code).toBe('CLIENT_RATE_LIMITED')
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    // Another client is not held back by carol's burst.
    expect((await call('bob', { method: 'GET', path: orderPath('no-such-order-x'), timestampMs: nowMs }, { deps })).status).toBe(404)
  })
})

describe("the edge order API reports the exchange's answers", () => {
  it('answers an insufficient balance (-2010) as a typed 400 with the exchange code', async () => {
    const rich = { ...env, MAX_NOTIONAL: '5000000' }
    const reply = await place('dave', { tradingPair: 'BTC-USDT', side: 'SELL', orderType: 'LIMIT', amount: '20', price: '90000.00' }, { env: rich })
    expect(reply.status, reply.text).toBe(400)
    expect(errorOf(reply)).toMatchObject({ code: 'INSUFFICIENT_BALANCE', exchangeCode: -2010 })
  })

  it('answers 404 with the exchange code when cancelling an unknown order', async () => {
    const reply = await call('dave', { method: 'DELETE', path: orderPath('never-placed-1') })
    expect(reply.status).toBe(404)
    expect(errorOf(reply)).toMatchObject({ code: 'ORDER_NOT_FOUND', exchangeCode: -2011 })
  })

  it('answers 502 saying the status is unknown when the exchange fails while placing', async () => {
    const failingCreate: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/v3/order')) {
        return new Response('<html>bad gateway</html>', { status: 503 })
      }
      return fetch(request)
    }
    const reply = await place('dave', { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price: '30000.00', clientOrderId: 'edge-unknown-1' }, { deps: { fetch: failingCreate } })
    expect(reply.status).toBe(502)
    expect(errorOf(reply).message).toMatch(/status of order edge-unknown-1 is unknown/)
  })

  it('logs an unexpected failure with every secret redacted', async () => {
    const before = logLines.length
    const throwingClock = () => {
      throw new Error(`clock broke near ${sim.apiSecret} and ${CLIENTS.dave}`)
    }
    const reply = await call('dave', { method: 'GET', path: orderPath('sw-1') }, { deps: { now: throwingClock } })
    expect(reply.status).toBe(500)
    const logged = logLines.slice(before).join('\n')
    expect(logged).toContain('clock broke')
    expect(logged).not.toContain(sim.apiSecret)
    expect(logged).not.toContain(CLIENTS.dave)
  })
})

afterAll(() => {
  const secrets = [sim.apiSecret, sim.apiKey, ...Object.values(CLIENTS), ...signatures]
  const everything = [...answers, ...logLines].join('\n')
  expect(answers.length).toBeGreaterThan(30)
  for (const secret of secrets) expect(everything.includes(secret), 'a secret or caller signature leaked into an answer or a log line').toBe(false)
})
