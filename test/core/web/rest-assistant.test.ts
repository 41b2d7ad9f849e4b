import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  BadRequestError,
  ExchangeError,
  InvalidInputError,
  IpBannedError,
  NetworkError,
  OrderNotFoundError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SpotwireError,
  TimestampOutsideWindowError,
} from '../../../src/core/errors.ts'
import type { RestAuthenticator, UnsignedRestRequest } from '../../../src/core/web/auth.ts'
import { hmacSha256Hex } from '../../../src/core/web/hmac.ts'
import { RestAssistant, type RequestLimiter } from '../../../src/core/web/rest-assistant.ts'
import { errorTexts, fakeFetch, hangingResponse, jsonResponse } from './helpers/fake-fetch.ts'

const BASE_URL = 'https://api.example.test/api'
const API_KEY = 'unit-api-key-4f9d2c7b1e'
const API_SECRET = 'unit-api-secret-8a3e6d0f5c'
const NOW = 1_700_000_000_000
const fixedClock = { now: () => NOW, monotonic: () => 0 }

/** A Binance-style authenticator: timestamp added, HMAC of the query appended last, key in a header. */
function binanceStyleAuth(calls: UnsignedRestRequest[] = []): RestAuthenticator {
  return {
    authenticateRest(request) {
      calls.push(request)
      const query = `${request.query}${request.query ? '&' : ''}timestamp=${NOW}`
      return { query: `${query}&signature=${hmacSha256Hex(API_SECRET, query)}`, headers: { 'X-MBX-APIKEY': API_KEY } }
    },
  }
}

function recordingLimiter(log: string[] = []) {
  const limiter = {
    acquire: vi.fn(async (limitId: string, _options?: { readonly signal?: AbortSignal }) => {
      log.push(`acquire ${limitId}`)
    }),
    pause: vi.fn<(limitIds: readonly string[] | 'all', untilMs: number) => void>(),
    ban: vi.fn<(untilMs: number) => void>(),
  }
  return limiter satisfies RequestLimiter
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the request to fail')
}

