// Property: the parsers of error answers (REST error bodies, WS API replies), the edge's order
// request readers, the simulator's fault spec and the core's own inputs (order book rows, saved
// order states, buy/sell arguments), fed mutated real payloads, return a value or a typed error:
// never another throw, never a polluted Object.prototype.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as schemas from '../../src/connectors/binance/schemas.ts'
import { binanceErrorFromCode, mapBinanceError } from '../../src/connectors/binance/web-utils.ts'
import { wsApiResponseError } from '../../src/connectors/binance/ws-api-errors.ts'
import { Big } from '../../src/core/decimal.ts'
import { ExchangeError, InvalidInputError, NetworkError, PayloadValidationError, SpotwireError } from '../../src/core/errors.ts'
import { parseOrderRequest } from '../../src/core/exchange/order-placement.ts'
import { OrderBook } from '../../src/core/order-book/order-book.ts'
import { InFlightOrder } from '../../src/core/orders/in-flight-order.ts'
import { OrderTracker } from '../../src/core/orders/order-tracker.ts'
import { describeResponseBody, httpFailureError, parseResponseBody, parseRetryAfterMs, readExchangeErrorFields } from '../../src/core/web/rest-errors.ts'
import { NewOrderRequestSchema, OrderReferenceSchema, validateRequest } from '../../src/edge/orders/order-schemas.ts'
import { parseJsonObject } from '../../src/edge/orders/json-body.ts'
import { readBoundedBody } from '../../src/edge/orders/request-body.ts'
import { InvalidFaultError, parseFaultSpec } from '../../src/sim/faults/fault-spec.ts'
import { readReference } from '../connectors/binance/reference-files.ts'
import { expectPrototypeUntouched, fuzzParameters, mutatedPayload, mutatedPayloadOf, typedOutcome } from './mutations.ts'

const RUNS = 200

const restErrorBodies = [
  'error_payload.json',
  'DELETE_api_v3_order_error_-2011.json',
  'DELETE_api_v3_order_error_-1145.json',
  'POST_api_v3_order_cancelReplace_error_-2021_newOrderFailed.json',
].map((name) => readReference(`rest/${name}`))

const wsApiReplies = ['response_error_-2010_with_rateLimits', 'response_418_ip_banned_-1003', 'response_success_with_rateLimits'].map((name) =>
  readReference(`ws-api/${name}.json`),
)

