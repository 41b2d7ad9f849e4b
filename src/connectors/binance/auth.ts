import { hmacSha256Hex } from '../../core/web/hmac.ts'

/** A request parameter value as Binance accepts it on the wire. */
export type BinanceParamValue = string | number | boolean

/**
 * The string a REST request signs: parameters in the order given, `key=value` joined by `&`,
 * each key and value percent-encoded as UTF-8 (Binance's docs require non-ASCII values to be
 * encoded before signing, and the signed string must equal the query that is sent).
 */
export function restSignaturePayload(params: ReadonlyArray<readonly [string, BinanceParamValue]>): string {
  return params
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&')
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
