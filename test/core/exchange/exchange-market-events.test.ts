// The exchange base's market events: book status changes, book updates, public trades and public
// stream opens, re-emitted from the tracker and the data source for any connector, silent after
// stop(), and a throwing handler reported like the order events'. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Big } from '../../../src/core/decimal.ts'
import type { ExchangeEvents, MarketEventName } from '../../../src/core/exchange/exchange-types.ts'
import type { OrderBookMessageSink } from '../../../src/core/order-book/data-source.ts'
import type {
  OrderBookDiffMessage,
  OrderBookMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from '../../../src/core/order-book/order-book-message.ts'
import { deferred, FakeBookSource, FakeExchange, flush, PAIR, useFakeClock } from './helpers.ts'

/** The fake book source, with a way to push parsed messages and report socket opens as a connector would. */
class MarketBookSource extends FakeBookSource {
  #sink: OrderBookMessageSink | undefined

  override attach(sink: OrderBookMessageSink): () => void {
    this.#sink = sink
    return super.attach(sink)
  }

  push(message: OrderBookMessage): void {
    this.#sink?.handleMessage(message)
  }

  socketOpened(): void {
    this.notifyConnected()
  }
}

class MarketExchange extends FakeExchange {
  readonly market = new MarketBookSource({ tradingPairs: [PAIR] })

  protected override createOrderBookDataSource(): MarketBookSource {
    return this.market
  }
}

const MARKET_EVENTS: readonly MarketEventName[] = ['orderBookStatus', 'orderBookUpdate', 'marketTrade', 'marketStreamConnected']

type MarketRecord = { [Name in MarketEventName]: { readonly name: Name; readonly payload: ExchangeEvents[Name] } }[MarketEventName]

function diff(firstUpdateId: number, updateId: number, bids: [string, string][] = []): OrderBookDiffMessage {
  return { type: 'diff', tradingPair: PAIR, firstUpdateId, updateId, bids, asks: [], timestamp: Date.now() }
}

function snapshot(updateId: number): OrderBookSnapshotMessage {
  return { type: 'snapshot', tradingPair: PAIR, updateId, bids: [['29990', '1']], asks: [['30010', '2']], timestamp: Date.now() }
}

function trade(fields: Partial<OrderBookTradeMessage> = {}): OrderBookTradeMessage {
  return { type: 'trade', tradingPair: PAIR, tradeId: 901, price: '30000.12', amount: '0.0105', side: 'buy', timestamp: 1_700_000_000_123, ...fields }
}

/** A public-only exchange with every market event and error recorded; not started. */
function marketExchange() {
  const exchange = new MarketExchange({ tradingRequired: false })
  const recorded: MarketRecord[] = []
  for (const name of MARKET_EVENTS) exchange.on(name, (payload: unknown) => void recorded.push({ name, payload } as MarketRecord))
  const errors: Error[] = []
  exchange.on('error', (error) => errors.push(error))
  const of = <Name extends MarketEventName>(name: Name): Array<ExchangeEvents[Name]> =>
    recorded.filter((record) => record.name === name).map((record) => record.payload as ExchangeEvents[Name])
  return { exchange, source: exchange.market, recorded, errors, of }
}

/** Started, with its book live at update id 100 (the fake source's snapshot). */
async function liveMarketExchange() {
  const context = marketExchange()
  const started = context.exchange.start()
  await vi.advanceTimersByTimeAsync(0)
  await started
  expect(context.exchange.orderBook(PAIR).status).toBe('live')
  return context
}

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

describe('exchange base: market events', () => {
  it('orderBookStatus: syncing → live on the first snapshot, live → stale on a gap, stale → live after the resync', async () => {
    const { exchange, source, of, errors } = await liveMarketExchange()
    expect(of('orderBookStatus')).toEqual([{ tradingPair: PAIR, status: 'live', previous: 'syncing' }])

    const resync = deferred<OrderBookSnapshotMessage>()
    source.snapshot = () => resync.promise
    source.push(diff(101, 102))
    source.push(diff(105, 106)) // 103..104 missing
    expect(of('orderBookStatus').slice(1)).toEqual([{ tradingPair: PAIR, status: 'stale', previous: 'live' }])
    expect(exchange.orderBook(PAIR).status).toBe('stale')

    resync.resolve(snapshot(105))
    await flush()
    expect(of('orderBookStatus').slice(1)).toEqual([
      { tradingPair: PAIR, status: 'stale', previous: 'live' },
      { tradingPair: PAIR, status: 'live', previous: 'stale' },
    ])
    expect(exchange.orderBook(PAIR).lastUpdateId).toBe(106)
    expect(errors).toEqual([])
    await exchange.stop()
  })

  it('orderBookUpdate: once after the snapshot and once per diff applied, with the book update id; none for an ignored diff', async () => {
    const { exchange, source, of } = await liveMarketExchange()
    source.push(diff(99, 101, [['29995', '3']]))
    source.push(diff(102, 104))
    source.push(diff(100, 103)) // at or below the book id: ignored
    source.push(diff(105, 105))
    expect(of('orderBookUpdate')).toEqual([
      { tradingPair: PAIR, updateId: 100 },
      { tradingPair: PAIR, updateId: 101 },
      { tradingPair: PAIR, updateId: 104 },
      { tradingPair: PAIR, updateId: 105 },
    ])
    expect(exchange.orderBook(PAIR).bestBid?.price).toBe(29995)
    await exchange.stop()
  })

  it('marketTrade: each public trade with Big price and amount, a string trade id, its time and the taker side', async () => {
    const { exchange, source, of, errors } = await liveMarketExchange()
    source.push(trade())
    source.push(trade({ tradeId: 'T-902', price: '29999.5', amount: '2', side: 'sell', timestamp: 1_700_000_000_456 }))
    source.push(trade({ tradingPair: 'ETH-USDT' })) // not tracked
    const trades = of('marketTrade')
    expect(trades).toHaveLength(2)
    expect(trades[0]).toEqual({
      tradingPair: PAIR,
      tradeId: '901',
      price: expect.any(Big),
      amount: expect.any(Big),
      timestamp: 1_700_000_000_123,
      takerSide: 'BUY',
    })
    expect(trades[0]?.price.toFixed()).toBe('30000.12')
    expect(trades[0]?.amount.toFixed()).toBe('0.0105')
    expect(trades[1]).toMatchObject({ tradeId: 'T-902', timestamp: 1_700_000_000_456, takerSide: 'SELL' })
    expect(trades[1]?.price.eq('29999.5')).toBe(true)
    expect(trades[1]?.amount.eq(2)).toBe(true)
    expect(exchange.orderBook(PAIR).lastTradePrice).toBe(29999.5)
    expect(errors).toEqual([])
    await exchange.stop()
  })

  it('marketTrade: a trade that cannot be applied is reported on error and emits nothing', async () => {
    const { exchange, source, of, errors } = await liveMarketExchange()
    source.push(trade({ price: 'abc' }))
    expect(of('marketTrade')).toEqual([])
    expect(errors).toHaveLength(1)
    await exchange.stop()
  })

  it('marketStreamConnected: counts every open of the public stream, so a reconnect gives connections 2', async () => {
    const { exchange, source, of } = await liveMarketExchange()
    source.socketOpened()
    source.socketOpened()
    expect(of('marketStreamConnected')).toEqual([{ connections: 1 }, { connections: 2 }])
    await exchange.stop()
  })

  it('no market event fires once stop() was called: not the books turning stale, not a late message or socket open', async () => {
    const { exchange, source, recorded } = await liveMarketExchange()
    source.socketOpened()
    const before = recorded.length
    const stopping = exchange.stop()
    expect(exchange.orderBook(PAIR).status).toBe('stale')
    source.push(trade())
    source.push(diff(101, 101))
    source.push(snapshot(200))
    source.socketOpened()
    await stopping
    source.socketOpened()
    expect(recorded).toHaveLength(before)
  })

  it('a market event handler that throws is reported on error; the other handlers and the books carry on', async () => {
    const { exchange, source, errors, of } = await liveMarketExchange()
    const failure = new Error('dashboard handler failed')
    exchange.on('marketTrade', () => {
      throw failure
    })
    exchange.on('orderBookUpdate', () => {
      throw failure
    })
    source.push(trade())
    source.push(diff(101, 101))
    expect(errors).toEqual([failure, failure])
    expect(of('marketTrade')).toHaveLength(1)
    expect(of('orderBookUpdate').at(-1)).toEqual({ tradingPair: PAIR, updateId: 101 })
    expect(exchange.orderBook(PAIR).lastUpdateId).toBe(101)
    await exchange.stop()
  })

  it('handlers can be removed with the function on() returns', async () => {
    const { exchange, source } = await liveMarketExchange()
    const seen: string[] = []
    const off = exchange.on('marketTrade', (event) => seen.push(event.tradeId))
    source.push(trade({ tradeId: 1 }))
    off()
    source.push(trade({ tradeId: 2 }))
    expect(seen).toEqual(['1'])
    await exchange.stop()
  })
})
