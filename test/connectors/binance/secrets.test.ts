// No secret leaves the connector in text (DESIGN.md rule 7): a whole trading session against the
// scripted Binance (orders, cancels, refusals, invalid signatures, timeouts, malformed payloads,
// user-stream failures, Binance.US listen keys), with every error event, thrown error, console call
// and event payload captured, must not contain the API key, the secret, a signature or a listen key.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hangingResponse, jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import {
  API_KEY,
  API_SECRET,
  binanceError,
  binanceExchange,
  executionReport,
  PAIR,
  settle,
  startedBinanceExchange,
  useFakeClock,
} from './exchange-helpers.ts'

const LISTEN_KEY = 'secretListenKeyQwErTy0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'
const NEXT_LISTEN_KEY = 'nextListenKeyAsDfGh0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI'

/** Every text an error carries: message, stack, details, payload, own fields, its causes. */
function errorTexts(error: unknown, depth = 0): string[] {
  if (depth > 10 || error === undefined || error === null) return []
  if (!(error instanceof Error)) return [safeJson(error), String(error)]
  const record = error as unknown as Record<string, unknown>
  return [
    error.name,
    error.message,
    String(error.stack),
    safeJson(record),
    ...Object.values(record).map((value) => (typeof value === 'string' ? value : safeJson(value))),
    ...errorTexts(error.cause, depth + 1),
  ]
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Every `signature` sent over REST (query) or the WS API (params). */
function signaturesSent(urls: readonly string[], socketMessages: readonly string[]): string[] {
  const fromRest = urls.map((url) => new URL(url).searchParams.get('signature')).filter((value): value is string => value !== null)
  const fromSockets = socketMessages
    .map((text) => (JSON.parse(text) as { params?: { signature?: string } }).params?.signature)
    .filter((value): value is string => typeof value === 'string')
  return [...fromRest, ...fromSockets]
}

/** A Binance.US session: listen keys handed out in turn, the first expires, every refresh fails naming its key. */
async function listenKeySession(keys: readonly string[]) {
  const us = binanceExchange({ domain: 'us' })
  let created = 0
  us.rest.routes.set('POST /v3/userDataStream', () => jsonResponse(200, { listenKey: keys[Math.min(created++, keys.length - 1)] }))
  us.rest.routes.set('PUT /v3/userDataStream', (request) =>
    binanceError(400, -1125, `This listenKey does not exist: ${request.query.get('listenKey') ?? ''}`),
  )
  us.rest.routes.set('DELETE /v3/userDataStream', () => jsonResponse(200, {}))
  void us.exchange.start()
  await settle()
  us.sockets.sockets.at(-1)?.say({ e: 'listenKeyExpired', E: Date.now(), listenKey: keys[0] })
  await settle()
  await vi.advanceTimersByTimeAsync(31 * 60_000)
  await settle()
  await us.exchange.stop()
  return us
}

describe('secrets', () => {
  const captured: string[] = []
  let consoleSpies: Array<ReturnType<typeof vi.spyOn>> = []

  beforeEach(() => {
    useFakeClock()
    captured.length = 0
    consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.push(...args.flatMap((arg) => errorTexts(arg)))
      }),
    )
  })
  afterEach(() => {
    for (const spy of consoleSpies) spy.mockRestore()
    vi.useRealTimers()
  })

  it('a trading session with failures shows neither the API key, the secret, a signature nor a listen key anywhere', async () => {
    const { exchange, rest, sockets, events } = await startedBinanceExchange({ intervals: { shortPollMs: 1_000, longPollMs: 1_000 } })
    const capture = async (work: () => Promise<unknown>): Promise<void> => {
      try {
        captured.push(safeJson(await work()))
      } catch (error) {
        captured.push(...errorTexts(error))
      }
    }

    // A normal order, filled on the stream, and one cancelled.
    const filled = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    const cancelled = exchange.sell(PAIR, '0.01', 'LIMIT', '31000')
    await settle()
    sockets.userStream().sayEvent(executionReport({ c: filled, i: 28, S: 'BUY', x: 'TRADE', X: 'FILLED', l: '0.01', L: '30000', n: '0.3', N: 'USDT', t: 1 }))
    await capture(() => exchange.cancel(PAIR, cancelled))

    // Refusals: invalid signature on create, an API key Binance rejects, insufficient balance.
    rest.routes.set('POST /v3/order', () => binanceError(400, -1022, `Signature for this request is not valid. apiKey=${API_KEY}`))
    exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await settle()
    rest.routes.set('POST /v3/order', () => binanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.'))
    exchange.sell(PAIR, '0.01', 'MARKET')
    await settle()
    // A create answered with a malformed payload echoing the key, and one that times out.
    rest.routes.set('POST /v3/order', () => jsonResponse(200, { orderId: 'x', apiKey: API_KEY, note: `signed by ${API_SECRET}` }))
    exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await settle()
    rest.routes.set('POST /v3/order', (request) => hangingResponse(new Request(request.url, { signal: request.signal })))
    exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await settle()
    await vi.advanceTimersByTimeAsync(10_000)
    await settle()

    // Status polling that fails, thrown errors from the public API, a cancel of an unknown order.
    rest.routes.set('GET /v3/order', () => binanceError(400, -1022, 'Signature for this request is not valid.'))
    rest.routes.set('GET /v3/account', () => new Response(`upstream echoed X-MBX-APIKEY: ${API_KEY}`, { status: 502 }))
    await vi.advanceTimersByTimeAsync(3_000)
    await settle()
    await capture(() => exchange.fetchOrder(PAIR, { exchangeOrderId: '28' }))
    await capture(() => exchange.cancelByExchangeOrderId(PAIR, '404'))
    await capture(() => exchange.fetchOpenOrders('NOT-LISTED'))

    // The user stream: malformed events carrying secrets, a refused re-subscribe after a drop.
    sockets.userStream().sayEvent({ e: 'executionReport', apiKey: API_KEY, signature: 'deadbeef', listenKey: LISTEN_KEY })
    sockets.userStream().say(`{"broken": "${API_SECRET}`)
    sockets.refuseSubscribeWith((request) => ({ id: request['id'], status: 401, error: { code: -2015, msg: `Invalid API-key ${API_KEY}` } }))
    sockets.userStream().drop()
    await vi.advanceTimersByTimeAsync(30_000)
    await settle()
    await exchange.stop()

    // Binance.US: the listen key flow, with a refresh that fails.
    const us = await listenKeySession([LISTEN_KEY, NEXT_LISTEN_KEY])

    const recordedEvents = [...events.recorded, ...us.events.recorded]
    for (const event of recordedEvents) captured.push(event.name, ...(event.name === 'error' ? errorTexts(event.payload) : [safeJson(event.payload)]))
    captured.push(safeJson(exchange.trackingStates), safeJson(exchange), safeJson(us.exchange))

    const signatures = signaturesSent(
      [...rest.requests, ...us.rest.requests].map((request) => request.url),
      [...sockets.sockets, ...us.sockets.sockets].flatMap((socket) => socket.sent),
    )
    const listenKeyUsed = us.sockets.sockets.some((socket) => socket.url.endsWith(`/ws/${LISTEN_KEY}`))
    expect(listenKeyUsed).toBe(true) // the key was really in play
    expect(signatures.length).toBeGreaterThan(10)
    expect(events.errors().length).toBeGreaterThan(5)
    expect(events.of('orderFailure').length).toBeGreaterThanOrEqual(2)

    const everything = captured.join('\n')
    for (const secret of [API_KEY, API_SECRET, LISTEN_KEY, NEXT_LISTEN_KEY, ...signatures]) {
      expect(everything.includes(secret), `a secret (${secret.slice(0, 4)}…) leaked`).toBe(false)
    }
  })

  // Binance.US answers POST /userDataStream with the account's active key when there is one, so a
  // replacement can be the same key. listen-key.ts forgets a retired key's redaction on the next
  // connect even when that key is current again; a later refusal naming it then shows it. Known bug
  // in listen-key.ts (not this suite's file): this test flips to failing when it is fixed.
  it('a listen key handed out again after it expired stays redacted', async () => {
    const us = await listenKeySession([LISTEN_KEY, LISTEN_KEY])
    const texts = us.events.errors().flatMap((error) => errorTexts(error))
    expect(texts.join('\n').includes(LISTEN_KEY)).toBe(false)
  })
})
