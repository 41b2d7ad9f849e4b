// REST on ky. One attempt runs: pre-processors → rate-limit slot → auth → HTTP call (ky) →
// post-processors (ky's afterResponse) → error mapping and JSON parsing.
//
// The rate-limit wait comes before signing on purpose: a signature carries a timestamp that the
// exchange rejects once it is older than its receive window (Binance: 5 s by default), and a wait
// for capacity can be longer than that.
//
// Retries are this file's policy alone (ky's `retry` is 0): only GET, only for the network family
// (timeout, connection failure, 5xx), never after a 429 or 418, a bounded number of times. A POST
// or DELETE that failed ambiguously is never re-sent here: its outcome is reconciled by the caller.
//
// ky is imported by the first request, not with this module: its import probes `new Request(…)`,
// which under Node loads the whole fetch implementation (~60 ms of a process's start), paid by every
// program that imports a connector even when it sends nothing.
import type { KyInstance } from 'ky'
import { type Clock, sleep, systemClock } from '../clock.ts'
import {
  asError,
  InvalidInputError,
  IpBannedError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
  SpotwireError,
} from '../errors.ts'
import type { RestAuthenticator, SignedRestParts } from './auth.ts'
import { httpFailureError, parseResponseBody, sanitizedCause } from './rest-errors.ts'
import {
  describeRestRequest,
  finalizeRestRequest,
  type OutgoingRestRequest,
  prepareRestRequest,
  type RestRequest,
} from './rest-request.ts'

/**
 * The rate limiter as the assistant uses it (the throttler satisfies this shape; nothing here
 * depends on its module). `untilMs` is wall-clock epoch ms, from the assistant's clock.
 */
export interface RequestLimiter {
  /** Resolves when the limit has capacity for one more request (and counts it). */
  acquire(limitId: string, options?: { readonly signal?: AbortSignal }): Promise<void>
  /** Told after a 429: send nothing on these limits before `untilMs`. */
  pause?(limitIds: readonly string[] | 'all', untilMs: number): void
  /** Told after a 418: the IP is banned until `untilMs`; send nothing at all. */
  ban?(untilMs: number): void
}

/** May return a changed request (time sync, extra params); returning nothing keeps it. */
export type RestPreProcessor = (request: RestRequest) => RestRequest | void | Promise<RestRequest | void>

/**
 * Sees every HTTP answer (status and headers; its body has already been read), e.g. to feed `X-MBX-USED-WEIGHT-1M`
 * to the throttler. A throwing post-processor is reported through `onError`; it never fails the
 * request, since the exchange has already acted on it.
 */
export type RestPostProcessor = (response: Response, request: RestRequest) => void | Promise<void>

/** A connector's mapping from an exchange answer to a typed error; undefined leaves the default. */
export type RestErrorMapper = (status: number, body: unknown, request: RestRequest) => SpotwireError | undefined

export interface RestRetryPolicy {
  /** Retries after the first attempt. Default 2. */
  readonly limit?: number
  /** Delay before the first retry, doubled each time. Default 250 ms. */
  readonly baseDelayMs?: number
  /** Cap on one delay. Default 2000 ms. */
  readonly maxDelayMs?: number
}

