// Property: every Binance wire schema, fed mutated copies of Binance's own documented examples,
// returns a valid parsed value or throws PayloadValidationError: never anything else, never a
// polluted Object.prototype. Where a parsed value becomes money (Big), it equals its wire string.
// The conversions after the schemas (exchange info → trading rules, executionReport → fill and
// order update, account position → balances, REST orders and trades → reports) are fuzzed on the
// same inputs.
import fc from 'fast-check'
import type * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { fetchAccountBalances } from '../../src/connectors/binance/exchange-market.ts'
import { orderReport, tradeUpdateFromMyTrade } from '../../src/connectors/binance/exchange-orders.ts'
import { diffMessageFromExchange, snapshotMessageFromExchange, tradeMessageFromExchange } from '../../src/connectors/binance/order-book.ts'
import * as schemas from '../../src/connectors/binance/schemas.ts'
import { balancesFromAccountPosition, executionReportUpdates } from '../../src/connectors/binance/user-stream-events.ts'
import { parseExchangeInfo } from '../../src/connectors/binance/utils.ts'
import { Big } from '../../src/core/decimal.ts'
import { PayloadValidationError } from '../../src/core/errors.ts'
import { readReference } from '../connectors/binance/reference-files.ts'
import { fuzzParameters, mutatedPayload, mutatedPayloadOf, typedOutcome } from './mutations.ts'

/** Runs per schema: enough to hit every mutation kind at most nodes of a small payload. */
const RUNS = 150

const rest = (name: string): unknown => readReference(`rest/${name}`)
const envelopeEvent = (name: string): unknown => (readReference(`user-data/wsapi_envelope_${name}.json`) as { event: unknown }).event

/** Each schema with the documented examples it reads. */
const SCHEMA_SAMPLES: ReadonlyArray<readonly [string, v.GenericSchema, readonly unknown[]]> = [
  ['ErrorBodySchema', schemas.ErrorBodySchema, [rest('error_payload.json'), rest('DELETE_api_v3_order_error_-2011.json')]],
  ['PingResponseSchema', schemas.PingResponseSchema, [rest('GET_api_v3_ping.json')]],
  ['TimeResponseSchema', schemas.TimeResponseSchema, [rest('GET_api_v3_time.json')]],
  ['ExchangeInfoSchema', schemas.ExchangeInfoSchema, [rest('GET_api_v3_exchangeInfo.json')]],
  ['SymbolFilterSchema', schemas.SymbolFilterSchema, ['LOT_SIZE', 'PRICE_FILTER', 'NOTIONAL', 'MIN_NOTIONAL', 'MARKET_LOT_SIZE'].map((name) => readReference(`filters/${name}.json`))],
  ['TickerPriceSchema', schemas.TickerPriceSchema, [rest('GET_api_v3_ticker_price_single.json')]],
  ['TickerPriceListSchema', schemas.TickerPriceListSchema, [rest('GET_api_v3_ticker_price_list.json')]],
  ['Ticker24hrSchema', schemas.Ticker24hrSchema, [rest('GET_api_v3_ticker_24hr_FULL_single.json'), rest('GET_api_v3_ticker_24hr_MINI_single.json')]],
  ['AccountSchema', schemas.AccountSchema, [rest('GET_api_v3_account.json')]],
  ['OrderSchema', schemas.OrderSchema, [rest('GET_api_v3_order.json')]],
  ['OpenOrdersSchema', schemas.OpenOrdersSchema, [rest('GET_api_v3_openOrders.json')]],
  ['CreateOrderResponseSchema', schemas.CreateOrderResponseSchema, ['ACK', 'RESULT', 'FULL'].map((type) => rest(`POST_api_v3_order_${type}.json`))],
  ['CancelOrderSchema', schemas.CancelOrderSchema, [rest('DELETE_api_v3_order.json')]],
  ['MyTradesSchema', schemas.MyTradesSchema, [rest('GET_api_v3_myTrades.json')]],
  ['ListenKeyResponseSchema', schemas.ListenKeyResponseSchema, [rest('POST_api_v3_userDataStream_listenKey__RETIRED.json')]],
  ['DepthSnapshotSchema', schemas.DepthSnapshotSchema, [rest('GET_api_v3_depth.json')]],
  ['DepthUpdateEventSchema', schemas.DepthUpdateEventSchema, [readReference('ws-streams/depthUpdate_diffDepth.json')]],
  ['TradeEventSchema', schemas.TradeEventSchema, [readReference('ws-streams/trade.json')]],
  ['ServerShutdownEventSchema', schemas.ServerShutdownEventSchema, [readReference('ws-streams/serverShutdown_raw.json')]],
  ['CombinedStreamFrameSchema', schemas.CombinedStreamFrameSchema, [readReference('ws-streams/serverShutdown_combined.json')]],
  ['StreamRequestResultSchema', schemas.StreamRequestResultSchema, [readReference('ws-streams/SUBSCRIBE_response.json')]],
  ['UserStreamEnvelopeSchema', schemas.UserStreamEnvelopeSchema, ['executionReport', 'outboundAccountPosition', 'balanceUpdate'].map((name) => readReference(`user-data/wsapi_envelope_${name}.json`))],
  ['UserStreamEventTypeSchema', schemas.UserStreamEventTypeSchema, [envelopeEvent('executionReport')]],
  [
    'BinanceUserStreamEventSchema',
    schemas.BinanceUserStreamEventSchema,
    ['executionReport', 'outboundAccountPosition', 'balanceUpdate', 'listStatus'].map((name) => readReference(`user-data/legacy_listenKey_${name}.json`)),
  ],
  ['EventStreamTerminatedSchema', schemas.EventStreamTerminatedSchema, [envelopeEvent('eventStreamTerminated')]],
  ['ExternalLockUpdateSchema', schemas.ExternalLockUpdateSchema, [envelopeEvent('externalLockUpdate')]],
  ['ListenKeyExpiredSchema', schemas.ListenKeyExpiredSchema, [readReference('user-data/legacy_listenKey_listenKeyExpired.json')]],
  [
    'WsApiResponseSchema',
    schemas.WsApiResponseSchema,
    ['response_error_-2010_with_rateLimits', 'response_418_ip_banned_-1003', 'response_success_with_rateLimits', 'userDataStream.subscribe_response'].map((name) =>
      readReference(`ws-api/${name}.json`),
    ),
  ],
]

