// Conformance behaviours of the user stream and of lost orders (recipe order).
import { Big } from '../core/decimal.ts'
import { LOST_ORDER_POLL_MS, STATUS_POLL_MS } from './conformance-context.ts'
import type { Behaviour } from './conformance-market.ts'
import { expectedFill, fillSummary } from './conformance-orders.ts'

const decimal = (value: Big | undefined): string | undefined => value?.toFixed()

export const USER_STREAM_BEHAVIOURS: readonly Behaviour[] = [
  [
    'user stream new order: an order whose create went unanswered becomes OPEN with its exchange id, with buyOrderCreated',
    async (ctx) => {
      await ctx.start()
      ctx.mock.reply('createOrder', { status: 503, text: 'Service Unavailable' })
      const order = await ctx.placeOpen('BUY')
      ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.state).toBe('PENDING_CREATE')
      ctx.feedUserStream(ctx.hooks.streams.orderNew(order))
      await ctx.settle()
      ctx.test.expect(ctx.eventsNamed('buyOrderCreated')).toMatchObject([{ clientOrderId: order.clientOrderId, exchangeOrderId: order.exchangeOrderId }])
      ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.state).toBe('OPEN')
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'user stream canceled order: orderCancelled, the order cancelled, done and out of flight',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.feedUserStream(ctx.hooks.streams.orderCanceled(order))
      await ctx.settle()
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toMatchObject([{ clientOrderId: order.clientOrderId, exchangeOrderId: order.exchangeOrderId }])
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'user stream full fill: orderFilled with price, amount and fee, then completed with the executed amounts, out of flight',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      const fill = ctx.fill(order)
      ctx.feedUserStream(ctx.hooks.streams.orderFilled(order, fill))
      await ctx.settle()
      ctx.test.expect(ctx.orderEventNames).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
      ctx.test.expect(fillSummary(ctx.eventsNamed('orderFilled')[0])).toEqual(expectedFill(order, fill))
      const [completed] = ctx.eventsNamed('buyOrderCompleted')
      ctx.test.expect([decimal(completed?.executedAmountBase), decimal(completed?.executedAmountQuote)]).toEqual([
        new Big(order.amount).toFixed(),
        new Big(order.amount).times(fill.price).toFixed(),
      ])
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'user stream balance: a balance event sets the asset available and total (or, without a balance channel, the next poll does)',
    async (ctx) => {
      await ctx.start()
      const changed = { asset: ctx.quoteAsset, available: '1400', total: '2000' }
      const balanceEvent = ctx.hooks.streams.balance?.(changed)
      if (balanceEvent === undefined) {
        // The recipe makes the balance channel optional: such an exchange must learn it by polling.
        ctx.mock.reply('balances', ctx.hooks.responses.balances([changed]))
        await ctx.advance(STATUS_POLL_MS)
      } else {
        ctx.feedUserStream(balanceEvent)
        await ctx.settle()
      }
      ctx.test.expect([decimal(ctx.exchange.getAvailableBalance(ctx.quoteAsset)), decimal(ctx.exchange.getBalance(ctx.quoteAsset))]).toEqual(['1400', '2000'])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'user stream errors: a malformed event is reported and the next event is still handled',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.feedUserStream(ctx.hooks.streams.malformedEvent())
      ctx.feedUserStream(ctx.hooks.streams.orderCanceled(order))
      await ctx.settle()
      ctx.test.expect(ctx.errors.length).toBeGreaterThan(0)
      ctx.test.expect(ctx.eventsNamed('orderCancelled').map((event) => event.clientOrderId)).toEqual([order.clientOrderId])
      await ctx.stopAndCheckClean()
    },
  ],
]

export const LOST_ORDER_BEHAVIOURS: readonly Behaviour[] = [
  [
    'lost order: status polling still fetches its fills (orderFilled, no completed) but no longer its status',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.makeLost(order)
      ctx.test.expect(ctx.exchange.trackingStates[order.clientOrderId]?.state).toBe('FAILED')
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      const statusRequestsBefore = ctx.requestsOf('orderStatus').length
      const fill = ctx.fill(order, new Big(order.amount).div(2).toFixed())
      ctx.mock.reply('orderFills', ctx.hooks.responses.orderFills(order, [fill]))
      await ctx.advance(STATUS_POLL_MS)
      if (ctx.hooks.expected.fillsFetchedDuringStatusUpdate) {
        ctx.test.expect(ctx.eventsNamed('orderFilled').map(fillSummary)).toEqual([expectedFill(order, fill)])
      }
      ctx.test.expect(ctx.requestsOf('orderStatus').length).toBe(statusRequestsBefore)
      ctx.test.expect(ctx.eventsNamed('buyOrderCompleted')).toEqual([])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'lost order cancel: the lost-order loop cancels it; a synchronous cancel drops it without orderCancelled',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.makeLost(order)
      ctx.mock.reply('orderStatus', ctx.hooks.responses.refusal())
      await ctx.advance(LOST_ORDER_POLL_MS)
      const cancels = ctx.requestsOf('cancelOrder')
      ctx.test.expect(cancels.length).toBeGreaterThan(0)
      for (const request of cancels) ctx.hooks.validators.orderCancellation(request, order)
      if (ctx.exchange.isCancelRequestSynchronous) ctx.test.expect(ctx.exchange.trackingStates[order.clientOrderId]).toBeUndefined()
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toEqual([])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'lost order cancel fails: the order stays lost, no event, the failure reported',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.makeLost(order)
      ctx.mock.reply('cancelOrder', ctx.hooks.responses.refusal())
      ctx.mock.reply('orderStatus', ctx.hooks.responses.refusal())
      const errorsBefore = ctx.errors.length
      await ctx.advance(LOST_ORDER_POLL_MS)
      ctx.test.expect(ctx.requestsOf('cancelOrder').length).toBeGreaterThan(0)
      ctx.test.expect(ctx.exchange.trackingStates[order.clientOrderId]?.state).toBe('FAILED')
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toEqual([])
      ctx.test.expect(ctx.errors.slice(errorsBefore).some((error) => error.message.includes(order.clientOrderId))).toBe(true)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'lost order unknown to the exchange: the lost-order loop drops it, with no completed event',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.makeLost(order)
      ctx.mock.reply('cancelOrder', ctx.hooks.responses.orderNotFound('cancel'))
      await ctx.advance(LOST_ORDER_POLL_MS)
      ctx.test.expect(ctx.exchange.trackingStates[order.clientOrderId]).toBeUndefined()
      ctx.test.expect(ctx.eventsNamed('buyOrderCompleted')).toEqual([])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'lost order canceled on the user stream: dropped without orderCancelled',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.makeLost(order)
      ctx.feedUserStream(ctx.hooks.streams.orderCanceled(order))
      await ctx.settle()
      ctx.test.expect(ctx.exchange.trackingStates[order.clientOrderId]).toBeUndefined()
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toEqual([])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'lost order full fill on the user stream: orderFilled, no completed event, dropped',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.makeLost(order)
      const fill = ctx.fill(order)
      ctx.feedUserStream(ctx.hooks.streams.orderFilled(order, fill))
      await ctx.settle()
      ctx.test.expect(ctx.eventsNamed('orderFilled').map(fillSummary)).toEqual([expectedFill(order, fill)])
      ctx.test.expect(ctx.eventsNamed('buyOrderCompleted')).toEqual([])
      ctx.test.expect(ctx.exchange.trackingStates[order.clientOrderId]).toBeUndefined()
      await ctx.stopAndCheckClean()
    },
  ],
]