export interface RestAssistantOptions {
  /** Prefix for request paths, e.g. `https://api.binance.com/api`. */
  readonly baseUrl?: string
  /** Default: the global fetch. Tests inject one. */
  readonly fetch?: typeof fetch
  readonly auth?: RestAuthenticator
  readonly limiter?: RequestLimiter
  readonly preProcessors?: readonly RestPreProcessor[]
  readonly postProcessors?: readonly RestPostProcessor[]
  /** For answers with status 400–499 other than 418 and 429 (Binance: -1021, -2013, … by code). */
  readonly mapError?: RestErrorMapper
  /** For 2xx answers, for exchanges that report errors inside HTTP 200 (Bybit `retCode`, OKX `code`). */
  readonly mapSuccessBody?: RestErrorMapper
  /** Per-attempt bound on the round trip. Default 10 000 ms. */
  readonly timeoutMs?: number
  readonly retry?: RestRetryPolicy
  /** Which limits a 429 pauses. Default: all of them (Binance's 429 is about the IP's weight). */
  readonly rateLimitScope?: (request: RestRequest) => readonly string[] | 'all'
  /** Wait assumed after a 429 without `Retry-After`. Default 1000 ms. */
  readonly defaultRetryAfterMs?: number
  /** Ban assumed after a 418 without `Retry-After` (Binance's shortest ban). Default 120 000 ms. */
  readonly defaultBanMs?: number
  /** Receives errors that must not fail a request (a throwing post-processor). */
  readonly onError?: (error: Error) => void
  readonly clock?: Clock
  /** Jitter source in [0, 1) for retry delays. Default Math.random. */
  readonly random?: () => number
}

const DEFAULT_TIMEOUT_MS = 10_000

let kyInstance: KyInstance | undefined
let kyLoading: Promise<KyInstance> | undefined

/**
 * Imports ky once (a failed import is tried again by the next request). Requests call it; calling
 * it ahead (tests on fake timers, which cannot wait for a module to load) makes the first request
 * take no longer than the others.
 */
export function loadKy(): Promise<KyInstance> {
  return (kyLoading ??= import('./ky-client.ts').then(
    (module) => (kyInstance = module.default),
    (error: unknown) => {
      kyLoading = undefined
      throw error
    },
  ))
}

/** Whether a failed GET may be tried again: network trouble, but never into a rate limit or ban. */
function isRetryableFailure(error: unknown): boolean {
  return error instanceof NetworkError && !(error instanceof RateLimitedError) && !(error instanceof IpBannedError)
}

/**
 * Sends REST requests through pre-processors, a rate limiter, auth and ky, and turns every failure
 * into a typed error. One instance serves a whole connector.
 *
 * @example
 * const rest = new RestAssistant({ baseUrl: 'https://api.binance.com/api', auth, limiter })
 * const depth = await rest.request({ path: '/v3/depth', params: { symbol: 'BTCUSDT' }, limitId: 'depth' })
 */
export class RestAssistant {
  readonly #options: RestAssistantOptions
  readonly #clock: Clock

  constructor(options: RestAssistantOptions = {}) {
    this.#options = options
    this.#clock = options.clock ?? systemClock
  }

