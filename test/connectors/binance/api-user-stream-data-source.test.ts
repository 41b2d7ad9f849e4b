// The Binance user stream over the WebSocket API (binance.com, testnet): the signed subscribe on
// every (re)connect, its answer (success, refusals as typed errors, timeout), event unwrapping and
// order, eventStreamTerminated, keep-alive pings, and no secret in any reported error. Fake sockets
// under fake timers (the real-socket run is in api-user-stream-data-source.loopback.test.ts). Test names follow the recipe's
// test_binance_user_stream_data_source.py.
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BinanceApiUserStreamDataSource } from '../../../src/connectors/binance/api-user-stream-data-source.ts'
import { LIMIT_IDS } from '../../../src/connectors/binance/constants.ts'
import {
  InvalidInputError,
  InvalidSignatureError,
  IpBannedError,
  NetworkError,
  PayloadValidationError,
  RateLimitedError,
  RequestTimeoutError,
  SocketClosedError,
  TimestampOutsideWindowError,
} from '../../../src/core/errors.ts'
import { errorTexts } from '../../core/web/helpers/fake-fetch.ts'
import {
  API_KEY,
  API_SECRET,
  fakeBinanceSockets,
  flush,
  readReference,
  referenceEvent,
  referenceObject,
  refused,
  START_TIME,
  startStream,
  subscribed,
  URLS,
  useFakeClock,
} from './user-stream-helpers.ts'

/** The documented signature: HMAC-SHA256 (hex) of `apiKey=…&timestamp=…`, computed independently. */
function expectedSignature(timestamp: number, secret = API_SECRET): string {
  return createHmac('sha256', secret).update(`apiKey=${API_KEY}&timestamp=${timestamp}`).digest('hex')
}

