import { afterEach, describe, expect, it } from 'vitest'
import {
  BadRequestError,
  ExchangeError,
  FilterFailureError,
  InsufficientFundsError,
  InvalidInputError,
  InvalidSignatureError,
  IpBannedError,
  NetworkError,
  OrderNotFoundError,
  PayloadValidationError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SocketClosedError,
  SpotwireError,
  TimestampOutsideWindowError,
  UnknownRateLimitError,
  asError,
  isRetrySafe,
} from '../../src/core/errors.ts'
import { REDACTED, forgetSecret, registerSecret } from '../../src/core/redact.ts'

describe('errors', () => {
  afterEach(() => forgetSecret('super-secret-value'))

  it('puts every network failure in the retry-safe family and every exchange refusal outside it', () => {
    const network = [
      new RequestTimeoutError('timed out'),
      new ServerError('502', { httpStatus: 502 }),
      new SocketClosedError('closed', { closeCode: 1006 }),
      new RateLimitedError('slow down', { httpStatus: 429, retryAfterMs: 3000 }),
      new IpBannedError('banned', { httpStatus: 418, bannedUntil: 1_700_000_000_000 }),
    ]
    const exchange = [
      new BadRequestError('bad'),
      new InvalidSignatureError('sig'),
      new TimestampOutsideWindowError('time'),
      new InsufficientFundsError('funds'),
      new OrderNotFoundError('gone'),
      new FilterFailureError('LOT_SIZE'),
    ]
    for (const error of network) {
      expect(error).toBeInstanceOf(NetworkError)
      expect(error).toBeInstanceOf(SpotwireError)
      expect(isRetrySafe(error)).toBe(true)
    }
    for (const error of exchange) {
      expect(error).toBeInstanceOf(ExchangeError)
      expect(error).toBeInstanceOf(SpotwireError)
      expect(isRetrySafe(error)).toBe(false)
    }
    expect(isRetrySafe(new InvalidInputError('no'))).toBe(false)
    expect(isRetrySafe(new Error('plain'))).toBe(false)
  })

  it('keeps the exchange code, message and HTTP status', () => {
    const error = new InsufficientFundsError('Order rejected: insufficient balance', {
      exchangeCode: -2010,
      exchangeMessage: 'Account has insufficient balance for requested action.',
      httpStatus: 400,
    })
    expect(error.name).toBe('InsufficientFundsError')
    expect(error.exchangeCode).toBe(-2010)
    expect(error.exchangeMessage).toBe('Account has insufficient balance for requested action.')
    expect(error.httpStatus).toBe(400)
  })

  it('keeps retry hints on rate limits, bans and closed sockets', () => {
    expect(new RateLimitedError('x', { retryAfterMs: 1500 }).retryAfterMs).toBe(1500)
    expect(new IpBannedError('x', { bannedUntil: 42 }).bannedUntil).toBe(42)
    expect(new SocketClosedError('x', { closeCode: 1001 }).closeCode).toBe(1001)
    expect(new ServerError('x', { httpStatus: 503 }).httpStatus).toBe(503)
  })

  it('chains causes and walks to the deepest or the first match', () => {
    const root = new RateLimitedError('429', { retryAfterMs: 10 })
    const middle = new NetworkError('request failed', { cause: root })
    const top = new SpotwireError('could not place order', { cause: middle, details: 'BTC-USDT' })
    expect(top.cause).toBe(middle)
    expect(top.walk()).toBe(root)
    expect(top.walk((error) => error instanceof RateLimitedError)).toBe(root)
    expect(top.walk((error) => error instanceof InvalidInputError)).toBeUndefined()
    expect(top.message).toBe('could not place order\n\nDetails: BTC-USDT')
    expect(top.shortMessage).toBe('could not place order')
    expect(new SpotwireError('alone').walk()).toBeInstanceOf(SpotwireError)
  })

  it('walks a plain cause that is not an Error', () => {
    const error = new SpotwireError('top', { cause: 'a string cause' })
    expect(error.walk()).toBe('a string cause')
  })

  it('redacts messages, details and exchange messages', () => {
    registerSecret('super-secret-value')
    const error = new BadRequestError('failed GET /x?signature=abcdef0123&apiKey=super-secret-value', {
      details: 'secret super-secret-value',
      exchangeMessage: 'echo super-secret-value',
    })
    expect(error.message).not.toContain('super-secret-value')
    expect(error.message).not.toContain('abcdef0123')
    expect(error.details).toBe(`secret ${REDACTED}`)
    expect(error.exchangeMessage).toBe(`echo ${REDACTED}`)
  })

  it('attaches the failing payload, redacted, to a validation error', () => {
    const error = new PayloadValidationError('stream btcusdt@depth', { listenKey: 'abcdefgh', b: 'x' })
    expect(error.source).toBe('stream btcusdt@depth')
    expect(error.payload).toEqual({ listenKey: REDACTED, b: 'x' })
    expect(error.message).toBe('Unexpected payload from stream btcusdt@depth')
  })

  it('names the unknown rate limit', () => {
    const error = new UnknownRateLimitError('api/v3/unknown')
    expect(error.limitId).toBe('api/v3/unknown')
    expect(error.message).toContain("'api/v3/unknown'")
  })

  it('turns anything thrown into an Error', () => {
    const error = new Error('e')
    expect(asError(error)).toBe(error)
    expect(asError('boom')).toBeInstanceOf(SpotwireError)
    expect(asError('boom').message).toBe('boom')
  })
})
