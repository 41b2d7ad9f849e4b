// What every route handler gets, and how routes are declared: method, path, whether the request
// must be SIGNED, and its request weight as rest-api.md lists it (some weights depend on params).
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

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  readonly signed: boolean
  readonly weight: (params: RequestParams) => number
  readonly handle: (context: RouteContext) => unknown
}

export function fixedWeight(weight: number): (params: RequestParams) => number {
  return () => weight
}
