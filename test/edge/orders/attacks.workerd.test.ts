// Attacks on the edge's order router (issue 10), inside workerd, through the Worker's own entry
// point: each is refused with the status and error code DESIGN.md's order of checks gives it
// (413 → 401 → 400 → 403 → 400 rules → 429; 404/405 for routes), and nothing it asks for reaches the
// exchange. "Nothing" is checked twice: every request the isolate sends while answering the attack
// is recorded (no order request, and no request at all for attacks refused before the exchange is
// needed), and the simulator's ground truth holds no order with an attack's client order id.
import { env as bindings } from 'cloudflare:test'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import type { EdgeEnv } from '../../../src/edge/env.ts'
import { handleOrderRequest } from '../../../src/edge/orders/order-routes.ts'
import worker from '../../../src/edge/worker.ts'
import { ATTACK_ID_PREFIX, attackIdsIssued, CLIENTS, nextTimestamp, order, ref, signed, streamedBody } from './attack-requests.ts'
import { ATTACK_TABLE } from './attack-table.ts'
import { WORKER_ORIGIN } from './order-api-caller.ts'

const sim = inject('edgeSimulator')
const simOrigin = new URL(sim.rest).origin
const { BOOK_ROOM, RATE_BUDGET } = bindings as unknown as Pick<EdgeEnv, 'BOOK_ROOM' | 'RATE_BUDGET'>

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

// ---- what reached the exchange ------------------------------------------------------------------

interface Outbound {
  readonly method: string
  readonly url: string
}
/** Requests the isolate sent while an attack was being answered. */
let outbound: Outbound[] = []
let recording = false
const realFetch = globalThis.fetch

beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    if (recording) {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET')
      outbound.push({ method: method.toUpperCase(), url: input instanceof Request ? input.url : String(input) })
    }
    return realFetch(input, init)
  })
})

afterAll(() => {
  vi.restoreAllMocks()
})

const isOrderRequest = (request: Outbound) => new URL(request.url).pathname.endsWith('/v3/order')

/** Answers `request` as the deployed Worker does (or through handleOrderRequest with a fixed clock). */
async function send(request: Request, nowMs?: number): Promise<{ response: Response; body: Record<string, unknown>; sent: Outbound[] }> {
  outbound = []
  recording = true
  try {
    const response = nowMs === undefined ? await worker.fetch(request, env) : await handleOrderRequest(request, env, { now: () => nowMs })
    const text = await response.text()
    return { response, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), sent: outbound }
  } finally {
    recording = false
  }
}

async function simOrdersWithPrefix(prefix: string): Promise<{ clientOrderId: string; status: string }[]> {
  const all = (await (await realFetch(`${simOrigin}/__sim/orders`)).json()) as { clientOrderId: string; status: string }[]
  return all.filter((entry) => entry.clientOrderId.startsWith(prefix))
}

// ---- the attacks --------------------------------------------------------------------------------

for (const [section, attacks] of ATTACK_TABLE) {
  describe(`the router refuses attacks on ${section}`, () => {
    it.each(attacks)('$name → $status $code', async (attack) => {
      const { response, body, sent } = await send(await attack.request())
      const error = body['error'] as { code: string; message: string } | undefined
      expect({ status: response.status, code: error?.code }, JSON.stringify(body)).toEqual({ status: attack.status, code: attack.code })
      expect(typeof error?.message).toBe('string')
      if (attack.message) expect(error?.message).toMatch(attack.message)
      if (attack.status === 405) expect(response.headers.get('Allow') ?? 'GET').toMatch(/GET|POST|DELETE/)
      expect(sent.filter(isOrderRequest), 'an order request reached the exchange').toEqual([])
      if (attack.reads === undefined) expect(sent, 'the exchange was asked something').toEqual([])
      else for (const request of sent) expect(request.method).toBe('GET')
    })
  })
}

describe('the router refuses a body streamed without a length', () => {
  it('answers 413 once the stream passes 16 KiB, and stops reading it', async () => {
    const counter = { pulled: 0 }
    const request = new Request(`${WORKER_ORIGIN}/v1/orders`, { method: 'POST', body: streamedBody(1024, 1024, counter) })
    expect(request.headers.get('Content-Length')).toBeNull()
    const { response, body, sent } = await send(request)
    expect(response.status).toBe(413)
    expect((body['error'] as { code: string }).code).toBe('BODY_TOO_LARGE')
    expect(counter.pulled).toBeLessThan(40) // 1 MiB offered; a little over 16 chunks read
    expect(sent).toEqual([])
  })
})

