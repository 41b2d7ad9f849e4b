// The Binance exchange's construction, lifecycle and account/market data against a scripted Binance
// (injected fetch and sockets, fake timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RATE_LIMITS } from '../../../src/connectors/binance/constants.ts'
import { createBinanceExchange } from '../../../src/connectors/binance/index.ts'
import type { BinanceTradingRule } from '../../../src/connectors/binance/utils.ts'
import { InvalidInputError, PayloadValidationError } from '../../../src/core/errors.ts'
import { ExchangeTaskError } from '../../../src/core/exchange/exchange-errors.ts'
import { UNLIMITED } from '../../../src/core/orders/trading-rule.ts'
import { Throttler } from '../../../src/core/throttler.ts'
import { jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import {
  API_KEY,
  API_SECRET,
  binanceError,
  binanceExchange,
  exchangeInfo,
  listing,
  PAIR,
  settle,
  startedBinanceExchange,
  URLS,
  useFakeClock,
} from './exchange-helpers.ts'

describe('Binance exchange', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('construction', () => {
    it('starts nothing when constructed: no timer, socket or request', () => {
      const { exchange, rest, sockets } = binanceExchange()
      expect(vi.getTimerCount()).toBe(0)
      expect(rest.requests).toEqual([])
      expect(sockets.sockets).toEqual([])
      expect(exchange.ready).toBe(false)
    })

    it('names itself per domain, supports LIMIT, LIMIT_MAKER and MARKET, and cancels synchronously', () => {
      expect(binanceExchange().exchange.name).toBe('binance')
      expect(binanceExchange({ domain: 'us' }).exchange.name).toBe('binance_us')
      expect(binanceExchange({ domain: 'testnet' }).exchange.name).toBe('binance_testnet')
      const { exchange } = binanceExchange()
      expect(exchange.supportedOrderTypes).toEqual(['LIMIT', 'LIMIT_MAKER', 'MARKET'])
      expect(exchange.isCancelRequestSynchronous).toBe(true)
      expect(exchange.urls).toEqual(URLS)
    })

    it('uses the throttler it is given (shared), and trades only with keys by default', () => {
      const throttler = new Throttler(RATE_LIMITS)
      expect(binanceExchange({ throttler }).exchange.throttler).toBe(throttler)
      expect(createBinanceExchange({ tradingPairs: [PAIR] }).tradingRequired).toBe(false)
      expect(createBinanceExchange({ tradingPairs: [PAIR], apiKey: API_KEY, apiSecret: API_SECRET }).tradingRequired).toBe(true)
      expect(createBinanceExchange({ tradingPairs: [PAIR], apiKey: API_KEY, apiSecret: API_SECRET, tradingRequired: false }).tradingRequired).toBe(false)
      throttler.stop()
    })

    it.each([
      ['trading without keys', { tradingPairs: [PAIR], tradingRequired: true }],
      ['a key without its secret', { tradingPairs: [PAIR], apiKey: API_KEY }],
      ['an empty secret', { tradingPairs: [PAIR], apiKey: API_KEY, apiSecret: '' }],
      ['an unknown domain', { tradingPairs: [PAIR], domain: 'jp' }],
      ['a malformed pair', { tradingPairs: ['BTCUSDT'] }],
      ['a pair with spaces', { tradingPairs: ['BTC -USDT'] }],
      ['pairs that are not a list', { tradingPairs: 'BTC-USDT' }],
      ['a malformed URL', { tradingPairs: [PAIR], urls: { rest: 'not a url' } }],
      ['an unknown URL key', { tradingPairs: [PAIR], urls: { fix: 'wss://x.test' } }],
      ['a recvWindow above 60 s', { tradingPairs: [PAIR], apiKey: API_KEY, apiSecret: API_SECRET, recvWindowMs: 70_000 }],
      ['a non-boolean tradingRequired', { tradingPairs: [PAIR], tradingRequired: 'yes' }],
      ['no options at all', null],
    ])('refuses %s with InvalidInputError, starting nothing', (_case, options) => {
      expect(() => createBinanceExchange(options as never)).toThrow(InvalidInputError)
      expect(vi.getTimerCount()).toBe(0)
    })
  })

  describe('lifecycle', () => {
    it('initial status dict: every flag false and not ready', () => {
      const { exchange } = binanceExchange()
      expect(exchange.statusDict).toEqual({
        symbolsMappingInitialized: false,
        orderBooksInitialized: false,
        accountBalance: false,
        tradingRuleInitialized: false,
        userStreamInitialized: false,
      })
      expect(exchange.ready).toBe(false)
    })

    it('public-only: start() resolves ready with the book synced and no signed request or user stream', async () => {
      const { exchange, rest, sockets } = await startedBinanceExchange({ apiKey: undefined, apiSecret: undefined })
      expect(exchange.ready).toBe(true)
      expect(exchange.statusDict).toEqual({
        symbolsMappingInitialized: true,
        orderBooksInitialized: true,
        accountBalance: true,
        tradingRuleInitialized: true,
        userStreamInitialized: true,
      })
      expect(rest.requests.some((request) => request.url.includes('signature='))).toBe(false)
      expect(sockets.sockets.map((socket) => socket.url)).toEqual([`${URLS.ws}/stream?streams=btcusdt@depth@100ms/btcusdt@trade`])
      const book = exchange.orderBook(PAIR)
      expect(book.status).toBe('live')
      expect(book.bestBid).toEqual({ price: 29990, amount: 1.5, updateId: 100 })
      await exchange.stop()
    })

    it('trading: start() resolves once balances are in and the user stream is subscribed and has spoken', async () => {
      const { exchange, sockets } = await startedBinanceExchange()
      expect(exchange.ready).toBe(true)
      const [subscribe] = sockets.userStream().sentJson as Array<{ method: string; params: Record<string, unknown> }>
      expect(subscribe?.method).toBe('userDataStream.subscribe.signature')
      expect(Object.keys(subscribe?.params ?? {}).sort()).toEqual(['apiKey', 'recvWindow', 'signature', 'timestamp'])
      expect(exchange.getBalance('BTC').toFixed()).toBe('15')
      expect(exchange.getAvailableBalance('BTC').toFixed()).toBe('10')
      await exchange.stop()
    })

    it('Binance.US reads the user stream through a listen key', async () => {
      const { exchange, rest, sockets } = binanceExchange({ domain: 'us' })
      rest.routes.set('POST /v3/userDataStream', () => jsonResponse(200, { listenKey: 'usListenKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP' }))
      rest.routes.set('DELETE /v3/userDataStream', () => jsonResponse(200, {}))
      void exchange.start()
      await settle()
      expect(sockets.sockets.map((socket) => socket.url)).toContain(`${URLS.ws}/ws/usListenKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP`)
      await exchange.stop()
    })

    it('Binance.US: stop() closes the listen key with DELETE before its own throttler stops', async () => {
      const listenKey = 'usListenKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP'
      const { exchange, rest, sockets, events } = binanceExchange({ domain: 'us' })
      rest.routes.set('POST /v3/userDataStream', () => jsonResponse(200, { listenKey }))
      rest.routes.set('DELETE /v3/userDataStream', () => jsonResponse(200, {}))
      void exchange.start().catch(() => undefined)
      await settle()
      expect(sockets.sockets.map((socket) => socket.url)).toContain(`${URLS.ws}/ws/${listenKey}`)
      const stopped = exchange.stop()
      await vi.advanceTimersByTimeAsync(0)
      await stopped
      const deletes = rest.requests.filter((request) => request.method === 'DELETE' && request.url.includes('/v3/userDataStream'))
      expect(deletes.map((request) => new URL(request.url).searchParams.get('listenKey'))).toEqual([listenKey])
      expect(events.errors().map((error) => error.message)).not.toContainEqual(expect.stringMatching(/could not close the listen key/))
    })

    it('stop leaves no timer or socket behind', async () => {
      const { exchange, sockets } = await startedBinanceExchange()
      exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      await exchange.stop()
      expect(vi.getTimerCount()).toBe(0)
      expect(sockets.sockets.every((socket) => socket.readyState === 3)).toBe(true)
    })

    it('restore tracking states only registers open orders', async () => {
      const { exchange } = binanceExchange()
      const saved = (clientOrderId: string, state: string) => ({
        clientOrderId, exchangeOrderId: '1', tradingPair: PAIR, orderType: 'LIMIT', tradeType: 'BUY', price: '30000', amount: '0.01',
        executedAmountBase: '0', executedAmountQuote: '0', state, creationTimestamp: 1, lastUpdateTimestamp: 1, fills: {},
      })
      exchange.restoreTrackingStates({
        open: saved('open', 'OPEN'), cancelled: saved('cancelled', 'CANCELED'), filled: saved('filled', 'FILLED'), failed: saved('failed', 'FAILED'),
      } as never)
      expect([...exchange.inFlightOrders.keys()]).toEqual(['open'])
    })
  })

  describe('market data and rules', () => {
    it('all trading pairs: only TRADING spot symbols are mapped', async () => {
      const { exchange, rest } = binanceExchange({ apiKey: undefined, apiSecret: undefined })
      expect(await exchange.allTradingPairs()).toEqual(['BTC-USDT', 'ETH-BTC'])
      expect(rest.sent('GET /v3/exchangeInfo')).toHaveLength(1)
    })

    it('all trading pairs does not raise: a failed request gives [] and is reported', async () => {
      const { exchange, rest, events } = binanceExchange({ apiKey: undefined, apiSecret: undefined })
      rest.routes.set('GET /v3/exchangeInfo', () => binanceError(400, -1121, 'Invalid symbol.'))
      expect(await exchange.allTradingPairs()).toEqual([])
      expect(events.errors()[0]).toBeInstanceOf(ExchangeTaskError)
    })

    it('update trading rules from the reference filters: tick, step, MARKET_LOT_SIZE with its step disabled, NOTIONAL', async () => {
      const { exchange } = await startedBinanceExchange({ apiKey: undefined, apiSecret: undefined })
      const rule = exchange.tradingRules.get(PAIR) as BinanceTradingRule
      expect(rule.minPriceIncrement.toFixed()).toBe('0.01')
      expect(rule.minBaseAmountIncrement.toFixed()).toBe('0.00001')
      expect(rule.minOrderSize.toFixed()).toBe('0.00001')
      expect(rule.marketBaseAmountIncrement.toFixed()).toBe('0.00001') // MARKET_LOT_SIZE step 0 = disabled: LOT_SIZE's rules
      expect(rule.marketMaxOrderSize.toFixed()).toBe('120')
      expect(rule.minNotionalSize.toFixed()).toBe('10')
      expect(rule.maxNotionalSize?.toFixed()).toBe('10000')
      expect(rule.applyMinNotionalToMarket).toBe(false)
      expect(exchange.tradingRules.get('ETH-BTC')?.maxOrderSize).toBe(UNLIMITED)
      expect([...exchange.tradingRules.keys()]).toEqual(['BTC-USDT', 'ETH-BTC'])
      expect(exchange.symbolMap.exchangeSymbolFor(PAIR)).toBe('BTCUSDT')
      expect(await exchange.allTradingPairs()).toEqual(['BTC-USDT', 'ETH-BTC'])
      await exchange.stop()
    })

    it('update trading rules ignores a rule with an error, and reports it on error', async () => {
      const { exchange, rest, events } = binanceExchange({ apiKey: undefined, apiSecret: undefined })
      rest.routes.set('GET /v3/exchangeInfo', () => {
        const info = exchangeInfo()
        const symbols = info['symbols'] as unknown[]
        return jsonResponse(200, { ...info, symbols: [...symbols, listing({ symbol: 'BADUSDT', baseAsset: 'BAD', quoteAsset: 'USDT', filters: [{ filterType: 'LOT_SIZE', stepSize: 1 }] })] })
      })
      void exchange.start()
      await settle()
      expect([...exchange.tradingRules.keys()]).toEqual(['BTC-USDT', 'ETH-BTC'])
      const problem = events.errors().find((error) => error instanceof PayloadValidationError) as PayloadValidationError
      expect(problem.source).toBe('GET /v3/exchangeInfo symbol BADUSDT')
      await exchange.stop()
    })

    it('get last traded prices: one pair asks by symbol, several by symbols', async () => {
      const { exchange, rest } = binanceExchange({ apiKey: undefined, apiSecret: undefined, tradingPairs: [PAIR, 'ETH-BTC'] })
      const single = await exchange.getLastTradedPrices([PAIR])
      expect(single[PAIR]?.toFixed()).toBe('9999.9')
      expect(rest.sent('GET /v3/ticker/price')[0]?.query.get('symbol')).toBe('BTCUSDT')
      const both = await exchange.getLastTradedPrices([PAIR, 'ETH-BTC'])
      expect(Object.fromEntries(Object.entries(both).map(([pair, price]) => [pair, price.toFixed()]))).toEqual({ 'BTC-USDT': '100.5', 'ETH-BTC': '101.5' })
      expect(rest.sent('GET /v3/ticker/price')[1]?.query.get('symbols')).toBe('["BTCUSDT","ETHBTC"]')
      expect(await exchange.getLastTradedPrices([])).toEqual({})
    })

    it('check network: CONNECTED on a ping answer, NOT_CONNECTED on HTTP 500, and an abort propagates', async () => {
      const { exchange, rest } = binanceExchange({ apiKey: undefined, apiSecret: undefined })
      expect(await exchange.checkNetwork()).toBe('CONNECTED')
      expect(rest.sent('GET /v3/ping')).toHaveLength(1)
      rest.routes.set('GET /v3/ping', () => jsonResponse(500, { code: -1000, msg: 'An unknown error occurred.' }))
      const failing = exchange.checkNetwork()
      await vi.advanceTimersByTimeAsync(5_000) // the GET retries run out
      expect(await failing).toBe('NOT_CONNECTED')
      const controller = new AbortController()
      controller.abort(new Error('cancelled by the caller'))
      await expect(exchange.checkNetwork(controller.signal)).rejects.toThrow('cancelled by the caller')
    })

    it('update balances: free is available, free + locked total; an asset no longer listed is removed', async () => {
      const { exchange, rest, sockets } = await startedBinanceExchange({ intervals: { shortPollMs: 1_000, longPollMs: 1_000 } })
      expect(exchange.getAvailableBalance('USDT').toFixed()).toBe('2000')
      expect(exchange.getBalance('USDT').toFixed()).toBe('2000')
      rest.routes.set('GET /v3/account', () => jsonResponse(200, { balances: [{ asset: 'BTC', free: '10', locked: '5' }] }))
      sockets.userStream().sayEvent({ e: 'balanceUpdate', E: Date.now(), a: 'BTC', d: '1', T: Date.now() }) // ignored
      await vi.advanceTimersByTimeAsync(1_000)
      await settle()
      expect(exchange.getBalance('BTC').toFixed()).toBe('15')
      expect(exchange.balances.has('USDT')).toBe(false)
      expect(exchange.getBalance('USDT').toFixed()).toBe('0')
      await exchange.stop()
    })
  })
})
