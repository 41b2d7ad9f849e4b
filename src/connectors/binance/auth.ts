// Binance request signing: the signed-string rules (REST keeps parameter order and percent-encodes;
// the WS API sorts and signs raw UTF-8) and `BinanceAuth`, the connector's Authenticator.
import { InvalidInputError } from '../../core/errors.ts'
import { REDACTED, registerSecret } from '../../core/redact.ts'
import { type Authenticator, encodeQuery, type SignedRestParts, type UnsignedRestRequest } from '../../core/web/auth.ts'
import { createHmacSha256Hex, hmacSha256Hex } from '../../core/web/hmac.ts'
import { DEFAULT_RECV_WINDOW_MS, MAX_RECV_WINDOW_MS } from './constants.ts'

/** A request parameter value as Binance accepts it on the wire. */
export type BinanceParamValue = string | number | boolean

/**
 * The string a REST request signs: parameters in the order given, `key=value` joined by `&`,
 * each key and value percent-encoded as UTF-8 (Binance's docs require non-ASCII values to be
 * encoded before signing, and the signed string must equal the query that is sent).
 */
export function restSignaturePayload(params: ReadonlyArray<readonly [string, BinanceParamValue]>): string {
  // The REST assistant's own encoding, so the signed text is the query sent.
  return encodeQuery(params)
}

/**
 * The string a WebSocket API request signs: every parameter except `signature` (apiKey included),
 * sorted by name, `key=value` joined by `&`, raw UTF-8 with no percent-encoding.
 */
export function wsApiSignaturePayload(params: Readonly<Record<string, BinanceParamValue>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'signature')
    .sort()
    .map((key) => `${key}=${String(params[key])}`)
    .join('&')
}

/**
 * Signs REST parameters and returns the query string to send, signature last.
 *
 * @example
 * signRestQuery(secret, [['symbol', 'LTCBTC'], ['timestamp', 1499827319559]])
 * // 'symbol=LTCBTC&timestamp=1499827319559&signature=…'
 */
export function signRestQuery(
  apiSecret: string,
  params: ReadonlyArray<readonly [string, BinanceParamValue]>,
): string {
  const payload = restSignaturePayload(params)
  return `${payload}&signature=${hmacSha256Hex(apiSecret, payload)}`
}

/**
 * Signs WebSocket API parameters and returns them with `signature` added.
 *
 * @example
 * signWsApiParams(secret, { apiKey, timestamp: 1645423376532 }) // { apiKey, timestamp, signature }
 */
export function signWsApiParams<P extends Readonly<Record<string, BinanceParamValue>>>(
  apiSecret: string,
  params: P,
): P & { signature: string } {
  return { ...params, signature: hmacSha256Hex(apiSecret, wsApiSignaturePayload(params)) }
}

export interface BinanceAuthOptions {
  readonly apiKey: string
  readonly apiSecret: string
  /** The exchange's clock in epoch ms: pass `() => timeSynchronizer.now()`. */
  readonly now: () => number
  /** How long after `timestamp` Binance may still accept a request, ms. Default 5000, at most 60000. */
  readonly recvWindowMs?: number
  /**
   * Where signed POST/PUT/DELETE parameters go. `'query'` (default) sends them in the query string,
   * as the REST assistant does for every method; `'form'` sends them as an
   * `application/x-www-form-urlencoded` body. Binance accepts both and signs the same text.
   */
  readonly signedBodyAs?: 'query' | 'form'
}

/**
 * Binance's request signing for REST and the WebSocket API (HMAC-SHA256 keys).
 *
 * REST: the caller's parameters in their order, then `recvWindow`, then `timestamp` from `now()`,
 * then `signature` over exactly that text; the key goes in `X-MBX-APIKEY`. WS API: the payload plus
 * `apiKey`, `recvWindow` and `timestamp`, signed sorted by name. The key and secret are registered
 * with the redactor at construction, so no error text can carry them.
 *
 * @example
 * const auth = new BinanceAuth({ apiKey, apiSecret, now: () => timeSynchronizer.now() })
 * const rest = createBinanceRestAssistant({ urls, auth, throttler, timeSynchronizer })
 */
