import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PayloadValidationError, SocketClosedError, SpotwireError } from '../../../src/core/errors.ts'
import { OrderBookDataSource, type OrderBookChannel } from '../../../src/core/order-book/data-source.ts'
import type {
  OrderBookDiffMessage,
  OrderBookMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from '../../../src/core/order-book/order-book-message.ts'
import { OrderBookTracker } from '../../../src/core/order-book/order-book-tracker.ts'
import { contiguousUpdateIdRule } from '../../../src/core/order-book/sequence-rules.ts'

// Payloads as documented (binance ws-streams/depthUpdate_diffDepth.json, trade.json).
const depthUpdate = {
  e: 'depthUpdate',
  E: 1672515782136,
  s: 'BNBBTC',
  U: 157,
  u: 160,
  b: [['0.0024', '10']],
  a: [['0.0026', '100']],
}
const tradeEvent = { e: 'trade', E: 1672515782136, s: 'BNBBTC', t: 12345, p: '0.001', q: '100', T: 1672515782136, m: true, M: true }
const subscribeAck = { result: null, id: 1 }

const SYMBOLS: Record<string, string> = { BNBBTC: 'BNB-BTC', BTCUSDT: 'BTC-USDT' }

type Raw = Record<string, unknown>

function field<T>(raw: Raw, name: string, check: (value: unknown) => boolean): T {
  const value = raw[name]
  if (!check(value)) throw new Error(`field ${name} is missing or malformed`)
  return value as T
}

/** A small connector-style data source: Binance-shaped payloads, a recorded socket. */
class ExampleDataSource extends OrderBookDataSource {
  readonly name = 'example'
  readonly sequenceRule = contiguousUpdateIdRule
  readonly sent: string[] = []
  readonly unknown: unknown[] = []
  failSends = false
  /** What parseDiff returns instead of parsing, to test the checks after parsing. */
  parsedDiffOverride: OrderBookMessage | undefined

  fetchSnapshot(tradingPair: string): Promise<OrderBookSnapshotMessage> {
    return Promise.resolve({
      type: 'snapshot',
      tradingPair,
      updateId: 156,
      bids: [['0.0023', '5']],
      asks: [['0.0027', '7']],
      timestamp: 0,
    })
  }

  protected channelOf(raw: unknown): OrderBookChannel | undefined {
    const event = (raw as Raw)['e']
    if (event === 'depthUpdate') return 'diff'
    if (event === 'trade') return 'trade'
    if (event === 'depthSnapshot') return 'snapshot'
    if (event === 'explode') throw new Error('router failure')
    return undefined
  }

  protected parseDiff(raw: unknown): OrderBookDiffMessage {
    if (this.parsedDiffOverride) return this.parsedDiffOverride as OrderBookDiffMessage
    const payload = raw as Raw
    if (payload['s'] === 'INVALID') throw new PayloadValidationError('example schema', raw)
    return {
      type: 'diff',
      tradingPair: symbolToPair(field(payload, 's', (value) => typeof value === 'string')),
      firstUpdateId: field(payload, 'U', Number.isSafeInteger),
      updateId: field(payload, 'u', Number.isSafeInteger),
      bids: field(payload, 'b', Array.isArray),
      asks: field(payload, 'a', Array.isArray),
      timestamp: field(payload, 'E', Number.isFinite),
    }
  }

  protected parseTrade(raw: unknown): OrderBookTradeMessage {
    const payload = raw as Raw
    return {
      type: 'trade',
      tradingPair: symbolToPair(field(payload, 's', (value) => typeof value === 'string')),
      tradeId: field(payload, 't', Number.isSafeInteger),
      price: field(payload, 'p', (value) => typeof value === 'string'),
      amount: field(payload, 'q', (value) => typeof value === 'string'),
      // The buyer was the maker, so the taker sold.
      side: field(payload, 'm', (value) => typeof value === 'boolean') ? 'sell' : 'buy',
      timestamp: field(payload, 'E', Number.isFinite),
    }
  }

  protected override handleUnknownChannel(raw: unknown): void {
    this.unknown.push(raw)
  }

  /** What the connector's socket does on every open. */
  socketOpened(): void {
    this.notifyConnected()
  }

  protected sendSubscribe(tradingPairs: readonly string[]): Promise<void> {
    return this.#send('SUBSCRIBE', tradingPairs)
  }

  protected sendUnsubscribe(tradingPairs: readonly string[]): Promise<void> {
    return this.#send('UNSUBSCRIBE', tradingPairs)
  }

  #send(method: string, tradingPairs: readonly string[]): Promise<void> {
    if (this.failSends) return Promise.reject(new SocketClosedError('Cannot send: the socket is not connected'))
    this.sent.push(`${method} ${tradingPairs.join(',')}`)
    return Promise.resolve()
  }
}

function symbolToPair(symbol: string): string {
  const pair = SYMBOLS[symbol]
  if (pair === undefined) throw new Error(`unknown symbol ${symbol}`)
  return pair
}