/** Plain decimal text as Binance writes it; the only money text a schema may let through. */
const WIRE_DECIMAL = /^-?\d+(?:\.\d+)?$/

/** `value` as Big, after checking it is wire decimal text (no exponent, NaN or blank). */
function exactMoney(text: string): Big {
  expect(text).toMatch(WIRE_DECIMAL)
  return new Big(text)
}

describe('fuzz: Binance schemas take mutated documented payloads and fail only with PayloadValidationError', () => {
  it.each(SCHEMA_SAMPLES)(`%s (${RUNS} runs)`, (name, schema, samples) => {
    for (const sample of samples) expect(typedOutcome(() => schemas.parsePayload(schema, sample, name)).ok).toBe(true)
    let refused = 0
    fc.assert(
      fc.property(mutatedPayloadOf(samples), (payload) => {
        const outcome = typedOutcome(() => schemas.parsePayload(schema, payload, `fuzz ${name}`), PayloadValidationError)
        if (!outcome.ok) {
          refused += 1
          expect((outcome.error as PayloadValidationError).source).toBe(`fuzz ${name}`)
        }
      }),
      fuzzParameters(RUNS),
    )
    // The mutations bite: a good share of them must be refused (the rest stay valid, e.g. an extra key).
    expect(refused).toBeGreaterThan(RUNS / 5)
  })
})

