// Property: a running Binance exchange, fed mutated user-stream events about one of its own orders
// and mutated public frames, keeps running: every problem arrives on its `error` event as a typed
// error (causes included), balances stay exact decimals, and no order request is sent for a frame.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Big } from '../../src/core/decimal.ts'
import { executionReport, PAIR, settle, startedBinanceExchange, useFakeClock } from '../connectors/binance/exchange-helpers.ts'
import { readReference } from '../connectors/binance/reference-files.ts'
import { expectPrototypeUntouched, expectTypedChain, fuzzParameters, mutatedPayloadOf } from './mutations.ts'

const RUNS = 80

describe('fuzz: a running Binance exchange takes mutated stream frames on its error event', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  it(`user stream and public stream frames (${RUNS} runs)`, async () => {
    const harness = await startedBinanceExchange()
    const { exchange, sockets, events, rest } = harness
    const id = exchange.buy(PAIR, '0.02', 'LIMIT', '30000')
    await settle()
    const fill = executionReport({ c: id, x: 'TRADE', X: 'PARTIALLY_FILLED', i: 28, l: '0.01', L: '30000.00', z: '0.01', t: 7, n: '0.00001', N: 'BTC' })
    const position = (readReference('user-data/wsapi_envelope_outboundAccountPosition.json') as { event: unknown }).event
    const diff = { ...(readReference('ws-streams/depthUpdate_diffDepth.json') as object), s: 'BTCUSDT' }
    const trade = { ...(readReference('ws-streams/trade.json') as object), s: 'BTCUSDT' }
    const frames = mutatedPayloadOf([fill, position, { stream: 'btcusdt@depth@100ms', data: diff }, { stream: 'btcusdt@trade', data: trade }])
    const requestsBefore = rest.requests.length
    await fc.assert(
      fc.asyncProperty(frames, fc.boolean(), async (frame, onUserStream) => {
        const errorsBefore = events.errors().length
        if (onUserStream) sockets.userStream().sayEvent(frame)
        else sockets.publicStream()?.say(frame)
        await settle()
        expectPrototypeUntouched()
        for (const error of events.errors().slice(errorsBefore)) expectTypedChain(error)
        for (const balance of exchange.balances.values()) {
          expect(balance.total).toBeInstanceOf(Big)
          expect(balance.available).toBeInstanceOf(Big)
        }
      }),
      fuzzParameters(RUNS),
    )
    // A frame never makes the exchange place or cancel anything (a book gap may fetch a snapshot).
    const sent = rest.requests.slice(requestsBefore).map((request) => `${request.method} ${new URL(request.url).pathname}`)
    expect(sent.filter((route) => !route.endsWith('/v3/depth'))).toEqual([])
    expect(exchange.ready).toBe(true)
    await exchange.stop()
  })
})
