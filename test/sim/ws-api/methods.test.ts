import { describe, expect, it } from 'vitest'
import { FakeSocket, keysOf, readReference, startWsApi } from './ws-api-test-kit.ts'

describe('public WS API methods', () => {
  it('ping answers an empty result and time the server clock, each with rateLimits', () => {
    const rig = startWsApi()
    expect(rig.request('ping', undefined, 7)).toEqual([
      { id: 7, status: 200, result: {}, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 1 }] },
    ])
    expect(rig.request('time')[0]).toMatchObject({ status: 200, result: { serverTime: rig.clock.now } })
  })

  it('depth answers the true book in the reference shape, weighted by limit', () => {
    const rig = startWsApi()
    const [response] = rig.request('depth', { symbol: 'BTCUSDT', limit: 5 })
    const reference = readReference('ws-api/depth_response.json')
    expect(keysOf(response)).toEqual(keysOf(reference))
    expect(keysOf(response?.result)).toEqual(keysOf(reference.result))
    const book = rig.exchange.engine.book('BTCUSDT', 5)
    expect(response?.result).toEqual({
      lastUpdateId: book.lastUpdateId,
      bids: book.bids.map((level) => [level.price.toFixed(8), level.quantity.toFixed(8)]),
      asks: book.asks.map((level) => [level.price.toFixed(8), level.quantity.toFixed(8)]),
    })
    expect(response?.rateLimits?.[0]?.count).toBe(5)
    expect(rig.request('depth', { symbol: 'BTCUSDT', limit: 1000 })[0]?.rateLimits?.[0]?.count).toBe(55)
    expect(rig.request('depth', { symbol: 'NOPE' })[0]).toMatchObject({ status: 400, error: { code: -1121, msg: 'Invalid symbol.' } })
  })

  it('answers an unknown method with -1020 and malformed JSON with id null, keeping the connection', () => {
    const rig = startWsApi()
    expect(rig.request('order.teleport', {}, 'x')[0]).toMatchObject({ id: 'x', status: 400, error: { code: -1020, msg: 'This operation is not supported.' } })
    rig.connection.receive('{"id": 1, "method": ')
    expect(rig.socket.take()).toEqual([expect.objectContaining({ id: null, status: 400, error: { code: -1135, msg: 'Invalid JSON Request' } })])
    expect(rig.request('ping')[0]).toMatchObject({ status: 200 })
    expect(rig.socket.closes).toEqual([])
  })

  it('closes a connection on any path but /ws-api/v3', () => {
    const rig = startWsApi()
    expect(rig.open().socket.closes).toEqual([])
    expect(rig.handler.connect('ws://127.0.0.1:9000/ws-api/v3/', new FakeSocket())).toBeDefined()
    const wrongPath = new FakeSocket()
    const connection = rig.handler.connect('/ws-api/v2', wrongPath)
    expect(wrongPath.closes).toEqual([{ code: 1008, reason: 'Unknown path' }])
    connection.receive('{"id":1,"method":"ping"}')
    expect(wrongPath.sent).toEqual([])
  })

  it('answers 429 past the weight limit and 418 when the client keeps going, with error.data.retryAfter in epoch ms', () => {
    const rig = startWsApi({ now: 1_700_000_030_000, limits: { requestWeightPerMinute: 2, firstBanMilliseconds: 120_000 } })
    rig.request('ping')
    rig.request('ping')
    const [limited] = rig.request('ping')
    expect(limited).toMatchObject({
      status: 429,
      error: { code: -1003, data: { serverTime: rig.clock.now, retryAfter: 1_700_000_040_000 /* end of the current one-minute window */ } },
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', limit: 2, count: 3 }],
    })
    const [banned] = rig.request('ping')
    const reference = readReference('ws-api/response_418_ip_banned_-1003.json')
    expect(keysOf(banned)).toEqual(keysOf(reference))
    expect(keysOf(banned?.error.data)).toEqual(keysOf(reference.error.data))
    expect(banned).toMatchObject({ status: 418, error: { code: -1003, msg: `Way too much request weight used; IP banned until ${rig.clock.now + 120_000}. Please use WebSocket Streams for live updates to avoid bans.`, data: { retryAfter: rig.clock.now + 120_000 } } })
  })
})
