// Shared setup for the WS API suites: a seeded exchange and the WS API handler on one injected
// clock, fake sockets that record every frame, and requests signed here with node:crypto
// (independent of src/) as web-socket-api.md documents: params sorted by name, apiKey included,
// raw UTF-8, hex HMAC-SHA256.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createSimulatedExchange, type SimulatedExchange } from '../../../src/sim/engine/index.ts'
import type { RateLimitOptions } from '../../../src/sim/rest/index.ts'
import { createWsApiHandler, type WsApiConnection, type WsApiHandler } from '../../../src/sim/ws-api/index.ts'
import { RecordingSocket } from '../recording-socket.ts'

export const START_TIME = 1_700_000_000_000
export const API_KEY = 'simKey0123456789simKey0123456789simKey0123456789simKey0123456789'
export const API_SECRET = 'simSecret0123456789simSecret0123456789simSecret0123456789abcdefg'

const REFERENCE = new URL('../../../../shared/reference/binance/', import.meta.url)

export function readReference(path: string): Frame {
  return JSON.parse(readFileSync(new URL(path, REFERENCE), 'utf8')) as Frame
}

export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort()
}

export interface RateLimit {
  readonly rateLimitType: string
  readonly interval: string
  readonly intervalNum: number
  readonly limit: number
  readonly count: number
}

/** A parsed frame: a response (`id`, `status`, `result` or `error`, `rateLimits`) or an event envelope. */
export interface Frame {
  readonly id?: string | number | null
  readonly status?: number
  readonly result?: any
  readonly error?: any
  readonly rateLimits?: RateLimit[]
  readonly subscriptionId?: number
  readonly event?: any
}

export class FakeSocket extends RecordingSocket<Frame> {}

type ParamValue = string | number | boolean
export type Params = Record<string, ParamValue>

/** web-socket-api.md's signature payload: every param but `signature`, sorted by name, raw UTF-8. */
export function signaturePayload(params: Params): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
    .map((name) => `${name}=${String(params[name])}`)
    .join('&')
}

export function sign(params: Params, secret = API_SECRET): Params {
  return { ...params, signature: createHmac('sha256', secret).update(signaturePayload(params), 'utf8').digest('hex') }
}

export interface WsApiRig {
  readonly exchange: SimulatedExchange
  readonly handler: WsApiHandler
  readonly clock: { now: number }
  readonly socket: FakeSocket
  readonly connection: WsApiConnection
  /** Sends one request and returns every frame sent in reply (the response first, then events). */
  request(method: string, params?: Params, id?: string | number): Frame[]
  /** A signed request: apiKey and timestamp added, then signed with the test secret. */
  signed(method: string, params?: Params, options?: { apiKey?: string; secret?: string; timestamp?: number }): Frame[]
  open(): { socket: FakeSocket; connection: WsApiConnection }
}

export function startWsApi(options: { apiKey?: string; apiSecret?: string; now?: number; limits?: RateLimitOptions } = {}): WsApiRig {
  const clock = { now: options.now ?? START_TIME }
  const now = () => clock.now
  const exchange = createSimulatedExchange({ seed: 5, now })
  const handler = createWsApiHandler({ exchange, credentials: { apiKey: options.apiKey ?? API_KEY, apiSecret: options.apiSecret ?? API_SECRET }, now, ...(options.limits ? { limits: options.limits } : {}) })
  const open = () => {
    const socket = new FakeSocket()
    return { socket, connection: handler.connect('/ws-api/v3', socket) }
  }
  const { socket, connection } = open()
  let nextId = 1
  const request = (method: string, params?: Params, id: string | number = `req-${nextId++}`): Frame[] => {
    connection.receive(JSON.stringify(params === undefined ? { id, method } : { id, method, params }))
    return socket.take()
  }
  return {
    exchange, handler, clock, socket, connection, request, open,
    signed(method, params = {}, signOptions = {}) {
      const unsigned = { ...params, apiKey: signOptions.apiKey ?? API_KEY, timestamp: signOptions.timestamp ?? clock.now }
      return request(method, sign(unsigned, signOptions.secret))
    },
  }
}

/** The best ask and bid the seeded market makers quote. */
export function bestQuotes(exchange: SimulatedExchange, symbol = 'BTCUSDT'): { bid: string; ask: string } {
  const book = exchange.engine.book(symbol, 1)
  const bid = book.bids[0]
  const ask = book.asks[0]
  if (!bid || !ask) throw new Error(`no two-sided book on ${symbol}`)
  return { bid: bid.price.toFixed(), ask: ask.price.toFixed() }
}
