// Conformance behaviours of order placement, cancellation and status polling (recipe order).
import { Big } from '../core/decimal.ts'
import type { OrderFilledEvent } from '../core/orders/order-events.ts'
import type { ConformanceContext } from './conformance-context.ts'
import { STATUS_POLL_MS } from './conformance-context.ts'
import type { ConformanceFill, ConformanceOrder } from './conformance-hooks.ts'
import type { Behaviour } from './conformance-market.ts'

const decimal = (value: Big | string | undefined): string | undefined => (value === undefined ? undefined : new Big(value).toFixed())

/** A fill event as comparable strings. */
export function fillSummary(event: OrderFilledEvent | undefined) {
  return event && {
    clientOrderId: event.clientOrderId,
    tradeId: event.tradeId,
    price: decimal(event.price),
    amount: decimal(event.amount),
    fees: event.fee.flatFees.map((fee) => [fee.token, decimal(fee.amount)]),
  }
}

export function expectedFill(order: ConformanceOrder, fill: ConformanceFill) {
  return {
    clientOrderId: order.clientOrderId,
    tradeId: fill.tradeId,
    price: decimal(fill.price),
    amount: decimal(fill.amount),
    fees: [[fill.feeToken, decimal(fill.feeAmount)]],
  }
}

async function createsSuccessfully(ctx: ConformanceContext, tradeType: 'BUY' | 'SELL'): Promise<void> {
  const { test } = ctx
  await ctx.start()
  const order = await ctx.placeOpen(tradeType)
  const [request] = ctx.requestsOf('createOrder')
  test.expect(request).toBeDefined()
  if (request === undefined) return
  ctx.hooks.validators.authenticated(request)
  ctx.hooks.validators.orderCreation(request, order)
  const created = ctx.eventsNamed(tradeType === 'BUY' ? 'buyOrderCreated' : 'sellOrderCreated')
  test.expect(created.map((event) => ({ ...event, amount: decimal(event.amount), price: decimal(event.price) }))).toMatchObject([
    {
      clientOrderId: order.clientOrderId,
      exchangeOrderId: order.exchangeOrderId,
      tradingPair: order.tradingPair,
      orderType: 'LIMIT',
      tradeType,
      amount: decimal(order.amount),
      price: decimal(order.price),
    },
  ])
  test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.state).toBe('OPEN')
  await ctx.stopAndCheckClean()
}