/** A data source for `pairs` whose routed messages and errors are recorded. */
function createDataSource(pairs: string[] = ['BNB-BTC']) {
  const dataSource = new ExampleDataSource({ tradingPairs: pairs })
  const routed: OrderBookMessage[] = []
  dataSource.attach({ handleMessage: (message) => routed.push(message) })
  const errors: Error[] = []
  dataSource.on('error', (error) => errors.push(error))
  return { dataSource, routed, errors }
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('OrderBookDataSource', () => {
  describe('routing raw payloads', () => {
    it('listen for order book diffs: routes a depthUpdate as a diff message with U and u', () => {
      const { dataSource, routed, errors } = createDataSource()
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([
        {
          type: 'diff',
          tradingPair: 'BNB-BTC',
          firstUpdateId: 157,
          updateId: 160,
          bids: [['0.0024', '10']],
          asks: [['0.0026', '100']],
          timestamp: 1672515782136,
        },
      ])
      expect(errors).toEqual([])
    })

    it('listen for trades: routes a trade with its id and the taker side', () => {
      const { dataSource, routed } = createDataSource()
      dataSource.handleRawMessage(tradeEvent)
      expect(routed).toEqual([
        {
          type: 'trade',
          tradingPair: 'BNB-BTC',
          tradeId: 12345,
          price: '0.001',
          amount: '100',
          side: 'sell',
          timestamp: 1672515782136,
        },
      ])
    })

    it('hands payloads of no book channel (subscribe acks) to handleUnknownChannel and routes nothing', () => {
      const { dataSource, routed, errors } = createDataSource()
      dataSource.handleRawMessage(subscribeAck)
      expect(dataSource.unknown).toEqual([subscribeAck])
      expect(routed).toEqual([])
      expect(errors).toEqual([])
    })

    it('drops messages for pairs it is not subscribed to', () => {
      const { dataSource, routed } = createDataSource(['ETH-USDT'])
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([])
    })

    it('sends to the last attached sink only, and to none once detached', () => {
      const { dataSource, routed } = createDataSource()
      const second: OrderBookMessage[] = []
      const detach = dataSource.attach({ handleMessage: (message) => second.push(message) })
      dataSource.handleRawMessage(depthUpdate)
      detach()
      detach()
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([])
      expect(second).toHaveLength(1)
    })
  })

  describe('malformed payloads', () => {
    it('listen for order book diffs: logs exception — an incomplete diff becomes a PayloadValidationError and nothing is routed', () => {
      const { dataSource, routed, errors } = createDataSource()
      const incomplete = { e: 'depthUpdate', s: 'BNBBTC', U: 157 }
      dataSource.handleRawMessage(incomplete)
      expect(routed).toEqual([])
      expect(errors).toHaveLength(1)
      const error = errors[0] as PayloadValidationError
      expect(error).toBeInstanceOf(PayloadValidationError)
      expect(error.source).toBe('example order book diff message')
      expect(error.payload).toEqual(incomplete)
      expect((error.cause as Error).message).toBe('field u is missing or malformed')
    })

    it('listen for trades: logs exception — an incomplete trade becomes a PayloadValidationError', () => {
      const { dataSource, routed, errors } = createDataSource()
      dataSource.handleRawMessage({ e: 'trade', s: 'BNBBTC' })
      expect(routed).toEqual([])
      expect((errors[0] as PayloadValidationError).source).toBe('example order book trade message')
    })

    it('reports a parsed message that fails the shape check, with the raw payload', () => {
      const { dataSource, routed, errors } = createDataSource()
      dataSource.parsedDiffOverride = { ...(depthUpdateAsDiff()), firstUpdateId: 170 }
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([])
      expect((errors[0] as PayloadValidationError).details).toBe('firstUpdateId is after updateId')
      expect((errors[0] as PayloadValidationError).payload).toEqual(depthUpdate)
    })

    it('reports a parser that returns the wrong message type', () => {
      const { dataSource, errors } = createDataSource()
      dataSource.parsedDiffOverride = {
        type: 'trade',
        tradingPair: 'BNB-BTC',
        tradeId: 1,
        price: '1',
        amount: '1',
        side: 'buy',
        timestamp: 1,
      }
      dataSource.handleRawMessage(depthUpdate)
      expect((errors[0] as PayloadValidationError).details).toBe('parsed as trade')
    })

    it("passes on a parser's own PayloadValidationError as it is", () => {
      const { dataSource, errors } = createDataSource()
      dataSource.handleRawMessage({ ...depthUpdate, s: 'INVALID' })
      expect((errors[0] as PayloadValidationError).source).toBe('example schema')
    })

    it('reports a router that throws, and a snapshot channel the exchange has no parser for', () => {
      const { dataSource, errors } = createDataSource()
      dataSource.handleRawMessage({ e: 'explode' })
      dataSource.handleRawMessage({ e: 'depthSnapshot' })
      expect(errors.map((error) => (error as PayloadValidationError).source)).toEqual([
        'example order book message',
        'example order book snapshot message',
      ])
      expect((errors[1]?.cause as Error).message).toBe('example sends no order book snapshots on its socket')
    })
  })

  describe('subscriptions', () => {
    it('subscribe to trading pair: sends the request, routes the new pair and resolves true', async () => {
      const { dataSource, routed } = createDataSource(['ETH-USDT'])
      expect(await dataSource.subscribe('BNB-BTC')).toBe(true)
      expect(dataSource.sent).toEqual(['SUBSCRIBE BNB-BTC'])
      expect(dataSource.tradingPairs).toEqual(['ETH-USDT', 'BNB-BTC'])
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toHaveLength(1)
      expect(await dataSource.subscribe('BNB-BTC')).toBe(true)
      expect(dataSource.sent).toHaveLength(1)
    })

    it('subscribe to trading pair: raises exception and logs error — resolves false and does not route the pair', async () => {
      const { dataSource, routed, errors } = createDataSource([])
      dataSource.failSends = true
      expect(await dataSource.subscribe('BNB-BTC')).toBe(false)
      expect(errors[0]).toBeInstanceOf(SpotwireError)
      expect(errors[0]?.message).toBe('Subscribing to BNB-BTC failed')
      expect(errors[0]?.cause).toBeInstanceOf(SocketClosedError)
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([])
    })

    it('unsubscribe from trading pair: sends the request and stops routing the pair', async () => {
      const { dataSource, routed } = createDataSource()
      expect(await dataSource.unsubscribe('BNB-BTC')).toBe(true)
      expect(dataSource.sent).toEqual(['UNSUBSCRIBE BNB-BTC'])
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([])
      expect(await dataSource.unsubscribe('BNB-BTC')).toBe(false)
    })

    it('unsubscribe from trading pair: raises exception and logs error — resolves false but stops routing', async () => {
      const { dataSource, routed, errors } = createDataSource()
      dataSource.failSends = true
      expect(await dataSource.unsubscribe('BNB-BTC')).toBe(false)
      expect(errors[0]?.message).toBe('Unsubscribing from BNB-BTC failed')
      dataSource.handleRawMessage(depthUpdate)
      expect(routed).toEqual([])
    })

    it("counts each socket open the connector reports and emits 'connected' with the count", () => {
      const { dataSource } = createDataSource()
      const connections: number[] = []
      dataSource.on('connected', (event) => connections.push(event.connections))
      expect(dataSource.connections).toBe(0)
      dataSource.socketOpened()
      dataSource.socketOpened()
      expect(connections).toEqual([1, 2])
      expect(dataSource.connections).toBe(2)
    })

    it('subscribes every pair in one request on (re)connect', async () => {
      const { dataSource, errors } = createDataSource(['BNB-BTC', 'BTC-USDT'])
      expect(await dataSource.subscribeAll()).toBe(true)
      expect(dataSource.sent).toEqual(['SUBSCRIBE BNB-BTC,BTC-USDT'])
      dataSource.failSends = true
      expect(await dataSource.subscribeAll()).toBe(false)
      expect(errors[0]?.message).toBe('Subscribing to the order book channels failed')
      const empty = createDataSource([])
      expect(await empty.dataSource.subscribeAll()).toBe(true)
      expect(empty.dataSource.sent).toEqual([])
    })
  })

  it('feeds a tracker: snapshot from fetchSnapshot, diffs from raw payloads, one error channel per part', async () => {
    const dataSource = new ExampleDataSource({ tradingPairs: ['BNB-BTC'] })
    const tracker = new OrderBookTracker({ source: dataSource, tradingPairs: dataSource.tradingPairs })
    dataSource.attach(tracker)
    const errors: Error[] = []
    dataSource.on('error', (error) => errors.push(error))
    tracker.on('error', (error) => errors.push(error))
    dataSource.handleRawMessage(depthUpdate) // buffered: 157..160 straddles the snapshot's 156
    tracker.start()
    for (let turn = 0; turn < 20; turn++) await Promise.resolve()
    const book = tracker.orderBook('BNB-BTC')
    expect(book?.status).toBe('live')
    expect(book?.bids()).toEqual([
      { price: 0.0024, amount: 10, updateId: 160 },
      { price: 0.0023, amount: 5, updateId: 156 },
    ])
    const before = book?.asks()
    dataSource.handleRawMessage({ ...depthUpdate, U: 161, u: 161, a: 'garbage' })
    expect(errors).toHaveLength(1)
    expect(book?.asks()).toBe(before)
    expect(book?.status).toBe('live')
    tracker.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})

function depthUpdateAsDiff(): OrderBookDiffMessage {
  return {
    type: 'diff',
    tradingPair: 'BNB-BTC',
    firstUpdateId: 157,
    updateId: 160,
    bids: depthUpdate.b,
    asks: depthUpdate.a,
    timestamp: depthUpdate.E,
  }
}