describe('rest assistant: building and sending requests', () => {
  it('sends a GET to baseUrl + path with params encoded in the order given and resolves with the parsed JSON', async () => {
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, { lastUpdateId: 7 }))
    const rest = new RestAssistant({ baseUrl: `${BASE_URL}/`, fetch })
    const body = await rest.request({ path: '/v3/depth', params: [['symbol', 'BTCUSDT'], ['limit', 5]] })
    expect(body).toEqual({ lastUpdateId: 7 })
    expect(requests).toHaveLength(1)
    expect(requests[0]?.method).toBe('GET')
    expect(requests[0]?.url).toBe(`${BASE_URL}/v3/depth?symbol=BTCUSDT&limit=5`)
    expect(requests[0]?.body).toBe('')
  })

  it('drops undefined values from record params, percent-encodes them, and accepts an absolute url', async () => {
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, []))
    const rest = new RestAssistant({ fetch })
    await rest.request({ url: 'https://other.example.test/x?a=1', params: { symbols: '["A","B"]', note: 'a b', skip: undefined } })
    expect(requests[0]?.url).toBe('https://other.example.test/x?a=1&symbols=%5B%22A%22%2C%22B%22%5D&note=a%20b')
  })

  it('sends an object body as JSON, URLSearchParams as a form and a string as is, with the caller headers', async () => {
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, {}))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch })
    await rest.request({ method: 'POST', path: '/v5/order', body: { qty: '0.01' }, headers: { 'X-Trace': 't1' } })
    await rest.request({ method: 'PUT', path: '/form', body: new URLSearchParams([['a', '1'], ['b', 'x y']]) })
    await rest.request({ method: 'PATCH', path: '/text', body: 'raw', headers: { 'Content-Type': 'text/plain' } })
    expect(requests.map(({ method, body }) => [method, body])).toEqual([
      ['POST', '{"qty":"0.01"}'],
      ['PUT', 'a=1&b=x+y'],
      ['PATCH', 'raw'],
    ])
    expect(requests[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 't1' })
    expect(requests[1]?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(requests[2]?.headers['content-type']).toBe('text/plain')
  })

  it('refuses a GET with a body, a path without baseUrl and a malformed URL before sending anything', async () => {
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, {}))
    await expect(new RestAssistant({ baseUrl: BASE_URL, fetch }).request({ path: '/x', body: { a: 1 } })).rejects.toBeInstanceOf(
      InvalidInputError,
    )
    await expect(new RestAssistant({ fetch }).request({ path: '/x' })).rejects.toThrow('needs a baseUrl')
    const invalid = await rejection(new RestAssistant({ fetch }).request({ url: 'not a url?signature=abc123' }))
    expect(invalid).toBeInstanceOf(InvalidInputError)
    expect((invalid as Error).message).not.toContain('abc123')
    expect(requests).toHaveLength(0)
  })

  it('runs pre-processors in order, then the limiter, then auth, then the call, then post-processors', async () => {
    const log: string[] = []
    const authCalls: UnsignedRestRequest[] = []
    const auth = binanceStyleAuth(authCalls)
    const { fetch, requests } = fakeFetch(
      () => jsonResponse(200, {}, { 'X-MBX-USED-WEIGHT-1M': '42' }),
      () => log.push('fetch'),
    )
    const seenWeights: string[] = []
    const rest = new RestAssistant({
      baseUrl: BASE_URL,
      fetch,
      limiter: recordingLimiter(log),
      auth: {
        authenticateRest: (request) => {
          log.push('auth')
          return auth.authenticateRest(request)
        },
      },
      preProcessors: [
        async (request) => {
          log.push('pre 1')
          return { ...request, params: [...((request.params as [string, string][]) ?? []), ['recvWindow', '5000']] }
        },
        () => {
          log.push('pre 2')
        },
      ],
      postProcessors: [
        (response) => {
          log.push(`post ${response.status}`)
          seenWeights.push(response.headers.get('x-mbx-used-weight-1m') ?? '')
        },
      ],
    })
    await rest.request({ path: '/v3/order', params: [['symbol', 'BTCUSDT']], signed: true, limitId: 'orders' })
    expect(log).toEqual(['pre 1', 'pre 2', 'acquire orders', 'auth', 'fetch', 'post 200'])
    expect(seenWeights).toEqual(['42'])
    expect(authCalls[0]).toEqual({
      method: 'GET',
      url: `${BASE_URL}/v3/order`,
      params: [['symbol', 'BTCUSDT'], ['recvWindow', '5000']],
      query: 'symbol=BTCUSDT&recvWindow=5000',
      body: undefined,
      headers: {},
    })
    const signedQuery = `symbol=BTCUSDT&recvWindow=5000&timestamp=${NOW}`
    expect(requests[0]?.url).toBe(`${BASE_URL}/v3/order?${signedQuery}&signature=${hmacSha256Hex(API_SECRET, signedQuery)}`)
    expect(requests[0]?.headers['x-mbx-apikey']).toBe(API_KEY)
  })

  it('signs only requests marked signed, and refuses a signed request without auth', async () => {
    const authCalls: UnsignedRestRequest[] = []
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, {}))
    await new RestAssistant({ baseUrl: BASE_URL, fetch, auth: binanceStyleAuth(authCalls) }).request({ path: '/v3/time' })
    expect(authCalls).toHaveLength(0)
    expect(requests[0]?.url).toBe(`${BASE_URL}/v3/time`)
    await expect(new RestAssistant({ baseUrl: BASE_URL, fetch }).request({ path: '/v3/account', signed: true })).rejects.toThrow(
      'no API keys',
    )
    expect(requests).toHaveLength(1)
  })

  it('lets auth replace the body and add headers to a POST', async () => {
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, {}))
    const rest = new RestAssistant({
      baseUrl: BASE_URL,
      fetch,
      auth: { authenticateRest: (request) => ({ body: `${request.body}!`, headers: { 'content-type': 'text/x-signed', 'X-Sign': 's' } }) },
    })
    await rest.request({ method: 'POST', path: '/v5/order', body: { a: 1 }, signed: true })
    expect(requests[0]?.body).toBe('{"a":1}!')
    expect(requests[0]?.headers).toMatchObject({ 'content-type': 'text/x-signed', 'x-sign': 's' })
  })

  it('requires a limitId on every request once a limiter is configured, and passes the signal to acquire', async () => {
    const limiter = recordingLimiter()
    const { fetch, requests } = fakeFetch(() => jsonResponse(200, {}))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, limiter })
    await expect(rest.request({ path: '/v3/depth' })).rejects.toThrow('names no limitId')
    expect(requests).toHaveLength(0)
    const controller = new AbortController()
    await rest.request({ path: '/v3/depth', limitId: 'depth', signal: controller.signal })
    expect(limiter.acquire).toHaveBeenCalledWith('depth', { signal: controller.signal })
  })

  it('returns a non-JSON success body as text and an empty body as an empty string', async () => {
    const bodies = ['pong', '']
    const { fetch } = fakeFetch((_request, index) => new Response(bodies[index], { status: 200 }))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch })
    expect(await rest.request({ path: '/a' })).toBe('pong')
    expect(await rest.request({ path: '/b' })).toBe('')
  })

  it('reports a throwing post-processor through onError and still resolves, since the exchange already acted', async () => {
    const onError = vi.fn()
    const { fetch } = fakeFetch(() => jsonResponse(200, { orderId: 1 }))
    const rest = new RestAssistant({
      baseUrl: BASE_URL,
      fetch,
      onError,
      postProcessors: [
        () => {
          throw new Error('weight header parse failed')
        },
        () => {
          throw new ServerError('typed failure')
        },
      ],
    })
    await expect(rest.request({ method: 'POST', path: '/v3/order' })).resolves.toEqual({ orderId: 1 })
    expect(onError).toHaveBeenCalledTimes(2)
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(SpotwireError)
    expect(onError.mock.calls[1]?.[0]).toBeInstanceOf(ServerError)
  })

  it('builds a sibling with withOptions, e.g. without the time-sync pre-processor', async () => {
    const preProcess = vi.fn()
    const { fetch } = fakeFetch(() => jsonResponse(200, { serverTime: NOW }))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, preProcessors: [preProcess] })
    await rest.withOptions({ preProcessors: [] }).request({ path: '/v3/time' })
    expect(preProcess).not.toHaveBeenCalled()
    await rest.request({ path: '/v3/time' })
    expect(preProcess).toHaveBeenCalledTimes(1)
  })
})

