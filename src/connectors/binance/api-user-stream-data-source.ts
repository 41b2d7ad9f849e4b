// Binance's private stream (the recipe's BinanceAPIUserStreamDataSource) in its two forms:
//
// - 'wsApiSignature' (binance.com, testnet; listen keys were retired there on 2026-02-20): connect to
//   the WebSocket API and, on every (re)connect, send `userDataStream.subscribe.signature`; events
//   arrive wrapped as `{subscriptionId, event}`, next to the answers to our own requests.
// - 'listenKey' (Binance.US): create a listen key over REST, read `<ws>/ws/<listenKey>`, refresh the
//   key every 30 minutes, replace it when a refresh fails or it expires, close it on stop.
//
// The core base supplies the socket supervisor (backoff, liveness watchdog), the event queue and the
// error channel; this file says where to connect, how to subscribe and how to read a message.
import { type Clock, sleep, systemClock } from '../../core/clock.ts'
import {
  InvalidInputError,
  IpBannedError,
  RateLimitedError,
  RequestTimeoutError,
  SocketClosedError,
  SpotwireError,
} from '../../core/errors.ts'
import {
  UserStreamDataSource,
  type UserStreamSocketOptions,
} from '../../core/exchange/user-stream-data-source.ts'
import { registerSecret } from '../../core/redact.ts'
import type { RequestParamValue } from '../../core/web/auth.ts'
import type { RequestLimiter, RestAssistant } from '../../core/web/rest-assistant.ts'
import type { WebSocketFactory, WsConnection } from '../../core/web/ws-connection.ts'
import { signWsApiParams } from './auth.ts'
import { type BinanceDomain, type BinanceUrls, LIMIT_IDS, USER_STREAM_MODE } from './constants.ts'
import { ListenKey } from './listen-key.ts'
import { parsePayload } from './schemas/parse.ts'
import {
  type BinanceUserStreamEvent,
  BinanceUserStreamEventSchema,
  DELIVERED_EVENT_TYPES,
  EventStreamTerminatedSchema,
  ExternalLockUpdateSchema,
  ListenKeyExpiredSchema,
  ServerShutdownSchema,
  UserDataSubscribeResultSchema,
  UserStreamEnvelopeSchema,
  UserStreamEventTypeSchema,
  type WsApiResponse,
  WsApiResponseSchema,
} from './schemas/user-data.ts'
import { wsApiResponseError } from './ws-api-errors.ts'

/** How a domain delivers user data: `USER_STREAM_MODE[domain]`. */
export type BinanceUserStreamMode = (typeof USER_STREAM_MODE)[BinanceDomain]

/**
 * Signs WS API parameters: receives `{ apiKey }` and returns them with `timestamp` and `signature`
 * added by the WS API rules (every parameter but `signature`, sorted, no percent-encoding).
 */
export type WsApiParamsSigner = (
  params: Readonly<Record<string, RequestParamValue>>,
) => Readonly<Record<string, RequestParamValue>> | Promise<Readonly<Record<string, RequestParamValue>>>

/** Optional fields accept `undefined`, so an exchange can pass its own optional settings straight through. */
export interface BinanceUserStreamOptions {
  /** `USER_STREAM_MODE[domain]`: 'wsApiSignature' (com, testnet) or 'listenKey' (us). */
  readonly mode: BinanceUserStreamMode
  /** `wsApi` is used as is (WS API mode); `ws` gets `/ws/<listenKey>` appended (listen-key mode). */
  readonly urls: Pick<BinanceUrls, 'ws' | 'wsApi'>
  readonly apiKey: string
  /** WS API mode: the secret that signs the subscribe request, unless `signWsPayload` is given. */
  readonly apiSecret?: string | undefined
  /** WS API mode: signs the subscribe request instead of `apiSecret` + `now` (e.g. the connector's auth). */
  readonly signWsPayload?: WsApiParamsSigner | undefined
  /** The timestamp of signed requests, epoch ms; pass the time synchronizer's. Default `clock.now`. */
  readonly now?: (() => number) | undefined
  /** Listen-key mode (required there): REST assistant with `baseUrl` = `urls.rest`. */
  readonly rest?: RestAssistant | undefined
  /** The connector's throttler: WS API connects and subscribes draw from it, and hear 429s and 418s. */
  readonly limiter?: RequestLimiter | undefined
  /** Creates the WebSocket (tests, a relay). Default: the platform's, through isows. */
  readonly socketFactory?: WebSocketFactory | undefined
  /** Supervisor settings (liveness timeout, backoff, …) over this source's defaults. */
  readonly socket?: UserStreamSocketOptions | undefined
  readonly clock?: Clock | undefined
  /** Also receives everything on the `error` event. */
  readonly onError?: ((error: Error) => void) | undefined
  /** How long the subscribe answer may take. Default 10 000 ms. */
  readonly responseTimeoutMs?: number | undefined
  /** Listen-key keep-alive period. Default 30 minutes. */
  readonly listenKeyRefreshMs?: number | undefined
}

