// The user data schemas against every recorded Binance payload in /work/shared/reference/binance
// (user-data/, the WS API answers, the listen-key answer), plus what they must refuse, and the
// mapping of refused WS API answers to typed errors. A missing reference file fails the test.
import { readdirSync, readFileSync } from 'node:fs'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { parsePayload } from '../../../src/connectors/binance/schemas/parse.ts'
import {
  BalanceUpdateSchema,
  BinanceUserStreamEventSchema,
  DELIVERED_EVENT_TYPES,
  EventStreamTerminatedSchema,
  ExecutionReportSchema,
  ExternalLockUpdateSchema,
  ListenKeyExpiredSchema,
  ListenKeyResponseSchema,
  ListStatusSchema,
  OutboundAccountPositionSchema,
  ServerShutdownSchema,
  UserDataSubscribeResultSchema,
  UserStreamEnvelopeSchema,
  UserStreamEventTypeSchema,
  WsApiResponseSchema,
} from '../../../src/connectors/binance/schemas/user-data.ts'
import { wsApiResponseError } from '../../../src/connectors/binance/ws-api-errors.ts'
import {
  BadRequestError,
  ExchangeError,
  InvalidSignatureError,
  IpBannedError,
  PayloadValidationError,
  RateLimitedError,
  ServerError,
  TimestampOutsideWindowError,
} from '../../../src/core/errors.ts'
import { REDACTED } from '../../../src/core/redact.ts'
import { readReference, REFERENCE_DIR, referenceEvent } from './user-stream-helpers.ts'

const EVENT_SCHEMAS: Record<string, v.GenericSchema> = {
  executionReport: ExecutionReportSchema,
  outboundAccountPosition: OutboundAccountPositionSchema,
  balanceUpdate: BalanceUpdateSchema,
  listStatus: ListStatusSchema,
  eventStreamTerminated: EventStreamTerminatedSchema,
  externalLockUpdate: ExternalLockUpdateSchema,
  listenKeyExpired: ListenKeyExpiredSchema,
  serverShutdown: ServerShutdownSchema,
}

/** Parses an event (bare or enveloped) with the schema its `e` names; returns the parsed event. */
function parseAnyEvent(raw: unknown, source: string): { e: string } {
  const envelope = v.is(v.object({ event: v.unknown() }), raw)
  const payload = envelope ? parsePayload(UserStreamEnvelopeSchema, raw, source).event : raw
  const { e } = parsePayload(UserStreamEventTypeSchema, payload, source)
  const schema = EVENT_SCHEMAS[e]
  if (!schema) throw new Error(`${source}: no schema for event type ${e}`)
  return parsePayload(schema, payload, source) as { e: string }
}

/** JSON with `//` comments (the annotated copies): comments outside strings removed. */
function parseJsonc(text: string): unknown {
  let out = ''
  let inString = false
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]
    if (inString) {
      out += char
      if (char === '\\') out += text[++index] ?? ''
      else if (char === '"') inString = false
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index += 1
      out += '\n'
    } else {
      if (char === '"') inString = true
      out += char
    }
  }
  return JSON.parse(out) as unknown
}