describe('fuzz: conversions after the schemas turn whatever passed into exact decimals or typed errors', () => {
  it(`exchangeInfo → symbol map and trading rules (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayload(rest('GET_api_v3_exchangeInfo.json')), (payload) => {
        const outcome = typedOutcome(() => parseExchangeInfo(payload))
        if (!outcome.ok) return
        for (const rule of outcome.value.tradingRules.values()) {
          for (const money of [rule.minOrderSize, rule.minPriceIncrement, rule.minBaseAmountIncrement, rule.minNotionalSize]) {
            expect(money).toBeInstanceOf(Big)
            expect(money.gte(0)).toBe(true)
          }
        }
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`executionReport → fill and order update, fill money equal to the wire strings (${RUNS * 2} runs)`, () => {
    const samples = [envelopeEvent('executionReport'), readReference('user-data/legacy_listenKey_executionReport.json')]
    fc.assert(
      fc.property(mutatedPayloadOf(samples), (payload) => {
        const parsed = typedOutcome(() => schemas.parsePayload(schemas.ExecutionReportSchema, payload, 'fuzz'), PayloadValidationError)
        if (!parsed.ok) return
        const report = parsed.value
        const updates = typedOutcome(() => executionReportUpdates(report, 'BTC-USDT'), PayloadValidationError)
        if (!updates.ok || updates.value.trade === undefined) return
        const { trade } = updates.value
        expect(trade.fillPrice.eq(exactMoney(report.L))).toBe(true)
        expect(trade.fillBaseAmount.eq(exactMoney(report.l))).toBe(true)
        expect(trade.fillQuoteAmount.eq(new Big(report.L).times(report.l))).toBe(true)
      }),
      fuzzParameters(RUNS * 2),
    )
  })

  it(`outboundAccountPosition → balances equal to the wire strings (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayload(envelopeEvent('outboundAccountPosition')), (payload) => {
        const parsed = typedOutcome(() => schemas.parsePayload(schemas.OutboundAccountPositionSchema, payload, 'fuzz'), PayloadValidationError)
        if (!parsed.ok) return
        const balances = balancesFromAccountPosition(parsed.value)
        parsed.value.B.forEach((entry, index) => {
          expect(balances[index]?.available.eq(exactMoney(entry.f))).toBe(true)
          expect(balances[index]?.total.eq(exactMoney(entry.f).plus(exactMoney(entry.l)))).toBe(true)
        })
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`REST order and myTrades → reports and fills equal to the wire strings (${RUNS * 2} runs)`, () => {
    fc.assert(
      fc.property(mutatedPayloadOf([rest('GET_api_v3_order.json'), rest('GET_api_v3_myTrades.json')]), (payload) => {
        const order = typedOutcome(() => schemas.parsePayload(schemas.OrderSchema, payload, 'fuzz'), PayloadValidationError)
        if (order.ok) {
          const report = orderReport(order.value, 'BTC-USDT')
          expect(report.price.eq(exactMoney(order.value.price))).toBe(true)
          expect(report.amount.eq(exactMoney(order.value.origQty))).toBe(true)
        }
        const trades = typedOutcome(() => schemas.parsePayload(schemas.MyTradesSchema, payload, 'fuzz'), PayloadValidationError)
        if (trades.ok) {
          for (const trade of trades.value) {
            const fill = tradeUpdateFromMyTrade(trade, 'BTC-USDT')
            expect(fill.fillPrice.eq(exactMoney(trade.price))).toBe(true)
            expect(fill.fillBaseAmount.eq(exactMoney(trade.qty))).toBe(true)
          }
        }
      }),
      fuzzParameters(RUNS * 2),
    )
  })

  it(`GET /api/v3/account → balances equal to the wire strings (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(mutatedPayload(rest('GET_api_v3_account.json')), async (payload) => {
        const fakeRest = { request: async () => payload } as unknown as Parameters<typeof fetchAccountBalances>[0]
        let balances: Awaited<ReturnType<typeof fetchAccountBalances>> | undefined
        try {
          balances = await fetchAccountBalances(fakeRest, new AbortController().signal)
        } catch (error) {
          expect(error).toBeInstanceOf(PayloadValidationError)
        }
        for (const balance of balances ?? []) {
          expect(balance.available).toBeInstanceOf(Big)
          expect(balance.total.gte(balance.available)).toBe(true)
        }
      }),
      fuzzParameters(RUNS),
    )
  })

  it(`depth snapshots, diffs and trades → order-book messages, or a typed error (${RUNS * 3} runs)`, () => {
    const samples = [rest('GET_api_v3_depth.json'), readReference('ws-streams/depthUpdate_diffDepth.json'), readReference('ws-streams/trade.json')]
    fc.assert(
      fc.property(mutatedPayloadOf(samples), (payload) => {
        const snapshot = typedOutcome(() => schemas.parsePayload(schemas.DepthSnapshotSchema, payload, 'fuzz'), PayloadValidationError)
        if (snapshot.ok) typedOutcome(() => snapshotMessageFromExchange(snapshot.value, 'BNB-BTC', 0))
        const diff = typedOutcome(() => schemas.parsePayload(schemas.DepthUpdateEventSchema, payload, 'fuzz'), PayloadValidationError)
        if (diff.ok) typedOutcome(() => diffMessageFromExchange(diff.value, 'BNB-BTC'))
        const trade = typedOutcome(() => schemas.parsePayload(schemas.TradeEventSchema, payload, 'fuzz'), PayloadValidationError)
        if (trade.ok) {
          const message = typedOutcome(() => tradeMessageFromExchange(trade.value, 'BNB-BTC'))
          if (message.ok) expect(exactMoney(trade.value.p).gte(0)).toBe(true)
        }
      }),
      fuzzParameters(RUNS * 3),
    )
  })
})
