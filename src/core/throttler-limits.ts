// Rate limits as data (DESIGN.md rule 6): each connector declares them in its constants, and the
// throttler checks and scales them once, at construction.
import { InvalidInputError } from './errors.ts'

/** A pool another limit draws from, and how much each request takes from it. */
export interface LinkedRateLimit {
  readonly id: string
  /** Default 1. */
  readonly weight?: number
}

/**
 * `limit` weight per `intervalMs`. A request named by `id` takes `weight` from this limit and each
 * link's weight from the linked pool; a "pool" is simply a limit others link to.
 *
 * @example
 * const RATE_LIMITS = [
 *   { id: 'REQUEST_WEIGHT', limit: 6000, intervalMs: 60_000 },
 *   { id: '/api/v3/depth', limit: 6000, intervalMs: 60_000, linkedLimits: [{ id: 'REQUEST_WEIGHT', weight: 50 }] },
 * ] as const satisfies readonly RateLimit[]
 */
export interface RateLimit {
  readonly id: string
  readonly limit: number
  readonly intervalMs: number
  /** Default 1. */
  readonly weight?: number
  readonly linkedLimits?: ReadonlyArray<LinkedRateLimit>
}

/** A limit as the throttler enforces it: scaled by the share, window widened by the safety margin. */
export interface ResolvedRateLimit {
  readonly id: string
  /** The limit as declared (the exchange's figure). */
  readonly declaredLimit: number
  /** `max(1, floor(declaredLimit · sharePercent / 100))`: what this throttler may use. */
  readonly limit: number
  /** `intervalMs · (1 + safetyMarginPercent / 100)`: how long a draw keeps counting. */
  readonly intervalMs: number
  readonly weight: number
  readonly linkedLimits: ReadonlyArray<{ readonly id: string; readonly weight: number }>
}

export interface LimitScaling {
  readonly sharePercent: number
  readonly safetyMarginPercent: number
}

/**
 * Checks every limit and link, then scales them. Any mistake in the data is an `InvalidInputError`
 * here, so a connector with a typo in its constants fails when it is built, not mid-trade.
 *
 * @example
 * resolveRateLimits([{ id: 'ORDERS', limit: 50, intervalMs: 10_000 }], { sharePercent: 50, safetyMarginPercent: 0 })
 * // Map { 'ORDERS' => { limit: 25, declaredLimit: 50, intervalMs: 10_000, weight: 1, ... } }
 */
export function resolveRateLimits(limits: readonly RateLimit[], scaling: LimitScaling): Map<string, ResolvedRateLimit> {
  const { sharePercent, safetyMarginPercent } = scaling
  if (!(sharePercent > 0 && sharePercent <= 100)) {
    throw new InvalidInputError(`sharePercent must be above 0 and at most 100, got ${sharePercent}`)
  }
  if (!(safetyMarginPercent >= 0 && Number.isFinite(safetyMarginPercent))) {
    throw new InvalidInputError(`safetyMarginPercent must be 0 or more, got ${safetyMarginPercent}`)
  }
  const resolved = new Map<string, ResolvedRateLimit>()
  for (const limit of limits) {
    if (limit.id === '') throw new InvalidInputError('A rate limit needs a non-empty id')
    if (resolved.has(limit.id)) throw new InvalidInputError(`Rate limit '${limit.id}' is defined twice`)
    requirePositive(limit.limit, `the limit of '${limit.id}'`)
    requirePositive(limit.intervalMs, `the interval of '${limit.id}'`)
    resolved.set(limit.id, {
      id: limit.id,
      declaredLimit: limit.limit,
      limit: Math.max(1, Math.floor((limit.limit * sharePercent) / 100)),
      intervalMs: limit.intervalMs * (1 + safetyMarginPercent / 100),
      weight: requireWeight(limit.weight ?? 1, `the weight of '${limit.id}'`),
      linkedLimits: (limit.linkedLimits ?? []).map((link) => ({
        id: link.id,
        weight: requireWeight(link.weight ?? 1, `the weight '${limit.id}' takes from '${link.id}'`),
      })),
    })
  }
  for (const limit of resolved.values()) {
    for (const link of limit.linkedLimits) {
      if (!resolved.has(link.id)) {
        throw new InvalidInputError(`Rate limit '${limit.id}' links to '${link.id}', which is not defined`)
      }
    }
  }
  return resolved
}

function requirePositive(value: number, what: string): void {
  if (!(value > 0 && Number.isFinite(value))) throw new InvalidInputError(`${what} must be a positive number, got ${value}`)
}

/** A weight is a finite number ≥ 0 (0: the request is counted nowhere but still waits for pauses). */
export function requireWeight(value: number, what: string): number {
  if (!(value >= 0 && Number.isFinite(value))) throw new InvalidInputError(`${what} must be 0 or more, got ${value}`)
  return value
}
