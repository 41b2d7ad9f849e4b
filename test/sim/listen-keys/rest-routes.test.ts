import { describe, expect, it } from 'vitest'
import { createSimulatedExchange } from '../../../src/sim/engine/index.ts'
import { createListenKeyRegistry } from '../../../src/sim/listen-keys/index.ts'
import { API_KEY, keysOf, readReference, referenceKeys, startSimulator } from '../rest/rest-test-kit.ts'
import { MINUTE, openListenKey, startListenKeys, STREAM_PATH, userStream, usedWeight } from './listen-key-test-kit.ts'

const UNKNOWN_KEY = { status: 400, body: { code: -1125, msg: 'This listenKey does not exist.' } }
const FORMAT_INVALID = { status: 401, body: { code: -2014, msg: 'API-key format invalid.' } }
const REJECTED_KEY = { status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } }

describe('POST /api/v3/userDataStream', () => {
  it('answers {listenKey} with a 64-character alphanumeric key, with only the API key header', async () => {
    const rig = startListenKeys()
    const response = await userStream(rig, 'POST')
    expect(response.status).toBe(200)
    expect(keysOf(response.body)).toEqual(referenceKeys('rest/POST_api_v3_userDataStream_listenKey__RETIRED.json'))
    const { listenKey } = response.body as { listenKey: string }
    expect(listenKey).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(listenKey).toHaveLength((readReference('rest/POST_api_v3_userDataStream_listenKey__RETIRED.json') as { listenKey: string }).listenKey.length)
    expect(rig.listenKeys.has(listenKey)).toBe(true)
  })

  it('hands an account with an active key that same key and extends it', async () => {
    const rig = startListenKeys()
    const first = await openListenKey(rig)
    rig.clock.now += 50 * MINUTE
    expect(await openListenKey(rig)).toBe(first)
    rig.clock.now += 50 * MINUTE
    // 100 minutes after creation, 50 after the second POST: still alive.
    expect(rig.listenKeys.has(first)).toBe(true)
    rig.clock.now += 10 * MINUTE
    expect(rig.listenKeys.has(first)).toBe(false)
    const second = await openListenKey(rig)
    expect(second).not.toBe(first)
    expect(second).toMatch(/^[A-Za-z0-9]{64}$/)
  })

  it('draws keys from the seed: the same seed hands out the same keys, another seed others', () => {
    const keysFor = (seed: number) => {
      const registry = createListenKeyRegistry({ exchange: createSimulatedExchange({ seed: 1 }), now: () => 0, seed })
      const first = registry.open()
      registry.close(first)
      return [first, registry.open()]
    }
    const [first, second] = keysFor(7)
    expect(keysFor(7)).toEqual([first, second])
    expect(first).not.toBe(second)
    expect(keysFor(8)[0]).not.toBe(first)
  })
})

describe('PUT /api/v3/userDataStream', () => {
  it('answers {} and keeps the key alive for another 60 minutes', async () => {
    const rig = startListenKeys()
    const listenKey = await openListenKey(rig)
    rig.clock.now += 59 * MINUTE
    expect(await userStream(rig, 'PUT', { listenKey })).toMatchObject({ status: 200, body: {} })
    expect(keysOf((await userStream(rig, 'PUT', { listenKey })).body)).toEqual([])
    rig.clock.now += 59 * MINUTE
    expect(rig.listenKeys.has(listenKey)).toBe(true)
    rig.clock.now += MINUTE
    expect(rig.listenKeys.has(listenKey)).toBe(false)
    expect(await userStream(rig, 'PUT', { listenKey })).toMatchObject(UNKNOWN_KEY)
  })

  it('answers -1125 for a key it never issued, and -1102 when listenKey is missing', async () => {
    const rig = startListenKeys()
    await openListenKey(rig)
    expect(await userStream(rig, 'PUT', { listenKey: 'x'.repeat(64) })).toMatchObject(UNKNOWN_KEY)
    expect(await userStream(rig, 'PUT')).toMatchObject({
      status: 400, body: { code: -1102, msg: "Mandatory parameter 'listenKey' was not sent, was empty/null, or malformed." },
    })
  })
})

describe('DELETE /api/v3/userDataStream', () => {
  it('answers {} and ends the key, so a second DELETE or a PUT answers -1125', async () => {
    const rig = startListenKeys()
    const listenKey = await openListenKey(rig)
    expect(await userStream(rig, 'DELETE', { listenKey })).toMatchObject({ status: 200, body: {} })
    expect(rig.listenKeys.has(listenKey)).toBe(false)
    expect(await userStream(rig, 'DELETE', { listenKey })).toMatchObject(UNKNOWN_KEY)
    expect(await userStream(rig, 'PUT', { listenKey })).toMatchObject(UNKNOWN_KEY)
    expect(await openListenKey(rig)).not.toBe(listenKey)
  })

  it('answers -1125 for an expired key', async () => {
    const rig = startListenKeys()
    const listenKey = await openListenKey(rig)
    rig.clock.now += 60 * MINUTE
    expect(await userStream(rig, 'DELETE', { listenKey })).toMatchObject(UNKNOWN_KEY)
  })

  it('reads listenKey from a form body as well as the query string', async () => {
    const rig = startListenKeys()
    const listenKey = await openListenKey(rig)
    const request = new Request(`http://127.0.0.1${STREAM_PATH}`, {
      method: 'DELETE',
      headers: { 'X-MBX-APIKEY': API_KEY, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `listenKey=${listenKey}`,
    })
    expect((await rig.handle(request)).status).toBe(200)
    expect(rig.listenKeys.has(listenKey)).toBe(false)
  })
})

describe('the userDataStream routes', () => {
  it('answer -2014 without an API key or with a malformed one, and -2015 for another key, with HTTP 401', async () => {
    const rig = startListenKeys()
    const listenKey = await openListenKey(rig)
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const params = method === 'POST' ? {} : { listenKey }
      expect(await userStream(rig, method, params, {}), method).toMatchObject(FORMAT_INVALID)
      expect(await userStream(rig, method, params, { 'X-MBX-APIKEY': 'not a key!' }), method).toMatchObject(FORMAT_INVALID)
      expect(await userStream(rig, method, params, { 'X-MBX-APIKEY': 'anotherKey0123456789' }), method).toMatchObject(REJECTED_KEY)
    }
    // None of the refused requests touched the key.
    expect(rig.listenKeys.has(listenKey)).toBe(true)
  })

  it('weigh 2 each in X-MBX-USED-WEIGHT-1M', async () => {
    const rig = startListenKeys()
    const post = await userStream(rig, 'POST')
    expect(usedWeight(post.headers)).toBe(2)
    const { listenKey } = post.body as { listenKey: string }
    expect(usedWeight((await userStream(rig, 'PUT', { listenKey })).headers)).toBe(4)
    expect(usedWeight((await userStream(rig, 'DELETE', { listenKey })).headers)).toBe(6)
  })

  it('are unknown routes (404, -1000) when the REST handler has no listen-key registry', async () => {
    const simulator = startSimulator()
    const unknownRoute = { status: 404, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' } }
    expect(await userStream(simulator, 'POST')).toMatchObject(unknownRoute)
    expect(await userStream(simulator, 'PUT', { listenKey: 'k'.repeat(64) })).toMatchObject(unknownRoute)
    expect(await userStream(simulator, 'DELETE', { listenKey: 'k'.repeat(64) })).toMatchObject(unknownRoute)
  })

  it('do not answer GET, which Binance never served', async () => {
    const rig = startListenKeys()
    expect((await userStream(rig, 'GET')).status).toBe(404)
  })
})
