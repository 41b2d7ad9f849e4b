import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_KEY, API_SECRET, call, hmacHex, queryOf, signed, signedRequest, startSimulator } from './rest-test-kit.ts'

interface Vector {
  id: string
  apiKey: string
  secretKey: string
  payload: string
  signature: string
  params: [string, string][]
}

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/binance-hmac-vectors.json', import.meta.url), 'utf8')) as Vector[]
const restVector = vectors.find((vector) => vector.id === 'rest_hmac_ascii')

describe('SIGNED requests', () => {
  it("accept Binance's documented example (rest_hmac_ascii) in the query string, in the body, and split across both", async () => {
    if (!restVector) throw new Error('rest_hmac_ascii missing from the fixtures')
    const timestamp = Number(restVector.params.find(([name]) => name === 'timestamp')?.[1])
    const headers = { 'X-MBX-APIKEY': restVector.apiKey }
    const form = { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }
    const [queryPart, bodyPart] = ['symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC', 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559']
    const requests = [
      new Request(`http://127.0.0.1/api/v3/order?${restVector.payload}&signature=${restVector.signature}`, { method: 'POST', headers }),
      new Request('http://127.0.0.1/api/v3/order', { method: 'POST', headers: form, body: `${restVector.payload}&signature=${restVector.signature}` }),
      // Mixed: totalParams is the query string concatenated with the body (rest-api.md example 3).
      new Request(`http://127.0.0.1/api/v3/order?${queryPart}`, {
        method: 'POST', headers: form, body: `${bodyPart}&signature=${hmacHex(restVector.secretKey, queryPart + bodyPart)}`,
      }),
    ]
    for (const request of requests) {
      const simulator = startSimulator({ apiKey: restVector.apiKey, apiSecret: restVector.secretKey, now: timestamp })
      const response = await call(simulator, request)
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      expect(response.body).toMatchObject({ symbol: 'LTCBTC', status: 'NEW', price: '0.10000000', origQty: '1.00000000' })
    }
  })

  it('answer -1022 for a tampered signature or a tampered parameter', async () => {
    const simulator = startSimulator()
    const payload = queryOf({ timestamp: String(simulator.clock.now) })
    const good = hmacHex(API_SECRET, payload)
    const flipped = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`
    const invalid = { status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } }
    expect(await call(simulator, new Request(`http://127.0.0.1/api/v3/account?${payload}&signature=${flipped}`, { headers: { 'X-MBX-APIKEY': API_KEY } }))).toMatchObject(invalid)
    expect(await signed(simulator, 'GET', '/api/v3/account', {}, { secret: 'another-secret' })).toMatchObject(invalid)
  })

  it('answer -2015 for an unknown key and -2014 for a missing one, with HTTP 401', async () => {
    const simulator = startSimulator()
    expect(await signed(simulator, 'GET', '/api/v3/account', {}, { apiKey: 'unknownKey0123456789' })).toMatchObject({
      status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
    })
    const unsigned = await call(simulator, new Request(`http://127.0.0.1/api/v3/account?timestamp=${simulator.clock.now}&signature=00`))
    expect(unsigned).toMatchObject({ status: 401, body: { code: -2014, msg: 'API-key format invalid.' } })
  })

  it('answer -1021 outside recvWindow (default 5000) and for a timestamp 1 s or more ahead', async () => {
    const simulator = startSimulator()
    const now = simulator.clock.now
    const stale = { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } }
    expect(await signed(simulator, 'GET', '/api/v3/account', {}, { timestamp: now - 5001 })).toMatchObject(stale)
    expect((await signed(simulator, 'GET', '/api/v3/account', {}, { timestamp: now - 5000 })).status).toBe(200)
    expect(await signed(simulator, 'GET', '/api/v3/account', {}, { timestamp: now + 1000 })).toMatchObject({
      status: 400, body: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
    })
    expect((await signed(simulator, 'GET', '/api/v3/account', {}, { timestamp: now + 999 })).status).toBe(200)
  })

  it('respect recvWindow: a wider window accepts, a narrower one refuses, above 60000 is invalid', async () => {
    const simulator = startSimulator()
    const now = simulator.clock.now
    expect((await signed(simulator, 'GET', '/api/v3/account', { recvWindow: '20000' }, { timestamp: now - 15000 })).status).toBe(200)
    expect((await signed(simulator, 'GET', '/api/v3/account', { recvWindow: '100' }, { timestamp: now - 101 })).body).toMatchObject({ code: -1021 })
    expect((await signed(simulator, 'GET', '/api/v3/account', { recvWindow: '60001' })).body).toMatchObject({ code: -1130 })
  })

  it('answer -1102 without a timestamp or signature', async () => {
    const simulator = startSimulator()
    const headers = { 'X-MBX-APIKEY': API_KEY }
    const payload = 'recvWindow=5000'
    expect(await call(simulator, new Request(`http://127.0.0.1/api/v3/account?${payload}&signature=${hmacHex(API_SECRET, payload)}`, { headers }))).toMatchObject({
      status: 400, body: { code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." },
    })
    expect((await call(simulator, new Request(`http://127.0.0.1/api/v3/account?timestamp=${simulator.clock.now}`, { headers }))).body).toMatchObject({ code: -1102 })
  })

  it('signs form bodies for DELETE too', async () => {
    const simulator = startSimulator()
    const response = await call(simulator, signedRequest(simulator, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: '999' }, { inBody: true }))
    expect(response).toMatchObject({ status: 400, body: { code: -2011, msg: 'Unknown order sent.' } })
  })
})