describe('rest assistant: error mapping', () => {
  it('maps a 400 with {code,msg} to BadRequestError keeping code, message and status', async () => {
    const { fetch } = fakeFetch(() => jsonResponse(400, { code: -1102, msg: "Mandatory parameter 'side' was not sent." }))
    const error = await rejection(new RestAssistant({ baseUrl: BASE_URL, fetch }).request({ method: 'POST', path: '/v3/order' }))
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error).toMatchObject({
      exchangeCode: -1102,
      exchangeMessage: "Mandatory parameter 'side' was not sent.",
      httpStatus: 400,
    })
    expect((error as Error).message).toContain('POST /api/v3/order was rejected (HTTP 400: -1102 Mandatory parameter')
  })

  it('maps other 4xx statuses to ExchangeError, a plain-text body to exchangeMessage, and 408 to a timeout', async () => {
    const answers = [
      jsonResponse(403, { retCode: 10003, retMsg: 'API key is invalid.' }),
      new Response('Forbidden by policy', { status: 403 }),
      new Response('', { status: 408 }),
    ]
    const { fetch } = fakeFetch((_request, index) => answers[index] as Response)
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, retry: { limit: 0 } })
    const first = await rejection(rest.request({ path: '/a' }))
    expect(first).toBeInstanceOf(ExchangeError)
    expect(first).not.toBeInstanceOf(BadRequestError)
    expect(first).toMatchObject({ exchangeCode: 10003, exchangeMessage: 'API key is invalid.', httpStatus: 403 })
    expect(await rejection(rest.request({ path: '/b' }))).toMatchObject({ exchangeMessage: 'Forbidden by policy', httpStatus: 403 })
    const timeout = await rejection(rest.request({ path: '/c' }))
    expect(timeout).toBeInstanceOf(RequestTimeoutError)
    expect(timeout).toMatchObject({ httpStatus: 408 })
  })

  it("uses the connector's mapper for 4xx answers, giving it status, body and the request", async () => {
    const answers = [
      jsonResponse(400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }),
      jsonResponse(400, { code: -2013, msg: 'Order does not exist.' }),
      jsonResponse(400, { code: -1100, msg: 'Illegal characters found in parameter.' }),
    ]
    const { fetch } = fakeFetch((_request, index) => answers[index] as Response)
    const mapError = vi.fn((status: number, body: unknown) => {
      const { code, msg } = body as { code: number; msg: string }
      const options = { exchangeCode: code, exchangeMessage: msg, httpStatus: status }
      if (code === -1021) return new TimestampOutsideWindowError('clock drift', options)
      if (code === -2013) return new OrderNotFoundError('no such order', options)
      return undefined
    })
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, mapError })
    const request = { path: '/v3/order', params: { symbol: 'BTCUSDT' } } as const
    expect(await rejection(rest.request(request))).toBeInstanceOf(TimestampOutsideWindowError)
    expect(mapError).toHaveBeenCalledWith(400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }, request)
    expect(await rejection(rest.request(request))).toMatchObject({ name: 'OrderNotFoundError', exchangeCode: -2013 })
    expect(await rejection(rest.request(request))).toBeInstanceOf(BadRequestError)
  })

  it('maps 5xx to ServerError (outcome unknown) without asking the mapper', async () => {
    const mapError = vi.fn(() => new BadRequestError('wrong'))
    const { fetch } = fakeFetch(() => jsonResponse(503, { code: -1007, msg: 'Timeout waiting for response from backend server.' }))
    const error = await rejection(new RestAssistant({ baseUrl: BASE_URL, fetch, mapError }).request({ method: 'POST', path: '/v3/order' }))
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ httpStatus: 503 })
    expect((error as Error).message).toContain('outcome is unknown')
    expect(mapError).not.toHaveBeenCalled()
  })

  it('never puts an HTML error page in a message', async () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>'
    const answers = [new Response(page, { status: 502 }), new Response(page.replace('502', '403'), { status: 403 })]
    const { fetch } = fakeFetch((_request, index) => answers[index] as Response)
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, retry: { limit: 0 } })
    for (const error of [await rejection(rest.request({ path: '/a' })), await rejection(rest.request({ path: '/b' }))]) {
      expect((error as Error).message).toContain('an HTML page, not shown')
      expect((error as Error).message).not.toMatch(/<html|nginx/i)
      expect((error as ExchangeError).exchangeMessage).toBeUndefined()
    }
  })

  it('on 429 tells the limiter to pause until Retry-After, then rejects with RateLimitedError', async () => {
    const limiter = recordingLimiter()
    const { fetch, requests } = fakeFetch(() =>
      jsonResponse(429, { code: -1003, msg: 'Too many requests.' }, { 'Retry-After': '7' }),
    )
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, limiter, clock: fixedClock })
    const error = await rejection(rest.request({ path: '/v3/depth', limitId: 'depth' }))
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error).toMatchObject({ retryAfterMs: 7_000, httpStatus: 429 })
    expect(limiter.pause).toHaveBeenCalledWith('all', NOW + 7_000)
    expect(requests).toHaveLength(1)
  })

  it('pauses only the scope the connector names, and assumes a default wait without Retry-After', async () => {
    const limiter = recordingLimiter()
    const { fetch } = fakeFetch(() => jsonResponse(429, { code: -1015, msg: 'Too many new orders.' }))
    const rest = new RestAssistant({
      baseUrl: BASE_URL,
      fetch,
      limiter,
      clock: fixedClock,
      defaultRetryAfterMs: 2_500,
      rateLimitScope: (request) => [request.limitId ?? ''],
    })
    const error = await rejection(rest.request({ method: 'POST', path: '/v3/order', limitId: 'orders' }))
    expect(error).toMatchObject({ retryAfterMs: 2_500 })
    expect(limiter.pause).toHaveBeenCalledWith(['orders'], NOW + 2_500)
  })

  it('reads an HTTP-date Retry-After', async () => {
    const date = new Date(NOW + 30_000).toUTCString()
    const { fetch } = fakeFetch(() => new Response('slow down', { status: 429, headers: { 'Retry-After': date } }))
    const error = await rejection(new RestAssistant({ baseUrl: BASE_URL, fetch, clock: fixedClock }).request({ path: '/x' }))
    expect(error).toMatchObject({ retryAfterMs: 30_000 })
  })

  it('on 418 tells the limiter about the ban and rejects with IpBannedError, without retrying the GET', async () => {
    const limiter = recordingLimiter()
    const { fetch, requests } = fakeFetch(() =>
      jsonResponse(418, { code: -1003, msg: 'Way too many requests; IP banned.' }, { 'Retry-After': '120' }),
    )
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, limiter, clock: fixedClock })
    const error = await rejection(rest.request({ path: '/v3/depth', limitId: 'depth' }))
    expect(error).toBeInstanceOf(IpBannedError)
    expect(error).toMatchObject({ bannedUntil: NOW + 120_000, httpStatus: 418 })
    expect(limiter.ban).toHaveBeenCalledWith(NOW + 120_000)
    expect(limiter.pause).not.toHaveBeenCalled()
    expect(requests).toHaveLength(1)
  })

  it('assumes a two-minute ban when a 418 has no Retry-After', async () => {
    const { fetch } = fakeFetch(() => new Response('', { status: 418 }))
    const error = await rejection(new RestAssistant({ baseUrl: BASE_URL, fetch, clock: fixedClock }).request({ path: '/x' }))
    expect(error).toMatchObject({ bannedUntil: NOW + 120_000 })
  })

  it('rejects a 2xx answer that the success-body mapper calls an error (Bybit retCode, OKX code)', async () => {
    const { fetch } = fakeFetch(() => jsonResponse(200, { retCode: 110007, retMsg: 'Insufficient balance', result: {} }))
    const rest = new RestAssistant({
      baseUrl: BASE_URL,
      fetch,
      mapSuccessBody: (status, body) => {
        const { retCode, retMsg } = body as { retCode: number; retMsg: string }
        return retCode === 0 ? undefined : new ExchangeError(retMsg, { exchangeCode: retCode, httpStatus: status })
      },
    })
    expect(await rejection(rest.request({ path: '/v5/order' }))).toMatchObject({ exchangeCode: 110007, httpStatus: 200 })
  })
})

