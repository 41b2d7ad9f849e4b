// From a refused WebSocket API answer (`{id, status, error: {code, msg, data?}}`) to the library's
// typed errors. The WS API reports rate limits in the body rather than in headers: a 429 or 418
// carries `error.data.retryAfter` (epoch ms on the server's clock) next to `serverTime`.
import {
  BadRequestError,
  ExchangeError,
  IpBannedError,
  RateLimitedError,
  ServerError,
  type SpotwireError,
} from '../../core/errors.ts'
import type { WsApiResponse } from './schemas/user-data.ts'
import { binanceErrorFromCode } from './web-utils.ts'

/** Wait assumed after a 429 that names no `retryAfter`. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000
/** Ban assumed after a 418 that names no `retryAfter` (Binance's shortest ban is 2 minutes). */
const DEFAULT_BAN_MS = 120_000

/**
 * How long the exchange asked us to wait, measured on its own clock (`retryAfter − serverTime`)
 * so that a skewed local clock does not stretch or shorten the wait. Undefined when not given.
 */
function serverRequestedWaitMs(response: WsApiResponse, nowMs: number): number | undefined {
  const data = response.error?.data
  if (data?.retryAfter === undefined) return undefined
  return Math.max(0, data.retryAfter - (data.serverTime ?? nowMs))
}

/**
 * The typed error for a WS API answer whose status is not 200. `what` names the request in the
 * message (never its parameters: they hold the key and the signature).
 *
 * @example
 * wsApiResponseError({ id: 1, status: 400, error: { code: -1022, msg: 'Signature …' } }, 'userDataStream.subscribe.signature', Date.now())
 * // InvalidSignatureError with exchangeCode -1022
 */
export function wsApiResponseError(response: WsApiResponse, what: string, nowMs: number): SpotwireError {
  const { status, error } = response
  const summary = `status ${status}${error ? `: ${error.code} ${error.msg}` : ''}`
  if (status === 418) {
    const bannedMs = serverRequestedWaitMs(response, nowMs) ?? DEFAULT_BAN_MS
    return new IpBannedError(`${what}: the exchange has banned this IP for ${Math.ceil(bannedMs / 1000)} s (${summary})`, {
      httpStatus: status,
      bannedUntil: nowMs + bannedMs,
    })
  }
  if (status === 429) {
    const retryAfterMs = serverRequestedWaitMs(response, nowMs) ?? DEFAULT_RATE_LIMIT_WAIT_MS
    return new RateLimitedError(`${what}: rate limited by the exchange, retry after ${retryAfterMs} ms (${summary})`, {
      httpStatus: status,
      retryAfterMs,
    })
  }
  if (status >= 500) {
    return new ServerError(`${what}: the exchange failed (${summary})`, { httpStatus: status })
  }
  const text = `${what} was refused (${summary})`
  const mapped = error ? binanceErrorFromCode(error, { description: what, httpStatus: status }) : undefined
  if (mapped) return mapped
  const options = { httpStatus: status, ...(error ? { exchangeCode: error.code, exchangeMessage: error.msg } : {}) }
  return status === 400 ? new BadRequestError(text, options) : new ExchangeError(text, options)
}
