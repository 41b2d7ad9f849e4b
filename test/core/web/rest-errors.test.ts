import { describe, expect, it } from 'vitest'
import { encodeQuery } from '../../../src/core/web/auth.ts'
import {
  describeResponseBody,
  looksLikeHtml,
  parseResponseBody,
  parseRetryAfterMs,
  readExchangeErrorFields,
  sanitizedCause,
} from '../../../src/core/web/rest-errors.ts'
import { describeWsUrl, parseWsMessage } from '../../../src/core/web/ws-connection.ts'

describe('rest error helpers', () => {
  it('parses JSON bodies and keeps anything else as text', () => {
    expect(parseResponseBody('{"code":-1121,"msg":"Invalid symbol."}')).toEqual({ code: -1121, msg: 'Invalid symbol.' })
    expect(parseResponseBody('[1,2]')).toEqual([1, 2])
    expect(parseResponseBody('Service Unavailable')).toBe('Service Unavailable')
    expect(parseResponseBody('')).toBe('')
  })

  it('reads the exchange code and message from Binance, OKX and Bybit shapes only', () => {
    expect(readExchangeErrorFields({ code: -2013, msg: 'Order does not exist.' })).toEqual({ code: -2013, message: 'Order does not exist.' })
    expect(readExchangeErrorFields({ code: '51008', msg: 'Insufficient balance' })).toEqual({ code: '51008', message: 'Insufficient balance' })
    expect(readExchangeErrorFields({ retCode: 10001, retMsg: 'params error' })).toEqual({ code: 10001, message: 'params error' })
    expect(readExchangeErrorFields({ code: { nested: true }, message: 42 })).toEqual({ code: undefined, message: undefined })
    expect(readExchangeErrorFields('text')).toEqual({ code: undefined, message: undefined })
    expect(readExchangeErrorFields(null)).toEqual({ code: undefined, message: undefined })
  })

  it('describes bodies briefly: code and message, an excerpt, or nothing of an HTML page', () => {
    expect(describeResponseBody({ code: -1003 })).toBe('-1003')
    expect(describeResponseBody('  ')).toBe('empty body')
    expect(describeResponseBody('<HTML><body>Access denied</body></HTML>')).toBe('an HTML page, not shown')
    expect(describeResponseBody({ unexpected: true })).toBe('{"unexpected":true}')
    const long = describeResponseBody('x'.repeat(500))
    expect(long).toHaveLength(201)
    expect(long.endsWith('…')).toBe(true)
    expect(looksLikeHtml('<!doctype html>\n<html>')).toBe(true)
    expect(looksLikeHtml('{"html":"<b>"}')).toBe(false)
  })

  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    expect(parseRetryAfterMs('2', 0)).toBe(2_000)
    expect(parseRetryAfterMs('0.5', 0)).toBe(500)
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000)
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0)
    expect(parseRetryAfterMs(null, 0)).toBeUndefined()
    expect(parseRetryAfterMs(' ', 0)).toBeUndefined()
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined()
  })

  it('copies a thrown value into a cause with the hidden texts replaced and secrets redacted', () => {
    const copy = sanitizedCause('boom https://h/x?signature=abc', ['https://h/x?signature=abc'])
    expect(copy).toMatchObject({ name: 'Error', message: 'boom [request]' })
    const shaped = sanitizedCause(new RangeError('bad value apiKey=k1234567'), [])
    expect(shaped).toMatchObject({ name: 'RangeError', message: 'bad value apiKey=[REDACTED]' })
  })

  it('encodes query parameters in order with encodeURIComponent', () => {
    expect(encodeQuery([['b', 'x y'], ['a', true], ['n', 1.5]])).toBe('b=x%20y&a=true&n=1.5')
    expect(encodeQuery([])).toBe('')
  })
})

describe('ws message helpers', () => {
  it('parses JSON text frames, keeps other text and binary frames as they are', () => {
    expect(parseWsMessage('{"stream":"btcusdt@trade"}')).toEqual({ stream: 'btcusdt@trade' })
    expect(parseWsMessage('')).toBe('')
    const bytes = new ArrayBuffer(2)
    expect(parseWsMessage(bytes)).toBe(bytes)
  })

  it('describes a socket URL without its query, and an unreadable one generically', () => {
    expect(describeWsUrl('wss://stream.binance.com:9443/stream?streams=btcusdt@depth')).toBe('wss://stream.binance.com:9443/stream')
    expect(describeWsUrl('not a url')).toBe('the WebSocket')
  })
})
