import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BinanceOrderBookDataSource } from '../../../src/connectors/binance/api-order-book-data-source.ts'
import { depthLimitId } from '../../../src/connectors/binance/constants.ts'
import { ExchangeError, InvalidInputError, PayloadValidationError, SpotwireError } from '../../../src/core/errors.ts'
import type { ExchangeOrderBookDataSource } from '../../../src/core/exchange/exchange-types.ts'
import type { OrderBookMessage } from '../../../src/core/order-book/order-book-message.ts'
import { RestAssistant } from '../../../src/core/web/rest-assistant.ts'
import { readReference } from './reference-files.ts'
import {
  binanceMarket,
  depthFrame,
  depthSnapshot,
  flush,
  REST_BASE,
  scriptedDepthEndpoint,
  tradeFrame,
  WS_BASE,
} from './market-data-helpers.ts'

/** A sink that records what reaches it. */
function recordingSink() {
  const messages: OrderBookMessage[] = []
  return { messages, handleMessage: (message: OrderBookMessage) => void messages.push(message) }
}

describe('Binance order book data source', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('is what the exchange base needs (ExchangeOrderBookDataSource) and starts nothing when built', () => {
    const market = binanceMarket()
    const asExchangeSource: ExchangeOrderBookDataSource = market.source
    expect(asExchangeSource.sequenceRule.name).toBe('contiguous update ids')
    expect(market.sockets.sockets).toHaveLength(0)
    expect(market.depth.requests).toHaveLength(0)
    expect(market.source.health()).toBeUndefined()
  })

  it('refuses a snapshot depth Binance does not serve', () => {
    const rest = new RestAssistant({ baseUrl: REST_BASE })
    const base = { rest, wsUrl: WS_BASE, toExchangeSymbol: (pair: string) => pair, toTradingPair: () => undefined }
    expect(() => new BinanceOrderBookDataSource({ ...base, snapshotDepth: 0 })).toThrow(InvalidInputError)
    expect(() => new BinanceOrderBookDataSource({ ...base, snapshotDepth: 5001 })).toThrow(InvalidInputError)
    expect(() => new BinanceOrderBookDataSource({ ...base, snapshotDepth: 10.5 })).toThrow(InvalidInputError)
  })

  describe('get new order book', () => {
    it('successful: GET /v3/depth with the symbol and limit gives a snapshot with lastUpdateId', async () => {
      const { source, depth } = binanceMarket()
      const fetched = source.fetchSnapshot('BNB-BTC', new AbortController().signal)
      await flush()
      const request = depth.pending()
      expect(`${request.url.origin}${request.url.pathname}`).toBe(`${REST_BASE}/v3/depth`)
      expect(Object.fromEntries(request.url.searchParams)).toEqual({ symbol: 'BNBBTC', limit: '1000' })
      vi.setSystemTime(1_800_000_000_000)
      request.respond(200, readReference('rest/GET_api_v3_depth.json'))
      expect(await fetched).toEqual({
        type: 'snapshot',
        tradingPair: 'BNB-BTC',
        updateId: 1027024,
        bids: [['4.00000000', '431.00000000']],
        asks: [['4.00000200', '12.00000000']],
        timestamp: 1_800_000_000_000,
      })
    })

    it('draws from the depth limit of its size, and uses the snapshot depth asked for', async () => {
      const acquired: string[] = []
      const depth = scriptedDepthEndpoint()
      const limiter = {
        acquire: (limitId: string) => {
          acquired.push(limitId)
          return Promise.resolve()
        },
      }
      const rest = new RestAssistant({ baseUrl: REST_BASE, fetch: depth.fetch, limiter })
      const source = new BinanceOrderBookDataSource({
        rest,
        wsUrl: WS_BASE,
        toExchangeSymbol: () => 'BTCUSDT',
        toTradingPair: () => 'BTC-USDT',
        snapshotDepth: 5000,
      })
      const fetched = source.fetchSnapshot('BTC-USDT', new AbortController().signal)
      await flush()
      expect(depth.pending().url.searchParams.get('limit')).toBe('5000')
      depth.pending().respond(200, depthSnapshot(7))
      await fetched
      expect(acquired).toEqual([depthLimitId(5000)])

      const custom = new BinanceOrderBookDataSource({
        rest,
        wsUrl: WS_BASE,
        toExchangeSymbol: () => 'BTCUSDT',
        toTradingPair: () => 'BTC-USDT',
        depthLimitId: (limit) => `depth ${limit}`,
      })
      const second = custom.fetchSnapshot('BTC-USDT', new AbortController().signal)
      await flush()
      depth.pending().respond(200, depthSnapshot(8))
      await second
      expect(acquired).toEqual([depthLimitId(5000), 'depth 1000'])
    })

    it('raises when the exchange answers with an error', async () => {
      const { source, depth } = binanceMarket()
      const fetched = source.fetchSnapshot('BNB-BTC', new AbortController().signal)
      const outcome = expect(fetched).rejects.toBeInstanceOf(SpotwireError)
      await flush()
      depth.pending().respond(400, readReference('rest/error_payload.json'))
      await outcome
    })

    it('raises PayloadValidationError for a malformed snapshot (prices must be strings)', async () => {
      const { source, depth } = binanceMarket()
      const fetched = source.fetchSnapshot('BNB-BTC', new AbortController().signal)
      const outcome = expect(fetched).rejects.toSatisfy(
        (error) => error instanceof PayloadValidationError && error.source === 'GET /v3/depth',
      )
      await flush()
      depth.pending().respond(200, { lastUpdateId: 5, bids: [[4, 431]], asks: [] })
      await outcome
    })
  })

  describe('listen for subscriptions', () => {
    it('subscribes to trades and diffs through the combined-stream URL, sending no frame', async () => {
      const market = binanceMarket({ tradingPairs: ['BNB-BTC', 'ETH-USDT'] })
      const socket = await market.listen()
      expect(socket.url).toBe(`${WS_BASE}/stream?streams=bnbbtc@depth@100ms/bnbbtc@trade/ethusdt@depth@100ms/ethusdt@trade`)
      expect(socket.sent).toEqual([])
      expect(market.source.health()?.state).toBe('open')
      market.stop()
    })

    it('leaves the trade stream out when trades are not wanted, and a trailing slash off the base', async () => {
      const market = binanceMarket({ trades: false, wsUrl: `${WS_BASE}/` })
      const socket = await market.listen()
      expect(socket.url).toBe(`${WS_BASE}/stream?streams=bnbbtc@depth@100ms`)
      market.stop()
    })

    it('opens a bare /stream without pairs, and returns the same promise while it runs', async () => {
      const market = binanceMarket({ tradingPairs: [] })
      const first = market.source.listenForSubscriptions(market.controller.signal)
      expect(market.source.listenForSubscriptions(market.controller.signal)).toBe(first)
      await flush()
      expect(market.sockets.last().url).toBe(`${WS_BASE}/stream`)
      market.controller.abort()
      await expect(first).resolves.toBeUndefined()
    })

    it('does nothing for a signal already aborted', async () => {
      const market = binanceMarket()
      const aborted = AbortSignal.abort()
      await expect(market.source.listenForSubscriptions(aborted)).resolves.toBeUndefined()
      await flush()
      expect(market.sockets.sockets).toHaveLength(0)
    })

    it('reports a pair without a symbol and leaves it out of the URL', async () => {
      const market = binanceMarket({ tradingPairs: ['BNB-BTC', 'DOGE-XYZ'] })
      const socket = await market.listen()
      expect(socket.url).toBe(`${WS_BASE}/stream?streams=bnbbtc@depth@100ms/bnbbtc@trade`)
      expect(market.errors.map((error) => error.message)).toContain('no symbol for DOGE-XYZ')
      market.stop()
    })
  })

  it('resolves payloads of the symbols it subscribed without a symbol map, and retries a pair without a symbol on the next connection', async () => {
    const known = new Set(['BNB-BTC'])
    const market = binanceMarket({
      tradingPairs: ['BNB-BTC', 'ETH-USDT'],
      toTradingPair: () => undefined, // the symbol map has not loaded yet
      toExchangeSymbol: (pair) => {
        if (!known.has(pair)) throw new Error(`no symbol for ${pair} yet`)
        return pair.replace('-', '')
      },
      livenessTimeoutMs: 0,
    })
    const sink = recordingSink()
    market.source.attach(sink)
    const socket = await market.listen()
    expect(socket.url).toBe(`${WS_BASE}/stream?streams=bnbbtc@depth@100ms/bnbbtc@trade`)
    socket.say(depthFrame('BNBBTC', 1, 2))
    await flush()
    expect(sink.messages).toMatchObject([{ type: 'diff', tradingPair: 'BNB-BTC' }])
    known.add('ETH-USDT')
    socket.drop()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(market.sockets.last().url).toContain('ethusdt@depth@100ms')
    market.stop()
  })

  describe('listen for order book diffs and trades', () => {
    it('diffs: successful — a combined-stream diff becomes a diff message with update id u', async () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      const socket = await market.listen()
      socket.say({ stream: 'bnbbtc@depth@100ms', data: readReference('ws-streams/depthUpdate_diffDepth.json') })
      await flush()
      expect(sink.messages).toEqual([
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
      market.stop()
    })

    it('trades: successful — trade id 12345, taker sold because the buyer was the maker', async () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      const socket = await market.listen()
      socket.say({ stream: 'bnbbtc@trade', data: readReference('ws-streams/trade.json') })
      socket.say(tradeFrame('BNBBTC', 12346, '0.002', '1', false))
      await flush()
      expect(sink.messages).toMatchObject([
        { type: 'trade', tradingPair: 'BNB-BTC', tradeId: 12345, price: '0.001', amount: '100', side: 'sell' },
        { type: 'trade', tradeId: 12346, side: 'buy' },
      ])
      market.stop()
    })

    it('accepts raw (unwrapped) events too', () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      market.source.handleRawMessage(readReference('ws-streams/depthUpdate_diffDepth.json'))
      expect(sink.messages).toMatchObject([{ type: 'diff', updateId: 160 }])
    })

    it('diffs: logs exception — an incomplete diff is reported and nothing reaches the book', async () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      const socket = await market.listen()
      const { U: _dropped, ...incomplete } = depthFrame('BNBBTC', 1, 2).data
      socket.say({ stream: 'bnbbtc@depth@100ms', data: incomplete })
      await flush()
      expect(sink.messages).toEqual([])
      const error = market.errors[0]
      expect(error).toBeInstanceOf(PayloadValidationError)
      expect((error as PayloadValidationError).source).toBe('binance stream bnbbtc@depth@100ms')
      expect((error as PayloadValidationError).details).toContain('U')
      market.stop()
    })

    it('trades: logs exception — a trade with a numeric price is reported, not applied', async () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      const socket = await market.listen()
      socket.say({ stream: 'bnbbtc@trade', data: { ...tradeFrame('BNBBTC', 1).data, p: 0.001 } })
      await flush()
      expect(sink.messages).toEqual([])
      expect(market.errors[0]).toBeInstanceOf(PayloadValidationError)
      market.stop()
    })

    it('reports an unknown symbol and an unhandled stream instead of throwing; drops unsubscribed pairs quietly', async () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      const socket = await market.listen()
      socket.say(depthFrame('XYZABC', 1, 2))
      socket.say({ stream: 'bnbbtc@aggTrade', data: { e: 'aggTrade', s: 'BNBBTC' } })
      socket.say('not json')
      socket.say(depthFrame('ETHUSDT', 1, 2)) // a known pair this source does not follow
      await flush()
      expect(sink.messages).toEqual([])
      expect(market.errors).toHaveLength(3)
      expect(market.errors.every((error) => error instanceof PayloadValidationError)).toBe(true)
      expect((market.errors[0] as PayloadValidationError).details).toBe('unknown symbol XYZABC')
      expect((market.errors[1] as PayloadValidationError).source).toBe('binance stream bnbbtc@aggTrade')
      market.stop()
    })

    it('ignores subscribe acknowledgements and LIST_SUBSCRIPTIONS answers; reports refused requests with their code', async () => {
      const market = binanceMarket()
      const socket = await market.listen()
      socket.say(readReference('ws-streams/SUBSCRIBE_response.json'))
      socket.say({ result: ['bnbbtc@depth@100ms'], id: 3 })
      socket.say({ error: { code: 2, msg: 'Invalid request: unknown variant' }, id: 4 })
      socket.say({ code: 0, msg: 'Unknown property', id: 5 })
      await flush()
      expect(market.errors).toHaveLength(2)
      expect(market.errors[0]).toBeInstanceOf(ExchangeError)
      expect(market.errors[0]).toMatchObject({ exchangeCode: 2, exchangeMessage: 'Invalid request: unknown variant' })
      expect(market.errors[1]).toMatchObject({ exchangeCode: 0 })
      market.stop()
    })
  })

  describe('subscribe to trading pair', () => {
    it('successful: one SUBSCRIBE with the depth and trade streams, ids increasing', async () => {
      const market = binanceMarket()
      const socket = await market.listen()
      await expect(market.source.subscribe('ETH-USDT')).resolves.toBe(true)
      expect(socket.sentJson).toEqual([{ method: 'SUBSCRIBE', params: ['ethusdt@depth@100ms', 'ethusdt@trade'], id: 1 }])
      expect(market.source.tradingPairs).toEqual(['BNB-BTC', 'ETH-USDT'])
      await vi.advanceTimersByTimeAsync(250)
      await market.source.unsubscribe('ETH-USDT')
      expect(socket.sentJson.at(-1)).toMatchObject({ method: 'UNSUBSCRIBE', id: 2 })
      market.stop()
    })

    it('paces requests under 5 a second, merging those queued', async () => {
      const market = binanceMarket({ tradingPairs: [] })
      const socket = await market.listen()
      const added = ['BNB-BTC', 'ETH-USDT', 'BTC-USDT'].map((pair) => market.source.subscribe(pair))
      expect(socket.sentJson).toEqual([{ method: 'SUBSCRIBE', params: ['bnbbtc@depth@100ms', 'bnbbtc@trade'], id: 1 }])
      await vi.advanceTimersByTimeAsync(249)
      expect(socket.sent).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(socket.sentJson[1]).toEqual({
        method: 'SUBSCRIBE',
        params: ['ethusdt@depth@100ms', 'ethusdt@trade', 'btcusdt@depth@100ms', 'btcusdt@trade'],
        id: 2,
      })
      await expect(Promise.all(added)).resolves.toEqual([true, true, true])
      market.stop()
    })

    it('sends nothing while not connected: the next connection subscribes from its URL', async () => {
      const market = binanceMarket()
      market.tracker.start()
      void market.source.listenForSubscriptions(market.controller.signal)
      await flush()
      const socket = market.sockets.last() // built from BNB-BTC only, not open yet
      await expect(market.source.subscribe('ETH-USDT')).resolves.toBe(true)
      socket.accept()
      await flush()
      // Added between building the URL and opening: caught up on open.
      expect(socket.sentJson).toEqual([{ method: 'SUBSCRIBE', params: ['ethusdt@depth@100ms', 'ethusdt@trade'], id: 1 }])
      market.stop()
    })

    it('unsubscribes on opening a pair removed after its URL was built', async () => {
      const market = binanceMarket({ tradingPairs: ['BNB-BTC', 'ETH-USDT'] })
      market.tracker.start()
      void market.source.listenForSubscriptions(market.controller.signal)
      await flush()
      const socket = market.sockets.last()
      expect(socket.url).toContain('ethusdt@depth@100ms')
      await expect(market.source.unsubscribe('ETH-USDT')).resolves.toBe(true)
      socket.accept()
      await flush()
      expect(socket.sentJson).toEqual([{ method: 'UNSUBSCRIBE', params: ['ethusdt@depth@100ms', 'ethusdt@trade'], id: 1 }])
      market.stop()
    })

    it('fails (false, reported) for a pair without a symbol', async () => {
      const market = binanceMarket()
      const socket = await market.listen()
      await expect(market.source.subscribe('DOGE-XYZ')).resolves.toBe(false)
      expect(socket.sent).toEqual([])
      expect(market.source.tradingPairs).toEqual(['BNB-BTC'])
      expect(market.errors[0]?.message).toContain('Subscribing to DOGE-XYZ failed')
      market.stop()
    })

    it('addTradingPair starts the book in the tracker too, and removeTradingPair ends it', async () => {
      const market = binanceMarket()
      const socket = await market.listen()
      await expect(market.source.addTradingPair('ETH-USDT')).resolves.toBe(true)
      expect(market.tracker.tradingPairs).toEqual(['BNB-BTC', 'ETH-USDT'])
      expect(socket.sentJson).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(250)
      await expect(market.source.removeTradingPair('ETH-USDT')).resolves.toBe(true)
      expect(market.tracker.tradingPairs).toEqual(['BNB-BTC'])
      expect(socket.sentJson[1]).toEqual({ method: 'UNSUBSCRIBE', params: ['ethusdt@depth@100ms', 'ethusdt@trade'], id: 2 })
      await expect(market.source.addTradingPair('DOGE-XYZ')).resolves.toBe(false)
      expect(market.tracker.tradingPairs).toEqual(['BNB-BTC'])
      market.stop()
    })
  })

  describe('unsubscribe from trading pair', () => {
    it('successful: one UNSUBSCRIBE with both streams; later messages for the pair are dropped', async () => {
      const market = binanceMarket({ tradingPairs: ['BNB-BTC', 'ETH-USDT'] })
      const sink = recordingSink()
      market.source.attach(sink)
      const socket = await market.listen()
      await expect(market.source.unsubscribe('ETH-USDT')).resolves.toBe(true)
      expect(socket.sentJson).toEqual([{ method: 'UNSUBSCRIBE', params: ['ethusdt@depth@100ms', 'ethusdt@trade'], id: 1 }])
      socket.say(depthFrame('ETHUSDT', 1, 2))
      await flush()
      expect(sink.messages).toEqual([])
      await expect(market.source.unsubscribe('ETH-USDT')).resolves.toBe(false)
      market.stop()
    })
  })

  describe('attach', () => {
    it('detaching stops delivery; a stale detach does not remove a newer sink', () => {
      const market = binanceMarket()
      const first = recordingSink()
      const second = recordingSink()
      const detachFirst = market.source.attach(first)
      const frame = depthFrame('BNBBTC', 1, 2)
      market.source.handleRawMessage(frame)
      const detachSecond = market.source.attach(second)
      detachFirst()
      market.source.handleRawMessage(depthFrame('BNBBTC', 3, 4))
      detachSecond()
      market.source.handleRawMessage(depthFrame('BNBBTC', 5, 6))
      expect(first.messages.map((message) => message.type === 'diff' && message.updateId)).toEqual([2])
      expect(second.messages.map((message) => message.type === 'diff' && message.updateId)).toEqual([4])
    })

    it('drops a diff repeating one already delivered', () => {
      const market = binanceMarket()
      const sink = recordingSink()
      market.source.attach(sink)
      market.source.handleRawMessage(depthFrame('BNBBTC', 1, 2))
      market.source.handleRawMessage(depthFrame('BNBBTC', 1, 2))
      market.source.handleRawMessage(tradeFrame('BNBBTC', 9))
      market.source.handleRawMessage(tradeFrame('BNBBTC', 9))
      expect(sink.messages).toHaveLength(2)
    })
  })
})
