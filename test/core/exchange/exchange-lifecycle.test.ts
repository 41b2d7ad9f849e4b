// The exchange base's lifecycle: construction starts nothing, start() resolves once ready (in
// trading and public-only modes), stop() leaves nothing running. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ExchangeStoppedError } from '../../../src/core/exchange/exchange-errors.ts'
import { DEFAULT_EXCHANGE_INTERVALS } from '../../../src/core/exchange/exchange-types.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import { FakeExchange, fakeSocketServer, flush, PAIR, recordEvents, startedExchange, untilAborted, useFakeClock } from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

describe('exchange base: construction and start', () => {
  it('constructing an exchange starts nothing: no timer, socket or request', async () => {
    const exchange = new FakeExchange()
    await flush()
    expect(vi.getTimerCount()).toBe(0)
    expect(exchange.calls).toEqual([])
    expect(exchange.server.sockets).toHaveLength(0)
    expect(exchange.books.listens).toBe(0)
  })

  it('initial status dict: every flag is false and the exchange is not ready', () => {
    const exchange = new FakeExchange()
    expect(exchange.statusDict).toEqual({
      symbolsMappingInitialized: false,
      orderBooksInitialized: false,
      accountBalance: false,
      tradingRuleInitialized: false,
      userStreamInitialized: false,
    })
    expect(exchange.ready).toBe(false)
    expect(exchange.orderBook(PAIR).status).toBe('syncing')
  })

  it('start resolves once symbols, rules, books, balances and the user stream are ready', async () => {
    const { exchange } = await startedExchange()
    expect(exchange.ready).toBe(true)
    expect(Object.values(exchange.statusDict).every(Boolean)).toBe(true)
    expect(exchange.books.listens).toBe(1)
    expect(exchange.symbolMap.exchangeSymbolFor(PAIR)).toBe('BTCUSDT')
    expect(exchange.tradingRules.get(PAIR)?.minOrderSize.toFixed()).toBe('0.001')
    expect(exchange.getBalance('BTC').toFixed()).toBe('1.5')
    expect(exchange.getAvailableBalance('BTC').toFixed()).toBe('1')
    expect(exchange.orderBook(PAIR).bestBid?.price).toBe(29990)
    expect(exchange.userStreams[0]?.authentications).toHaveLength(1)
    expect(exchange.callNames()).toEqual(
      expect.arrayContaining(['fetchTradingRules', 'updateTradingFees', 'fetchServerTime', 'fetchBalances']),
    )
    await exchange.stop()
  })

  it('start waits for the user stream: not ready until a message arrives on it', async () => {
    const exchange = new FakeExchange()
    exchange.server = fakeSocketServer() // answers nothing until told
    let resolved = false
    const started = exchange.start().then(() => (resolved = true))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(exchange.statusDict).toMatchObject({ symbolsMappingInitialized: true, accountBalance: true, userStreamInitialized: false })
    expect(resolved).toBe(false)
    exchange.server.last().say({ type: 'ack' })
    await vi.advanceTimersByTimeAsync(0)
    await started
    expect(exchange.statusDict.userStreamInitialized).toBe(true)
    await exchange.stop()
  })

  it('a refused subscription does not count as an initialized user stream', async () => {
    const exchange = new FakeExchange()
    exchange.server = fakeSocketServer((socket, data) => {
      if ((data as { op?: string }).op === 'subscribe') queueMicrotask(() => socket.say({ type: 'refused' }))
    })
    let resolved = false
    const started = exchange.start().then(
      () => (resolved = true),
      () => undefined,
    )
    await vi.advanceTimersByTimeAsync(1_000)
    expect(exchange.server.sockets.length).toBeGreaterThan(0)
    expect(exchange.statusDict.userStreamInitialized).toBe(false)
    expect(exchange.ready).toBe(false)
    expect(resolved).toBe(false)
    await exchange.stop()
    await started
  })

  it('public-only mode: start skips every trading part and trading flags are true', async () => {
    const exchange = new FakeExchange({ tradingRequired: false })
    const started = exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    await started
    expect(exchange.statusDict).toEqual({
      symbolsMappingInitialized: true,
      orderBooksInitialized: true,
      accountBalance: true,
      tradingRuleInitialized: true,
      userStreamInitialized: true,
    })
    expect(exchange.callNames()).toEqual(['fetchTradingRules'])
    expect(exchange.server.sockets).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(DEFAULT_EXCHANGE_INTERVALS.longPollMs)
    expect(exchange.callNames()).toEqual(['fetchTradingRules'])
    await exchange.stop()
  })

  it('calling start twice returns the same promise', async () => {
    const exchange = new FakeExchange()
    expect(exchange.start()).toBe(exchange.start())
    await vi.advanceTimersByTimeAsync(0)
    await exchange.stop()
  })

  it('rejects trading pairs not shaped BASE-QUOTE at construction', () => {
    expect(() => new FakeExchange({ tradingPairs: ['BTCUSDT'] })).toThrow(InvalidInputError)
  })

  it('orderBook throws for a pair the exchange does not track', () => {
    expect(() => new FakeExchange().orderBook('ETH-USDT')).toThrow(InvalidInputError)
  })
})

describe('exchange base: stop', () => {
  it('stop leaves no timer, socket or pending work behind', async () => {
    const { exchange } = await startedExchange()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
    expect(exchange.server.last().readyState).toBe(3)
    expect(exchange.orderBook(PAIR).status).toBe('stale')
  })

  it('stop before ready rejects the pending start with ExchangeStoppedError', async () => {
    const exchange = new FakeExchange()
    exchange.script.fetchTradingRules = (signal) => untilAborted(signal)
    const started = exchange.start()
    await vi.advanceTimersByTimeAsync(1_000)
    await exchange.stop()
    await expect(started).rejects.toBeInstanceOf(ExchangeStoppedError)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a stopped exchange does not start again', async () => {
    const exchange = new FakeExchange()
    await exchange.stop()
    await expect(exchange.start()).rejects.toBeInstanceOf(ExchangeStoppedError)
    expect(exchange.calls).toEqual([])
  })

  it('stop waits for the user stream clean-up and reports its failure instead of rejecting', async () => {
    const { exchange } = await startedExchange()
    const errors: unknown[] = []
    exchange.on('error', (error) => errors.push(error))
    let finishCleanUp: (() => void) | undefined
    const stream = exchange.userStreams.at(-1)
    if (!stream) throw new Error('no user stream was created')
    stream.cleanUp = () =>
      new Promise<void>((_resolve, reject) => {
        finishCleanUp = () => reject(new Error('listen key close failed'))
      })
    let stopped = false
    const stopping = exchange.stop().then(() => {
      stopped = true
    })
    await flush()
    expect(stopped).toBe(false)
    finishCleanUp?.()
    await stopping
    expect(stopped).toBe(true)
    expect(errors.map((error) => String((error as Error).message))).toEqual(
      expect.arrayContaining([expect.stringContaining('listen key close failed')]),
    )
  })

  it('stop is idempotent', async () => {
    const { exchange } = await startedExchange()
    await exchange.stop()
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stop during hooks that ignore their signal still settles everything', async () => {
    const exchange = new FakeExchange()
    const events = recordEvents(exchange)
    exchange.script.fetchBalances = () => new Promise(() => {})
    exchange.script.fetchServerTime = () => new Promise(() => {})
    void exchange.start()
    await vi.advanceTimersByTimeAsync(0)
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
    expect(events.errors()).toEqual([])
  })
})