describe('rest assistant: retries, timeouts and cancellation', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('retries a GET after a 5xx and after a network failure, re-running limiter and auth each time', async () => {
    const authCalls: UnsignedRestRequest[] = []
    const limiter = recordingLimiter()
    const { fetch, requests } = fakeFetch((_request, index) => {
      if (index === 0) return jsonResponse(502, {})
      if (index === 1) throw new TypeError('fetch failed')
      return jsonResponse(200, { ok: true })
    })
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, limiter, auth: binanceStyleAuth(authCalls), retry: { baseDelayMs: 0 } })
    await expect(rest.request({ path: '/v3/account', signed: true, limitId: 'account' })).resolves.toEqual({ ok: true })
    expect(requests).toHaveLength(3)
    expect(limiter.acquire).toHaveBeenCalledTimes(3)
    expect(authCalls).toHaveLength(3)
  })

  it('gives up after the retry limit and rejects with the last network error', async () => {
    const { fetch, requests } = fakeFetch(() => {
      throw new TypeError('fetch failed')
    })
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, retry: { limit: 3, baseDelayMs: 0 } })
    const error = await rejection(rest.request({ path: '/v3/depth' }))
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toContain('GET /api/v3/depth: the connection failed before a complete answer arrived')
    expect(requests).toHaveLength(4)
  })

  it('never retries a POST or DELETE, whatever the failure', async () => {
    const failures: Array<() => Response> = [
      () => jsonResponse(500, {}),
      () => {
        throw new TypeError('fetch failed')
      },
    ]
    for (const method of ['POST', 'DELETE'] as const) {
      for (const fail of failures) {
        const { fetch, requests } = fakeFetch(() => fail())
        const error = await rejection(new RestAssistant({ baseUrl: BASE_URL, fetch, retry: { baseDelayMs: 0 } }).request({ method, path: '/v3/order' }))
        expect(error).toBeInstanceOf(NetworkError)
        expect(requests).toHaveLength(1)
      }
    }
  })

  it('does not retry a GET after a 429 or a 4xx', async () => {
    for (const status of [429, 400, 404]) {
      const { fetch, requests } = fakeFetch(() => jsonResponse(status, {}))
      await rejection(new RestAssistant({ baseUrl: BASE_URL, fetch, retry: { baseDelayMs: 0 } }).request({ path: '/x' }))
      expect(requests).toHaveLength(1)
    }
  })

  it('waits a doubling, capped, jittered delay between retries', async () => {
    vi.useFakeTimers()
    const { fetch, requests } = fakeFetch(() => jsonResponse(503, {}))
    const rest = new RestAssistant({
      baseUrl: BASE_URL,
      fetch,
      random: () => 1,
      retry: { limit: 3, baseDelayMs: 100, maxDelayMs: 300 },
    })
    const result = rejection(rest.request({ path: '/x' }))
    await vi.advanceTimersByTimeAsync(99)
    expect(requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(requests).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(199)
    expect(requests).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(requests).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(300)
    expect(requests).toHaveLength(4)
    expect(await result).toBeInstanceOf(ServerError)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects with RequestTimeoutError when no answer arrives in time, and aborts the fetch', async () => {
    vi.useFakeTimers()
    const { fetch, requests } = fakeFetch((request) => hangingResponse(request))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, timeoutMs: 5_000, retry: { limit: 0 } })
    const result = rejection(rest.request({ path: '/v3/depth', params: { symbol: 'BTCUSDT' } }))
    await vi.advanceTimersByTimeAsync(4_999)
    expect(requests[0]?.signal.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = await result
    expect(error).toBeInstanceOf(RequestTimeoutError)
    expect((error as Error).message).toBe('GET /api/v3/depth: no complete response within 5000 ms')
    expect(requests[0]?.signal.aborted).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('uses the request timeout over the default, and retries a timed-out GET but not a timed-out POST', async () => {
    vi.useFakeTimers()
    const { fetch, requests } = fakeFetch((request) => hangingResponse(request))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, retry: { limit: 1, baseDelayMs: 10 }, random: () => 0 })
    const get = rejection(rest.request({ path: '/x', timeoutMs: 100 }))
    await vi.advanceTimersByTimeAsync(100 + 5 + 100)
    expect(await get).toBeInstanceOf(RequestTimeoutError)
    expect(requests).toHaveLength(2)
    const post = rejection(rest.request({ method: 'POST', path: '/x', timeoutMs: 100 }))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await post).toBeInstanceOf(RequestTimeoutError)
    expect(requests).toHaveLength(3)
  })

  it('rejects with the signal reason when aborted during the call, the limiter wait, the retry wait, or before', async () => {
    const reason = new Error('caller stopped')
    // during the call
    const during = new AbortController()
    const hanging = fakeFetch((request) => hangingResponse(request), () => during.abort(reason))
    await expect(new RestAssistant({ baseUrl: BASE_URL, fetch: hanging.fetch }).request({ path: '/x', signal: during.signal })).rejects.toBe(reason)
    // during the limiter wait
    const waiting = new AbortController()
    const limiter: RequestLimiter = {
      acquire: (_id, options) =>
        new Promise((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal?.reason))),
    }
    const quiet = fakeFetch(() => jsonResponse(200, {}))
    const limited = new RestAssistant({ baseUrl: BASE_URL, fetch: quiet.fetch, limiter }).request({ path: '/x', limitId: 'x', signal: waiting.signal })
    waiting.abort(reason)
    await expect(limited).rejects.toBe(reason)
    // during the wait before a retry
    const retrying = new AbortController()
    const failing = fakeFetch(
      () => jsonResponse(500, {}),
      () => setTimeout(() => retrying.abort(reason), 5),
    )
    await expect(
      new RestAssistant({ baseUrl: BASE_URL, fetch: failing.fetch, retry: { baseDelayMs: 10_000 } }).request({ path: '/x', signal: retrying.signal }),
    ).rejects.toBe(reason)
    expect(failing.requests).toHaveLength(1)
    // before anything was sent
    const before = new AbortController()
    before.abort(reason)
    await expect(new RestAssistant({ baseUrl: BASE_URL, fetch: quiet.fetch }).request({ path: '/x', signal: before.signal })).rejects.toBe(reason)
    expect(quiet.requests).toHaveLength(0)
  })
})