describe('fuzz: REST error bodies and WS API replies become typed errors', () => {
  it(`REST: body text → parsed body → fields, description, Binance mapping and the HTTP failure error (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayloadOf(restErrorBodies), fc.constantFrom(400, 401, 403, 404, 409, 418, 429, 500, 503), fc.option(fc.string()), (payload, status, retryAfter) => {
        const text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? '')
        const body = typedOutcome(() => parseResponseBody(text))
        if (!body.ok) return
        typedOutcome(() => readExchangeErrorFields(body.value))
        const description = typedOutcome(() => describeResponseBody(body.value))
        if (description.ok) expect(typeof description.value).toBe('string')
        const wait = typedOutcome(() => parseRetryAfterMs(retryAfter, 1_700_000_000_000))
        if (wait.ok && wait.value !== undefined) expect(Number.isFinite(wait.value) && wait.value >= 0).toBe(true)
        const request = { method: 'POST' as const, path: '/v3/order', limitId: 'x' }
        const mapped = typedOutcome(() => mapBinanceError(status, body.value, request as never))
        if (mapped.ok && mapped.value !== undefined) expect(mapped.value).toBeInstanceOf(SpotwireError)
        const failure = { status, headers: new Headers(retryAfter === null ? {} : { 'retry-after': retryAfter.replace(/[^\x20-\x7e]/g, '') }), body: body.value, description: 'POST /v3/order', receivedAt: 1 }
        const error = typedOutcome(() => httpFailureError(failure, { rateLimitedMs: 1_000, bannedMs: 60_000 }, () => (mapped.ok ? mapped.value : undefined)))
        if (error.ok) {
          expect(error.value).toBeInstanceOf(SpotwireError)
          expect(error.value instanceof NetworkError || error.value instanceof ExchangeError || error.value instanceof SpotwireError).toBe(true)
        }
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`REST: Binance {code, msg} that passed its schema → a typed error keeping the code (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayloadOf(restErrorBodies), (payload) => {
        const body = typedOutcome(() => schemas.parsePayload(schemas.ErrorBodySchema, payload, 'fuzz'), PayloadValidationError)
        if (!body.ok) return
        const error = typedOutcome(() => binanceErrorFromCode(body.value, { description: 'POST /v3/order', httpStatus: 400 }))
        if (error.ok && error.value instanceof ExchangeError) expect(error.value.exchangeCode).toBe(body.value.code)
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`WS API: a reply that passed its schema → a typed error for its status (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayloadOf(wsApiReplies), (payload) => {
        const reply = typedOutcome(() => schemas.parsePayload(schemas.WsApiResponseSchema, payload, 'fuzz'), PayloadValidationError)
        if (!reply.ok) return
        const error = typedOutcome(() => wsApiResponseError(reply.value, 'order.place', 1_700_000_000_000))
        if (error.ok) expect(error.value).toBeInstanceOf(SpotwireError)
      }),
      fuzzParameters(RUNS),
    )
  })
})

describe("fuzz: the edge's order request readers answer a result, never throw", () => {
  const order = { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.01', price: '30000', clientOrderId: 'edge-1' }

  it(`POST /v1/orders and the order reference schemas (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayloadOf([order, { clientOrderId: 'edge-1', tradingPair: 'BTC-USDT' }]), (payload) => {
        for (const schema of [NewOrderRequestSchema, OrderReferenceSchema]) {
          const result = typedOutcome(() => validateRequest(schema, payload))
          expect(result.ok).toBe(true)
          if (result.ok && result.value.ok && schema === NewOrderRequestSchema) {
            const value = result.value.value as { amount: string; price?: string }
            expect(new Big(value.amount).gt(0)).toBe(true)
            expect(value.amount).toMatch(/^\d+(?:\.\d+)?$/)
          }
          if (result.ok && !result.value.ok) expect(result.value.message).toMatch(/^Invalid request: /)
        }
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`the strict JSON body reader answers a result for any text, and what it accepts is a plain object (${RUNS} runs)`, () => {
    const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
    fc.assert(
      fc.property(fc.oneof(mutatedPayload(order).map(asText), fc.string({ maxLength: 64 }), fc.constantFrom('{"__proto__":{"x":1}}', '{"a":1,"\\u0061":2}')), (text) => {
        const result = typedOutcome(() => parseJsonObject(text))
        expect(result.ok).toBe(true)
        if (result.ok && result.value.ok) {
          const body = result.value.value
          expect(typeof body === 'object' && body !== null && !Array.isArray(body)).toBe(true)
          expect(Object.keys(body)).not.toContain('__proto__')
        }
        expectPrototypeUntouched()
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`the bounded body reader takes any bytes (${RUNS / 2} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 256 }), mutatedPayload(order).map((value) => new TextEncoder().encode(JSON.stringify(value) ?? ''))), async (bytes) => {
        const request = new Request('https://edge.test/v1/orders', { method: 'POST', body: bytes })
        const text = await readBoundedBody(request, 128)
        if (bytes.byteLength > 128) expect(text).toBeUndefined()
        else expect(typeof text).toBe('string')
        expectPrototypeUntouched()
      }),
      fuzzParameters(RUNS / 2),
    )
  })
})

describe("fuzz: the simulator's fault spec", () => {
  it(`parseFaultSpec returns a spec or throws InvalidFaultError (${RUNS} runs)`, () => {
    const specs = [
      { kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute', count: 2 },
      { kind: 'delayFrames', ms: 500 },
      { kind: 'clockSkew', ms: -1_000 },
      { kind: 'dropSockets', sockets: 'all' },
    ]
    fc.assert(
      fc.property(mutatedPayloadOf(specs), (payload) => {
        typedOutcome(() => parseFaultSpec(payload), InvalidFaultError)
      }),
      fuzzParameters(RUNS),
    )
  })
})

describe("fuzz: the core's own inputs", () => {
  const snapshot = readReference('rest/GET_api_v3_depth.json') as { bids: unknown[]; asks: unknown[]; lastUpdateId: number }

  it(`OrderBook.applySnapshot / applyDiffs: a bad row throws InvalidInputError and leaves the book as it was (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayload(snapshot), fc.boolean(), (payload, asDiff) => {
        const book = new OrderBook()
        book.applySnapshot([['100', '1']], [['101', '2']], 1)
        const before = JSON.stringify([book.bids(50), book.asks(50), book.lastUpdateId])
        const rows = payload as { bids?: never; asks?: never; lastUpdateId?: never } | null
        const apply = () =>
          asDiff ? book.applyDiffs(rows?.bids as never, rows?.asks as never, 2) : book.applySnapshot(rows?.bids as never, rows?.asks as never, (rows?.lastUpdateId ?? 2) as never)
        const outcome = typedOutcome(apply, InvalidInputError)
        if (!outcome.ok) expect(JSON.stringify([book.bids(50), book.asks(50), book.lastUpdateId])).toBe(before)
        for (const row of [...book.bids(50), ...book.asks(50)]) {
          expect(row.price > 0 && Number.isFinite(row.price)).toBe(true)
          expect(row.amount > 0 && Number.isFinite(row.amount)).toBe(true)
        }
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`restoreTrackingStates: a saved order that cannot be read is reported as InvalidInputError, never thrown (${RUNS} runs)`, () => {
    const saved = new InFlightOrder({
      clientOrderId: 'x-1',
      tradingPair: 'BTC-USDT',
      orderType: 'LIMIT',
      tradeType: 'BUY',
      amount: '0.01',
      price: '30000',
      creationTimestamp: 1,
      exchangeOrderId: '28',
      initialState: 'OPEN',
    }).toJSON()
    fc.assert(
      fc.property(mutatedPayload({ 'x-1': saved }), (states) => {
        const errors: unknown[] = []
        const tracker = new OrderTracker({ events: { emit: (name, payload) => void (name === 'error' && errors.push(payload)) } })
        const outcome = typedOutcome(() => tracker.restoreTrackingStates(states as never), InvalidInputError)
        if (outcome.ok) for (const error of errors) expect(error).toBeInstanceOf(SpotwireError)
        for (const order of tracker.activeOrders.values()) {
          expect(order.amount).toBeInstanceOf(Big)
          expect(order.amount.gte(0)).toBe(true)
        }
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`buy / sell arguments: an order request or InvalidInputError, amounts exact (${RUNS * 2} runs)`, () => {
    const args = ['BTC-USDT', '0.01', 'LIMIT', '30000.5']
    fc.assert(
      fc.property(mutatedPayload(args), fc.constantFrom('BUY', 'SELL'), (mutated, side) => {
        const [pair, amount, type, price] = Array.isArray(mutated) ? mutated : [mutated]
        const outcome = typedOutcome(() => parseOrderRequest(side as 'BUY', pair as string, amount as string, type, price as string), InvalidInputError)
        if (!outcome.ok) return
        expect(outcome.value.amount.gt(0)).toBe(true)
        if (typeof amount === 'string') expect(outcome.value.amount.eq(new Big(amount.trim()))).toBe(true)
        if (outcome.value.price !== undefined) expect(outcome.value.price.gt(0)).toBe(true)
      }),
      fuzzParameters(RUNS * 2),
    )
  })
})
