// Conformance behaviours of market data, status and account (recipe order): order types, restored
// orders, trading pairs, prices, network check, status flags, trading rules, balances.
import { Big } from '../core/decimal.ts'
import type { InFlightOrderJSON } from '../core/orders/order-state.ts'
import { CONFORMANCE_START_TIME, type ConformanceContext, LAST_TRADED_PRICE, STATUS_POLL_MS } from './conformance-context.ts'

export type Behaviour = readonly [name: string, run: (ctx: ConformanceContext) => Promise<void>]

const decimal = (value: Big | string | undefined): string | undefined => (value === undefined ? undefined : new Big(value).toFixed())

function savedOrder(ctx: ConformanceContext, clientOrderId: string, state: InFlightOrderJSON['state']): InFlightOrderJSON {
  return {
    clientOrderId,
    exchangeOrderId: '1',
    tradingPair: ctx.hooks.tradingPair,
    orderType: 'LIMIT',
    tradeType: 'BUY',
    price: ctx.hooks.order.price,
    amount: ctx.hooks.order.amount,
    executedAmountBase: '0',
    executedAmountQuote: '0',
    state,
    creationTimestamp: CONFORMANCE_START_TIME,
    lastUpdateTimestamp: CONFORMANCE_START_TIME,
    fills: {},
  } as InFlightOrderJSON
}

