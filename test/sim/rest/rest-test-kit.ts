// Shared setup for the REST suites: a seeded exchange with a fixed, movable clock, the handler in
// front of it, and requests signed here with node:crypto (independent of src/) as Binance documents.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { DEFAULT_MARKETS, createSimulatedExchange, defineMarket, type SimulatedExchange } from '../../../src/sim/engine/index.ts'
import { type RateLimitOptions, createSimulatorRestHandler } from '../../../src/sim/rest/index.ts'

export const START_TIME = 1_700_000_000_000
export const API_KEY = 'simKey0123456789simKey0123456789simKey0123456789simKey0123456789'
export const API_SECRET = 'simSecret0123456789simSecret0123456789simSecret0123456789abcdefg'

const REFERENCE = new URL('../../../../shared/reference/binance/', import.meta.url)

export function readReference(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, REFERENCE), 'utf8')) as unknown
}

/** The keys of a reference object (or of its first element when it is a list). */
export function referenceKeys(path: string): string[] {
  const value = readReference(path)
  const sample = Array.isArray(value) ? (value[0] as object) : (value as object)
  return Object.keys(sample).sort()
}

export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort()
}

/** LTCBTC lets Binance's own signing example (a LTCBTC order) run against the simulator. */
export const LTCBTC = defineMarket({
  symbol: 'LTCBTC', baseAsset: 'LTC', quoteAsset: 'BTC', tickSize: '0.000001', maxPrice: '100000',
  stepSize: '0.001', minQty: '0.001', maxQty: '100000', marketMaxQty: '100000', minNotional: '0.0001',
  initialMidPrice: '0.2',
})

export interface Simulator {
  readonly exchange: SimulatedExchange
  readonly handle: (request: Request) => Promise<Response>
  readonly clock: { now: number }
}

export function startSimulator(options: { apiKey?: string; apiSecret?: string; now?: number; limits?: RateLimitOptions } = {}): Simulator {
  const clock = { now: options.now ?? START_TIME }
  const now = () => clock.now
  const exchange = createSimulatedExchange({ seed: 3, now, markets: [...DEFAULT_MARKETS, LTCBTC] })
  const handle = createSimulatorRestHandler({
    exchange,
    credentials: { apiKey: options.apiKey ?? API_KEY, apiSecret: options.apiSecret ?? API_SECRET },
    now,
    ...(options.limits ? { limits: options.limits } : {}),
  })
  return { exchange, handle, clock }
}

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex')
}

type Params = Record<string, string>

/** A query string with values percent-encoded and parameter order kept. */
export function queryOf(params: Params): string {
  return new URLSearchParams(params).toString()
}

export interface SignOptions {
  readonly timestamp?: number
  readonly apiKey?: string
  readonly secret?: string
  /** Put the parameters in a form body instead of the query string. */
  readonly inBody?: boolean
}

/** A SIGNED request as rest-api.md builds one: timestamp appended, HMAC of the payload appended. */
export function signedRequest(simulator: Simulator, method: string, path: string, params: Params = {}, options: SignOptions = {}): Request {
  const payload = queryOf({ ...params, timestamp: String(options.timestamp ?? simulator.clock.now) })
  const signed = `${payload}&signature=${hmacHex(options.secret ?? API_SECRET, payload)}`
  const headers = { 'X-MBX-APIKEY': options.apiKey ?? API_KEY }
  if (options.inBody) {
    return new Request(`http://127.0.0.1${path}`, { method, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: signed })
  }
  return new Request(`http://127.0.0.1${path}?${signed}`, { method, headers })
}

export async function call(simulator: Simulator, request: Request): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await simulator.handle(request)
  return { status: response.status, body: (await response.json()) as unknown, headers: response.headers }
}

export function get(simulator: Simulator, pathAndQuery: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  return call(simulator, new Request(`http://127.0.0.1${pathAndQuery}`))
}

export function signed(simulator: Simulator, method: string, path: string, params: Params = {}, options: SignOptions = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  return call(simulator, signedRequest(simulator, method, path, params, options))
}

/** The best ask and bid the seeded market makers quote on BTCUSDT. */
export function bestQuotes(simulator: Simulator, symbol = 'BTCUSDT'): { bid: string; ask: string } {
  const book = simulator.exchange.engine.book(symbol, 1)
  const bid = book.bids[0]
  const ask = book.asks[0]
  if (!bid || !ask) throw new Error(`no two-sided book on ${symbol}`)
  return { bid: bid.price.toFixed(), ask: ask.price.toFixed() }
}