export class BinanceAuth implements Authenticator {
  readonly #apiKey: string
  /** HMAC-SHA256 keyed with the secret once (the secret's text is not kept). */
  readonly #sign: (payload: string) => string
  readonly #now: () => number
  readonly #recvWindowMs: number
  readonly #signedBodyAs: 'query' | 'form'

  constructor(options: BinanceAuthOptions) {
    if (!options.apiKey || !options.apiSecret) throw new InvalidInputError('Binance signing needs both an API key and a secret')
    registerSecret(options.apiKey)
    registerSecret(options.apiSecret)
    const recvWindowMs = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS
    if (!(recvWindowMs > 0 && recvWindowMs <= MAX_RECV_WINDOW_MS)) {
      throw new InvalidInputError(`recvWindowMs must be above 0 and at most ${MAX_RECV_WINDOW_MS}, got ${recvWindowMs}`)
    }
    this.#apiKey = options.apiKey
    this.#sign = createHmacSha256Hex(options.apiSecret)
    this.#now = options.now
    this.#recvWindowMs = recvWindowMs
    this.#signedBodyAs = options.signedBodyAs ?? 'query'
  }

  /** The API key, for requests that need it without a signature (listen keys on Binance.US). */
  get apiKey(): string {
    return this.#apiKey
  }

  /**
   * Signs one REST request (called by the RestAssistant right before sending).
   *
   * @example
   * auth.authenticateRest({ method: 'GET', url, params: [['symbol', 'BTCUSDT']], query: 'symbol=BTCUSDT', body: undefined, headers: {} })
   * // { query: 'symbol=BTCUSDT&recvWindow=5000&timestamp=…&signature=…', headers: { 'X-MBX-APIKEY': … } }
   */
  authenticateRest(request: UnsignedRestRequest): SignedRestParts {
    const auth = `recvWindow=${this.#recvWindowMs}&timestamp=${Math.floor(this.#now())}`
    // `request.query` is `encodeQuery(request.params)`, the same text `restSignaturePayload` makes,
    // so it is reused unless parameters this method sets itself must be dropped first.
    const callerQuery = request.params.some(isAuthParam)
      ? restSignaturePayload(request.params.filter((entry) => !isAuthParam(entry)))
      : request.query
    const payload = callerQuery === '' ? auth : `${callerQuery}&${auth}`
    const signed = `${payload}&signature=${this.#sign(payload)}`
    const headers = { 'X-MBX-APIKEY': this.#apiKey }
    // A request that already has a body keeps its parameters in the query: Binance would sign
    // query + body concatenated, and mixing the two buys nothing here.
    if (this.#signedBodyAs === 'form' && request.method !== 'GET' && request.body === undefined) {
      return { query: '', body: signed, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } }
    }
    return { query: signed, headers }
  }

  /**
   * Adds `apiKey`, `recvWindow`, `timestamp` and `signature` to a WebSocket API request's params
   * (e.g. `userDataStream.subscribe.signature`, whose own params are empty).
   *
   * @example
   * const params = auth.signWsPayload({}) // { apiKey, recvWindow: 5000, timestamp, signature }
   */
  signWsPayload(payload: Readonly<Record<string, BinanceParamValue>>): Record<string, BinanceParamValue> {
    const params = { ...payload, apiKey: this.#apiKey, recvWindow: this.#recvWindowMs, timestamp: Math.floor(this.#now()) }
    return { ...params, signature: this.#sign(wsApiSignaturePayload(params)) }
  }

  /** Never shows the key or secret, even to `console.log` or `JSON.stringify`. */
  toJSON(): { apiKey: string } {
    return { apiKey: REDACTED }
  }
}

/** Parameters `authenticateRest` sets itself: a caller's copy is dropped. */
function isAuthParam([key]: readonly [string, BinanceParamValue]): boolean {
  return key === 'signature' || key === 'timestamp' || key === 'recvWindow'
}
