// One WS API connection: parses each request frame, charges its weight, checks signed requests,
// runs the method and answers `{id, status, result | error, rateLimits}` (web-socket-api.md). It
// also carries the connection's user data subscriptions, whose events go out as
// `{subscriptionId, event}` envelopes.
import type { SeededRandom, SimulatedExchange } from '../engine/index.ts'
import type { RateLimiter } from '../rest/rate-limits.ts'
import { type BinanceError, REST_ERRORS, RestFailure, mandatoryParameter } from '../rest/rest-errors.ts'
import type { SimulatorCredentials } from '../rest/signed-request.ts'
import { followTestAccount } from '../user-data/index.ts'
import { type UserDataSubscriptions, type WsApiMethod, WS_API_METHODS } from './methods.ts'
import { verifyWsApiSignature } from './ws-api-signing.ts'
import { WsApiParams } from './ws-params.ts'

/** One user data event as the WS API sends it (user-data/wsapi_envelope_*.json). */
export interface UserDataEnvelope {
  readonly subscriptionId: number
  readonly event: object
}

/** The transport, whatever it is (Node `ws`, workerd WebSocket, a test array). */
export interface WsApiSocket {
  send(text: string): void
  close(code?: number, reason?: string): void
}

export interface WsApiSessionOptions {
  readonly exchange: SimulatedExchange
  readonly credentials: SimulatorCredentials
  readonly now: () => number
  /** Shared by every connection: Binance counts WS API weight per IP and orders per account. */
  readonly limiter: RateLimiter
  readonly idRandom: SeededRandom
}

type RequestId = string | number | null

/** errors.md has no dedicated code for an unknown method; -1020 is its "not supported" answer. */
const UNSUPPORTED_METHOD: BinanceError = { code: -1020, msg: 'This operation is not supported.' }
const INVALID_JSON: BinanceError = { code: -1135, msg: 'Invalid JSON Request' }
/** The weight limiter's key: the simulator cannot tell clients apart, so all share one "IP". */
const CLIENT_KEY = 'ws-api'

export class WsApiSession implements UserDataSubscriptions {
  /** Each subscription's way to stop following the test account. */
  private readonly subscriptions = new Map<number, () => void>()
  private nextSubscriptionId = 0
  /** Events raised while a request runs wait here so the request's own reply goes out first. */
  private heldEnvelopes: UserDataEnvelope[] | undefined
  private isOpen = true

  constructor(
    private readonly socket: WsApiSocket,
    private readonly options: WsApiSessionOptions,
  ) {}

  receive(text: string): void {
    if (!this.isOpen) return
    const now = this.options.now()
    let request: { id: RequestId; method: unknown; params: unknown }
    try {
      request = parseRequest(text)
    } catch {
      this.send({ id: null, status: 400, error: INVALID_JSON, rateLimits: this.rateLimits(false, now) })
      return
    }
    this.heldEnvelopes = []
    try {
      this.answer(request, now)
    } finally {
      const held = this.heldEnvelopes
      this.heldEnvelopes = undefined
      for (const envelope of held) this.send(envelope)
    }
  }

  closed(): void {
    this.isOpen = false
    this.end([...this.subscriptions.keys()])
  }

  subscribe(): number {
    const subscriptionId = this.nextSubscriptionId
    this.nextSubscriptionId += 1
    const stop = followTestAccount(this.options.exchange, (event) => this.deliver({ subscriptionId, event }))
    this.subscriptions.set(subscriptionId, stop)
    return subscriptionId
  }

  /**
   * Each subscription it ends gets `eventStreamTerminated` (user-data/
   * wsapi_envelope_eventStreamTerminated.json), held like any event until the reply has gone out.
   */
  unsubscribe(subscriptionId: number | undefined): boolean {
    if (subscriptionId !== undefined && !this.subscriptions.has(subscriptionId)) return false
    const ended = subscriptionId === undefined ? [...this.subscriptions.keys()] : [subscriptionId]
    this.end(ended)
    const eventTime = this.options.now()
    for (const id of ended) this.deliver({ subscriptionId: id, event: { e: 'eventStreamTerminated', E: eventTime } })
    return true
  }