describe('the router refuses replays', () => {
  it('routes a signed order once; the same request again gets 401 AUTH_REPLAYED and nothing new reaches the exchange', async () => {
    const clientOrderId = `ok-replay-${Date.now()}`
    const timestamp = String(nextTimestamp())
    const body = order({ clientOrderId })
    const first = await send(await signed(body, { client: 'replayer', timestamp }))
    expect(first.response.status, JSON.stringify(first.body)).toBe(200)
    // The recorder sees an order that does reach the exchange: the refusals above are not blind spots.
    expect(first.sent.filter(isOrderRequest).map((request) => request.method)).toEqual(['POST'])

    const replay = await send(await signed(body, { client: 'replayer', timestamp }))
    expect(replay.response.status).toBe(401)
    expect((replay.body['error'] as { code: string }).code).toBe('AUTH_REPLAYED')
    expect(replay.sent).toEqual([])

    // The same signature in capitals is the same signature.
    const upper = await signed(body, { client: 'replayer', timestamp })
    const headers = new Headers(upper.headers)
    headers.set('X-Spotwire-Signature', headers.get('X-Spotwire-Signature')!.toUpperCase())
    const shouted = await send(new Request(upper, { headers }))
    expect((shouted.body['error'] as { code: string }).code).toBe('AUTH_REPLAYED')
    expect(shouted.sent).toEqual([])
    expect((await simOrdersWithPrefix(clientOrderId)).length).toBe(1)

    const cancel = await send(await signed(undefined, { client: 'replayer', method: 'DELETE', path: ref(clientOrderId) }))
    expect(cancel.response.status).toBe(200)
  })

  it('refuses a replay of a request the schema refused, too', async () => {
    const timestamp = String(nextTimestamp())
    const first = await send(await signed('{"side":"HOLD"}', { client: 'replayer', timestamp }))
    expect(first.response.status).toBe(400)
    const replay = await send(await signed('{"side":"HOLD"}', { client: 'replayer', timestamp }))
    expect(replay.response.status).toBe(401)
    expect((replay.body['error'] as { code: string }).code).toBe('AUTH_REPLAYED')
  })
})

describe('the router refuses requests over the per-client limit', () => {
  it('answers 429 with Retry-After past 10 requests in a second, and the 429s reach nothing', async () => {
    const nowMs = Date.now()
    for (let index = 0; index < 10; index += 1) {
      const { response } = await send(await signed(undefined, { client: 'flooder', path: ref(`atk-flood-${index}`), timestamp: String(nowMs + index) }), nowMs + 10)
      expect(response.status).toBe(404) // the exchange knows no such order
    }
    const attempts = [
      await signed(undefined, { client: 'flooder', path: ref('atk-flood-10'), timestamp: String(nowMs + 10) }),
      await signed(undefined, { client: 'flooder', method: 'DELETE', path: ref('atk-flood-11'), timestamp: String(nowMs + 11) }),
      await signed(order(), { client: 'flooder', timestamp: String(nowMs + 12) }),
      // A MARKET order is priced from the book (a GET) for its notional check, which comes first.
      await signed(order({ orderType: 'MARKET', amount: '0.0002', price: null }), { client: 'flooder', timestamp: String(nowMs + 15) }),
    ]
    for (const request of attempts) {
      const { response, body, sent } = await send(request, nowMs + 20)
      expect(response.status, JSON.stringify(body)).toBe(429)
      expect((body['error'] as { code: string }).code).toBe('CLIENT_RATE_LIMITED')
      expect(Number(response.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
      expect(sent.filter(isOrderRequest)).toEqual([])
      for (const outbound of sent) expect(outbound.method).toBe('GET') // market data only, for the checks that come first
    }
    // Earlier checks still answer first for a client over its limit.
    const schema = await send(await signed(order({ side: 'HOLD' }), { client: 'flooder', timestamp: String(nowMs + 13) }), nowMs + 20)
    expect(schema.response.status).toBe(400)
    const risk = await send(await signed(order({ tradingPair: 'ETH-BTC' }), { client: 'flooder', timestamp: String(nowMs + 14) }), nowMs + 20)
    expect(risk.response.status).toBe(403)
  })
})

describe('after every attack', () => {
  it('the exchange holds no order an attack asked for', async () => {
    expect(attackIdsIssued()).toBeGreaterThan(100)
    expect(await simOrdersWithPrefix(ATTACK_ID_PREFIX)).toEqual([])
  })

  it('no prototype in the isolate was altered', () => {
    const plain: Record<string, unknown> = {}
    expect(plain['isAdmin']).toBeUndefined()
    expect(({}) as { isAdmin?: unknown }).not.toHaveProperty('isAdmin')
    expect(Object.prototype).not.toHaveProperty('isAdmin')
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('isAdmin')
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
    expect(([] as unknown as { isAdmin?: unknown }).isAdmin).toBeUndefined()
    expect((Object as unknown as { isAdmin?: unknown }).isAdmin).toBeUndefined()
  })
})