  /**
   * A sibling assistant with some options replaced, e.g. without the time-sync pre-processor for
   * the server-time request itself.
   *
   * @example
   * const unsynced = rest.withOptions({ preProcessors: [] })
   */
  withOptions(overrides: RestAssistantOptions): RestAssistant {
    return new RestAssistant({ ...this.#options, ...overrides })
  }

  /**
   * Sends one request and resolves with its parsed JSON body (or its text when the body is not
   * JSON). Rejects with a `SpotwireError` subclass, or with the signal's reason when aborted.
   *
   * @example
   * await rest.request({ method: 'POST', path: '/v3/order', params, signed: true, limitId: 'order' })
   */
  async request(request: RestRequest): Promise<unknown> {
    const retryLimit = (request.method ?? 'GET') === 'GET' ? (this.#options.retry?.limit ?? 2) : 0
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#attempt(request)
      } catch (error) {
        if (attempt >= retryLimit || request.signal?.aborted || !isRetryableFailure(error)) throw error
        await sleep(this.#retryDelayMs(attempt + 1), request.signal)
      }
    }
  }

  async #attempt(original: RestRequest): Promise<unknown> {
    const { limiter, auth } = this.#options
    original.signal?.throwIfAborted()
    let request = original
    for (const preProcess of this.#options.preProcessors ?? []) request = (await preProcess(request)) ?? request
    const unsigned = prepareRestRequest(request, this.#options.baseUrl)
    if (limiter) {
      if (request.limitId === undefined) {
        throw new InvalidInputError(`${describeRestRequest(unsigned)} names no limitId; every request must`)
      }
      await limiter.acquire(request.limitId, request.signal ? { signal: request.signal } : {})
    }
    let signedParts: SignedRestParts | undefined
    if (request.signed) {
      if (!auth) throw new InvalidInputError(`${describeRestRequest(unsigned)} must be signed, but no API keys were given`)
      signedParts = await auth.authenticateRest(unsigned)
    }
    request.signal?.throwIfAborted()
    return this.#send(request, finalizeRestRequest(unsigned, signedParts))
  }

  async #send(request: RestRequest, outgoing: OutgoingRestRequest): Promise<unknown> {
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    // Our own timer rather than ky's `timeout`: it also bounds reading the body, and fake timers drive it.
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), timeoutMs)
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal
    let status: number
    let headers: Headers
    let text: string
    try {
      const ky = kyInstance ?? (await loadKy())
      const response = await ky(outgoing.url, {
        method: outgoing.method,
        headers: outgoing.headers,
        ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
        signal,
        timeout: false,
        retry: 0,
        throwHttpErrors: false,
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      })
      status = response.status
      headers = response.headers
      text = await response.text()
      // Post-processors run here rather than in ky's afterResponse hook: that hook hands each hook
      // a clone, which tees every body for nothing (they read status and headers) and breaks under
      // happy-dom's fetch. They see the response with its body already read.
      await this.#postProcess(response, request)
    } catch (thrown) {
      if (request.signal?.aborted) throw request.signal.reason
      if (deadline.signal.aborted) {
        throw new RequestTimeoutError(`${outgoing.description}: no complete response within ${timeoutMs} ms`)
      }
      const hidden = [outgoing.url, outgoing.url.split('?')[1] ?? '']
      throw new NetworkError(`${outgoing.description}: the connection failed before a complete answer arrived`, {
        cause: sanitizedCause(thrown, hidden),
      })
    } finally {
      clearTimeout(timer)
    }
    return this.#interpret(request, outgoing, status, headers, text)
  }

  #interpret(request: RestRequest, outgoing: OutgoingRestRequest, status: number, headers: Headers, text: string): unknown {
    const body = parseResponseBody(text)
    if (status < 400) {
      const rejection = this.#options.mapSuccessBody?.(status, body, request)
      if (rejection) throw rejection
      return body
    }
    const error = httpFailureError(
      { status, headers, body, description: outgoing.description, receivedAt: this.#clock.now() },
      { rateLimitedMs: this.#options.defaultRetryAfterMs ?? 1_000, bannedMs: this.#options.defaultBanMs ?? 120_000 },
      () => this.#options.mapError?.(status, body, request),
    )
    // The limiter hears about limits before the caller hears about the failure.
    if (error instanceof IpBannedError) this.#options.limiter?.ban?.(error.bannedUntil)
    else if (error instanceof RateLimitedError) {
      const scope = this.#options.rateLimitScope?.(request) ?? 'all'
      this.#options.limiter?.pause?.(scope, this.#clock.now() + (error.retryAfterMs ?? 0))
    }
    throw error
  }

  async #postProcess(response: Response, request: RestRequest): Promise<void> {
    for (const postProcess of this.#options.postProcessors ?? []) {
      try {
        await postProcess(response, request)
      } catch (thrown) {
        const error = thrown instanceof SpotwireError ? thrown : new SpotwireError('A REST post-processor failed', { cause: asError(thrown) })
        try {
          this.#options.onError?.(error)
        } catch {
          // A failing error handler must not turn a delivered answer into a failure.
        }
      }
    }
  }

  #retryDelayMs(retry: number): number {
    const base = this.#options.retry?.baseDelayMs ?? 250
    const cap = this.#options.retry?.maxDelayMs ?? 2_000
    const delay = Math.min(cap, base * 2 ** (retry - 1))
    // Half fixed, half random: spreads retries from many clients without ever retrying at once.
    return delay / 2 + (delay / 2) * (this.#options.random ?? Math.random)()
  }
}
