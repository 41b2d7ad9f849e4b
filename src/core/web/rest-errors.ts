// From an HTTP answer (or its absence) to one of the library's typed errors. Messages name a request
// only as `METHOD /path`: a signed URL carries the signature and sometimes the key, and an HTML error
// page is noise, so neither ever reaches a message.
import {
  BadRequestError,
  ExchangeError,
  IpBannedError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  type SpotwireError,
} from '../errors.ts'
import { redact } from '../redact.ts'

/** Longest excerpt of a response body put in a message. */
const MESSAGE_EXCERPT_LENGTH = 200
/** Longest plain-text body kept as `exchangeMessage`. */
const EXCHANGE_MESSAGE_LENGTH = 500
/** How deep a thrown error's `cause` chain is copied into a sanitized cause. */
const CAUSE_DEPTH = 3

/**
 * The body as JSON when it parses, else the text itself (so `''` stays `''` and `pong` stays `pong`).
 *
 * @example
 * parseResponseBody('{"code":-1121}') // { code: -1121 }
 */
export function parseResponseBody(text: string): unknown {
  if (text === '') return ''
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** True for an HTML document (a proxy's or WAF's error page rather than the exchange's answer). */
export function looksLikeHtml(text: string): boolean {
  return /<(?:!doctype\s+html|html)[\s>]/i.test(text.slice(0, 1024))
}

export interface ExchangeErrorFields {
  readonly code: number | string | undefined
  readonly message: string | undefined
}

/**
 * Reads the exchange's own code and message from the usual body shapes: `{code, msg}` (Binance,
 * OKX), `{code, message}`, `{retCode, retMsg}` (Bybit).
 *
 * @example
 * readExchangeErrorFields({ code: -2013, msg: 'Order does not exist.' }) // { code: -2013, message: 'Order does not exist.' }
 */
export function readExchangeErrorFields(body: unknown): ExchangeErrorFields {
  if (typeof body !== 'object' || body === null) return { code: undefined, message: undefined }
  const fields = body as Record<string, unknown>
  const code = fields['code'] ?? fields['retCode']
  const message = fields['msg'] ?? fields['message'] ?? fields['retMsg']
  return {
    code: typeof code === 'number' || typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
  }
}

/** A short description of a response body for a message: the exchange's code and message if any. */
export function describeResponseBody(body: unknown): string {
  const { code, message } = readExchangeErrorFields(body)
  if (code !== undefined || message !== undefined) return [code, message].filter((part) => part !== undefined).join(' ')
  if (typeof body === 'string') {
    if (body.trim() === '') return 'empty body'
    if (looksLikeHtml(body)) return 'an HTML page, not shown'
    return excerpt(body, MESSAGE_EXCERPT_LENGTH)
  }
  return excerpt(JSON.stringify(body), MESSAGE_EXCERPT_LENGTH)
}

/**
 * Reads `Retry-After`: seconds (what Binance sends) or an HTTP date. Undefined when absent or unreadable.
 *
 * @example
 * parseRetryAfterMs('30', Date.now()) // 30000
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** An HTTP answer with a status of 400 or more, as the assistant read it. */
export interface HttpFailure {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
  /** `METHOD /path` of the request. */
  readonly description: string
  /** Wall-clock time the answer arrived, epoch ms. */
  readonly receivedAt: number
}

export interface HttpErrorDefaults {
  /** Wait assumed after a 429 without a usable `Retry-After`. */
  readonly rateLimitedMs: number
  /** Ban assumed after a 418 without a usable `Retry-After`. */
  readonly bannedMs: number
}

/**
 * The typed error for an HTTP failure. 418, 429 and 5xx are decided here; any other status goes to
 * the connector's mapping first (`mapError`), then to a default that keeps the exchange's fields.
 */
export function httpFailureError(
  failure: HttpFailure,
  defaults: HttpErrorDefaults,
  mapError: () => SpotwireError | undefined,
): SpotwireError {
  const { status, description, body } = failure
  const summary = `HTTP ${status}: ${describeResponseBody(body)}`
  if (status === 418) {
    const bannedMs = parseRetryAfterMs(failure.headers.get('retry-after'), failure.receivedAt) ?? defaults.bannedMs
    return new IpBannedError(`${description}: the exchange has banned this IP for ${Math.ceil(bannedMs / 1000)} s (${summary})`, {
      httpStatus: status,
      bannedUntil: failure.receivedAt + bannedMs,
    })
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(failure.headers.get('retry-after'), failure.receivedAt) ?? defaults.rateLimitedMs
    return new RateLimitedError(`${description}: rate limited by the exchange, retry after ${retryAfterMs} ms (${summary})`, {
      httpStatus: status,
      retryAfterMs,
    })
  }
  if (status >= 500) {
    return new ServerError(`${description}: the exchange failed (${summary}); the request's outcome is unknown`, {
      httpStatus: status,
    })
  }
  const mapped = mapError()
  if (mapped) return mapped
  if (status === 408) {
    return new RequestTimeoutError(`${description}: the exchange timed out waiting for the request (${summary})`, {
      httpStatus: status,
    })
  }
  const { code, message } = readExchangeErrorFields(body)
  const plainText = typeof body === 'string' && body.trim() !== '' && !looksLikeHtml(body) ? body : undefined
  const exchangeMessage = message ?? (plainText === undefined ? undefined : excerpt(plainText, EXCHANGE_MESSAGE_LENGTH))
  const options = {
    httpStatus: status,
    ...(code === undefined ? {} : { exchangeCode: code }),
    ...(exchangeMessage === undefined ? {} : { exchangeMessage }),
  }
  const text = `${description} was rejected (${summary})`
  return status === 400 ? new BadRequestError(text, options) : new ExchangeError(text, options)
}

/**
 * A copy of a thrown error (and its causes) that is safe to attach as `cause`: every occurrence of
 * `hidden` (the signed URL, the query) is replaced and the rest passes the redactor. Platform errors
 * sometimes quote the URL they failed on.
 */
export function sanitizedCause(thrown: unknown, hidden: readonly string[], depth = 0): Error {
  const source = thrown instanceof Error ? thrown : undefined
  let message = source ? source.message : String(thrown)
  for (const text of hidden) if (text !== '') message = message.split(text).join('[request]')
  const inner =
    source?.cause !== undefined && depth < CAUSE_DEPTH ? sanitizedCause(source.cause, hidden, depth + 1) : undefined
  const copy = new Error(redact(message), inner ? { cause: inner } : {})
  copy.name = source?.name ?? 'Error'
  // Keep the platform's error code (ECONNREFUSED, UND_ERR_SOCKET, …): it says what went wrong.
  const code: unknown = source ? (source as Error & { code?: unknown }).code : undefined
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code })
  return copy
}

function excerpt(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= length ? flat : `${flat.slice(0, length)}…`
}
