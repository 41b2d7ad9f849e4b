// The exchange's order flows against a scripted Binance: create, cancel (by either id), cancel all,
// status polling and the lost-order path. Requests are checked as sent (parameters, order, signature).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { signRestQuery } from '../../../src/connectors/binance/index.ts'
import { InvalidInputError, OrderNotFoundError, RequestTimeoutError, ServerError } from '../../../src/core/errors.ts'
import { ExchangeTaskError } from '../../../src/core/exchange/exchange-errors.ts'
import { hangingResponse, jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import {
  API_KEY,
  API_SECRET,
  binanceError,
  PAIR,
  type RoutedRequest,
  settle,
  startedBinanceExchange,
  START_TIME,
  useFakeClock,
} from './exchange-helpers.ts'

/** Fast polling, so status tests need not wait two minutes. */
const FAST_POLLS = { intervals: { shortPollMs: 1_000, longPollMs: 1_000, lostOrderPollMs: 1_000 } }

/** The query as sent, without the signature; asserts that the signature covers exactly it and the key header is set. */
function signedParams(request: RoutedRequest): Array<[string, string]> {
  const entries = [...request.query.entries()]
  const signature = entries.pop()
  expect(signature?.[0]).toBe('signature')
  expect(signRestQuery(API_SECRET, entries)).toBe(new URL(request.url).search.slice(1))
  expect(request.headers['x-mbx-apikey']).toBe(API_KEY)
  expect(entries.slice(-2).map(([key]) => key)).toEqual(['recvWindow', 'timestamp'])
  return entries.slice(0, -2)
}

describe('Binance exchange: orders', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('create', () => {
    it('create buy LIMIT order successfully: tracked before the request leaves, exact signed params, created event', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const stateWhenSent: string[] = []
      rest.routes.set('POST /v3/order', (request) => {
        stateWhenSent.push(exchange.inFlightOrders.get(request.query.get('newClientOrderId') ?? '')?.state ?? 'untracked')
        return jsonResponse(200, {
          symbol: 'BTCUSDT', orderId: 28, orderListId: -1, clientOrderId: request.query.get('newClientOrderId'), transactTime: START_TIME + 5,
          price: '30000.00', origQty: '0.01', executedQty: '0', cummulativeQuoteQty: '0', status: 'NEW', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY',
        })
      })
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      expect(id).toMatch(/^sw-/)
      expect(id.length).toBeLessThanOrEqual(36)
      await settle()
      const [sent] = rest.sent('POST /v3/order')
      if (!sent) throw new Error('no create was sent')
      expect(stateWhenSent).toEqual(['PENDING_CREATE'])
      expect(signedParams(sent)).toEqual([
        ['symbol', 'BTCUSDT'],
        ['side', 'BUY'],
        ['type', 'LIMIT'],
        ['quantity', '0.01'],
        ['price', '30000'],
        ['timeInForce', 'GTC'],
        ['newClientOrderId', id],
        ['newOrderRespType', 'RESULT'],
      ])
      expect(events.names()).toEqual(['buyOrderCreated'])
      const [created] = events.of('buyOrderCreated')
      expect(created).toMatchObject({ clientOrderId: id, exchangeOrderId: '28', tradingPair: PAIR, orderType: 'LIMIT', tradeType: 'BUY' })
      expect(created?.amount.toFixed()).toBe('0.01')
      expect(created?.price?.toFixed()).toBe('30000')
      expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
      await exchange.stop()
    })

    it('create sell LIMIT_MAKER order successfully: price but no timeInForce', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const id = exchange.sell(PAIR, '0.12345', 'LIMIT_MAKER', '31000.12')
      await settle()
      const [sent] = rest.sent('POST /v3/order')
      if (!sent) throw new Error('no create was sent')
      expect(signedParams(sent)).toEqual([
        ['symbol', 'BTCUSDT'],
        ['side', 'SELL'],
        ['type', 'LIMIT_MAKER'],
        ['quantity', '0.12345'],
        ['price', '31000.12'],
        ['newClientOrderId', id],
        ['newOrderRespType', 'RESULT'],
      ])
      expect(events.of('sellOrderCreated').map((event) => event.clientOrderId)).toEqual([id])
      await exchange.stop()
    })

    it('create buy MARKET order successfully: no price, no timeInForce', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const id = exchange.buy(PAIR, '0.2', 'MARKET')
      await settle()
      const [sent] = rest.sent('POST /v3/order')
      if (!sent) throw new Error('no create was sent')
      expect(signedParams(sent)).toEqual([
        ['symbol', 'BTCUSDT'],
        ['side', 'BUY'],
        ['type', 'MARKET'],
        ['quantity', '0.2'],
        ['newClientOrderId', id],
        ['newOrderRespType', 'RESULT'],
      ])
      expect(events.of('buyOrderCreated')).toHaveLength(1)
      await exchange.stop()
    })

    it('create MARKET order above the NOTIONAL maximum is sent when the filter does not apply it to market orders', async () => {
      // The reference BTCUSDT NOTIONAL filter: maxNotional 10000 with applyMaxToMarket false.
      const { exchange, rest, events } = await startedBinanceExchange()
      const marketId = exchange.buy(PAIR, '0.5', 'MARKET')
      const limitId = exchange.buy(PAIR, '0.5', 'LIMIT', '30000')
      await settle()
      const sent = rest.sent('POST /v3/order').map((request) => new Map(signedParams(request)).get('newClientOrderId'))
      expect(sent).toEqual([marketId])
      expect(events.of('orderFailure')).toMatchObject([{ clientOrderId: limitId, errorType: 'TradingRuleViolation' }])
      await exchange.stop()
    })

    it('create order fails and raises failure event: an exchange refusal fails the order, which leaves the flight', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      rest.routes.set('POST /v3/order', () => binanceError(400, -2010, 'Account has insufficient balance for requested action.'))
      const id = exchange.buy(PAIR, '0.1', 'LIMIT', '30000')
      await settle()
      expect(rest.sent('POST /v3/order')).toHaveLength(1)
      expect(events.names()).toEqual(['orderFailure'])
      expect(events.of('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: 'InsufficientFundsError', orderType: 'LIMIT' })
      expect(exchange.inFlightOrders.has(id)).toBe(false)
      await exchange.stop()
    })

    it('create order fails when the trading rule is broken: orderFailure and nothing sent', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const id = exchange.buy(PAIR, '0.0001', 'LIMIT', '30000') // notional 3 < NOTIONAL's 10
      await settle()
      expect(rest.sent('POST /v3/order')).toHaveLength(0)
      expect(events.of('orderFailure')[0]).toMatchObject({ clientOrderId: id, errorType: 'TradingRuleViolation' })
      await exchange.stop()
    })

    it('a 503 on create is never re-sent: the order stays tracked and the status poll by client id reconciles it', async () => {
      const { exchange, rest, events } = await startedBinanceExchange(FAST_POLLS)
      rest.routes.set('POST /v3/order', (request) => {
        // Binance took the order, then its gateway failed: the outcome is unknown to us.
        const clientOrderId = request.query.get('newClientOrderId') ?? ''
        rest.orders.set(clientOrderId, {
          orderId: 4242, clientOrderId, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: '30000.00',
          origQty: '0.01', executedQty: '0', status: 'NEW', time: Date.now(),
        })
        return new Response('Service Unavailable', { status: 503 })
      })
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      expect(exchange.inFlightOrders.get(id)?.state).toBe('PENDING_CREATE')
      expect(events.names()).toEqual([])
      const [reported] = events.errors()
      expect(reported).toBeInstanceOf(ExchangeTaskError)
      expect((reported as ExchangeTaskError).walk((cause) => cause instanceof ServerError)).toBeInstanceOf(ServerError)

      await vi.advanceTimersByTimeAsync(1_000)
      await settle()
      expect(rest.sent('POST /v3/order')).toHaveLength(1)
      const [status] = rest.sent('GET /v3/order')
      expect(status && signedParams(status)).toEqual([['symbol', 'BTCUSDT'], ['origClientOrderId', id]])
      expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
      expect(exchange.inFlightOrders.get(id)?.exchangeOrderId).toBe('4242')
      expect(events.of('buyOrderCreated').map((event) => event.exchangeOrderId)).toEqual(['4242'])
      await exchange.stop()
    })

    it('a create that times out is never re-sent and stays tracked', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      rest.routes.set('POST /v3/order', (request) => hangingResponse(new Request(request.url, { signal: request.signal })))
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      await vi.advanceTimersByTimeAsync(10_000)
      await settle()
      expect(rest.sent('POST /v3/order')).toHaveLength(1)
      expect(exchange.inFlightOrders.get(id)?.state).toBe('PENDING_CREATE')
      expect(events.of('orderFailure')).toEqual([])
      expect((events.errors()[0] as ExchangeTaskError).walk((cause) => cause instanceof RequestTimeoutError)).toBeInstanceOf(RequestTimeoutError)
      await exchange.stop()
    })
  })

  describe('cancel', () => {
    it('cancel order successfully: DELETE by origClientOrderId, signed; orderCancelled and removed', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      expect(await exchange.cancel(PAIR, id)).toBe(true)
      const [sent] = rest.sent('DELETE /v3/order')
      expect(sent && signedParams(sent)).toEqual([['symbol', 'BTCUSDT'], ['origClientOrderId', id]])
      expect(events.of('orderCancelled')).toEqual([expect.objectContaining({ clientOrderId: id, exchangeOrderId: '28', tradingPair: PAIR })])
      expect(exchange.inFlightOrders.has(id)).toBe(false)
      await exchange.stop()
    })

    it('cancel order not found in the exchange (-2011 Unknown order sent.): false, the order stays, not failed', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      rest.routes.set('DELETE /v3/order', () => binanceError(400, -2011, 'Unknown order sent.'))
      expect(await exchange.cancel(PAIR, id)).toBe(false)
      expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
      expect(events.of('orderCancelled')).toEqual([])
      expect(events.of('orderFailure')).toEqual([])
      expect(events.errors()).toEqual([]) // a not-found counts towards "lost"; it is not an error
      await exchange.stop()
    })

    it('cancel raises no cancelled event when the request fails, and reports the failure', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      rest.routes.set('DELETE /v3/order', () => binanceError(400, -2011, 'This action is disabled on this account.'))
      expect(await exchange.cancel(PAIR, id)).toBe(false)
      expect(events.of('orderCancelled')).toEqual([])
      expect(events.errors()[0]?.message).toContain(`cancelling order ${id}`)
      await exchange.stop()
    })

    it('cancel by exchange order id: DELETE with orderId; an unknown id rejects with OrderNotFoundError', async () => {
      const { exchange, rest } = await startedBinanceExchange()
      exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      expect(await exchange.cancelByExchangeOrderId(PAIR, '28')).toBe(true)
      const [sent] = rest.sent('DELETE /v3/order')
      expect(sent && signedParams(sent)).toEqual([['symbol', 'BTCUSDT'], ['orderId', '28']])
      await expect(exchange.cancelByExchangeOrderId(PAIR, '999')).rejects.toBeInstanceOf(OrderNotFoundError)
      await expect(exchange.cancelByExchangeOrderId(PAIR, '12e3')).rejects.toBeInstanceOf(InvalidInputError)
      expect(rest.sent('DELETE /v3/order')).toHaveLength(2)
      await exchange.stop()
    })

    it('cancel two orders with cancel all and one fails', async () => {
      const { exchange, rest, events } = await startedBinanceExchange()
      const first = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      const second = exchange.sell(PAIR, '0.01', 'LIMIT', '31000')
      await settle()
      rest.routes.set('DELETE /v3/order', (request) =>
        request.query.get('origClientOrderId') === second
          ? binanceError(400, -2011, 'Unknown order sent.')
          : jsonResponse(200, {
              symbol: 'BTCUSDT', orderId: 28, orderListId: -1, clientOrderId: 'x', origClientOrderId: first, price: '30000', origQty: '0.01',
              executedQty: '0', cummulativeQuoteQty: '0', status: 'CANCELED', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY',
            }),
      )
      expect(await exchange.cancelAll(10_000)).toEqual([
        { clientOrderId: first, success: true },
        { clientOrderId: second, success: false },
      ])
      expect(events.of('orderCancelled').map((event) => event.clientOrderId)).toEqual([first])
      await exchange.stop()
    })
  })

  describe('status', () => {
    it('update order status when filled: fills fetched by orderId, orderFilled with the fee, then completed', async () => {
      const { exchange, rest, events } = await startedBinanceExchange(FAST_POLLS)
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      const order = rest.orders.get(id)
      if (!order) throw new Error('the fake did not keep the order')
      order.status = 'FILLED'
      order.executedQty = '0.01000000'
      rest.trades.set(28, [
        {
          symbol: 'BTCUSDT', id: 30000, orderId: 28, orderListId: -1, price: '30000.00', qty: '0.01000000', quoteQty: '300.00',
          commission: '0.00001000', commissionAsset: 'BTC', time: START_TIME + 10, isBuyer: true, isMaker: true, isBestMatch: true,
        },
      ])
      await vi.advanceTimersByTimeAsync(1_000)
      await settle()
      const [fills] = rest.sent('GET /v3/myTrades')
      expect(fills && signedParams(fills)).toEqual([['symbol', 'BTCUSDT'], ['orderId', '28']])
      expect(events.names()).toEqual(['buyOrderCreated', 'orderFilled', 'buyOrderCompleted'])
      const [filled] = events.of('orderFilled')
      expect(filled).toMatchObject({ clientOrderId: id, exchangeOrderId: '28', tradingPair: PAIR, tradeId: '30000', tradeType: 'BUY', isTaker: false })
      expect([filled?.price.toFixed(), filled?.amount.toFixed()]).toEqual(['30000', '0.01'])
      expect(filled?.fee.flatFees.map((fee) => [fee.token, fee.amount.toFixed()])).toEqual([['BTC', '0.00001']])
      const [completed] = events.of('buyOrderCompleted')
      expect([completed?.executedAmountBase.toFixed(), completed?.executedAmountQuote.toFixed()]).toEqual(['0.01', '300'])
      expect(exchange.inFlightOrders.has(id)).toBe(false)
      await exchange.stop()
    })

    it('FILLED while myTrades does not list the fill yet: the fill is fetched later and reported once, after the completed event', async () => {
      const { exchange, rest, events } = await startedBinanceExchange(FAST_POLLS)
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      const order = rest.orders.get(id)
      if (!order) throw new Error('the fake did not keep the order')
      order.status = 'FILLED'
      order.executedQty = '0.01000000'
      await vi.advanceTimersByTimeAsync(7_000) // the poll sees FILLED; the tracker waits 5 s for the fill
      await settle()
      expect(events.names()).toEqual(['buyOrderCreated', 'buyOrderCompleted'])
      await vi.advanceTimersByTimeAsync(40_000) // past the 30 s cache of finished orders
      rest.trades.set(28, [
        {
          symbol: 'BTCUSDT', id: 30001, orderId: 28, orderListId: -1, price: '30000.00', qty: '0.01000000', quoteQty: '300.00',
          commission: '0.00001000', commissionAsset: 'BTC', time: START_TIME + 10, isBuyer: true, isMaker: true, isBestMatch: true,
        },
      ])
      await vi.advanceTimersByTimeAsync(60_000)
      await settle()
      expect(events.names()).toEqual(['buyOrderCreated', 'buyOrderCompleted', 'orderFilled'])
      expect(events.of('orderFilled')[0]).toMatchObject({ clientOrderId: id, exchangeOrderId: '28', tradeId: '30001' })
      const asked = rest.sent('GET /v3/myTrades').length
      await vi.advanceTimersByTimeAsync(60_000)
      await settle()
      expect(rest.sent('GET /v3/myTrades').length).toBe(asked) // the fills add up: no more asking
      expect(events.of('orderFilled')).toHaveLength(1)
      await exchange.stop()
    })

    it('update order status when failed (EXPIRED): orderFailure naming Binance status', async () => {
      const { exchange, rest, events } = await startedBinanceExchange(FAST_POLLS)
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      const order = rest.orders.get(id)
      if (order) order.status = 'EXPIRED'
      await vi.advanceTimersByTimeAsync(1_000)
      await settle()
      expect(events.of('orderFailure')).toEqual([expect.objectContaining({ clientOrderId: id, errorType: 'EXPIRED' })])
      expect(events.of('orderFailure')[0]?.errorMessage).toContain('EXPIRED')
      await exchange.stop()
    })

    it('lost order: three "Order does not exist." answers fail it as lost; the lost-order loop drops it once Binance denies it', async () => {
      const { exchange, rest, events } = await startedBinanceExchange(FAST_POLLS)
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      rest.orders.delete(id)
      for (let poll = 0; poll < 3; poll += 1) {
        await vi.advanceTimersByTimeAsync(1_000)
        await settle()
      }
      expect(events.of('orderFailure')).toEqual([expect.objectContaining({ clientOrderId: id, errorType: 'OrderLost' })])
      expect(exchange.trackingStates[id]?.state).toBe('FAILED')
      await vi.advanceTimersByTimeAsync(1_000)
      await settle()
      expect(rest.sent('DELETE /v3/order').map((request) => request.query.get('origClientOrderId'))).toContain(id)
      expect(exchange.trackingStates[id]).toBeUndefined()
      expect(events.of('orderCancelled')).toEqual([])
      await exchange.stop()
    })

    it('status queries answered 500, 503, 429 or not at all never fail the order as lost; it stays open and is asked again', async () => {
      const { exchange, rest, events } = await startedBinanceExchange(FAST_POLLS)
      const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
      await settle()
      const failures = [
        () => new Response('Internal Server Error', { status: 500 }),
        () => binanceError(503, -1007, 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.'),
        () => binanceError(429, -1003, 'Too many requests.', { 'Retry-After': '1' }),
      ]
      let round = 0
      rest.routes.set('GET /v3/order', (request) =>
        round++ % 4 === 3 ? hangingResponse(new Request(request.url, { signal: request.signal })) : (failures[(round - 1) % 4] as () => Response)(),
      )
      for (let poll = 0; poll < 12; poll += 1) {
        await vi.advanceTimersByTimeAsync(2_000)
        await settle()
      }
      expect(round).toBeGreaterThanOrEqual(4)
      expect(events.of('orderFailure')).toEqual([])
      expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
      expect(exchange.trackingStates[id]?.state).toBe('OPEN')
      await exchange.stop()
    })

    it('fetches one order by either id, and open orders for reconciliation', async () => {
      const { exchange, rest } = await startedBinanceExchange()
      const id = exchange.sell(PAIR, '0.02', 'LIMIT', '31000')
      await settle()
      const byExchangeId = await exchange.fetchOrder(PAIR, { exchangeOrderId: '28' })
      expect(rest.sent('GET /v3/order').at(-1)?.query.get('orderId')).toBe('28')
      expect(byExchangeId).toMatchObject({ clientOrderId: id, exchangeOrderId: '28', tradingPair: PAIR, tradeType: 'SELL', state: 'OPEN', exchangeStatus: 'NEW' })
      expect(byExchangeId.amount.toFixed()).toBe('0.02')
      expect((await exchange.fetchOrder(PAIR, { clientOrderId: id })).exchangeOrderId).toBe('28')
      const open = await exchange.fetchOpenOrders(PAIR)
      expect(open.map((report) => report.clientOrderId)).toEqual([id])
      expect(rest.sent('GET /v3/openOrders')[0]?.query.get('symbol')).toBe('BTCUSDT')
      const everywhere = await exchange.fetchOpenOrders()
      expect(everywhere.map((report) => report.tradingPair)).toEqual([PAIR])
      expect(rest.sent('GET /v3/openOrders')[1]?.query.has('symbol')).toBe(false)
      await expect(exchange.fetchOrder(PAIR, { clientOrderId: 'sw-unknown' })).rejects.toBeInstanceOf(OrderNotFoundError)
      await exchange.stop()
    })
  })
})
