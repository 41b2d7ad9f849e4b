// Bad input to every public method of the Binance exchange (issue 10): a programming error (wrong
// type, malformed pair, NaN, unknown order type) throws or rejects with `InvalidInputError` at once;
// an order that breaks the pair's trading rule (off tick, off step, below min notional, unlisted
// pair) fails with an `orderFailure` event. Either way no request and no socket message leaves.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBinanceExchange } from '../../../src/connectors/binance/index.ts'
import { watchOrderBook } from '../../../src/connectors/binance/watch-order-book.ts'
import { Big } from '../../../src/core/decimal.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import { ORDER_CHECK_FAILURE } from '../../../src/core/exchange/order-placement.ts'
import { API_KEY, API_SECRET, binanceExchange, PAIR, settle, startedBinanceExchange, URLS, useFakeClock } from './exchange-helpers.ts'

type Started = Awaited<ReturnType<typeof startedBinanceExchange>>

/** Every request and every socket message sent so far. */
function outbound({ rest, sockets }: Started): number {
  return rest.requests.length + sockets.sockets.reduce((count, socket) => count + socket.sent.length, 0)
}

/** Runs `act`, lets everything settle, and asserts that nothing left the process. */
async function expectNothingSent(harness: Started, act: () => unknown): Promise<void> {
  const before = outbound(harness)
  await act()
  await settle()
  expect(outbound(harness)).toBe(before)
}

const BAD_AMOUNTS: ReadonlyArray<readonly [string, unknown]> = [
  ['negative', '-0.01'],
  ['zero', '0'],
  ['NaN', Number.NaN],
  ['the text NaN', 'NaN'],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['the text Infinity', 'Infinity'],
  ['exponent notation', '1e-2'],
  ['a huge exponent', '1e999999999'],
  ['non-numeric text', 'lots'],
  ['an empty string', ''],
  ['hex', '0x10'],
  ['a boolean', true],
  ['null', null],
  ['an object', { amount: '1' }],
  ['a BigInt', 1n],
  ['an array', ['0.01']],
]