describe('binance user stream (WS API)', () => {
  beforeEach(() => useFakeClock())
  afterEach(() => vi.useRealTimers())

  it('listen for user stream: subscribes with signature', async () => {
    const server = fakeBinanceSockets()
    const documented = referenceObject('ws-api/userDataStream.subscribe.signature_request.json')
    const { stream, errors } = startStream(server.factory, { now: () => 1_747_385_641_636 })
    const connected: number[] = []
    stream.on('connected', (at) => connected.push(at))
    await flush()
    expect(server.sockets.map((socket) => socket.url)).toEqual([URLS.wsApi])
    const [request] = server.last().requests
    expect(request).toEqual({
      id: expect.any(String),
      method: documented['method'],
      params: { apiKey: API_KEY, timestamp: 1_747_385_641_636, signature: expectedSignature(1_747_385_641_636) },
    })
    expect(Object.keys(request?.params ?? {})).toEqual(Object.keys(documented['params'] as object))
    expect(stream.subscriptionId).toBe(0)
    expect(stream.isConnected).toBe(true)
    expect(connected).toEqual([START_TIME])
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('signs with the connector signer when one is given, passing it the api key', async () => {
    const server = fakeBinanceSockets()
    const seen: unknown[] = []
    const { stream } = startStream(server.factory, {
      signWsPayload: (params) => {
        seen.push(params)
        return { ...params, recvWindow: 5000, timestamp: 42, signature: 'from-the-signer' }
      },
    })
    await flush()
    expect(seen).toEqual([{ apiKey: API_KEY }])
    expect(server.last().requests[0]?.params).toEqual({ apiKey: API_KEY, recvWindow: 5000, timestamp: 42, signature: 'from-the-signer' })
    await stream.stop()
  })

  it('listen for user stream: subscribe and receive event, unwrapped from its container, in order', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, done } = startStream(server.factory)
    await flush()
    for (const name of ['executionReport', 'outboundAccountPosition', 'balanceUpdate', 'listStatus']) {
      server.last().say(readReference(`user-data/wsapi_envelope_${name}.json`))
    }
    server.last().say(readReference('user-data/legacy_listenKey_balanceUpdate.json')) // a bare event is read too
    await flush()
    expect(events.map((event) => event.e)).toEqual(['executionReport', 'outboundAccountPosition', 'balanceUpdate', 'listStatus', 'balanceUpdate'])
    expect(events[0]).toEqual(referenceEvent('executionReport'))
    await stream.stop()
    await done
  })

  it('listen for user stream: does not queue empty payload, WS API responses or other event types', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, errors } = startStream(server.factory)
    await flush()
    const socket = server.last()
    socket.say('')
    socket.say({})
    socket.say([])
    socket.say(readReference('ws-api/userDataStream.subscribe_response.json'))
    socket.say(readReference('ws-api/response_success_with_rateLimits.json'))
    socket.say(readReference('user-data/wsapi_envelope_externalLockUpdate.json'))
    socket.sayEvent({ e: 'somethingNew', E: 1 })
    socket.sayEvent(referenceEvent('balanceUpdate'))
    await flush()
    expect(events.map((event) => event.e)).toEqual(['balanceUpdate'])
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('process event message: a malformed event is reported as PayloadValidationError and the stream goes on', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, errors } = startStream(server.factory)
    await flush()
    server.last().sayEvent({ ...referenceEvent('executionReport'), q: 1.5 }) // a number where a decimal string belongs
    server.last().say({ subscriptionId: 'zero', event: referenceEvent('balanceUpdate') })
    server.last().sayEvent({ E: 1 })
    server.last().sayEvent(referenceEvent('outboundAccountPosition'))
    await flush()
    expect(errors).toHaveLength(3)
    for (const error of errors) expect(error).toBeInstanceOf(PayloadValidationError)
    expect((errors[0] as PayloadValidationError).source).toBe('binance user stream executionReport')
    expect(errors[0]?.message).toMatch(/q: expected string/)
    expect(events.map((event) => event.e)).toEqual(['outboundAccountPosition'])
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('delivers events that arrive before the subscribe answer', async () => {
    const server = fakeBinanceSockets((request, socket) => {
      socket.sayEvent(referenceEvent('balanceUpdate'))
      return subscribed(request, 7)
    })
    const { stream, events } = startStream(server.factory)
    await flush()
    expect(stream.subscriptionId).toBe(7)
    expect(events.map((event) => event.e)).toEqual(['balanceUpdate'])
    await stream.stop()
  })

  it.each([
    { status: 400, code: -1022, msg: 'Signature for this request is not valid.', type: InvalidSignatureError },
    { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.', type: InvalidSignatureError },
    { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.', type: TimestampOutsideWindowError },
  ])('subscribe channels failure ($code): a typed error is reported and the connection retried', async ({ status, code, msg, type }) => {
    let attempts = 0
    const server = fakeBinanceSockets((request) => (attempts++ === 0 ? refused(request, status, code, msg) : subscribed(request)))
    const { stream, errors } = startStream(server.factory)
    await flush()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(type)
    expect(errors[0]).toMatchObject({ exchangeCode: code, httpStatus: status })
    expect(stream.isConnected).toBe(false)
    expect(stream.subscriptionId).toBeUndefined()
    await vi.advanceTimersByTimeAsync(250) // the supervisor's backoff (jitter 0)
    expect(server.sockets).toHaveLength(2)
    expect(server.last().requests[0]?.params?.['timestamp']).toBe(START_TIME + 250)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('a 429 answer waits out retryAfter before connecting again', async () => {
    let attempts = 0
    const limiter = { acquire: vi.fn((_limitId: string) => Promise.resolve()), pause: vi.fn(), ban: vi.fn() }
    const server = fakeBinanceSockets((request) =>
      attempts++ === 0
        ? refused(request, 429, -1003, 'Too much request weight used.', { serverTime: 1_000, retryAfter: 61_000 })
        : subscribed(request),
    )
    const { stream, errors } = startStream(server.factory, { limiter })
    await flush()
    expect(errors[0]).toBeInstanceOf(RateLimitedError)
    expect(errors[0]).toMatchObject({ retryAfterMs: 60_000 })
    expect(limiter.pause).toHaveBeenCalledWith('all', START_TIME + 60_000)
    expect(limiter.acquire.mock.calls.map(([id]) => id)).toEqual([LIMIT_IDS.wsApiConnect, LIMIT_IDS.wsApiUserDataSubscribe])
    await vi.advanceTimersByTimeAsync(59_000)
    expect(server.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.sockets).toHaveLength(2)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('a 418 answer (IP banned) is an IpBannedError and no connection is tried until the ban ends', async () => {
    const banned = referenceObject('ws-api/response_418_ip_banned_-1003.json')
    const data = (banned['error'] as { data: { serverTime: number; retryAfter: number } }).data
    const banMs = data.retryAfter - data.serverTime
    let attempts = 0
    const limiter = { acquire: vi.fn(() => Promise.resolve()), ban: vi.fn() }
    const server = fakeBinanceSockets((request) => (attempts++ === 0 ? { ...banned, id: request.id } : subscribed(request)))
    const { stream, errors } = startStream(server.factory, { limiter })
    await flush()
    expect(errors[0]).toBeInstanceOf(IpBannedError)
    expect((errors[0] as IpBannedError).bannedUntil).toBe(START_TIME + banMs)
    expect(limiter.ban).toHaveBeenCalledWith(START_TIME + banMs)
    await vi.advanceTimersByTimeAsync(banMs - 1)
    expect(server.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.sockets).toHaveLength(2)
    await stream.stop()
  })

  it('no answer to the subscribe within the timeout: RequestTimeoutError, then a new connection', async () => {
    let attempts = 0
    const server = fakeBinanceSockets((request) => (attempts++ === 0 ? undefined : subscribed(request)))
    const { stream, errors } = startStream(server.factory, { responseTimeoutMs: 5_000 })
    await flush()
    await vi.advanceTimersByTimeAsync(4_999)
    expect(errors).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(errors[0]).toBeInstanceOf(RequestTimeoutError)
    expect(errors[0]?.message).toMatch(/no answer to userDataStream\.subscribe\.signature within 5000 ms/)
    await vi.advanceTimersByTimeAsync(250)
    expect(server.sockets).toHaveLength(2)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('process event message handles stream terminated: reconnects and subscribes again, nothing delivered', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, errors } = startStream(server.factory)
    await flush()
    await vi.advanceTimersByTimeAsync(5_000)
    server.last().say(readReference('user-data/wsapi_envelope_eventStreamTerminated.json'))
    await flush()
    expect(server.sockets).toHaveLength(2)
    expect(server.sockets[0]?.readyState).toBe(3)
    expect(server.last().requests[0]?.params?.['signature']).toBe(expectedSignature(START_TIME + 5_000))
    expect(stream.subscriptionId).toBe(1)
    expect(events).toEqual([])
    expect(errors.map((error) => error.constructor)).toEqual([SocketClosedError])
    expect(errors[0]?.message).toMatch(/eventStreamTerminated/)
    await stream.stop()
  })

  it('serverShutdown moves to a new connection and subscribes there, quietly', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, errors } = startStream(server.factory)
    await flush()
    server.last().say({ event: readReference('ws-streams/serverShutdown_raw.json') })
    await flush()
    expect(server.sockets).toHaveLength(2)
    expect(server.sockets[0]?.readyState).toBe(3)
    expect(server.last().requests.map((request) => request.method)).toEqual(['userDataStream.subscribe.signature'])
    expect(stream.isConnected).toBe(true)
    expect(events).toEqual([])
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('reconnect after a drop subscribes again (listen for user stream: iter message throws exception)', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, errors } = startStream(server.factory)
    await flush()
    server.last().fail('connection reset by peer')
    await flush()
    expect(errors[0]).toBeInstanceOf(SocketClosedError)
    await vi.advanceTimersByTimeAsync(250)
    expect(server.sockets).toHaveLength(2)
    expect(server.last().requests.map((request) => request.method)).toEqual(['userDataStream.subscribe.signature'])
    server.last().sayEvent(referenceEvent('balanceUpdate'))
    await flush()
    expect(events).toHaveLength(1)
    await stream.stop()
  })

  it('listen for user stream: connection failed is reported and retried', async () => {
    const server = fakeBinanceSockets()
    let attempts = 0
    const { stream, errors } = startStream((url) => {
      if (attempts++ === 0) throw new Error('getaddrinfo ENOTFOUND')
      return server.factory(url)
    })
    await flush()
    expect(errors[0]).toBeInstanceOf(NetworkError)
    expect(errors[0]?.message).toMatch(/could not create the socket/)
    await vi.advanceTimersByTimeAsync(250)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('lastReceivedAt is 0 before any message, then the time of the latest one', async () => {
    const idle = new BinanceApiUserStreamDataSource({ mode: 'wsApiSignature', urls: URLS, apiKey: API_KEY, apiSecret: API_SECRET })
    expect(idle.lastReceivedAt).toBe(0)
    const server = fakeBinanceSockets()
    const { stream } = startStream(server.factory)
    await flush()
    expect(stream.lastReceivedAt).toBe(START_TIME) // the subscribe answer
    await vi.advanceTimersByTimeAsync(3_000)
    server.last().sayEvent(referenceEvent('balanceUpdate'))
    await flush()
    expect(stream.lastReceivedAt).toBe(START_TIME + 3_000)
    await stream.stop()
  })

  it('pings with the WS API ping method after a silence and keeps the connection', async () => {
    const server = fakeBinanceSockets()
    const { stream, errors } = startStream(server.factory, { socket: { livenessTimeoutMs: 10_000 } })
    await flush()
    await vi.advanceTimersByTimeAsync(25_000)
    expect(server.sockets).toHaveLength(1)
    const methods = server.last().requests.map((request) => request.method)
    expect(methods[0]).toBe('userDataStream.subscribe.signature')
    expect(methods.slice(1).every((method) => method === 'ping')).toBe(true)
    expect(methods.length).toBeGreaterThan(1)
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('reports a refused answer that arrives outside the handshake', async () => {
    const server = fakeBinanceSockets()
    const { stream, events, errors } = startStream(server.factory)
    await flush()
    server.last().say(refused({ id: 'spotwire-user-stream-9', method: 'ping' }, 429, -1003, 'Too many requests.'))
    await flush()
    expect(errors[0]).toBeInstanceOf(RateLimitedError)
    expect(events).toEqual([])
    await stream.stop()
  })

  it('stop leaves no timer or socket behind and ends the iteration', async () => {
    const server = fakeBinanceSockets()
    const { stream, done } = startStream(server.factory, { socket: { livenessTimeoutMs: 30_000 } })
    await flush()
    await stream.stop()
    await done
    expect(server.last().readyState).toBe(3)
    expect(vi.getTimerCount()).toBe(0)
    expect(stream.subscriptionId).toBeUndefined()
  })

  it('a stop during a 429 wait ends the wait; a new start connects at once', async () => {
    let attempts = 0
    const server = fakeBinanceSockets((request) =>
      attempts++ === 0 ? refused(request, 429, -1003, 'Too many requests.', { serverTime: 0, retryAfter: 600_000 }) : subscribed(request),
    )
    const { stream } = startStream(server.factory)
    await flush()
    await vi.advanceTimersByTimeAsync(1_000)
    await stream.stop()
    expect(vi.getTimerCount()).toBe(0)
    stream.start()
    await flush()
    expect(server.sockets).toHaveLength(2)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('needs a secret or a signer in WS API mode', () => {
    expect(() => new BinanceApiUserStreamDataSource({ mode: 'wsApiSignature', urls: URLS, apiKey: API_KEY })).toThrow(InvalidInputError)
  })

  it('no secret (api key, secret, signature) in any reported error', async () => {
    const signature = expectedSignature(START_TIME)
    const echo = `Signature for this request is not valid. apiKey=${API_KEY} signature=${signature} secret ${API_SECRET}`
    let attempts = 0
    const server = fakeBinanceSockets((request) => (attempts++ === 0 ? refused(request, 400, -1022, echo) : subscribed(request)))
    const { stream, errors } = startStream(server.factory)
    await flush()
    await vi.advanceTimersByTimeAsync(250)
    server.last().sayEvent({ e: 'executionReport', apiKey: API_KEY, note: `key ${API_KEY}`, signature })
    server.last().fail(`reset while sending ${API_SECRET}`)
    await flush()
    expect(errors.length).toBeGreaterThanOrEqual(3)
    const texts = errors.flatMap((error) => [
      ...errorTexts(error),
      JSON.stringify(error),
      JSON.stringify((error as Partial<PayloadValidationError>).payload ?? null),
    ])
    for (const secret of [API_KEY, API_SECRET, signature]) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([])
    }
    await stream.stop()
  })
})