export const ORDER_BEHAVIOURS: readonly Behaviour[] = [
  ['create buy LIMIT order: one signed request with the order parameters, then buyOrderCreated', (ctx) => createsSuccessfully(ctx, 'BUY')],
  ['create sell LIMIT order: one signed request with the order parameters, then sellOrderCreated', (ctx) => createsSuccessfully(ctx, 'SELL')],
  [
    'create order refused by the exchange: orderFailure, no created event, the order leaves the flight',
    async (ctx) => {
      await ctx.start()
      ctx.mock.reply('createOrder', ctx.hooks.responses.refusal())
      const order = await ctx.placeOpen('BUY')
      ctx.test.expect(ctx.requestsOf('createOrder')).toHaveLength(1)
      ctx.test.expect(ctx.orderEventNames).toEqual(['orderFailure'])
      ctx.test.expect(ctx.eventsNamed('orderFailure')[0]).toMatchObject({ clientOrderId: order.clientOrderId, orderType: 'LIMIT', tradeType: 'BUY' })
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'create order breaking the trading rule: orderFailure with nothing sent, while a valid order after it is sent',
    async (ctx) => {
      await ctx.start()
      const tooSmall = ctx.place('BUY', ctx.hooks.amountBelowMinimum)
      await ctx.settle()
      ctx.test.expect(ctx.requestsOf('createOrder')).toHaveLength(0)
      ctx.test.expect(ctx.eventsNamed('orderFailure').map((event) => event.clientOrderId)).toEqual([tooSmall.clientOrderId])
      ctx.test.expect(ctx.exchange.inFlightOrders.has(tooSmall.clientOrderId)).toBe(false)
      ctx.mock.reply('createOrder', ctx.hooks.responses.refusal())
      const valid = await ctx.placeOpen('BUY')
      ctx.test.expect(ctx.requestsOf('createOrder')).toHaveLength(1)
      ctx.test.expect(ctx.eventsNamed('orderFailure').map((event) => event.clientOrderId)).toEqual([tooSmall.clientOrderId, valid.clientOrderId])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'cancel order successfully: one signed cancel request; orderCancelled and out of flight when cancels are synchronous',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.test.expect(await ctx.exchange.cancel(order.tradingPair, order.clientOrderId)).toBe(true)
      const [request] = ctx.requestsOf('cancelOrder')
      if (request === undefined) throw new Error('no cancel request was sent')
      ctx.hooks.validators.authenticated(request)
      ctx.hooks.validators.orderCancellation(request, order)
      if (ctx.exchange.isCancelRequestSynchronous) {
        ctx.test.expect(ctx.eventsNamed('orderCancelled')).toMatchObject([
          { clientOrderId: order.clientOrderId, exchangeOrderId: order.exchangeOrderId, tradingPair: order.tradingPair },
        ])
        ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      } else {
        ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.state).toBe('PENDING_CANCEL')
      }
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'cancel order request fails: false, no orderCancelled, the failure reported naming the order',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.mock.reply('cancelOrder', ctx.hooks.responses.refusal())
      ctx.test.expect(await ctx.exchange.cancel(order.tradingPair, order.clientOrderId)).toBe(false)
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toEqual([])
      ctx.test.expect(ctx.errors.some((error) => error.message.includes(order.clientOrderId))).toBe(true)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'cancel order not found on the exchange: false; the order stays open, neither failed nor cancelled',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.mock.reply('cancelOrder', ctx.hooks.responses.orderNotFound('cancel'))
      ctx.test.expect(await ctx.exchange.cancel(order.tradingPair, order.clientOrderId)).toBe(false)
      const tracked = ctx.exchange.inFlightOrders.get(order.clientOrderId)
      ctx.test.expect([tracked?.state, tracked?.isFailure, tracked?.isCancelled]).toEqual(['OPEN', false, false])
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toEqual([])
      ctx.test.expect(ctx.eventsNamed('orderFailure')).toEqual([])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'cancel all with one failure: one success and one failure, and one orderCancelled',
    async (ctx) => {
      await ctx.start()
      const first = await ctx.placeOpen('BUY')
      const second = await ctx.placeOpen('SELL')
      ctx.mock.reply('cancelOrder', (request) => {
        const order = ctx.orderOf(request, ctx.hooks.validators.orderCancellation)
        return order === first ? ctx.hooks.responses.orderCanceled(first) : ctx.hooks.responses.refusal()
      })
      ctx.test.expect(await ctx.exchange.cancelAll(10_000)).toEqual([
        { clientOrderId: first.clientOrderId, success: true },
        { clientOrderId: second.clientOrderId, success: false },
      ])
      if (ctx.exchange.isCancelRequestSynchronous) {
        ctx.test.expect(ctx.eventsNamed('orderCancelled').map((event) => event.clientOrderId)).toEqual([first.clientOrderId])
      }
      await ctx.stopAndCheckClean()
    },
  ],
]

export const STATUS_BEHAVIOURS: readonly Behaviour[] = [
  [
    'order status FILLED: orderFilled with the fill and its fee, then completed with the executed amounts, out of flight',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      const fill = ctx.fill(order)
      ctx.mock.reply('orderFills', ctx.hooks.responses.orderFills(order, [fill]))
      ctx.mock.reply('orderStatus', ctx.hooks.responses.orderStatus(order, 'FILLED', order.amount))
      await ctx.advance(STATUS_POLL_MS)
      const [statusRequest] = ctx.requestsOf('orderStatus')
      if (statusRequest === undefined) throw new Error('no status request was sent')
      ctx.hooks.validators.authenticated(statusRequest)
      ctx.hooks.validators.orderStatus(statusRequest, order)
      if (ctx.hooks.expected.fillsFetchedDuringStatusUpdate) {
        const [fillsRequest] = ctx.requestsOf('orderFills')
        if (fillsRequest === undefined) throw new Error('no fills request was sent')
        ctx.hooks.validators.orderFills(fillsRequest, order)
        ctx.test.expect(ctx.orderEventNames).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
        ctx.test.expect(fillSummary(ctx.eventsNamed('orderFilled')[0])).toEqual(expectedFill(order, fill))
        const [completed] = ctx.eventsNamed('buyOrderCompleted')
        ctx.test.expect([decimal(completed?.executedAmountBase), decimal(completed?.executedAmountQuote)]).toEqual([
          decimal(order.amount),
          new Big(order.amount).times(order.price).toFixed(),
        ])
      }
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'order status CANCELED: orderCancelled naming both ids, out of flight',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.mock.reply('orderStatus', ctx.hooks.responses.orderStatus(order, 'CANCELED', '0'))
      await ctx.advance(STATUS_POLL_MS)
      ctx.test.expect(ctx.eventsNamed('orderCancelled')).toMatchObject([{ clientOrderId: order.clientOrderId, exchangeOrderId: order.exchangeOrderId }])
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'order status unchanged (open): the order stays open, not filled, not done, no event',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      await ctx.advance(STATUS_POLL_MS)
      ctx.test.expect(ctx.requestsOf('orderStatus').length).toBeGreaterThan(0)
      const tracked = ctx.exchange.inFlightOrders.get(order.clientOrderId)
      ctx.test.expect([tracked?.isOpen, tracked?.isFilled, tracked?.isDone]).toEqual([true, false, false])
      ctx.test.expect(ctx.orderEventNames).toEqual(['buyOrderCreated'])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'order status request fails: the order stays open and is not failed after one failure',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.mock.reply('orderStatus', { status: 500, text: 'Internal Server Error' })
      await ctx.advance(STATUS_POLL_MS)
      ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.isOpen).toBe(true)
      ctx.test.expect(ctx.eventsNamed('orderFailure')).toEqual([])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'order status PARTIALLY_FILLED: orderFilled with the partial fill and its fee; the order stays open',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      const half = new Big(order.amount).div(2).toFixed()
      const fill = ctx.fill(order, half)
      ctx.mock.reply('orderFills', ctx.hooks.responses.orderFills(order, [fill]))
      ctx.mock.reply('orderStatus', ctx.hooks.responses.orderStatus(order, 'PARTIALLY_FILLED', half))
      await ctx.advance(STATUS_POLL_MS)
      const tracked = ctx.exchange.inFlightOrders.get(order.clientOrderId)
      ctx.test.expect([tracked?.state, tracked?.isOpen]).toEqual(['PARTIALLY_FILLED', true])
      if (ctx.hooks.expected.fillsFetchedDuringStatusUpdate) {
        ctx.test.expect(ctx.eventsNamed('orderFilled').map(fillSummary)).toEqual([expectedFill(order, fill)])
      }
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'order status FILLED while the fills request fails: the order completes and leaves the flight without an orderFilled',
    async (ctx) => {
      await ctx.start()
      const order = await ctx.placeOpen('BUY')
      ctx.mock.reply('orderFills', ctx.hooks.responses.refusal())
      ctx.mock.reply('orderStatus', ctx.hooks.responses.orderStatus(order, 'FILLED', order.amount))
      await ctx.advance(STATUS_POLL_MS)
      await ctx.advance(10_000) // the wait for fills that never come
      ctx.test.expect(ctx.eventsNamed('orderFilled')).toEqual([])
      ctx.test.expect(ctx.eventsNamed('buyOrderCompleted').map((event) => event.clientOrderId)).toEqual([order.clientOrderId])
      ctx.test.expect(ctx.exchange.inFlightOrders.has(order.clientOrderId)).toBe(false)
      await ctx.stopAndCheckClean()
    },
  ],
]
