// One error base for the whole library (DESIGN.md rule 9, STYLE.md rule 7).
//
//   SpotwireError
//   ├─ NetworkError            retry may be safe: the exchange may not have seen or finished it
//   │  ├─ RequestTimeoutError
//   │  ├─ ServerError           HTTP 5xx: the request's outcome is UNKNOWN
//   │  ├─ SocketClosedError
//   │  ├─ RateLimitedError      HTTP 429, with retryAfterMs
//   │  └─ IpBannedError         HTTP 418, with bannedUntil (epoch ms)
//   ├─ ExchangeError           the exchange answered no: never retry as is
//   │  ├─ BadRequestError
//   │  ├─ InvalidSignatureError
//   │  ├─ TimestampOutsideWindowError
//   │  ├─ InsufficientFundsError
//   │  ├─ OrderNotFoundError
//   │  └─ FilterFailureError
//   ├─ PayloadValidationError  a wire payload failed its schema (raw payload attached, redacted)
//   ├─ InvalidInputError       the caller's input is wrong; nothing was sent
//   └─ UnknownRateLimitError   a request named a rate limit the throttler does not know
//
// Retry decisions look at the class only (`isRetrySafe`). Every message passes the redactor.
import { redact, redactValue } from './redact.ts'

export interface SpotwireErrorOptions {
  /** The error that caused this one; kept as `cause` and reachable through `walk()`. */
  readonly cause?: unknown
  /** Extra context for people (not for code); redacted. */
  readonly details?: string
}

export class SpotwireError extends Error {
  override name = 'SpotwireError'
  /** The message without details or cause, for one-line display. */
  readonly shortMessage: string
  readonly details: string | undefined

  constructor(shortMessage: string, options: SpotwireErrorOptions = {}) {
    const short = redact(shortMessage)
    const details = options.details === undefined ? undefined : redact(options.details)
    super(details ? `${short}\n\nDetails: ${details}` : short, options.cause === undefined ? {} : { cause: options.cause })
    this.shortMessage = short
    this.details = details
  }

  /**
   * Follows the cause chain and returns the deepest error, or the first one `match` accepts.
   *
   * @example
   * error.walk((cause) => cause instanceof RateLimitedError)
   */
  walk(match?: (error: unknown) => boolean): unknown {
    let current: unknown = this
    const seen = new Set<unknown>()
    while (current !== undefined && !seen.has(current)) {
      seen.add(current)
      if (match?.(current)) return current
      const next: unknown = current instanceof Error ? current.cause : undefined
      if (next === undefined) return match ? undefined : current
      current = next
    }
    return match ? undefined : current
  }
}

// ---------------------------------------------------------------------------------------------
// Network family: the request may not have reached the exchange, or its outcome is unknown.

export interface NetworkErrorOptions extends SpotwireErrorOptions {
  readonly httpStatus?: number
}

export class NetworkError extends SpotwireError {
  override name = 'NetworkError'
  readonly httpStatus: number | undefined
  constructor(message: string, options: NetworkErrorOptions = {}) {
    super(message, options)
    this.httpStatus = options.httpStatus
  }
}

export class RequestTimeoutError extends NetworkError {
  override name = 'RequestTimeoutError'
}

/** HTTP 5xx: the exchange may or may not have executed the request (Binance: status UNKNOWN). */
export class ServerError extends NetworkError {
  override name = 'ServerError'
}

export class SocketClosedError extends NetworkError {
  override name = 'SocketClosedError'
  readonly closeCode: number | undefined
  constructor(message: string, options: NetworkErrorOptions & { readonly closeCode?: number } = {}) {
    super(message, options)
    this.closeCode = options.closeCode
  }
}

export class RateLimitedError extends NetworkError {
  override name = 'RateLimitedError'
  /** How long the exchange asked us to wait, in ms (from `Retry-After` or the error payload). */
  readonly retryAfterMs: number | undefined
  constructor(message: string, options: NetworkErrorOptions & { readonly retryAfterMs?: number } = {}) {
    super(message, options)
    this.retryAfterMs = options.retryAfterMs
  }
}

export class IpBannedError extends NetworkError {
  override name = 'IpBannedError'
  /** Epoch ms until which the exchange refuses every request from this IP. */
  readonly bannedUntil: number
  constructor(message: string, options: NetworkErrorOptions & { readonly bannedUntil: number }) {
    super(message, options)
    this.bannedUntil = options.bannedUntil
  }
}

// ---------------------------------------------------------------------------------------------
// Exchange family: the exchange answered and said no.

export interface ExchangeErrorOptions extends SpotwireErrorOptions {
  /** The exchange's own error code (Binance: -2010, -1021, …). */
  readonly exchangeCode?: number | string
  /** The exchange's own message, verbatim (redacted). */
  readonly exchangeMessage?: string
  readonly httpStatus?: number
}

export class ExchangeError extends SpotwireError {
  override name = 'ExchangeError'
  readonly exchangeCode: number | string | undefined
  readonly exchangeMessage: string | undefined
  readonly httpStatus: number | undefined
  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, options)
    this.exchangeCode = options.exchangeCode
    this.exchangeMessage = options.exchangeMessage === undefined ? undefined : redact(options.exchangeMessage)
    this.httpStatus = options.httpStatus
  }
}

export class BadRequestError extends ExchangeError {
  override name = 'BadRequestError'
}
export class InvalidSignatureError extends ExchangeError {
  override name = 'InvalidSignatureError'
}
/** The request's timestamp fell outside the exchange's receive window: resync the clock, retry once. */
export class TimestampOutsideWindowError extends ExchangeError {
  override name = 'TimestampOutsideWindowError'
}
export class InsufficientFundsError extends ExchangeError {
  override name = 'InsufficientFundsError'
}
export class OrderNotFoundError extends ExchangeError {
  override name = 'OrderNotFoundError'
}
/** The order broke one of the exchange's filters (tick size, step size, notional, …). */
export class FilterFailureError extends ExchangeError {
  override name = 'FilterFailureError'
}

// ---------------------------------------------------------------------------------------------
// Neither: our side found the problem.

export class PayloadValidationError extends SpotwireError {
  override name = 'PayloadValidationError'
  /** The payload that failed, with secret fields removed. */
  readonly payload: unknown
  /** Where the payload came from (`GET /api/v3/depth`, `stream btcusdt@depth`, …). */
  readonly source: string
  constructor(source: string, payload: unknown, options: SpotwireErrorOptions = {}) {
    super(`Unexpected payload from ${source}`, options)
    this.source = source
    this.payload = redactValue(payload)
  }
}

export class InvalidInputError extends SpotwireError {
  override name = 'InvalidInputError'
}

export class UnknownRateLimitError extends SpotwireError {
  override name = 'UnknownRateLimitError'
  readonly limitId: string
  constructor(limitId: string) {
    super(`No rate limit is defined for '${limitId}'; every request must name a limit in the connector's constants`)
    this.limitId = limitId
  }
}

/**
 * True when repeating the request could succeed and cannot do harm by itself: the network family.
 * (An order create is never retried even then; see the exchange base.)
 */
export function isRetrySafe(error: unknown): boolean {
  return error instanceof NetworkError
}

/**
 * A short, safe rendering of a caller's bad value for an error message: never throws (BigInt,
 * circular objects, symbols) and never runs past 80 characters.
 *
 * @example
 * describeInput(Number.NaN) // 'NaN'
 */
export function describeInput(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    text = Object.prototype.toString.call(value)
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Turns anything thrown into an Error, for places that must report rather than rethrow. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new SpotwireError(String(thrown))
}