describe('binance user data schemas', () => {
  const userDataFiles = readdirSync(new URL('user-data/', REFERENCE_DIR)).filter((name) => name.endsWith('.json'))
  const annotatedFiles = readdirSync(new URL('user-data/', REFERENCE_DIR)).filter((name) => name.endsWith('.annotated.jsonc'))

  it('finds every recorded user data payload', () => {
    expect(userDataFiles).toHaveLength(11)
    expect(annotatedFiles).toHaveLength(11)
  })

  it.each(annotatedFiles)('parses the annotated copy user-data/%s', (name) => {
    const raw = parseJsonc(readFileSync(new URL(`user-data/${name}`, REFERENCE_DIR), 'utf8'))
    expect(raw).toEqual(readReference(`user-data/${name.replace('.annotated.jsonc', '.json')}`))
    expect(parseAnyEvent(raw, name)).toBeDefined()
  })

  it.each(userDataFiles)('parses user-data/%s', (name) => {
    const raw = readReference(`user-data/${name}`) as Record<string, unknown>
    const event = parseAnyEvent(raw, name)
    const expected = (name.startsWith('wsapi_envelope_') ? raw['event'] : raw) as { e: string }
    expect(event).toEqual(expected) // nothing dropped, decimals still strings
    if (DELIVERED_EVENT_TYPES.has(event.e)) expect(v.parse(BinanceUserStreamEventSchema, expected)).toEqual(expected)
  })

  it('parses the WS API event envelope recorded with the WS API docs', () => {
    const event = parseAnyEvent(readReference('ws-api/event_envelope_outboundAccountPosition.json'), 'ws-api envelope')
    expect(event).toMatchObject({ e: 'outboundAccountPosition', B: [{ a: 'BTC', f: '11818.00000000', l: '182.00000000' }, { a: 'USDT' }] })
  })

  it('reads serverShutdown bare (a raw stream) and wrapped without a subscription id (the WS API)', () => {
    const raw = readReference('ws-streams/serverShutdown_raw.json')
    expect(parseAnyEvent(raw, 'raw')).toEqual(raw)
    expect(parseAnyEvent({ event: raw }, 'ws api')).toEqual(raw)
  })

  it('reads the subscribe answer and its subscription id', () => {
    const response = parsePayload(WsApiResponseSchema, readReference('ws-api/userDataStream.subscribe_response.json'), 'subscribe')
    expect(response.status).toBe(200)
    expect(parsePayload(UserDataSubscribeResultSchema, response.result, 'subscribe')).toEqual({ subscriptionId: 0 })
  })

  it.each(['response_418_ip_banned_-1003.json', 'response_error_-2010_with_rateLimits.json', 'response_success_with_rateLimits.json'])(
    'reads the WS API answer ws-api/%s',
    (name) => {
      const raw = readReference(`ws-api/${name}`) as Record<string, unknown>
      expect(parsePayload(WsApiResponseSchema, raw, name)).toEqual(raw)
    },
  )

  it('reads the listen key answer', () => {
    const raw = readReference('rest/POST_api_v3_userDataStream_listenKey__RETIRED.json')
    expect(parsePayload(ListenKeyResponseSchema, raw, 'POST')).toEqual(raw)
  })

  it('keeps conditional executionReport fields optional and accepts fields it does not know', () => {
    const { P, F, g, r, I, w, m, M, O, Q, W, V, v: preventedMatchId, ...required } = referenceEvent('executionReport')
    expect([P, F, g, r, I, w, m, M, O, Q, W, V, preventedMatchId].every((field) => field !== undefined)).toBe(true)
    expect(v.parse(ExecutionReportSchema, required)).toEqual(required)
    expect(v.parse(ExecutionReportSchema, { ...required, eR: 'STP', newField: 1, N: 'BNB', n: '0.001' })).toMatchObject({ eR: 'STP', N: 'BNB' })
  })

  it.each([
    ['a number where a decimal string belongs', { q: 1 }],
    ['a decimal string that is not a number', { p: '1e-8' }],
    ['an unknown side', { S: 'HOLD' }],
    ['a fractional order id', { i: 1.5 }],
    ['a missing client order id', { c: undefined }],
  ])('refuses an executionReport with %s', (_what, change) => {
    const event = { ...referenceEvent('executionReport'), ...change }
    expect(() => parsePayload(ExecutionReportSchema, event, 'test')).toThrow(PayloadValidationError)
  })

  it('refuses balances written as numbers and envelopes with a malformed subscription id', () => {
    const account = referenceEvent('outboundAccountPosition')
    expect(v.is(OutboundAccountPositionSchema, { ...account, B: [{ a: 'ETH', f: 1, l: '0' }] })).toBe(false)
    expect(v.is(UserStreamEnvelopeSchema, { subscriptionId: '0', event: account })).toBe(false)
    expect(v.is(BalanceUpdateSchema, { ...referenceEvent('balanceUpdate'), d: '-0.5' })).toBe(true)
  })

  it('a refused payload carries the payload with its secrets removed', () => {
    const error = (() => {
      try {
        parsePayload(ListenKeyExpiredSchema, { e: 'listenKeyExpired', E: 'soon', listenKey: 'a-listen-key-value' }, 'stream')
      } catch (thrown) {
        return thrown
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect((error as PayloadValidationError).payload).toMatchObject({ listenKey: REDACTED })
  })
})

describe('binance WS API error answers', () => {
  const NOW = 1_700_000_000_000
  const answer = (status: number, code?: number, data?: object) => ({
    id: 'request-1',
    status,
    ...(code === undefined ? {} : { error: { code, msg: `code ${code}`, ...(data ? { data } : {}) } }),
  })

  it.each([
    [answer(400, -1021), TimestampOutsideWindowError],
    [answer(400, -1022), InvalidSignatureError],
    [answer(401, -2015), InvalidSignatureError],
    [answer(401, -2014), InvalidSignatureError],
    [answer(400, -1100), BadRequestError],
    [answer(403), ExchangeError],
    [answer(503, -1008), ServerError],
  ])('maps %j', (response, type) => {
    const error = wsApiResponseError(response, 'subscribe', NOW)
    expect(error).toBeInstanceOf(type)
    if (error instanceof ExchangeError) expect(error.httpStatus).toBe(response.status)
  })

  it('takes the wait of a 429 and the end of a 418 from the answer, on the server clock', () => {
    const limited = wsApiResponseError(answer(429, -1003, { serverTime: 5_000, retryAfter: 65_000 }), 'subscribe', NOW)
    expect(limited).toBeInstanceOf(RateLimitedError)
    expect((limited as RateLimitedError).retryAfterMs).toBe(60_000)
    const banned = wsApiResponseError(answer(418, -1003, { retryAfter: NOW + 300_000 }), 'subscribe', NOW)
    expect((banned as IpBannedError).bannedUntil).toBe(NOW + 300_000)
  })

  it('assumes a short wait when a 429 or 418 names none', () => {
    expect((wsApiResponseError(answer(429, -1003), 'x', NOW) as RateLimitedError).retryAfterMs).toBe(1_000)
    expect((wsApiResponseError(answer(418, -1003), 'x', NOW) as IpBannedError).bannedUntil).toBe(NOW + 120_000)
  })
})
