// A scripted Binance for the user-stream tests: a fake WebSocket server that answers WS API
// requests (subscribe, ping) the way Binance documents them, a fake REST endpoint for Binance.US
// listen keys, and readers for the reference payloads in /work/shared.
import { vi } from 'vitest'
import {
  type BinanceUserStreamOptions,
  BinanceApiUserStreamDataSource,
} from '../../../src/connectors/binance/api-user-stream-data-source.ts'
import type { BinanceUserStreamEvent } from '../../../src/connectors/binance/schemas/user-data.ts'
import type { Clock } from '../../../src/core/clock.ts'
import { RestAssistant } from '../../../src/core/web/rest-assistant.ts'
import { FakeSocket } from '../../core/web/helpers/fake-socket.ts'
import { fakeFetch, jsonResponse, type RecordedRequest } from '../../core/web/helpers/fake-fetch.ts'
import { readReference } from './reference-files.ts'

// The shared reader of /work/shared/reference/binance (a missing file throws, failing the test).
export { BINANCE_REFERENCE as REFERENCE_DIR, readReference } from './reference-files.ts'

export const START_TIME = 1_700_000_000_000
export const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
export const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
export const LISTEN_KEY_1 = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1'
export const LISTEN_KEY_2 = 'OfYGbUzi3PraNagEkdKuFwUHn48brFsItTdsuiIXrucEvD0rhRXZ7I6URWfE8YE8'
export const URLS = {
  ws: 'wss://stream.binance.test:9443',
  wsApi: 'wss://ws-api.binance.test:443/ws-api/v3',
  rest: 'https://api.binance.test/api',
} as const

/** Follows the faked Date, so monotonic time moves with vi.advanceTimersByTime too. */
export const fakeTimersClock: Clock = { now: () => Date.now(), monotonic: () => Date.now() }

export function useFakeClock(): void {
  vi.useFakeTimers()
  vi.setSystemTime(START_TIME)
}

/** Lets promise chains run (microtask turns only; no timer fires). */
export async function flush(turns = 40): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await Promise.resolve()
}

// ── Reference payloads ───────────────────────────────────────────────────────────────────────

/** A reference payload as an object, for tests that change a field. */
export function referenceObject(path: string): Record<string, unknown> {
  return readReference(path) as Record<string, unknown>
}

/** The event inside a reference envelope. */
export function referenceEvent(name: string): Record<string, unknown> {
  return referenceObject(`user-data/wsapi_envelope_${name}.json`)['event'] as Record<string, unknown>
}

// ── The WebSocket side ───────────────────────────────────────────────────────────────────────

interface WsApiRequest {
  readonly id: string
  readonly method: string
  readonly params?: Record<string, unknown>
}

/** What the fake Binance answers to a WS API request; undefined answers nothing. */
export type WsApiScript = (request: WsApiRequest, socket: ServerSocket) => unknown

export class ServerSocket extends FakeSocket {
  onClientMessage: ((data: unknown) => void) | undefined

  override send(data: string): void {
    super.send(data)
    this.onClientMessage?.(JSON.parse(data) as unknown)
  }

  /** The WS API requests this client sent. */
  get requests(): WsApiRequest[] {
    return this.sentJson as WsApiRequest[]
  }

  /** Sends a user data event wrapped the WS API way. */
  sayEvent(event: unknown, subscriptionId = 0): void {
    this.say({ subscriptionId, event })
  }
}

/** Binance's answer to a successful subscribe. */
export const subscribed = (request: WsApiRequest, subscriptionId = 0) => ({
  id: request.id,
  status: 200,
  result: { subscriptionId },
  rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }],
})

/** Binance's answer to a refused request. */
export const refused = (request: WsApiRequest, status: number, code: number, msg: string, data?: object) => ({
  id: request.id,
  status,
  error: { code, msg, ...(data ? { data } : {}) },
})

/** Round trip of the fake server's answer to `ping`. */
export const PONG_DELAY_MS = 5

/**
 * A fake Binance WebSocket endpoint: every socket opens on the next microtask; subscribe is
 * answered by `script` (default: success with subscription ids 0, 1, 2, …) and ping with 200.
 */
export function fakeBinanceSockets(script?: WsApiScript) {
  const sockets: ServerSocket[] = []
  let subscriptions = 0
  const answer: WsApiScript = script ?? ((request) => subscribed(request, subscriptions++))
  const factory = (url: string): ServerSocket => {
    const socket = new ServerSocket(url)
    socket.onClientMessage = (data) => {
      const request = data as WsApiRequest
      // A pong in the same millisecond as its ping would not count as an answer for the watchdog.
      if (request.method === 'ping') setTimeout(() => socket.say({ id: request.id, status: 200, result: {} }), PONG_DELAY_MS)
      const reply = request.method === 'ping' ? undefined : answer(request, socket)
      if (reply !== undefined) queueMicrotask(() => socket.say(reply))
    }
    sockets.push(socket)
    queueMicrotask(() => socket.accept())
    return socket
  }
  return {
    sockets,
    factory,
    last: (): ServerSocket => {
      const socket = sockets.at(-1)
      if (!socket) throw new Error('no socket was opened')
      return socket
    },
  }
}

// ── The REST side (Binance.US listen keys) ───────────────────────────────────────────────────

export type ListenKeyResponder = (request: RecordedRequest, index: number) => Response | undefined

/**
 * A fake `/api/v3/userDataStream`: POST hands out the given keys in turn, PUT and DELETE answer
 * `{}`; `override` may answer any request differently.
 */
export function fakeListenKeyApi(keys: readonly string[] = [LISTEN_KEY_1, LISTEN_KEY_2], override?: ListenKeyResponder) {
  let created = 0
  const api = fakeFetch((_request, index) => {
    const request = api.requests[index]
    if (!request) throw new Error('request not recorded')
    const custom = override?.(request, index)
    if (custom) return custom
    if (request.method === 'POST') return jsonResponse(200, { listenKey: keys[created++] ?? `listen-key-number-${created}` })
    return jsonResponse(200, {})
  })
  const rest = new RestAssistant({ baseUrl: URLS.rest, fetch: api.fetch, clock: fakeTimersClock, retry: { limit: 0 } })
  return { rest, requests: api.requests }
}

/** `METHOD path?query` of a recorded request, for compact assertions. */
export function describeRecorded(request: RecordedRequest): string {
  const url = new URL(request.url)
  return `${request.method} ${url.pathname}${url.search}`
}

// ── The data source ──────────────────────────────────────────────────────────────────────────

export interface StreamHarness {
  readonly stream: BinanceApiUserStreamDataSource
  readonly events: BinanceUserStreamEvent[]
  readonly errors: Error[]
  /** Resolves when the stream's iteration has ended. */
  readonly done: Promise<void>
}

/** Builds a data source on fake sockets and the fake clock, starts it and collects what it delivers. */
export function startStream(
  factory: (url: string) => ServerSocket,
  options: Partial<BinanceUserStreamOptions> = {},
): StreamHarness {
  const errors: Error[] = []
  const stream = new BinanceApiUserStreamDataSource({
    mode: 'wsApiSignature',
    urls: URLS,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    clock: fakeTimersClock,
    socketFactory: factory,
    onError: (error) => errors.push(error),
    ...options,
    socket: { livenessTimeoutMs: 0, random: () => 0, ...options.socket },
  })
  stream.start()
  const events: BinanceUserStreamEvent[] = []
  const done = (async () => {
    for await (const event of stream) events.push(event)
  })()
  return { stream, events, errors, done }
}