export const MARKET_BEHAVIOURS: readonly Behaviour[] = [
  [
    'supported order types: the exchange lists exactly the expected ones',
    async ({ exchange, hooks, test }) => {
      test.expect([...exchange.supportedOrderTypes]).toEqual([...hooks.expected.supportedOrderTypes])
    },
  ],
  [
    'restore tracking states: of an open, a canceled, a filled and a failed order only the open one is in flight',
    async (ctx) => {
      ctx.exchange.restoreTrackingStates({
        open: savedOrder(ctx, 'open', 'OPEN'),
        canceled: savedOrder(ctx, 'canceled', 'CANCELED'),
        filled: savedOrder(ctx, 'filled', 'FILLED'),
        failed: savedOrder(ctx, 'failed', 'FAILED'),
      })
      ctx.test.expect([...ctx.exchange.inFlightOrders.keys()]).toEqual(['open'])
    },
  ],
  [
    'all trading pairs: fetched from the listing before start, the suite pair among them',
    async (ctx) => {
      const pairs = await ctx.exchange.allTradingPairs()
      ctx.test.expect(pairs).toContain(ctx.hooks.tradingPair)
      ctx.test.expect(ctx.requestsOf('exchangeInfo')).toHaveLength(1)
    },
  ],
  [
    'all trading pairs: a listed pair that is not tradable is left out',
    async (ctx) => {
      const pairs = await ctx.exchange.allTradingPairs()
      ctx.test.expect(pairs).not.toContain(ctx.hooks.invalidTradingPair)
    },
  ],
  [
    'all trading pairs: a failed request gives [] and reports the failure instead of throwing',
    async (ctx) => {
      ctx.mock.reply('exchangeInfo', ctx.hooks.responses.refusal())
      ctx.test.expect(await ctx.exchange.allTradingPairs()).toEqual([])
      ctx.test.expect(ctx.errors.length).toBeGreaterThan(0)
    },
  ],
  [
    'last traded prices: each pair asked for maps to its last price',
    async (ctx) => {
      const prices = await ctx.exchange.getLastTradedPrices([ctx.hooks.tradingPair])
      ctx.test.expect(Object.keys(prices)).toEqual([ctx.hooks.tradingPair])
      ctx.test.expect(decimal(prices[ctx.hooks.tradingPair])).toBe(decimal(LAST_TRADED_PRICE))
      ctx.test.expect(ctx.requestsOf('lastTradedPrice')).toHaveLength(1)
    },
  ],
  [
    'check network: CONNECTED when the exchange answers',
    async (ctx) => {
      ctx.test.expect(await ctx.exchange.checkNetwork()).toBe('CONNECTED')
      ctx.test.expect(ctx.requestsOf('ping')).toHaveLength(1)
    },
  ],
  [
    'check network: NOT_CONNECTED when the exchange answers HTTP 500',
    async (ctx) => {
      ctx.mock.reply('ping', { status: 500, text: 'Internal Server Error' })
      const checking = ctx.exchange.checkNetwork()
      await ctx.advance(60_000) // any retries run out
      ctx.test.expect(await checking).toBe('NOT_CONNECTED')
    },
  ],
  [
    'check network: an abort of its signal propagates instead of reading as NOT_CONNECTED',
    async (ctx) => {
      const controller = new AbortController()
      controller.abort(new Error('cancelled by the caller'))
      let outcome: unknown = 'resolved'
      await ctx.exchange.checkNetwork(controller.signal).catch((error: unknown) => (outcome = error))
      ctx.test.expect(outcome instanceof Error && outcome.message).toBe('cancelled by the caller')
    },
  ],
  [
    'initial status dict: every flag false and not ready before start',
    async (ctx) => {
      ctx.test.expect(ctx.exchange.statusDict).toEqual({
        symbolsMappingInitialized: false,
        orderBooksInitialized: false,
        accountBalance: false,
        tradingRuleInitialized: false,
        userStreamInitialized: false,
      })
      ctx.test.expect(ctx.exchange.ready).toBe(false)
    },
  ],
  [
    'update trading rules: the rule read from the listing equals the expected one',
    async (ctx) => {
      await ctx.start()
      const rule = ctx.exchange.tradingRules.get(ctx.hooks.tradingPair)
      const expected = ctx.hooks.expected.tradingRule
      ctx.test.expect({
        minOrderSize: decimal(rule?.minOrderSize),
        minPriceIncrement: decimal(rule?.minPriceIncrement),
        minBaseAmountIncrement: decimal(rule?.minBaseAmountIncrement),
        minNotionalSize: decimal(rule?.minNotionalSize),
      }).toEqual({
        minOrderSize: decimal(expected.minOrderSize),
        minPriceIncrement: decimal(expected.minPriceIncrement),
        minBaseAmountIncrement: decimal(expected.minBaseAmountIncrement),
        minNotionalSize: decimal(expected.minNotionalSize),
      })
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'update trading rules: a malformed rule is skipped and reported, and no rule is kept for it',
    async (ctx) => {
      ctx.mock.reply('exchangeInfo', ctx.hooks.responses.exchangeInfoWithMalformedRule())
      void ctx.exchange.start().catch(() => undefined)
      await ctx.settle()
      ctx.test.expect(ctx.exchange.tradingRules.has(ctx.hooks.tradingPair)).toBe(false)
      ctx.test.expect(ctx.errors.filter((error) => ctx.hooks.expected.isMalformedRuleError(error)).length).toBeGreaterThan(0)
      await ctx.stopAndCheckClean()
    },
  ],
]

export const BALANCE_BEHAVIOURS: readonly Behaviour[] = [
  [
    'update balances: available and total per asset; an asset no longer listed is removed',
    async (ctx) => {
      await ctx.start()
      const { baseAsset, quoteAsset, exchange, test } = ctx
      test.expect([decimal(exchange.getAvailableBalance(baseAsset)), decimal(exchange.getBalance(baseAsset))]).toEqual(['10', '15'])
      test.expect([decimal(exchange.getAvailableBalance(quoteAsset)), decimal(exchange.getBalance(quoteAsset))]).toEqual(['2000', '2000'])
      ctx.mock.reply('balances', ctx.hooks.responses.balances([{ asset: baseAsset, available: '10', total: '15' }]))
      await ctx.advance(STATUS_POLL_MS)
      test.expect(exchange.balances.has(quoteAsset)).toBe(false)
      test.expect(decimal(exchange.getBalance(quoteAsset))).toBe('0')
      test.expect(decimal(exchange.getBalance(baseAsset))).toBe('15')
      await ctx.stopAndCheckClean()
    },
  ],
]
