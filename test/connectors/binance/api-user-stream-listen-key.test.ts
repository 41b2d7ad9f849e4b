// The Binance user stream with a listen key (Binance.US): create it over REST, read
// `<ws>/ws/<listenKey>`, refresh it every 30 minutes, replace it when a refresh fails or it expires,
// close it on stop, and never let it (or the API key) into a reported error. An injected fetch
// plays the REST side, fake sockets the stream, fake timers the clock. Test names follow the
// recipe's legacy listen-key tests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BinanceApiUserStreamDataSource } from '../../../src/connectors/binance/api-user-stream-data-source.ts'
import { InvalidInputError, PayloadValidationError, ServerError, SocketClosedError } from '../../../src/core/errors.ts'
import { REDACTED, redact } from '../../../src/core/redact.ts'
import { RestAssistant } from '../../../src/core/web/rest-assistant.ts'
import { errorTexts, hangingResponse, jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import {
  API_KEY,
  API_SECRET,
  describeRecorded,
  fakeBinanceSockets,
  fakeListenKeyApi,
  flush,
  LISTEN_KEY_1,
  LISTEN_KEY_2,
  readReference,
  ServerSocket,
  startStream,
  URLS,
  useFakeClock,
} from './user-stream-helpers.ts'

const THIRTY_MINUTES = 30 * 60_000
const PATH = '/api/v3/userDataStream'
const unknownKey = (): Response => jsonResponse(400, { code: -1125, msg: 'This listenKey does not exist.' })

/** Lets the fake fetch and the socket's open run (a fetch needs more than microtask turns). */
async function settle(): Promise<void> {
  await flush()
  await vi.advanceTimersByTimeAsync(0)
  await flush()
}

/** A socket whose opening handshake the server refuses. */
function refusedSocket(url: string, reason: string): ServerSocket {
  const socket = new ServerSocket(url)
  queueMicrotask(() => socket.fail(reason))
  return socket
}

function listenKeyStream(api: ReturnType<typeof fakeListenKeyApi>, factory: Parameters<typeof startStream>[0], livenessTimeoutMs = 0) {
  return startStream(factory, { mode: 'listenKey', rest: api.rest, socket: { livenessTimeoutMs } })
}

describe('binance user stream (listen key)', () => {
  beforeEach(() => useFakeClock())
  afterEach(() => vi.useRealTimers())

  it('get listen key: successful; connects to /ws/<listenKey> and subscribes to nothing', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`])
    expect(api.requests[0]?.headers['x-mbx-apikey']).toBe(API_KEY)
    expect(server.sockets.map((socket) => socket.url)).toEqual([`${URLS.ws}/ws/${LISTEN_KEY_1}`])
    expect(server.last().sent).toEqual([])
    expect(stream.isConnected).toBe(true)
    expect(stream.subscriptionId).toBeUndefined()
    expect(redact(LISTEN_KEY_1)).toBe(REDACTED)
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('a quiet listen-key stream counts as received from once its socket opens (there is no handshake reply)', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream } = listenKeyStream(api, server.factory)
    expect(stream.lastReceivedAt).toBe(0)
    await settle()
    expect(server.last().sent).toEqual([])
    expect(stream.isConnected).toBe(true)
    expect(stream.lastReceivedAt).toBe(Date.now())
    await stream.stop()
    expect(stream.lastReceivedAt).toBe(0)
  })

  it('a listen-key socket that never opens leaves the stream unheard', async () => {
    const api = fakeListenKeyApi()
    const attempts: string[] = []
    const { stream } = listenKeyStream(api, (url: string) => {
      attempts.push(url)
      return refusedSocket(url, 'HTTP 400')
    })
    await settle()
    expect(attempts).toEqual([`${URLS.ws}/ws/${LISTEN_KEY_1}`])
    expect(stream.isConnected).toBe(false)
    expect(stream.lastReceivedAt).toBe(0)
    await stream.stop()
  })

  it('get listen key: a failure is reported and retried by the reconnect loop', async () => {
    const api = fakeListenKeyApi(undefined, (_request, index) => (index === 0 ? jsonResponse(503, { code: -1008, msg: 'Server busy' }) : undefined))
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    expect(errors[0]).toBeInstanceOf(ServerError)
    expect(server.sockets).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(250)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`, `POST ${PATH}`])
    expect(server.last().url).toBe(`${URLS.ws}/ws/${LISTEN_KEY_1}`)
    await stream.stop()
  })

  it('delivers the bare events of a listen-key stream and reports malformed ones', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, events, errors } = listenKeyStream(api, server.factory)
    await settle()
    server.last().say(readReference('user-data/legacy_listenKey_executionReport.json'))
    server.last().say({ e: 'outboundAccountPosition', E: 1, u: 1, B: [{ a: 'ETH', f: 10, l: '0' }] })
    server.last().say(readReference('user-data/legacy_listenKey_outboundAccountPosition.json'))
    await flush()
    expect(events.map((event) => event.e)).toEqual(['executionReport', 'outboundAccountPosition'])
    expect(errors.map((error) => error.constructor)).toEqual([PayloadValidationError])
    await stream.stop()
  })

  it('ping listen key: refreshed every 30 minutes with PUT, the connection kept', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    await vi.advanceTimersByTimeAsync(THIRTY_MINUTES - 1)
    expect(api.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await settle()
    await vi.advanceTimersByTimeAsync(THIRTY_MINUTES)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([
      `POST ${PATH}`,
      `PUT ${PATH}?listenKey=${LISTEN_KEY_1}`,
      `PUT ${PATH}?listenKey=${LISTEN_KEY_1}`,
    ])
    expect(api.requests[1]?.headers['x-mbx-apikey']).toBe(API_KEY)
    expect(server.sockets).toHaveLength(1)
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('ping listen key: failure recreates the key and reconnects with it; the old key is forgotten', async () => {
    const api = fakeListenKeyApi(undefined, (request) => (request.method === 'PUT' ? unknownKey() : undefined))
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    await vi.advanceTimersByTimeAsync(THIRTY_MINUTES)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`, `PUT ${PATH}?listenKey=${LISTEN_KEY_1}`, `POST ${PATH}`])
    expect(errors).toHaveLength(1)
    expect(errors[0]?.message).toMatch(/keep-alive failed; replacing the key/)
    expect(server.sockets.map((socket) => socket.url)).toEqual([`${URLS.ws}/ws/${LISTEN_KEY_1}`, `${URLS.ws}/ws/${LISTEN_KEY_2}`])
    expect(server.sockets[0]?.readyState).toBe(3)
    expect(stream.isConnected).toBe(true)
    expect(redact(LISTEN_KEY_1)).toBe(LISTEN_KEY_1)
    expect(redact(LISTEN_KEY_2)).toBe(REDACTED)
    await stream.stop()
  })

  it('ping listen key: when no new key can be made either, the keep-alive keeps trying', async () => {
    const api = fakeListenKeyApi(undefined, (request, index) =>
      request.method === 'PUT' ? unknownKey() : index === 2 ? jsonResponse(503, {}) : undefined,
    )
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    await vi.advanceTimersByTimeAsync(THIRTY_MINUTES)
    await settle()
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/keep-alive failed/),
      expect.stringMatching(/keep-alive 'listen key' failed; retrying in 1000 ms/),
    ])
    await vi.advanceTimersByTimeAsync(1_000)
    await settle()
    expect(api.requests.map(describeRecorded).slice(2)).toEqual([`POST ${PATH}`, `POST ${PATH}`])
    expect(server.last().url).toBe(`${URLS.ws}/ws/${LISTEN_KEY_2}`)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('listen key expired reconnects with a new key; a stale notice is ignored', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, events, errors } = listenKeyStream(api, server.factory)
    await settle()
    const expired = { ...(readReference('user-data/legacy_listenKey_listenKeyExpired.json') as object), listenKey: LISTEN_KEY_1 }
    server.last().say(expired)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`, `POST ${PATH}`])
    expect(server.sockets.map((socket) => socket.url)).toEqual([`${URLS.ws}/ws/${LISTEN_KEY_1}`, `${URLS.ws}/ws/${LISTEN_KEY_2}`])
    expect(errors.map((error) => error.constructor)).toEqual([SocketClosedError])
    server.last().say(expired) // about the old key: the new one is fine
    await settle()
    expect(server.sockets).toHaveLength(2)
    expect(events).toEqual([])
    await stream.stop()
  })

  it('serverShutdown on a listen-key stream reconnects with the same key', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    server.last().say(readReference('ws-streams/serverShutdown_raw.json'))
    await settle()
    expect(server.sockets.map((socket) => socket.url)).toEqual([`${URLS.ws}/ws/${LISTEN_KEY_1}`, `${URLS.ws}/ws/${LISTEN_KEY_1}`])
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`])
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('a connection that never opened has its key checked first, and replaced if the exchange dropped it', async () => {
    const api = fakeListenKeyApi(undefined, (request) => (request.method === 'PUT' ? unknownKey() : undefined))
    const server = fakeBinanceSockets()
    let attempts = 0
    const factory = (url: string) => (attempts++ === 0 ? refusedSocket(url, 'HTTP 400') : server.factory(url))
    const { stream, errors } = listenKeyStream(api, factory)
    await settle()
    await vi.advanceTimersByTimeAsync(250)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`, `PUT ${PATH}?listenKey=${LISTEN_KEY_1}`, `POST ${PATH}`])
    expect(server.last().url).toBe(`${URLS.ws}/ws/${LISTEN_KEY_2}`)
    expect(errors.some((error) => /could not be refreshed before reconnecting/.test(error.message))).toBe(true)
    expect(stream.isConnected).toBe(true)
    await stream.stop()
  })

  it('a key unrefreshed for an hour (a sleeping machine) is checked before reconnecting', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream } = startStream(server.factory, { mode: 'listenKey', rest: api.rest, listenKeyRefreshMs: 2 * THIRTY_MINUTES + 1 })
    await settle()
    await vi.advanceTimersByTimeAsync(2 * THIRTY_MINUTES)
    server.last().drop(1001)
    await vi.advanceTimersByTimeAsync(250)
    await settle()
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`, `PUT ${PATH}?listenKey=${LISTEN_KEY_1}`])
    expect(server.last().url).toBe(`${URLS.ws}/ws/${LISTEN_KEY_1}`)
    await stream.stop()
  })

  it('pings a quiet listen-key stream with LIST_SUBSCRIPTIONS; the reply is not an event', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, events, errors } = listenKeyStream(api, server.factory, 10_000)
    await settle()
    await vi.advanceTimersByTimeAsync(10_000)
    const [ping] = server.last().sentJson as Array<{ id: string; method: string }>
    expect(ping).toEqual({ method: 'LIST_SUBSCRIPTIONS', id: expect.any(String) })
    await vi.advanceTimersByTimeAsync(5) // an answer in the ping's own millisecond would not count
    server.last().say({ result: [], id: ping?.id })
    await vi.advanceTimersByTimeAsync(15_000)
    expect(server.sockets).toHaveLength(1)
    expect(events).toEqual([])
    expect(errors).toEqual([])
    await stream.stop()
  })

  it('stop closes the key with DELETE, forgets it and leaves no timer or socket', async () => {
    const api = fakeListenKeyApi()
    const server = fakeBinanceSockets()
    const { stream, done } = listenKeyStream(api, server.factory, 30_000)
    await settle()
    const first = stream.stop()
    const second = stream.stop()
    await vi.advanceTimersByTimeAsync(0)
    await Promise.all([first, second])
    await done
    expect(api.requests.map(describeRecorded)).toEqual([`POST ${PATH}`, `DELETE ${PATH}?listenKey=${LISTEN_KEY_1}`])
    expect(api.requests[1]?.headers['x-mbx-apikey']).toBe(API_KEY)
    expect(server.last().readyState).toBe(3)
    expect(vi.getTimerCount()).toBe(0)
    expect(redact(LISTEN_KEY_1)).toBe(LISTEN_KEY_1)
  })

  it('a DELETE that fails on stop is reported; stop still resolves', async () => {
    const api = fakeListenKeyApi(undefined, (request) => (request.method === 'DELETE' ? unknownKey() : undefined))
    const server = fakeBinanceSockets()
    const { stream, errors } = listenKeyStream(api, server.factory)
    await settle()
    const stopped = stream.stop()
    await vi.advanceTimersByTimeAsync(0)
    await stopped
    expect(errors[0]?.message).toMatch(/could not close the listen key/)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a stop while the key is being created abandons the request and sends no DELETE', async () => {
    const sent: string[] = []
    const hanging = new RestAssistant({
      baseUrl: URLS.rest,
      fetch: (input, init) => {
        const request = new Request(input, init)
        sent.push(`${request.method} ${new URL(request.url).pathname}`)
        return hangingResponse(request)
      },
    })
    const server = fakeBinanceSockets()
    const { stream, errors, done } = startStream(server.factory, { mode: 'listenKey', rest: hanging })
    await settle()
    expect(sent).toEqual([`POST ${PATH}`])
    await stream.stop()
    await done
    await flush() // the aborted request unwinds (and clears its timeout) on the next turns
    expect(sent).toEqual([`POST ${PATH}`])
    expect(server.sockets).toHaveLength(0)
    expect(errors).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('needs a REST assistant', () => {
    expect(() => new BinanceApiUserStreamDataSource({ mode: 'listenKey', urls: URLS, apiKey: API_KEY })).toThrow(InvalidInputError)
  })

  it('no secret (api key, listen keys) in any reported error', async () => {
    const echo = (text: string) => jsonResponse(400, { code: -1125, msg: text })
    const api = fakeListenKeyApi(undefined, (request) =>
      request.method === 'PUT' ? echo(`listenKey ${LISTEN_KEY_1} of ${API_KEY} does not exist`) : undefined,
    )
    const server = fakeBinanceSockets()
    let attempts = 0
    const factory = (url: string) => (attempts++ === 0 ? refusedSocket(url, `handshake refused for ${url}`) : server.factory(url))
    const { stream, errors } = listenKeyStream(api, factory)
    await settle()
    await vi.advanceTimersByTimeAsync(250)
    await settle()
    server.last().say({ e: 'listenKeyExpired', E: 1, listenKey: 42, secret: API_SECRET })
    server.last().drop(1006, `stream for ${LISTEN_KEY_2} closed`)
    await settle()
    expect(errors.length).toBeGreaterThanOrEqual(3)
    const texts = errors.flatMap((error) => [
      ...errorTexts(error),
      JSON.stringify(error),
      JSON.stringify((error as Partial<PayloadValidationError>).payload ?? null),
    ])
    for (const secret of [API_KEY, API_SECRET, LISTEN_KEY_1, LISTEN_KEY_2]) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([])
    }
    await stream.stop()
  })
})
