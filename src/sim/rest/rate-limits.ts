// Binance's REST limits (rest-api.md "LIMITS"): request weight per IP per minute and new orders
// per account per 10 seconds and per day, counted in fixed windows and reported on responses as
// X-MBX-USED-WEIGHT-1M and X-MBX-ORDER-COUNT-10S / -1D. Breaking the weight limit answers 429 with
// Retry-After; an IP that keeps calling while limited is banned with 418, for 2 minutes at first
// and twice as long on each repeat, as Binance scales its bans.
import { RestFailure, bannedUntil, tooManyOrders, tooMuchWeight } from './rest-errors.ts'

export interface RateLimitOptions {
  /** REQUEST_WEIGHT per minute per IP; Binance's is 6000. */
  readonly requestWeightPerMinute?: number
  /** ORDERS per 10 seconds per account; Binance's is 50. */
  readonly ordersPer10Seconds?: number
  /** ORDERS per day per account; Binance's is 160000. */
  readonly ordersPerDay?: number
  /** The first ban's length; Binance documents bans from 2 minutes to 3 days. */
  readonly firstBanMilliseconds?: number
  /**
   * Requests arriving this soon after a 429 were on the wire before the client could read it: they
   * are answered 429 again, not banned. Default 250 ms.
   */
  readonly inFlightGraceMilliseconds?: number
}

const MINUTE = 60_000
const TEN_SECONDS = 10_000
const DAY = 86_400_000
const MAX_BAN = 3 * DAY

interface WindowCount {
  windowStart: number
  used: number
}

interface IpState {
  weight: WindowCount
  /** Set once a 429 was answered in the current window; a further request then earns a ban. */
  warned: boolean
  /** When the last 429 was answered. */
  toldToWaitAt: number
  bannedUntil: number
  bans: number
  /** Until when a 429's Retry-After told this IP to wait; a request before then earns a ban. */
  waitUntil: number
}

/** How often clients broke the limits' rules: what a well-behaved client keeps at zero. */
export interface RateLimitViolations {
  /** 418 answers sent (requests refused while banned, and the requests that earned a ban). */
  readonly bansAnswered: number
  /** Requests that arrived while their IP was banned. */
  readonly requestsWhileBanned: number
  /** Requests that arrived before a 429's Retry-After had passed. */
  readonly requestsBeforeRetryAfter: number
}

export class RateLimiter {
  readonly requestWeightPerMinute: number
  readonly ordersPer10Seconds: number
  readonly ordersPerDay: number
  private readonly firstBan: number
  private readonly inFlightGrace: number
  private readonly ips = new Map<string, IpState>()
  private readonly orders = new Map<string, { tenSeconds: WindowCount; day: WindowCount }>()
  private violationCounts = { bansAnswered: 0, requestsWhileBanned: 0, requestsBeforeRetryAfter: 0 }

  constructor(options: RateLimitOptions = {}) {
    this.requestWeightPerMinute = options.requestWeightPerMinute ?? 6000
    this.ordersPer10Seconds = options.ordersPer10Seconds ?? 50
    this.ordersPerDay = options.ordersPerDay ?? 160000
    this.firstBan = options.firstBanMilliseconds ?? 2 * MINUTE
    this.inFlightGrace = options.inFlightGraceMilliseconds ?? 250
  }

