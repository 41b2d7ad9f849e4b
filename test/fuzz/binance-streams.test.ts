// Property: the Binance data sources' message handlers, fed mutated frames (as parseWsMessage hands
// them over: JSON when the text parses, the text otherwise), never throw out of the handler; every
// frame they cannot use is reported on the error channel as a typed error (PayloadValidationError
// for a payload), and nothing half-parsed reaches the book or the event queue.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BinanceApiUserStreamDataSource } from '../../src/connectors/binance/api-user-stream-data-source.ts'
import { findMessageProblem, type OrderBookMessage } from '../../src/core/order-book/order-book-message.ts'
import { parseWsMessage } from '../../src/core/web/ws-connection.ts'
import { binanceMarket } from '../connectors/binance/market-data-helpers.ts'
import { readReference } from '../connectors/binance/reference-files.ts'
import { API_KEY, API_SECRET, URLS } from '../connectors/binance/user-stream-helpers.ts'
import { expectPrototypeUntouched, expectTypedChain, fuzzParameters, mutatedPayloadOf } from './mutations.ts'

const RUNS = 300

/** The reference frames with the symbol the test market follows (BNBBTC → BNB-BTC). */
function publicFrames(): unknown[] {
  const diff = { ...(readReference('ws-streams/depthUpdate_diffDepth.json') as object), s: 'BNBBTC' }
  const trade = { ...(readReference('ws-streams/trade.json') as object), s: 'BNBBTC' }
  return [
    diff,
    trade,
    { stream: 'bnbbtc@depth@100ms', data: diff },
    { stream: 'bnbbtc@trade', data: trade },
    readReference('ws-streams/serverShutdown_combined.json'),
    readReference('ws-streams/SUBSCRIBE_response.json'),
  ]
}

function userFrames(): unknown[] {
  const names = ['executionReport', 'outboundAccountPosition', 'balanceUpdate', 'listStatus', 'externalLockUpdate']
  return [
    ...names.map((name) => readReference(`user-data/wsapi_envelope_${name}.json`)),
    ...['executionReport', 'outboundAccountPosition', 'balanceUpdate'].map((name) => readReference(`user-data/legacy_listenKey_${name}.json`)),
    readReference('ws-api/response_error_-2010_with_rateLimits.json'),
    readReference('ws-api/response_418_ip_banned_-1003.json'),
    readReference('ws-api/userDataStream.subscribe_response.json'),
  ]
}

/** A frame as the socket delivers it: sometimes as text, read by parseWsMessage. */
function asDelivered(payload: unknown, asText: boolean): unknown {
  return asText && typeof payload !== 'string' ? parseWsMessage(JSON.stringify(payload) ?? '') : payload
}

describe('fuzz: Binance stream handlers report mutated frames on the error channel and never throw', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it(`order-book data source: listen for order book diffs / trades: logs exception (${RUNS} runs)`, () => {
    const market = binanceMarket()
    const delivered: OrderBookMessage[] = []
    market.source.attach({ handleMessage: (message) => void delivered.push(message) })
    fc.assert(
      fc.property(mutatedPayloadOf(publicFrames()), fc.boolean(), (payload, asText) => {
        const errorsBefore = market.errors.length
        const deliveredBefore = delivered.length
        expect(() => market.source.handleRawMessage(asDelivered(payload, asText))).not.toThrow()
        expectPrototypeUntouched()
        for (const error of market.errors.slice(errorsBefore)) expectTypedChain(error)
        // What reached the sink is a whole, valid message; a frame is delivered or reported, not both.
        for (const message of delivered.slice(deliveredBefore)) expect(findMessageProblem(message)).toBeUndefined()
        if (market.errors.length > errorsBefore) expect(delivered.length).toBe(deliveredBefore)
      }),
      fuzzParameters(RUNS),
    )
    expect(market.errors.length).toBeGreaterThan(RUNS / 5)
    market.stop()
  })

  it(`user stream data source: listen for user stream: logs exception (${RUNS} runs)`, () => {
    const errors: Error[] = []
    const stream = new BinanceApiUserStreamDataSource({
      mode: 'wsApiSignature',
      urls: URLS,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      onError: (error) => void errors.push(error),
    })
    fc.assert(
      fc.property(mutatedPayloadOf(userFrames()), fc.boolean(), (payload, asText) => {
        const before = errors.length
        expect(() => stream.handleRawMessage(asDelivered(payload, asText))).not.toThrow()
        expectPrototypeUntouched()
        for (const error of errors.slice(before)) expectTypedChain(error)
      }),
      fuzzParameters(RUNS),
    )
    expect(errors.length).toBeGreaterThan(RUNS / 5)
    void stream.stop()
  })
})
