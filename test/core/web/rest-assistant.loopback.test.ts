// The REST assistant against a real HTTP server on 127.0.0.1 (Node's http), through the platform's
// own fetch: what ky actually puts on the wire, and how real connection failures surface.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NetworkError, RateLimitedError, RequestTimeoutError, ServerError } from '../../../src/core/errors.ts'
import type { RestAuthenticator } from '../../../src/core/web/auth.ts'
import { hmacSha256Hex } from '../../../src/core/web/hmac.ts'
import { RestAssistant, type RequestLimiter } from '../../../src/core/web/rest-assistant.ts'
import { errorTexts } from './helpers/fake-fetch.ts'

interface Received {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

const API_KEY = 'loopback-key-93b1f0'
const API_SECRET = 'loopback-secret-7c2e55'
const received: Received[] = []
const hungResponses: ServerResponse[] = []
let server: Server
let baseUrl: string

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
  const json = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-mbx-used-weight-1m': '12', ...headers })
    response.end(JSON.stringify(payload))
  }
  if (path === '/api/v3/echo') json(200, { method: request.method, body })
  else if (path === '/api/v3/limited') json(429, { code: -1003, msg: 'Too many requests.' }, { 'retry-after': '4' })
  else if (path === '/api/v3/flaky') {
    const attempts = received.filter((entry) => entry.url.startsWith('/api/v3/flaky')).length
    if (attempts < 2) json(503, { code: -1001, msg: 'Internal error; unable to process your request.' })
    else json(200, { attempts })
  } else if (path === '/api/v3/hang') hungResponses.push(response)
  else json(404, { code: -1, msg: 'no route' })
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => answer(request, response, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
})

afterAll(async () => {
  for (const response of hungResponses) response.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const auth: RestAuthenticator = {
  authenticateRest(request) {
    const query = `${request.query}${request.query ? '&' : ''}timestamp=1700000000000`
    return { query: `${query}&signature=${hmacSha256Hex(API_SECRET, query)}`, headers: { 'X-MBX-APIKEY': API_KEY } }
  },
}

describe('rest assistant over a loopback HTTP server', () => {
  it('puts the signed query, api-key header and JSON body on the wire, and reads weights in a post-processor', async () => {
    const weights: string[] = []
    const rest = new RestAssistant({
      baseUrl,
      auth,
      postProcessors: [(response) => void weights.push(response.headers.get('x-mbx-used-weight-1m') ?? '')],
    })
    const answerBody = await rest.request({
      method: 'POST',
      path: '/v3/echo',
      params: [['symbol', 'BTCUSDT'], ['side', 'BUY']],
      body: { note: 'hello' },
      signed: true,
    })
    expect(answerBody).toEqual({ method: 'POST', body: '{"note":"hello"}' })
    const sent = received.at(-1)
    const signedQuery = 'symbol=BTCUSDT&side=BUY&timestamp=1700000000000'
    expect(sent?.url).toBe(`/api/v3/echo?${signedQuery}&signature=${hmacSha256Hex(API_SECRET, signedQuery)}`)
    expect(sent?.headers['x-mbx-apikey']).toBe(API_KEY)
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(weights).toEqual(['12'])
  })

  it('reads Retry-After from a real 429 and pauses the limiter', async () => {
    const paused: Array<[readonly string[] | 'all', number]> = []
    const limiter: RequestLimiter = {
      acquire: async () => {},
      pause: (limitIds, untilMs) => void paused.push([limitIds, untilMs]),
    }
    const rest = new RestAssistant({ baseUrl, limiter, clock: { now: () => 1_000, monotonic: () => 0 } })
    const error = await rest.request({ path: '/v3/limited', limitId: 'weight' }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error).toMatchObject({ retryAfterMs: 4_000, httpStatus: 429 })
    expect(paused).toEqual([['all', 5_000]])
  })

  it('retries a GET through real 503s until it succeeds', async () => {
    const rest = new RestAssistant({ baseUrl, retry: { limit: 2, baseDelayMs: 1 } })
    await expect(rest.request({ path: '/v3/flaky' })).resolves.toEqual({ attempts: 2 })
    const noRetry = new RestAssistant({ baseUrl, retry: { limit: 0 } })
    received.length = 0
    await expect(noRetry.request({ path: '/v3/flaky' })).rejects.toBeInstanceOf(ServerError)
  })

  it('times out on a server that never answers', async () => {
    const rest = new RestAssistant({ baseUrl, timeoutMs: 50, retry: { limit: 0 } })
    const error = await rest.request({ path: '/v3/hang', params: { symbol: 'BTCUSDT' } }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(RequestTimeoutError)
    expect((error as Error).message).toBe('GET /api/v3/hang: no complete response within 50 ms')
  })

  it('turns a refused connection into NetworkError naming neither the signed URL nor the key', async () => {
    // A port that was free a moment ago: bind, read the port, close.
    const spare = createServer()
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve))
    const port = (spare.address() as AddressInfo).port
    await new Promise<void>((resolve) => spare.close(() => resolve()))
    const rest = new RestAssistant({ baseUrl: `http://127.0.0.1:${port}/api`, auth, retry: { limit: 0 } })
    const error = await rest.request({ path: '/v3/account', signed: true }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(NetworkError)
    const texts = errorTexts(error).join('\n')
    expect(texts).toContain('GET /api/v3/account')
    expect(texts).not.toContain('signature')
    expect(texts).not.toContain(API_KEY)
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('signature=')
  })
})
