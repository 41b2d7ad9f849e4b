// What every route handler gets, and how routes are declared: method, path, what the request must
// prove (nothing, an API key, a SIGNED payload), and its request weight as rest-api.md lists it
// (some weights depend on params).
import type { SeededRandom, SimulatedExchange } from '../engine/index.ts'
import type { RateLimiter } from './rate-limits.ts'
import type { RequestParams } from './request-params.ts'

export interface RouteContext {
  readonly params: RequestParams
  readonly exchange: SimulatedExchange
  readonly limiter: RateLimiter
  /** The server clock for this request, read once so every field of one response agrees. */
  readonly now: number
  /** Draws client order ids for cancels that name none, deterministically from the seed. */
  readonly idRandom: SeededRandom
}

/**
 * rest-api.md security types: NONE needs nothing; USER_STREAM (and MARKET_DATA, had we any) needs
 * only the X-MBX-APIKEY header; TRADE and USER_DATA are SIGNED (key, timestamp and signature).
 */
export type RouteAuth = 'none' | 'apiKey' | 'signed'

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  readonly path: string
  readonly auth: RouteAuth
  readonly weight: (params: RequestParams) => number
  readonly handle: (context: RouteContext) => unknown
}

export function fixedWeight(weight: number): (params: RequestParams) => number {
  return () => weight
}