  private answer(request: { id: RequestId; method: unknown; params: unknown }, now: number): void {
    const { id } = request
    const method = typeof request.method === 'string' ? WS_API_METHODS[request.method] : undefined
    const placesOrder = method?.placesOrder ?? false
    try {
      if (typeof request.method !== 'string' || request.method === '') throw new RestFailure(mandatoryParameter('method'))
      if (!method) throw new RestFailure(UNSUPPORTED_METHOD)
      const params = new WsApiParams(request.params)
      this.options.limiter.chargeWeight(CLIENT_KEY, method.weight(params), now)
      const result = this.run(method, params, now)
      this.send({ id, status: 200, result, rateLimits: this.rateLimits(placesOrder, now) })
    } catch (error) {
      // A simulator bug must not take the adapter's socket loop down; Binance answers such cases 5XX -1000.
      const failure = error instanceof RestFailure ? error : new RestFailure(REST_ERRORS.unknown, 500)
      this.send({ id, status: failure.status, error: this.errorBody(failure, now), rateLimits: this.rateLimits(placesOrder, now) })
    }
  }

  private run(method: WsApiMethod, params: WsApiParams, now: number): unknown {
    const { exchange, credentials, limiter, idRandom } = this.options
    if (method.signed) verifyWsApiSignature(params, credentials, now)
    if (method.placesOrder) limiter.checkOrderAllowed(exchange.testAccountId, now)
    const result = method.handle({ params, exchange, now, idRandom, subscriptions: this })
    if (method.placesOrder) limiter.countOrder(exchange.testAccountId, now)
    return result
  }

  /** 429 and 418 carry `data.retryAfter` in epoch milliseconds, where REST has a Retry-After header. */
  private errorBody(failure: RestFailure, now: number): object {
    const retryAfterSeconds = failure.headers['Retry-After']
    if (retryAfterSeconds === undefined) return { code: failure.error.code, msg: failure.error.msg }
    return { code: failure.error.code, msg: failure.error.msg, data: { serverTime: now, retryAfter: now + Number(retryAfterSeconds) * 1000 } }
  }

  /** The `rateLimits` array: ORDERS counts first for order requests, then REQUEST_WEIGHT, as Binance lists them. */
  private rateLimits(withOrders: boolean, now: number): object[] {
    const { limiter, exchange } = this.options
    const weight = { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limiter.requestWeightPerMinute, count: limiter.usedWeight(CLIENT_KEY, now) }
    if (!withOrders) return [weight]
    const counts = limiter.orderCountHeaders(exchange.testAccountId, now)
    return [
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limiter.ordersPer10Seconds, count: Number(counts['X-MBX-ORDER-COUNT-10S']) },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: limiter.ordersPerDay, count: Number(counts['X-MBX-ORDER-COUNT-1D']) },
      weight,
    ]
  }

  private end(subscriptionIds: readonly number[]): void {
    for (const id of subscriptionIds) {
      this.subscriptions.get(id)?.()
      this.subscriptions.delete(id)
    }
  }

  private deliver(envelope: UserDataEnvelope): void {
    if (this.heldEnvelopes) this.heldEnvelopes.push(envelope)
    else this.send(envelope)
  }

  private send(message: object): void {
    if (this.isOpen) this.socket.send(JSON.stringify(message))
  }
}

/** A request object; anything that is not JSON or not an object throws. */
function parseRequest(text: string): { id: RequestId; method: unknown; params: unknown } {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new RestFailure(REST_ERRORS.unknown)
  const { id, method, params } = parsed as Record<string, unknown>
  const requestId: RequestId = typeof id === 'string' || typeof id === 'number' ? id : null
  return { id: requestId, method, params }
}