describe('Binance exchange: bad input', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('createBinanceExchange options: InvalidInputError at construction, nothing started', () => {
    const base = { apiKey: API_KEY, apiSecret: API_SECRET, tradingPairs: [PAIR], urls: URLS }
    it.each<[string, unknown]>([
      ['no options', undefined],
      ['tradingPairs not an array', { ...base, tradingPairs: 'BTC-USDT' }],
      ['a pair not BASE-QUOTE', { ...base, tradingPairs: ['BTCUSDT'] }],
      ['a pair that is not a string', { ...base, tradingPairs: [42] }],
      ['an unknown domain', { ...base, domain: 'moon' }],
      ['a malformed url', { ...base, urls: { rest: 'not a url' } }],
      ['an unknown url key', { ...base, urls: { grpc: 'https://x.test' } }],
      ['a key without a secret', { apiKey: API_KEY, tradingPairs: [PAIR] }],
      ['an empty key', { apiKey: '', apiSecret: API_SECRET, tradingPairs: [PAIR] }],
      ['trading without keys', { tradingPairs: [PAIR], tradingRequired: true }],
      ['tradingRequired not a boolean', { ...base, tradingRequired: 'yes' }],
      ['a snapshot depth of 0', { ...base, snapshotDepth: 0 }],
      ['a NaN recvWindow', { ...base, recvWindowMs: Number.NaN }],
      ['a fractional snapshot depth', { ...base, snapshotDepth: 10.5 }],
      ['a rate-limit share of 0', { ...base, rateLimitSharePercent: 0 }],
      ['a rate-limit share above 100', { ...base, rateLimitSharePercent: 150 }],
    ])('%s', (_name, options) => {
      const fetch = vi.fn()
      expect(() => createBinanceExchange({ fetch, ...(options as object) } as never)).toThrow(InvalidInputError)
      expect(fetch).not.toHaveBeenCalled()
    })
  })

  describe('buy / sell: malformed input throws InvalidInputError at once; nothing tracked, nothing sent', () => {
    it.each(BAD_AMOUNTS)('amount: %s', async (_name, amount) => {
      const harness = await startedBinanceExchange()
      await expectNothingSent(harness, () => {
        expect(() => harness.exchange.buy(PAIR, amount as string, 'LIMIT', '30000')).toThrow(InvalidInputError)
        expect(() => harness.exchange.sell(PAIR, amount as string, 'MARKET')).toThrow(InvalidInputError)
      })
      expect(harness.exchange.inFlightOrders.size).toBe(0)
      expect(harness.events.recorded).toEqual([])
      await harness.exchange.stop()
    })

    it.each(BAD_AMOUNTS)('price: %s (also when given with a MARKET order)', async (_name, price) => {
      const harness = await startedBinanceExchange()
      await expectNothingSent(harness, () => {
        expect(() => harness.exchange.buy(PAIR, '0.01', 'LIMIT', price as string)).toThrow(InvalidInputError)
        expect(() => harness.exchange.sell(PAIR, '0.01', 'LIMIT_MAKER', price as string)).toThrow(InvalidInputError)
        expect(() => harness.exchange.buy(PAIR, '0.01', 'MARKET', price as string)).toThrow(InvalidInputError)
      })
      expect(harness.exchange.inFlightOrders.size).toBe(0)
      await harness.exchange.stop()
    })

    it.each<[string, unknown[]]>([
      ['a pair without a dash', ['BTCUSDT', '0.01', 'LIMIT', '30000']],
      ['a pair with an empty side', ['BTC-', '0.01', 'LIMIT', '30000']],
      ['a pair that is not a string', [42, '0.01', 'LIMIT', '30000']],
      ['a missing pair', [undefined, '0.01', 'LIMIT', '30000']],
      ['an unknown order type', [PAIR, '0.01', 'STOP_LOSS', '30000']],
      ['a lower-case order type', [PAIR, '0.01', 'limit', '30000']],
      ['an order type that is not a string', [PAIR, '0.01', 1, '30000']],
      ['a LIMIT order without a price', [PAIR, '0.01', 'LIMIT']],
      ['a LIMIT_MAKER order without a price', [PAIR, '0.01', 'LIMIT_MAKER']],
    ])('%s', async (_name, args) => {
      const harness = await startedBinanceExchange()
      const buy = harness.exchange.buy.bind(harness.exchange) as (...values: unknown[]) => string
      await expectNothingSent(harness, () => expect(() => buy(...args)).toThrow(InvalidInputError))
      expect(harness.exchange.inFlightOrders.size).toBe(0)
      await harness.exchange.stop()
    })

    it('a Big amount and a finite number are accepted as exact decimals', async () => {
      const harness = await startedBinanceExchange()
      harness.exchange.buy(PAIR, new Big('0.01'), 'LIMIT', 30000.5)
      await settle()
      const [sent] = harness.rest.sent('POST /v3/order')
      expect(sent?.query.get('quantity')).toBe('0.01')
      expect(sent?.query.get('price')).toBe('30000.5')
      await harness.exchange.stop()
    })
  })

  describe("buy / sell: an order that breaks the pair's rule fails with orderFailure; nothing sent", () => {
    it.each<[string, string, string, RegExp, string]>([
      ['price off the tick', '0.01', '30000.001', /price 30000.001 is not on the 0.01 tick of BTC-USDT/, ORDER_CHECK_FAILURE.tradingRuleViolation],
      ['price under one tick', '1', '0.001', /not on the 0.01 tick/, ORDER_CHECK_FAILURE.tradingRuleViolation],
      ['amount off the step', '0.010001', '30000', /amount 0.010001 is not a multiple of the 0.00001 step/, ORDER_CHECK_FAILURE.tradingRuleViolation],
      ['notional below the minimum', '0.0001', '30000', /below the minimum notional/, ORDER_CHECK_FAILURE.tradingRuleViolation],
      ['amount above the maximum', '9001', '30000', /above the maximum order size/, ORDER_CHECK_FAILURE.tradingRuleViolation],
    ])('%s', async (_name, amount, price, message, errorType) => {
      const harness = await startedBinanceExchange()
      let id = ''
      await expectNothingSent(harness, () => {
        id = harness.exchange.buy(PAIR, amount, 'LIMIT', price)
      })
      const [failure] = harness.events.of('orderFailure')
      expect(failure).toMatchObject({ clientOrderId: id, tradingPair: PAIR, errorType })
      expect(failure?.errorMessage).toMatch(message)
      expect(harness.exchange.inFlightOrders.has(id)).toBe(false)
      await harness.exchange.stop()
    })

    it('an order before start() fails with ExchangeNotRunning', async () => {
      const harness = binanceExchange()
      const id = harness.exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      expect(harness.rest.requests).toEqual([])
      expect(harness.events.of('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: ORDER_CHECK_FAILURE.notRunning })
    })

    it('a well-formed pair Binance does not list fails with MissingTradingRule', async () => {
      const harness = await startedBinanceExchange()
      let id = ''
      await expectNothingSent(harness, () => {
        id = harness.exchange.buy('DOGE-MOON', '1', 'LIMIT', '1')
      })
      expect(harness.events.of('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: ORDER_CHECK_FAILURE.missingTradingRule })
      await harness.exchange.stop()
    })
  })

  describe('cancel / cancelAll', () => {
    it.each<[string, unknown[]]>([
      ['a pair not BASE-QUOTE', ['BTCUSDT', 'x-1']],
      ['a pair that is not a string', [null, 'x-1']],
      ['an id that is not a string', [PAIR, 42]],
      ['an empty id', [PAIR, '']],
    ])('cancel with %s rejects with InvalidInputError; nothing sent', async (_name, args) => {
      const harness = await startedBinanceExchange()
      const cancel = harness.exchange.cancel.bind(harness.exchange) as (...values: unknown[]) => Promise<boolean>
      await expectNothingSent(harness, () => expect(cancel(...args)).rejects.toThrow(InvalidInputError))
      await harness.exchange.stop()
    })

    it('cancel of an unknown id resolves false; nothing sent', async () => {
      const harness = await startedBinanceExchange()
      await expectNothingSent(harness, async () => expect(await harness.exchange.cancel(PAIR, 'never-placed')).toBe(false))
      await harness.exchange.stop()
    })

    it('cancel of an order under another pair rejects with InvalidInputError; nothing sent', async () => {
      const harness = await startedBinanceExchange()
      const id = harness.exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      await expectNothingSent(harness, () => expect(harness.exchange.cancel('ETH-BTC', id)).rejects.toThrow(InvalidInputError))
      await harness.exchange.stop()
    })

    it.each<[string, unknown]>([
      ['NaN', Number.NaN],
      ['negative', -1],
      ['zero', 0],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a string', '1000'],
      ['missing', undefined],
    ])('cancelAll with a %s timeout rejects with InvalidInputError; nothing sent', async (_name, timeout) => {
      const harness = await startedBinanceExchange()
      harness.exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      await expectNothingSent(harness, () => expect(harness.exchange.cancelAll(timeout as number)).rejects.toThrow(InvalidInputError))
      await harness.exchange.stop()
    })
  })

  describe('market data, balances, saved states', () => {
    it('orderBook of an unknown or malformed pair throws InvalidInputError', async () => {
      const harness = await startedBinanceExchange()
      expect(() => harness.exchange.orderBook('ETH-USDT')).toThrow(InvalidInputError)
      expect(() => harness.exchange.orderBook('BTCUSDT')).toThrow(InvalidInputError)
      expect(() => harness.exchange.orderBook(7 as never)).toThrow(InvalidInputError)
      await harness.exchange.stop()
    })

    it.each<[string, unknown]>([
      ['a number', 1],
      ['null', null],
      ['an empty string', ''],
      ['an object', {}],
    ])('getBalance / getAvailableBalance of %s throw InvalidInputError', async (_name, asset) => {
      const harness = await startedBinanceExchange()
      expect(() => harness.exchange.getBalance(asset as string)).toThrow(InvalidInputError)
      expect(() => harness.exchange.getAvailableBalance(asset as string)).toThrow(InvalidInputError)
      expect(harness.exchange.getBalance('DOGE').toFixed()).toBe('0')
      await harness.exchange.stop()
    })

    it.each<[string, unknown]>([
      ['an unlisted pair', ['DOGE-MOON']],
      ['a listed and an unlisted pair', [PAIR, 'DOGE-MOON']],
      ['a pair not BASE-QUOTE', ['BTCUSDT']],
      ['a pair that is not a string', [1]],
      ['not an array', 'BTC-USDT'],
    ])('getLastTradedPrices with %s rejects with InvalidInputError; nothing sent', async (_name, pairs) => {
      const harness = await startedBinanceExchange()
      await expectNothingSent(harness, () =>
        expect(harness.exchange.getLastTradedPrices(pairs as string[])).rejects.toThrow(InvalidInputError),
      )
      await harness.exchange.stop()
    })

    it('restoreTrackingStates: a non-object throws InvalidInputError; a malformed saved order is skipped and reported', async () => {
      const harness = await startedBinanceExchange()
      for (const states of [null, 'saved', 42, [1, 2]]) {
        expect(() => harness.exchange.restoreTrackingStates(states as never)).toThrow(InvalidInputError)
      }
      const good = harness.exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      const saved = harness.exchange.trackingStates
      const broken = {
        a: null,
        b: { ...saved[good], clientOrderId: 'b', amount: 'NaN' },
        c: { ...saved[good], clientOrderId: 'c', orderType: 'STOP' },
        d: { ...saved[good], clientOrderId: 'd', tradingPair: 'BTCUSDT' },
        e: { ...saved[good], clientOrderId: 'e', fills: { x: { tradeId: 1n } } },
      }
      await expectNothingSent(harness, () => harness.exchange.restoreTrackingStates(broken as never))
      expect([...harness.exchange.inFlightOrders.keys()]).toEqual([good])
      const errors = harness.events.errors()
      expect(errors).toHaveLength(5)
      for (const error of errors) expect(error).toBeInstanceOf(InvalidInputError)
      await harness.exchange.stop()
    })
  })

  describe('watchOrderBook: InvalidInputError at once, nothing opened or fetched', () => {
    it.each<[string, unknown]>([
      ['no options', undefined],
      ['a pair not BASE-QUOTE', { tradingPair: 'BTCUSDT' }],
      ['a lower-case pair', { tradingPair: 'btc-usdt' }],
      ['a pair that is not a string', { tradingPair: ['BTC', 'USDT'] }],
      ['an unknown domain', { tradingPair: PAIR, domain: 'moon' }],
      ['a malformed rest url', { tradingPair: PAIR, urls: { rest: 'api.binance.com' } }],
      ['a ws url that is not a string', { tradingPair: PAIR, urls: { ws: 42 } }],
      ['a depth of 0', { tradingPair: PAIR, depth: 0 }],
      ['a depth of 5001', { tradingPair: PAIR, depth: 5001 }],
      ['a NaN depth', { tradingPair: PAIR, depth: Number.NaN }],
      ['an onUpdate that is not a function', { tradingPair: PAIR, onUpdate: 'render' }],
      ['a signal that is not an AbortSignal', { tradingPair: PAIR, signal: {} }],
    ])('%s', (_name, options) => {
      const fetch = vi.fn()
      const socketFactory = vi.fn()
      const withFakes = options === undefined ? undefined : { fetch, socketFactory, ...(options as object) }
      expect(() => watchOrderBook(withFakes as never)).toThrow(InvalidInputError)
      expect(fetch).not.toHaveBeenCalled()
      expect(socketFactory).not.toHaveBeenCalled()
    })
  })
})