  /** exchangeInfo's `rateLimits`, from the limits this simulator enforces. */
  describe(): object[] {
    return [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.requestWeightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: this.ordersPer10Seconds },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: this.ordersPerDay },
    ]
  }

  /** Adds a request's weight for an IP; throws 429 past the limit and 418 while banned or persisting. */
  chargeWeight(ip: string, weight: number, now: number): void {
    const state = this.checkNotBanned(ip, now)
    state.weight.used += weight
    if (state.weight.used <= this.requestWeightPerMinute) return
    if (state.warned) throw this.ban(state, now)
    state.warned = true
    const windowEnd = state.weight.windowStart + MINUTE
    throw new RestFailure(tooMuchWeight(this.requestWeightPerMinute, '1 MINUTE'), 429, { 'Retry-After': secondsUntil(windowEnd, now) })
  }

  /**
   * The `throttleRequests` fault: a 429 (-1003) telling the IP to wait `seconds`, unless it is
   * already banned or came too early, which earns the 418 instead.
   */
  tellToWait(ip: string, seconds: number, now: number): RestFailure {
    const state = this.checkNotBanned(ip, now)
    state.waitUntil = Math.max(state.waitUntil, now + seconds * 1000)
    state.toldToWaitAt = now
    return this.waitFailure(state, now)
  }

  /** How often clients ignored a ban or a Retry-After since the simulator started. */
  violations(): RateLimitViolations {
    return { ...this.violationCounts }
  }

  /** Throws 418 for a banned IP and bans one that did not wait out a Retry-After. */
  private checkNotBanned(ip: string, now: number): IpState {
    const state = this.ipState(ip, now)
    if (state.bannedUntil > now) {
      this.violationCounts.requestsWhileBanned += 1
      throw this.banFailure(state, now)
    }
    if (state.waitUntil > now) {
      if (now - state.toldToWaitAt <= this.inFlightGrace) throw this.waitFailure(state, now)
      this.violationCounts.requestsBeforeRetryAfter += 1
      throw this.ban(state, now)
    }
    return state
  }

  private waitFailure(state: IpState, now: number): RestFailure {
    return new RestFailure(tooMuchWeight(this.requestWeightPerMinute, '1 MINUTE'), 429, { 'Retry-After': secondsUntil(state.waitUntil, now) })
  }

  private ban(state: IpState, now: number): RestFailure {
    state.bans += 1
    state.bannedUntil = now + Math.min(this.firstBan * 2 ** (state.bans - 1), MAX_BAN)
    return this.banFailure(state, now)
  }

  usedWeight(ip: string, now: number): number {
    return this.ipState(ip, now).weight.used
  }

  /** Throws -1015 (HTTP 429) when the account may place no more orders now. */
  checkOrderAllowed(accountId: string, now: number): void {
    const counts = this.orderCounts(accountId, now)
    if (counts.tenSeconds.used >= this.ordersPer10Seconds) {
      throw new RestFailure(tooManyOrders(this.ordersPer10Seconds, '10 SECOND'), 429, { 'Retry-After': secondsUntil(counts.tenSeconds.windowStart + TEN_SECONDS, now) })
    }
    if (counts.day.used >= this.ordersPerDay) {
      throw new RestFailure(tooManyOrders(this.ordersPerDay, '1 DAY'), 429, { 'Retry-After': secondsUntil(counts.day.windowStart + DAY, now) })
    }
  }

  countOrder(accountId: string, now: number): void {
    const counts = this.orderCounts(accountId, now)
    counts.tenSeconds.used += 1
    counts.day.used += 1
  }

  orderCountHeaders(accountId: string, now: number): Record<string, string> {
    const counts = this.orderCounts(accountId, now)
    return { 'X-MBX-ORDER-COUNT-10S': String(counts.tenSeconds.used), 'X-MBX-ORDER-COUNT-1D': String(counts.day.used) }
  }

  private banFailure(state: IpState, now: number): RestFailure {
    this.violationCounts.bansAnswered += 1
    return new RestFailure(bannedUntil(state.bannedUntil), 418, { 'Retry-After': secondsUntil(state.bannedUntil, now) })
  }

  private ipState(ip: string, now: number): IpState {
    let state = this.ips.get(ip)
    if (!state) {
      state = { weight: { windowStart: windowStart(now, MINUTE), used: 0 }, warned: false, toldToWaitAt: 0, bannedUntil: 0, bans: 0, waitUntil: 0 }
      this.ips.set(ip, state)
    }
    if (roll(state.weight, now, MINUTE)) state.warned = false
    return state
  }

  private orderCounts(accountId: string, now: number): { tenSeconds: WindowCount; day: WindowCount } {
    let counts = this.orders.get(accountId)
    if (!counts) {
      counts = { tenSeconds: { windowStart: windowStart(now, TEN_SECONDS), used: 0 }, day: { windowStart: windowStart(now, DAY), used: 0 } }
      this.orders.set(accountId, counts)
    }
    roll(counts.tenSeconds, now, TEN_SECONDS)
    roll(counts.day, now, DAY)
    return counts
  }
}

function windowStart(now: number, length: number): number {
  return Math.floor(now / length) * length
}

/** Starts a new window when `now` has left the current one; true when it did. */
function roll(count: WindowCount, now: number, length: number): boolean {
  const start = windowStart(now, length)
  if (start === count.windowStart) return false
  count.windowStart = start
  count.used = 0
  return true
}

function secondsUntil(time: number, now: number): string {
  return String(Math.max(1, Math.ceil((time - now) / 1000)))
}
