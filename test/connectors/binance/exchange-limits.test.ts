// The exchange under Binance's refusals that are about us rather than the order: a timestamp outside
// the receive window (resync the clock, send once more), 429 (pause) and 418 (ban: send nothing).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IpBannedError, RateLimitedError, TimestampOutsideWindowError } from '../../../src/core/errors.ts'
import { binanceError, binanceExchange, PAIR, settle, startedBinanceExchange, useFakeClock } from './exchange-helpers.ts'

const TIMESTAMP_REFUSAL = 'Timestamp for this request was 1000ms ahead of the server\'s time.'

describe('Binance exchange: rate limits and clock', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  it('time sync error (-1021): the clock is sampled again and the cancel sent once more', async () => {
    const { exchange, rest } = await startedBinanceExchange()
    const id = exchange.buy(PAIR, '0.01', 'LIMIT', '30000')
    await settle()
    let refusals = 0
    const original = rest.routes.get('DELETE /v3/order')
    rest.routes.set('DELETE /v3/order', (request) => {
      refusals += 1
      if (refusals === 1) return binanceError(400, -1021, TIMESTAMP_REFUSAL)
      rest.routes.delete('DELETE /v3/order')
      if (original) rest.routes.set('DELETE /v3/order', original)
      const order = rest.orders.get(id)
      if (order) order.status = 'CANCELED'
      return new Response(
        JSON.stringify({
          symbol: 'BTCUSDT', orderId: 28, orderListId: -1, clientOrderId: 'c', origClientOrderId: request.query.get('origClientOrderId'), price: '30000',
          origQty: '0.01', executedQty: '0', cummulativeQuoteQty: '0', status: 'CANCELED', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY',
        }),
        { status: 200 },
      )
    })
    const timeRequestsBefore = rest.sent('GET /v3/time').length
    expect(await exchange.cancel(PAIR, id)).toBe(true)
    expect(rest.sent('DELETE /v3/order')).toHaveLength(2)
    expect(rest.sent('GET /v3/time').length).toBe(timeRequestsBefore + 1)
    const routes = rest.requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)
    expect(routes.slice(-3)).toEqual(['DELETE /api/v3/order', 'GET /api/v3/time', 'DELETE /api/v3/order'])
    await exchange.stop()
  })

  it('a second time sync error is not retried again', async () => {
    const { exchange, rest } = await startedBinanceExchange()
    rest.routes.set('GET /v3/order', () => binanceError(400, -1021, TIMESTAMP_REFUSAL))
    await expect(exchange.fetchOrder(PAIR, { exchangeOrderId: '1' })).rejects.toBeInstanceOf(TimestampOutsideWindowError)
    expect(rest.sent('GET /v3/order')).toHaveLength(2)
    await exchange.stop()
  })

  it('429: the request fails with RateLimitedError and every request waits out Retry-After', async () => {
    const { exchange, rest } = binanceExchange({ apiKey: undefined, apiSecret: undefined })
    rest.routes.set('GET /v3/ticker/price', () => binanceError(429, -1003, 'Too many requests.', { 'retry-after': '5' }))
    await expect(exchange.getLastTradedPrices([PAIR])).rejects.toBeInstanceOf(RateLimitedError)
    rest.routes.delete('GET /v3/ticker/price')
    const sentBefore = rest.requests.length
    const prices = exchange.getLastTradedPrices([PAIR])
    await vi.advanceTimersByTimeAsync(4_900)
    expect(rest.requests).toHaveLength(sentBefore)
    await vi.advanceTimersByTimeAsync(200)
    expect((await prices)[PAIR]?.toFixed()).toBe('9999.9')
    expect(rest.requests).toHaveLength(sentBefore + 1)
  })

  it('418: IpBannedError, and nothing at all is sent until the ban ends', async () => {
    const { exchange, rest } = binanceExchange({ apiKey: undefined, apiSecret: undefined })
    rest.routes.set('GET /v3/ticker/price', () => binanceError(418, -1003, 'Way too many requests; IP banned.', { 'retry-after': '120' }))
    await expect(exchange.getLastTradedPrices([PAIR])).rejects.toBeInstanceOf(IpBannedError)
    rest.routes.delete('GET /v3/ticker/price')
    const sentBefore = rest.requests.length
    await expect(exchange.getLastTradedPrices([PAIR])).rejects.toBeInstanceOf(IpBannedError)
    expect(await exchange.checkNetwork()).toBe('NOT_CONNECTED')
    expect(rest.requests).toHaveLength(sentBefore)
    await vi.advanceTimersByTimeAsync(120_001)
    expect((await exchange.getLastTradedPrices([PAIR]))[PAIR]?.toFixed()).toBe('9999.9')
    expect(rest.requests).toHaveLength(sentBefore + 1)
  })

  it('a refused user-data subscribe is reported and retried on a new connection', async () => {
    const { exchange, sockets, events } = binanceExchange()
    sockets.refuseSubscribeWith((request) => ({ id: request['id'], status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } }))
    void exchange.start()
    await settle()
    expect(events.errors().some((error) => error.message.includes('-1022'))).toBe(true)
    const wsApiConnections = () => sockets.sockets.filter((socket) => socket.url.includes('/ws-api/')).length
    expect(wsApiConnections()).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(wsApiConnections()).toBeGreaterThan(1)
    await exchange.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})
