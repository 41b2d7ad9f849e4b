// How a request is signed, without naming an exchange. The REST assistant calls `authenticateRest`
// only for signed requests, right before the request leaves (after any rate-limit wait, so the
// timestamp inside the signature is fresh). WebSocket login and per-request signing are built by the
// data sources from `signWsPayload`, because every exchange shapes those messages differently
// (Binance WS API params, an OKX `login` op, a Bybit `auth` op).

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A query, form or WebSocket parameter value as exchanges accept it on the wire. */
export type RequestParamValue = string | number | boolean

/** Parameters in the order they are sent; order matters to exchanges that sign the query string. */
export type RequestParamEntries = ReadonlyArray<readonly [string, RequestParamValue]>

/** The request as it would be sent unsigned: everything an authenticator needs to sign it. */
export interface UnsignedRestRequest {
  readonly method: HttpMethod
  /** Absolute URL without the query string, e.g. `https://api.binance.com/api/v3/order`. */
  readonly url: string
  /** Query parameters in the order given by the caller (undefined values already dropped). */
  readonly params: RequestParamEntries
  /** `params` encoded by `encodeQuery`, without the leading `?` ('' when there are none). */
  readonly query: string
  /** The serialized body (JSON or form text), or undefined when there is none. */
  readonly body: string | undefined
  readonly headers: Readonly<Record<string, string>>
}

/** What to send instead of the unsigned parts. A part left out is sent unchanged. */
export interface SignedRestParts {
  /** The whole query string without `?`, sent verbatim (it must be byte-for-byte what was signed). */
  readonly query?: string
  /** The whole body, sent verbatim. */
  readonly body?: string
  /** Headers added to the request (a name already present is replaced). */
  readonly headers?: Readonly<Record<string, string>>
}

/** Signs REST requests. */
export interface RestAuthenticator {
  /**
   * Returns the signed parts of one request. Called once per attempt, so a retried GET is signed
   * again with a new timestamp.
   *
   * @example
   * // Binance: timestamp added, HMAC of the query appended last, key in a header
   * authenticateRest({ method: 'GET', url, params: [['symbol', 'BTCUSDT']], query: 'symbol=BTCUSDT', body: undefined, headers: {} })
   * // { query: 'symbol=BTCUSDT&timestamp=…&signature=…', headers: { 'X-MBX-APIKEY': apiKey } }
   */
  authenticateRest(request: UnsignedRestRequest): SignedRestParts | Promise<SignedRestParts>
}

/** Signs WebSocket payloads: login messages or the parameters of one WS API request. */
export interface WsAuthenticator {
  /**
   * Returns the payload with the exchange's authentication fields added (api key, timestamp,
   * signature, …). The caller wraps the result in the exchange's message envelope.
   *
   * @example
   * // Binance WS API
   * await auth.signWsPayload({ symbol: 'BTCUSDT' }) // { symbol, apiKey, timestamp, signature }
   */
  signWsPayload(
    payload: Readonly<Record<string, RequestParamValue>>,
  ): Record<string, RequestParamValue> | Promise<Record<string, RequestParamValue>>
}

/** A connector's auth: REST signing always, WebSocket signing where the exchange has private streams. */
export interface Authenticator extends RestAuthenticator, Partial<WsAuthenticator> {}

/**
 * Encodes parameters the way the REST assistant sends them: `key=value` pairs joined by `&`, in the
 * order given, each part percent-encoded as UTF-8 (`encodeURIComponent`, so a space is `%20`).
 * Authenticators that sign the query string must sign exactly this text.
 *
 * @example
 * encodeQuery([['symbol', 'BTCUSDT'], ['limit', 5]]) // 'symbol=BTCUSDT&limit=5'
 */
export function encodeQuery(params: RequestParamEntries): string {
  return params.map(([key, value]) => `${encodeQueryPart(key)}=${encodeQueryPart(String(value))}`).join('&')
}

/** Characters `encodeURIComponent` leaves as they are (it also keeps `!*'()`, which it is left to handle). */
const UNRESERVED_TEXT = /^[\w.~-]*$/

/** `encodeURIComponent(text)`, without the call for the common text that needs no escaping (symbols, decimals, ids). */
function encodeQueryPart(text: string): string {
  return UNRESERVED_TEXT.test(text) ? text : encodeURIComponent(text)
}