const SOURCE = 'binance user stream'
const SUBSCRIBE_METHOD = 'userDataStream.subscribe.signature'
const DEFAULT_RESPONSE_TIMEOUT_MS = 10_000
const LISTEN_KEY_REFRESH_MS = 30 * 60_000
/** Binance cuts every connection at 24 h; rolling a little earlier avoids a gap at a time of its choosing. */
const MAX_CONNECTION_AGE_MS = 23 * 60 * 60_000 + 30 * 60_000

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The Binance user stream. Construct it in the exchange's `createUserStreamDataSource()`; the base
 * starts, stops and reads it.
 *
 * @example
 * const stream = new BinanceApiUserStreamDataSource({
 *   mode: USER_STREAM_MODE[domain], urls, apiKey, apiSecret, now: () => timeSynchronizer.now(), rest,
 * })
 * stream.start(signal)
 * for await (const event of stream) if (event.e === 'executionReport') handle(event)
 */
export class BinanceApiUserStreamDataSource extends UserStreamDataSource<BinanceUserStreamEvent> {
  readonly name = 'binance'
  readonly mode: BinanceUserStreamMode
  readonly #urls: Pick<BinanceUrls, 'ws' | 'wsApi'>
  readonly #apiKey: string
  readonly #sign: WsApiParamsSigner | undefined
  readonly #limiter: RequestLimiter | undefined
  readonly #listenKey: ListenKey | undefined
  readonly #responseTimeoutMs: number
  /** Ends waits and requests of the current run; replaced on stop so that a later start runs afresh. */
  #lifetime = new AbortController()
  #requestCount = 0
  #subscriptionId: number | undefined
  /** Epoch ms before which no connection is attempted (after a 429 or 418 from the WS API). */
  #notBefore = 0
  /** A listen-key connection was attempted and has not opened yet. */
  #awaitingOpen = false
  /** Epoch ms a listen-key socket last opened; 0 before the first (or after stop). */
  #listenKeyOpenedAt = 0