describe('rest assistant: secrets stay out of errors', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('puts neither signature, api key nor secret in any error message or cause, for every failure kind', async () => {
    vi.useFakeTimers()
    const signatures: string[] = []
    const auth = binanceStyleAuth()
    const recordingAuth: RestAuthenticator = {
      async authenticateRest(request) {
        const signed = await auth.authenticateRest(request)
        signatures.push(signed.query?.split('signature=')[1] ?? '')
        return signed
      },
    }
    const answers: Array<(request: Request) => Response | Promise<Response>> = [
      () => jsonResponse(400, { code: -1022, msg: 'Signature for this request is not valid.' }),
      () => jsonResponse(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }),
      () => jsonResponse(429, { code: -1003, msg: 'Too many requests.' }, { 'Retry-After': '3' }),
      () => jsonResponse(418, {}, { 'Retry-After': '60' }),
      () => new Response('<html><body>bad gateway</body></html>', { status: 502 }),
      (request) => {
        // Platform errors sometimes quote the URL they failed on; that URL is signed.
        const cause = Object.assign(new Error(`connect ECONNREFUSED for ${request.url}`), { code: 'ECONNREFUSED' })
        throw new TypeError(`fetch failed: ${request.url}`, { cause })
      },
      (request) => hangingResponse(request),
    ]
    const { fetch } = fakeFetch((request, index) => (answers[index] as (request: Request) => Response)(request))
    const rest = new RestAssistant({ baseUrl: BASE_URL, fetch, auth: recordingAuth, retry: { limit: 0 }, timeoutMs: 1_000 })
    const errors: unknown[] = []
    for (let index = 0; index < answers.length; index += 1) {
      const result = rejection(rest.request({ method: 'POST', path: '/v3/order', params: { symbol: 'BTCUSDT' }, signed: true }))
      await vi.advanceTimersByTimeAsync(1_000)
      errors.push(await result)
    }
    expect(errors.map((error) => (error as Error).name)).toEqual([
      'BadRequestError',
      'ExchangeError',
      'RateLimitedError',
      'IpBannedError',
      'ServerError',
      'NetworkError',
      'RequestTimeoutError',
    ])
    expect(signatures).toHaveLength(answers.length)
    for (const error of errors) {
      const texts = errorTexts(error).join('\n')
      expect(texts).toContain('POST /api/v3/order')
      for (const secret of [API_KEY, API_SECRET, 'signature=', 'timestamp=', ...signatures]) expect(texts).not.toContain(secret)
    }
    // The platform's error code survives sanitizing.
    expect(((errors[5] as Error).cause as Error).cause).toMatchObject({
      message: 'connect ECONNREFUSED for [request]',
      code: 'ECONNREFUSED',
    })
  })
})
