// Per-client request limits: each client id may make `limit` requests in any `windowMs` (a sliding
// log, so a burst at a window's edge cannot double the rate). Kept per isolate: a fleet of isolates
// lets a client through once per isolate, which bounds abuse without a round trip per request.

export type ClientLimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

/**
 * @example
 * const limiter = new ClientRequestLimiter(10, 1000)
 * const decision = limiter.take('alice', Date.now())
 * if (!decision.allowed) return jsonError(429, …, { headers: { 'Retry-After': String(decision.retryAfterSeconds) } })
 */
export class ClientRequestLimiter {
  readonly #limit: number
  readonly #windowMs: number
  /** Per client: the times of its counted requests, oldest first. */
  readonly #requests = new Map<string, number[]>()

  constructor(limit: number, windowMs: number) {
    this.#limit = limit
    this.#windowMs = windowMs
  }

  /** Counts one request for `clientId` if it fits, or says how many whole seconds to wait. */
  take(clientId: string, nowMs: number): ClientLimitDecision {
    this.#forgetIdle(nowMs)
    const times = this.#requests.get(clientId) ?? []
    while (times.length > 0 && times[0]! <= nowMs - this.#windowMs) times.shift()
    if (times.length >= this.#limit) {
      const freeAtMs = times[times.length - this.#limit]! + this.#windowMs
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAtMs - nowMs) / 1000)) }
    }
    times.push(nowMs)
    this.#requests.set(clientId, times)
    return { allowed: true }
  }

  /** Drops clients with nothing in the window, so the map does not grow with every id ever seen. */
  #forgetIdle(nowMs: number): void {
    for (const [clientId, times] of this.#requests) {
      const last = times[times.length - 1]
      if (last === undefined || last <= nowMs - this.#windowMs) this.#requests.delete(clientId)
    }
  }
}
