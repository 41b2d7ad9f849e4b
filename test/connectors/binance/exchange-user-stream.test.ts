// The exchange's reading of the user stream: executionReport → fill first, then state;
// outboundAccountPosition → balances; everything else, and other programs' orders, ignored.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PayloadValidationError } from '../../../src/core/errors.ts'
import { executionReport, PAIR, settle, startedBinanceExchange, START_TIME, useFakeClock } from './exchange-helpers.ts'

async function placedBuy() {
  const harness = await startedBinanceExchange()
  const id = harness.exchange.buy(PAIR, '0.02', 'LIMIT', '30000')
  await settle()
  return { ...harness, id, socket: harness.sockets.userStream() }
}

describe('Binance exchange: user stream', () => {
  beforeEach(useFakeClock)
  afterEach(() => {
    vi.useRealTimers()
  })

  it('user stream update for new order: an order still pending creation becomes OPEN with its exchange id', async () => {
    const { exchange, rest, events, sockets } = await startedBinanceExchange()
    rest.routes.set('POST /v3/order', () => new Response('Bad Gateway', { status: 502 })) // the create answer is lost
    const id = exchange.buy(PAIR, '0.02', 'LIMIT', '30000')
    await settle()
    expect(exchange.inFlightOrders.get(id)?.state).toBe('PENDING_CREATE')
    sockets.userStream().sayEvent(executionReport({ c: id, S: 'BUY', q: '0.02000000', p: '30000.00', x: 'NEW', X: 'NEW', i: 77 }))
    await settle()
    expect(events.of('buyOrderCreated')).toEqual([expect.objectContaining({ clientOrderId: id, exchangeOrderId: '77' })])
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    await exchange.stop()
  })

  it('user stream update for order full fill: TRADE then FILLED give orderFilled with exact amounts, then completed', async () => {
    const { exchange, events, id, socket } = await placedBuy()
    const fill = { S: 'BUY', q: '0.02000000', p: '30000.00', i: 28, N: 'BTC', m: false, T: START_TIME + 7 }
    socket.sayEvent(executionReport({ ...fill, c: id, x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.01500000', L: '29999.50', n: '0.00001500', t: 501, z: '0.01500000' }))
    socket.sayEvent(executionReport({ ...fill, c: id, x: 'TRADE', X: 'FILLED', l: '0.00500000', L: '30000.00', n: '0.00000500', t: 502, z: '0.02000000' }))
    await settle()
    expect(events.names()).toEqual(['buyOrderCreated', 'orderFilled', 'orderFilled', 'buyOrderCompleted'])
    const fills = events.of('orderFilled')
    expect(fills.map((event) => [event.tradeId, event.amount.toFixed(), event.price.toFixed(), event.isTaker])).toEqual([
      ['501', '0.015', '29999.5', true],
      ['502', '0.005', '30000', true],
    ])
    expect(fills.map((event) => event.fee.flatFees.map((fee) => `${fee.amount.toFixed()} ${fee.token}`))).toEqual([['0.000015 BTC'], ['0.000005 BTC']])
    const [completed] = events.of('buyOrderCompleted')
    expect(completed?.executedAmountBase.toFixed()).toBe('0.02')
    expect(completed?.executedAmountQuote.toFixed()).toBe('599.9925') // 0.015 × 29999.5 + 0.005 × 30000
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    await exchange.stop()
  })

  it('a repeated trade is counted once', async () => {
    const { exchange, events, id, socket } = await placedBuy()
    const trade = executionReport({ c: id, S: 'BUY', i: 28, x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.01', L: '30000', n: '0', N: null, t: 9 })
    socket.sayEvent(trade)
    socket.sayEvent(trade)
    await settle()
    expect(events.of('orderFilled')).toHaveLength(1)
    expect(events.of('orderFilled')[0]?.fee.flatFees).toEqual([])
    expect(exchange.inFlightOrders.get(id)?.state).toBe('PARTIALLY_FILLED')
    await exchange.stop()
  })

  it('user stream update for canceled order: the order is named by C, not by the cancel request id c', async () => {
    const { exchange, events, id, socket } = await placedBuy()
    socket.sayEvent(executionReport({ c: 'cancel-request-from-elsewhere', C: id, i: 28, x: 'CANCELED', X: 'CANCELED' }))
    await settle()
    expect(events.of('orderCancelled')).toEqual([expect.objectContaining({ clientOrderId: id, exchangeOrderId: '28' })])
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    await exchange.stop()
  })

  it('user stream update for order failure: REJECTED gives orderFailure with the reason', async () => {
    const { exchange, events, id, socket } = await placedBuy()
    socket.sayEvent(executionReport({ c: id, i: 28, x: 'REJECTED', X: 'REJECTED', r: 'INSUFFICIENT_BALANCES' }))
    await settle()
    const [failure] = events.of('orderFailure')
    expect(failure).toMatchObject({ clientOrderId: id, errorType: 'REJECTED' })
    expect(failure?.errorMessage).toContain('INSUFFICIENT_BALANCES')
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    await exchange.stop()
  })

  it('user stream balance update: outboundAccountPosition sets free and free + locked', async () => {
    const { exchange, socket } = await placedBuy()
    socket.sayEvent({ e: 'outboundAccountPosition', E: Date.now(), u: Date.now(), B: [{ a: 'USDT', f: '1400.00000000', l: '600.00000000' }] })
    await settle()
    expect(exchange.getAvailableBalance('USDT').toFixed()).toBe('1400')
    expect(exchange.getBalance('USDT').toFixed()).toBe('2000')
    expect(exchange.getBalance('BTC').toFixed()).toBe('15') // untouched
    await exchange.stop()
  })

  it("ignores other programs' orders, other symbols and events it does not use, without errors", async () => {
    const { exchange, events, socket } = await placedBuy()
    socket.sayEvent(executionReport({ c: 'someone-else', i: 900, x: 'TRADE', X: 'FILLED', l: '1', L: '1', t: 1 }))
    socket.sayEvent(executionReport({ s: 'DOGEUSDT', c: 'someone-else', i: 901, x: 'NEW', X: 'NEW' }))
    socket.sayEvent({ e: 'listStatus', E: 1, s: 'BTCUSDT', g: 1, c: 'OCO', l: 'EXEC_STARTED', L: 'EXECUTING', r: 'NONE', C: 'list', T: 1, O: [] })
    socket.sayEvent({ e: 'balanceUpdate', E: 1, a: 'BTC', d: '1.5', T: 1 })
    await settle()
    expect(events.names()).toEqual(['buyOrderCreated'])
    expect(events.errors()).toEqual([])
    await exchange.stop()
  })

  it('user stream logs errors: a malformed event or an unknown status is reported and the next event still handled', async () => {
    const { exchange, events, id, socket } = await placedBuy()
    socket.sayEvent({ e: 'executionReport', s: 'BTCUSDT' })
    socket.sayEvent(executionReport({ c: id, i: 28, x: 'NEW', X: 'PENDING_SOMETHING' }))
    socket.say('not json at all')
    socket.sayEvent(executionReport({ c: 'other', C: id, i: 28, x: 'CANCELED', X: 'CANCELED' }))
    await settle()
    const errors = events.errors()
    expect(errors.length).toBeGreaterThanOrEqual(2)
    expect(errors.some((error) => error.message.includes('handling a user stream event'))).toBe(true)
    expect(errors.some((error) => error instanceof PayloadValidationError)).toBe(true)
    expect(events.of('orderCancelled').map((event) => event.clientOrderId)).toEqual([id])
    await exchange.stop()
  })
})