  constructor(options: BinanceUserStreamOptions) {
    const clock = options.clock ?? systemClock
    super({
      clock,
      socket: {
        maxConnectionAgeMs: MAX_CONNECTION_AGE_MS,
        ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
        ...options.socket,
      },
    })
    registerSecret(options.apiKey)
    registerSecret(options.apiSecret)
    this.mode = options.mode
    this.#urls = options.urls
    this.#apiKey = options.apiKey
    this.#limiter = options.limiter
    this.#responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS
    if (options.onError) this.on('error', options.onError)
    if (options.mode === 'listenKey') {
      if (!options.rest) throw new InvalidInputError('binance user stream: listen-key mode needs a REST assistant (`rest`)')
      this.#listenKey = new ListenKey({ rest: options.rest, apiKey: options.apiKey, clock })
      this.registerKeepAlive({
        name: 'listen key',
        intervalMs: options.listenKeyRefreshMs ?? LISTEN_KEY_REFRESH_MS,
        run: async (signal) => {
          const replaced = await this.#listenKey?.refreshOrReplace(signal, (error) =>
            this.#report('the listen key keep-alive failed; replacing the key', error),
          )
          if (replaced) this.reconnect()
        },
      })
    } else {
      const { apiSecret, signWsPayload } = options
      const now = options.now ?? (() => clock.now())
      if (signWsPayload) this.#sign = signWsPayload
      else if (apiSecret) this.#sign = (params) => signWsApiParams(apiSecret, { ...params, timestamp: now() })
      else throw new InvalidInputError('binance user stream: WS API mode needs `apiSecret` or `signWsPayload`')
    }
  }

  /**
   * As the base's, and in listen-key mode also the moment a `/ws/<listenKey>` socket opened: such a
   * stream has no handshake reply (a quiet account sends nothing at all), and the socket opening
   * on a key the exchange just issued is what the WS API's subscribe reply is in the other mode.
   */
  override get lastReceivedAt(): number {
    return Math.max(super.lastReceivedAt, this.#listenKeyOpenedAt)
  }

  /** The id of the current WS API subscription; undefined while not subscribed or in listen-key mode. */
  get subscriptionId(): number | undefined {
    return this.#subscriptionId
  }

  /**
   * Closes the socket and the keep-alive; in listen-key mode also closes the key on the exchange.
   * Resolves when that is done (never rejects); the socket and timers are gone at once.
   */
  override stop(): Promise<void> {
    super.stop()
    this.#lifetime.abort()
    this.#lifetime = new AbortController()
    this.#subscriptionId = undefined
    this.#notBefore = 0
    this.#awaitingOpen = false
    this.#listenKeyOpenedAt = 0
    return this.#listenKey?.close((error) => this.#report('could not close the listen key', error)) ?? Promise.resolve()
  }

  protected async streamUrl(): Promise<string> {
    const signal = this.#lifetime.signal
    const waitMs = this.#notBefore - this.clock.now()
    if (waitMs > 0) await sleep(waitMs, signal)
    if (!this.#listenKey) {
      await this.#limiter?.acquire(LIMIT_IDS.wsApiConnect, { signal })
      return this.#urls.wsApi
    }
    // The last attempt never opened, or the key went unrefreshed for an hour: it may be dead.
    if (this.#awaitingOpen || this.#listenKey.mayHaveLapsed) {
      await this.#listenKey.verify(signal, (error) =>
        this.#report('the listen key could not be refreshed before reconnecting; replacing it', error),
      )
    }
    const key = await this.#listenKey.obtain(signal)
    this.#awaitingOpen = true
    return `${this.#urls.ws.replace(/\/+$/, '')}/ws/${key}`
  }

  protected async authenticate(connection: WsConnection, signal: AbortSignal): Promise<void> {
    if (this.#listenKey) {
      this.#awaitingOpen = false
      this.#listenKeyOpenedAt = this.clock.now()
      this.#listenKey.forgetRetired() // the connections that used them are closed
      return
    }
    this.#subscriptionId = undefined
    await this.#limiter?.acquire(LIMIT_IDS.wsApiUserDataSubscribe, { signal })
    const id = this.#nextRequestId()
    const params = await this.#sign?.({ apiKey: this.#apiKey })
    connection.send({ id, method: SUBSCRIBE_METHOD, params })
    const response = await this.#awaitResponse(connection, id, signal)
    if (response.status !== 200) throw this.#refusal(response, SUBSCRIBE_METHOD)
    this.#subscriptionId = parsePayload(UserDataSubscribeResultSchema, response.result, `${SOURCE} ${SUBSCRIBE_METHOD}`).subscriptionId
  }

  protected parseMessage(raw: unknown): BinanceUserStreamEvent | undefined {
    // Empty frames and non-objects carry nothing (Hummingbot skips them the same way).
    if (!isRecord(raw) || Object.keys(raw).length === 0) return undefined
    if ('id' in raw && 'status' in raw) {
      const response = parsePayload(WsApiResponseSchema, raw, `${SOURCE} WS API response`)
      if (response.status !== 200) this.emit('error', this.#refusal(response, 'WS API request'))
      return undefined
    }
    if ('id' in raw && 'result' in raw) return undefined // the stream's reply to our LIST_SUBSCRIPTIONS ping
    const payload = 'event' in raw || 'subscriptionId' in raw ? parsePayload(UserStreamEnvelopeSchema, raw, SOURCE).event : raw
    const { e: type } = parsePayload(UserStreamEventTypeSchema, payload, SOURCE)
    if (DELIVERED_EVENT_TYPES.has(type)) return parsePayload(BinanceUserStreamEventSchema, payload, `${SOURCE} ${type}`)
    if (type === 'eventStreamTerminated') {
      parsePayload(EventStreamTerminatedSchema, payload, `${SOURCE} ${type}`)
      this.#resubscribe()
    } else if (type === 'serverShutdown') {
      // Planned maintenance, not a failure: move to a new connection before the server cuts this one.
      parsePayload(ServerShutdownSchema, payload, `${SOURCE} ${type}`)
      this.reconnect()
    } else if (type === 'listenKeyExpired') {
      this.#replaceExpiredListenKey(parsePayload(ListenKeyExpiredSchema, payload, `${SOURCE} ${type}`).listenKey)
    } else if (type === 'externalLockUpdate') {
      // Validated but not delivered: the outboundAccountPosition that follows carries the balances.
      parsePayload(ExternalLockUpdateSchema, payload, `${SOURCE} ${type}`)
    }
    return undefined // other event types are not ours to handle
  }

  /** Sent after a silence: the WS API's `ping`, or a harmless request on a listen-key stream. */
  protected override sendPing(connection: WsConnection): void {
    const id = this.#nextRequestId()
    connection.send(this.#listenKey ? { method: 'LIST_SUBSCRIPTIONS', id } : { id, method: 'ping' })
  }

  /** Reads until the answer to request `id`; events that come first are delivered, not lost. */
  async #awaitResponse(connection: WsConnection, id: string, signal: AbortSignal): Promise<WsApiResponse> {
    const deadline = this.clock.monotonic() + this.#responseTimeoutMs
    for (;;) {
      const remainingMs = deadline - this.clock.monotonic()
      let raw: unknown
      try {
        if (remainingMs <= 0) throw new RequestTimeoutError('deadline passed')
        raw = await connection.receive({ timeoutMs: remainingMs, signal })
      } catch (error) {
        if (!(error instanceof RequestTimeoutError)) throw error
        throw new RequestTimeoutError(`${SOURCE}: no answer to ${SUBSCRIBE_METHOD} within ${this.#responseTimeoutMs} ms`)
      }
      if (isRecord(raw) && raw['id'] === id) return parsePayload(WsApiResponseSchema, raw, `${SOURCE} ${SUBSCRIBE_METHOD}`)
      this.handleRawMessage(raw)
    }
  }

  /** The typed error for a refused WS API request; rate limits also delay the next connection. */
  #refusal(response: WsApiResponse, what: string): SpotwireError {
    const now = this.clock.now()
    const error = wsApiResponseError(response, `${SOURCE}: ${what}`, now)
    if (error instanceof IpBannedError) {
      this.#notBefore = Math.max(this.#notBefore, error.bannedUntil)
      this.#limiter?.ban?.(error.bannedUntil)
    } else if (error instanceof RateLimitedError && error.retryAfterMs !== undefined) {
      this.#notBefore = Math.max(this.#notBefore, now + error.retryAfterMs)
      this.#limiter?.pause?.('all', now + error.retryAfterMs)
    }
    return error
  }

  #resubscribe(): void {
    this.#subscriptionId = undefined
    this.emit('error', new SocketClosedError(`${SOURCE}: the exchange ended the subscription (eventStreamTerminated); subscribing again`))
    this.reconnect()
  }

  /** listenKeyExpired: the stream is dead; reconnecting asks `streamUrl`, which creates a new key. */
  #replaceExpiredListenKey(expiredKey: string): void {
    const keys = this.#listenKey
    // An old key's notice (after a replacement) says nothing about the key in use.
    if (!keys || keys.current !== expiredKey) return
    keys.retire(expiredKey)
    this.emit('error', new SocketClosedError(`${SOURCE}: the listen key expired; reconnecting with a new one`))
    this.reconnect()
  }

  #nextRequestId(): string {
    this.#requestCount += 1
    return `spotwire-user-stream-${this.#requestCount}`
  }

  #report(what: string, cause: unknown): void {
    this.emit('error', new SpotwireError(`${SOURCE}: ${what}`, { cause }))
  }
}
