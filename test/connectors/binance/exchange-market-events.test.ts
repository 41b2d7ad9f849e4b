// The Binance exchange's market events from real stream frames: book status through a gap and its
// resync, one orderBookUpdate per applied diff with its `u`, public trades with Big price and amount
// and the taker side from `m`, and a count of public socket opens across a drop (scripted Binance,
// fake sockets and timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Big } from '../../../src/core/decimal.ts'
import type { ExchangeEvents, MarketEventName } from '../../../src/core/exchange/exchange-types.ts'
import { jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import { binanceExchange, PAIR, settle, useFakeClock } from './exchange-helpers.ts'
import { depthFrame, tradeFrame } from './market-data-helpers.ts'

const MARKET_EVENTS: readonly MarketEventName[] = ['orderBookStatus', 'orderBookUpdate', 'marketTrade', 'marketStreamConnected']

/** A public-only Binance exchange, started, with every market event recorded from before start. */
async function startedPublicExchange() {
  const harness = binanceExchange({ apiKey: undefined, apiSecret: undefined })
  const recorded: Array<{ name: MarketEventName; payload: unknown }> = []
  for (const name of MARKET_EVENTS) harness.exchange.on(name, (payload: unknown) => void recorded.push({ name, payload }))
  const started = harness.exchange.start()
  await settle()
  await started
  const stream = harness.sockets.publicStream()
  if (!stream) throw new Error('no public stream was opened')
  const of = <Name extends MarketEventName>(name: Name): Array<ExchangeEvents[Name]> =>
    recorded.filter((event) => event.name === name).map((event) => event.payload as ExchangeEvents[Name])
  return { ...harness, recorded, stream, of }
}

describe('Binance exchange: market events', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  it('orderBookStatus and orderBookUpdate: live after the snapshot, each diff gives its u, a gap goes stale and the resync live again', async () => {
    const { exchange, rest, stream, of, events } = await startedPublicExchange()
    expect(of('orderBookStatus')).toEqual([{ tradingPair: PAIR, status: 'live', previous: 'syncing' }])
    expect(of('orderBookUpdate')).toEqual([{ tradingPair: PAIR, updateId: 100 }])

    stream.say(depthFrame('BTCUSDT', 101, 102, [['29995.00', '1']]))
    stream.say(depthFrame('BTCUSDT', 103, 105))
    stream.say(depthFrame('BTCUSDT', 100, 104)) // u at or below the book id: ignored
    await settle()
    expect(of('orderBookUpdate').map((event) => event.updateId)).toEqual([100, 102, 105])

    rest.routes.set('GET /v3/depth', () => jsonResponse(200, { lastUpdateId: 109, bids: [['29991.00', '2']], asks: [['30011.00', '1']] }))
    stream.say(depthFrame('BTCUSDT', 108, 110)) // 106..107 missing
    await settle()
    expect(of('orderBookStatus')).toEqual([
      { tradingPair: PAIR, status: 'live', previous: 'syncing' },
      { tradingPair: PAIR, status: 'stale', previous: 'live' },
      { tradingPair: PAIR, status: 'live', previous: 'stale' },
    ])
    expect(of('orderBookUpdate')).toEqual([
      { tradingPair: PAIR, updateId: 100 },
      { tradingPair: PAIR, updateId: 102 },
      { tradingPair: PAIR, updateId: 105 },
      { tradingPair: PAIR, updateId: 110 }, // the resync's snapshot with the buffered diff replayed
    ])
    expect(exchange.orderBook(PAIR).lastUpdateId).toBe(110)
    expect(events.errors()).toEqual([])
    await exchange.stop()
  })

  it('marketTrade: a @trade frame gives Big price and amount, the trade id and time, and the taker side from m', async () => {
    const { exchange, stream, of, events } = await startedPublicExchange()
    stream.say(tradeFrame('BTCUSDT', 12345, '30000.01000000', '0.50000000', true)) // buyer is maker: taker sold
    stream.say(tradeFrame('BTCUSDT', 12346, '30000.02', '0.00100000', false))
    await settle()
    const trades = of('marketTrade')
    expect(trades).toEqual([
      {
        tradingPair: PAIR,
        tradeId: '12345',
        price: expect.any(Big),
        amount: expect.any(Big),
        timestamp: 1_699_999_999_999,
        takerSide: 'SELL',
      },
      expect.objectContaining({ tradeId: '12346', takerSide: 'BUY' }),
    ])
    expect(trades.map((trade) => [trade.price.toFixed(), trade.amount.toFixed()])).toEqual([
      ['30000.01', '0.5'],
      ['30000.02', '0.001'],
    ])
    expect(exchange.orderBook(PAIR).lastTradePrice).toBe(30000.02)
    expect(events.errors()).toEqual([])
    await exchange.stop()
  })

  it('marketStreamConnected: 1 on the first open, 2 once a dropped public socket has reconnected (and the book resynced)', async () => {
    const { exchange, sockets, stream, of } = await startedPublicExchange()
    expect(of('marketStreamConnected')).toEqual([{ connections: 1 }])
    stream.drop()
    await settle()
    expect(of('marketStreamConnected')).toEqual([{ connections: 1 }])
    await vi.advanceTimersByTimeAsync(30_000)
    await settle()
    expect(sockets.publicStream()).not.toBe(stream)
    expect(of('marketStreamConnected')).toEqual([{ connections: 1 }, { connections: 2 }])
    expect(of('orderBookStatus').map((change) => `${change.previous}->${change.status}`)).toEqual([
      'syncing->live',
      'live->stale',
      'stale->live',
    ])
    await exchange.stop()
  })

  it('emits no market event after stop()', async () => {
    const { exchange, stream, recorded } = await startedPublicExchange()
    const before = recorded.length
    await exchange.stop()
    stream.say(depthFrame('BTCUSDT', 101, 102))
    stream.say(tradeFrame('BTCUSDT', 1))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(recorded).toHaveLength(before)
    expect(vi.getTimerCount()).toBe(0)
  })
})
