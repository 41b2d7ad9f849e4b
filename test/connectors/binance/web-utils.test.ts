import { afterEach, describe, expect, it, vi } from 'vitest'
import { BinanceAuth } from '../../../src/connectors/binance/auth.ts'
import { DEFAULT_URLS, ERROR_CODES, LIMIT_IDS, PATHS, POOL_IDS, RATE_LIMITS } from '../../../src/connectors/binance/constants.ts'
import {
  ApiKeyRejectedError,
  CancelRejectedError,
  createBinanceRestAssistant,
  fetchServerTime,
  mapBinanceError,
  OrderRejectedError,
  resolveBinanceUrls,
  usageHeadersPostProcessor,
} from '../../../src/connectors/binance/web-utils.ts'
import {
  BadRequestError,
  ExchangeError,
  FilterFailureError,
  InsufficientFundsError,
  InvalidInputError,
  InvalidSignatureError,
  NetworkError,
  OrderNotFoundError,
  PayloadValidationError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  type SpotwireError,
  TimestampOutsideWindowError,
} from '../../../src/core/errors.ts'
import { Throttler } from '../../../src/core/throttler.ts'
import { TimeSynchronizer } from '../../../src/core/time-synchronizer.ts'
import { RestAssistant } from '../../../src/core/web/rest-assistant.ts'
import type { RestRequest } from '../../../src/core/web/rest-request.ts'
import { fakeFetch, jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import { readReference } from './reference-files.ts'

const API_KEY = 'web-utils-key-71c0e9d2a4'
const API_SECRET = 'web-utils-secret-3b8f6a1d5e'
const REST = 'https://api.binance.test/api'
const ORDER_REQUEST: RestRequest = { method: 'POST', path: PATHS.order, signed: true, limitId: LIMIT_IDS.createOrder }

interface ErrorCodeEntry {
  readonly code: number
  readonly name: string
  readonly messages: readonly string[]
}
const errorsDoc = readReference('errors.json') as { codes: ErrorCodeEntry[]; filter_failures: Array<{ msg: string }> }
const documentedMessage = (code: number): string => {
  const entry = errorsDoc.codes.find((candidate) => candidate.code === code)
  if (!entry?.messages[0]) throw new Error(`errors.json does not document ${code}`)
  return entry.messages[0]
}

const throttlers: Throttler[] = []
afterEach(() => {
  for (const throttler of throttlers.splice(0)) throttler.stop()
})

function setup(respond: Parameters<typeof fakeFetch>[0]) {
  const clock = { now: () => 1_000, monotonic: () => 0 }
  const throttler = new Throttler(RATE_LIMITS, { clock })
  throttlers.push(throttler)
  const timeSynchronizer = new TimeSynchronizer({ clock })
  const auth = new BinanceAuth({ apiKey: API_KEY, apiSecret: API_SECRET, now: () => timeSynchronizer.now() })
  const http = fakeFetch(respond)
  const rest = createBinanceRestAssistant({
    urls: resolveBinanceUrls('com', { rest: REST }),
    auth,
    throttler,
    timeSynchronizer,
    fetch: http.fetch,
    clock,
  })
  return { rest, http, throttler, timeSynchronizer }
}

/** Answers GET /v3/time with `serverTime`, everything else with `answer`. */
function serverTimeThen(serverTime: number, answer: (request: Request) => Response) {
  return (request: Request): Response =>
    new URL(request.url).pathname.endsWith('/v3/time') ? jsonResponse(200, { serverTime }) : answer(request)
}

describe('binance web utils: URLs', () => {
  it('resolves the default URLs of each domain', () => {
    for (const domain of ['com', 'us', 'testnet'] as const) expect(resolveBinanceUrls(domain)).toEqual(DEFAULT_URLS[domain])
    expect(resolveBinanceUrls()).toEqual(DEFAULT_URLS.com)
  })

  it('overrides replace their key only, with trailing slashes removed', () => {
    expect(resolveBinanceUrls('us', { rest: 'http://127.0.0.1:9000/api/', wsApi: 'ws://127.0.0.1:9000/ws-api/v3//' })).toEqual({
      rest: 'http://127.0.0.1:9000/api',
      ws: DEFAULT_URLS.us.ws,
      wsApi: 'ws://127.0.0.1:9000/ws-api/v3',
    })
  })

  it('refuses an unknown domain', () => {
    expect(() => resolveBinanceUrls('jp' as 'com')).toThrow(InvalidInputError)
  })
})

describe('binance web utils: error codes', () => {
  const cases: ReadonlyArray<readonly [string, number, string, new (...args: never[]) => SpotwireError]> = [
    ['timestamp outside recvWindow', -1021, documentedMessage(-1021), TimestampOutsideWindowError],
    ['timestamp ahead of the server', -1021, errorsDoc.codes.find((entry) => entry.code === -1021)?.messages[1] ?? '', TimestampOutsideWindowError],
    ['invalid signature', -1022, documentedMessage(-1022), InvalidSignatureError],
    ['malformed API key', -2014, documentedMessage(-2014), ApiKeyRejectedError],
    ['API key refused', -2015, documentedMessage(-2015), ApiKeyRejectedError],
    ['unauthorized', -1002, documentedMessage(-1002), ApiKeyRejectedError],
    ['order does not exist', -2013, documentedMessage(-2013), OrderNotFoundError],
    ['order archived', -2026, documentedMessage(-2026), OrderNotFoundError],
    ['cancel of an unknown order', -2011, 'Unknown order sent.', OrderNotFoundError],
    ['insufficient balance', -2010, 'Account has insufficient balance for requested action.', InsufficientFundsError],
    ['order would take as maker', -2010, 'Order would immediately match and take.', OrderRejectedError],
    ['invalid message', -1013, documentedMessage(-1013), FilterFailureError],
    ['too many requests', -1003, documentedMessage(-1003), RateLimitedError],
    ['too many orders', -1015, documentedMessage(-1015), RateLimitedError],
    ['backend timeout', -1007, documentedMessage(-1007), RequestTimeoutError],
    ['unexpected response', -1006, documentedMessage(-1006), ServerError],
    ['unknown error', -1000, documentedMessage(-1000), ServerError],
    ['disconnected', -1001, documentedMessage(-1001), ServerError],
    ['server busy', -1008, documentedMessage(-1008), ServerError],
  ]

  it.each(cases)('maps %s (%i) to its typed error, keeping code, message and status', (_name, code, msg, expected) => {
    const error = mapBinanceError(400, { code, msg }, ORDER_REQUEST)
    expect(error).toBeInstanceOf(expected)
    expect(error).toMatchObject({ httpStatus: 400 })
    if (error instanceof ExchangeError) expect(error).toMatchObject({ exchangeCode: code, exchangeMessage: msg })
    expect(error?.message).toContain('POST /v3/order')
    expect(error?.message).toContain(String(code))
  })

  it('every error code the connector names is documented in errors.json', () => {
    for (const [name, code] of Object.entries(ERROR_CODES)) {
      const entry = errorsDoc.codes.find((candidate) => candidate.code === code)
      expect(entry, name).toBeDefined()
    }
  })

  it('every documented filter failure maps to FilterFailureError', () => {
    expect(errorsDoc.filter_failures.length).toBeGreaterThanOrEqual(18)
    for (const { msg } of errorsDoc.filter_failures) {
      expect(mapBinanceError(400, { code: -1013, msg }, ORDER_REQUEST), msg).toBeInstanceOf(FilterFailureError)
    }
  })

  it('the reference cancel refused by cancel restrictions (-2011) is a CancelRejectedError, not "not found"', () => {
    const body = readReference('rest/DELETE_api_v3_order_error_-2011.json')
    const error = mapBinanceError(400, body, { method: 'DELETE', path: PATHS.order, limitId: LIMIT_IDS.cancelOrder })
    expect(error).toBeInstanceOf(CancelRejectedError)
    expect(error).not.toBeInstanceOf(OrderNotFoundError)
  })

  it('the reference WS API insufficient-balance answer (-2010) is an InsufficientFundsError', () => {
    const answer = readReference('ws-api/response_error_-2010_with_rateLimits.json') as { status: number; error: unknown }
    expect(mapBinanceError(answer.status, answer.error, ORDER_REQUEST)).toBeInstanceOf(InsufficientFundsError)
  })

  it('codes without a special meaning, and bodies that are not Binance errors, are left to the default', () => {
    expect(mapBinanceError(400, readReference('rest/error_payload.json'), ORDER_REQUEST)).toBeUndefined()
    expect(mapBinanceError(400, readReference('rest/DELETE_api_v3_order_error_-1145.json'), ORDER_REQUEST)).toBeUndefined()
    expect(mapBinanceError(403, '<html>WAF</html>', ORDER_REQUEST)).toBeUndefined()
    expect(mapBinanceError(400, { code: '-1021', msg: 'x' }, ORDER_REQUEST)).toBeUndefined()
  })

  it('names an absolute-URL request by its path only', () => {
    const error = mapBinanceError(400, { code: -2013, msg: 'Order does not exist.' }, { url: 'https://h.test/api/v3/order?signature=abc', limitId: 'x' })
    expect(error?.message).toContain('GET /api/v3/order')
    expect(error?.message).not.toContain('signature')
  })
})

describe('binance web utils: the assistant', () => {
  it('a signed request syncs the clock once first and the time request itself is not pre-processed', async () => {
    const { rest, http, timeSynchronizer } = setup(serverTimeThen(5_000, () => jsonResponse(200, { balances: [] })))
    await Promise.all([
      rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account }),
      rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account }),
    ])
    await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account })
    const paths = http.requests.map((request) => new URL(request.url).pathname)
    expect(paths).toEqual(['/api/v3/time', '/api/v3/account', '/api/v3/account', '/api/v3/account'])
    const [timeRequest, accountRequest] = http.requests
    expect(timeRequest?.url).toBe(`${REST}/v3/time`)
    expect(timeRequest?.headers['x-mbx-apikey']).toBeUndefined()
    expect(timeSynchronizer.isInitialized).toBe(true)
    // Stamped with the server's clock (5000), not the local one (1000).
    expect(new URL(accountRequest?.url ?? '').searchParams.get('timestamp')).toBe('5000')
    expect(accountRequest?.headers['x-mbx-apikey']).toBe(API_KEY)
  })

  it('a public request does not sync the clock', async () => {
    const { rest, http } = setup(() => jsonResponse(200, {}))
    await rest.request({ path: PATHS.ping, limitId: LIMIT_IDS.ping })
    expect(http.requests.map((request) => new URL(request.url).pathname)).toEqual(['/api/v3/ping'])
  })

  it('usage headers reach the throttler', async () => {
    const { rest, throttler } = setup(() =>
      jsonResponse(200, {}, { 'X-MBX-USED-WEIGHT-1M': '120', 'X-MBX-ORDER-COUNT-10S': '3', 'X-MBX-ORDER-COUNT-1D': '40' }),
    )
    const reportUsage = vi.spyOn(throttler, 'reportUsage')
    await rest.request({ path: PATHS.ping, limitId: LIMIT_IDS.ping })
    expect(reportUsage.mock.calls.map(([id, used]) => [id, used])).toEqual([
      [POOL_IDS.requestWeight, 120],
      [POOL_IDS.orders10s, 3],
      [POOL_IDS.orders1d, 40],
    ])
  })

  it('usage headers for other windows or with unreadable values are ignored', async () => {
    const reportUsage = vi.fn(async () => {})
    const response = new Response('{}', { headers: { 'X-MBX-USED-WEIGHT-1S': '3', 'X-MBX-USED-WEIGHT-1M': 'many' } })
    await usageHeadersPostProcessor({ reportUsage })(response, { path: PATHS.ping })
    expect(reportUsage).not.toHaveBeenCalled()
  })

  it('a Binance error answer becomes its typed error with code, message and status', async () => {
    const { rest } = setup(serverTimeThen(5_000, () => jsonResponse(400, { code: -2010, msg: 'Account has insufficient balance for requested action.' })))
    const error = await rest.request({ ...ORDER_REQUEST, params: { symbol: 'BTCUSDT' } }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(InsufficientFundsError)
    expect(error).toMatchObject({ exchangeCode: -2010, httpStatus: 400 })
    expect((error as Error).message).not.toContain(API_KEY)
  })

  it('an unmapped 400 stays a BadRequestError with the exchange fields', async () => {
    const { rest } = setup(() => jsonResponse(400, { code: -1121, msg: 'Invalid symbol.' }))
    const error = await rest.request({ path: PATHS.tickerPrice, limitId: LIMIT_IDS.tickerPrice }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error).toMatchObject({ exchangeCode: -1121, exchangeMessage: 'Invalid symbol.' })
  })

  it('a 5xx stays a ServerError (outcome unknown) and an order create is not retried', async () => {
    const { rest, http } = setup(
      serverTimeThen(5_000, () => jsonResponse(503, { code: -1000, msg: 'Unknown error, please check your request or try again later.' })),
    )
    const error = await rest.request({ ...ORDER_REQUEST, params: { symbol: 'BTCUSDT' } }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toBeInstanceOf(NetworkError)
    expect(http.requests.filter((request) => request.method === 'POST')).toHaveLength(1)
  })

  it('fetch server time: reads serverTime in ms, and rejects a malformed answer with the payload attached', async () => {
    const good = setup(() => jsonResponse(200, readReference('rest/GET_api_v3_time.json')))
    expect(await fetchServerTime(good.rest)).toBe(1499827319559)
    const bad = setup(() => jsonResponse(200, { serverTime: '1499827319559' }))
    const error = await fetchServerTime(bad.rest, new AbortController().signal).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error).toMatchObject({ source: 'GET /v3/time', payload: { serverTime: '1499827319559' } })
  })

  it('builds a public-only assistant without auth', async () => {
    const throttler = new Throttler(RATE_LIMITS)
    throttlers.push(throttler)
    const http = fakeFetch(() => jsonResponse(200, {}))
    const rest = createBinanceRestAssistant({
      urls: resolveBinanceUrls('testnet'),
      throttler,
      timeSynchronizer: new TimeSynchronizer(),
      fetch: http.fetch,
      onError: () => {},
      timeoutMs: 1_000,
    })
    expect(rest).toBeInstanceOf(RestAssistant)
    await rest.request({ path: PATHS.ping, limitId: LIMIT_IDS.ping })
    expect(http.requests[0]?.url).toBe('https://testnet.binance.vision/api/v3/ping')
    await expect(rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account })).rejects.toBeInstanceOf(InvalidInputError)
  })
})
