import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { type Frame, bestQuotes, keysOf, readReference, startWsApi } from './ws-api-test-kit.ts'

const executionReportReference = readReference('user-data/wsapi_envelope_executionReport.json')
const positionReference = readReference('user-data/wsapi_envelope_outboundAccountPosition.json')
const balanceUpdateReference = readReference('user-data/wsapi_envelope_balanceUpdate.json')

/** Binance prints `v` only for orders expired by self-trade prevention, which the simulator has not. */
const EXECUTION_REPORT_KEYS = keysOf(executionReportReference.event).filter((key) => key !== 'v')

function subscribed() {
  const rig = startWsApi()
  const [response] = rig.signed('userDataStream.subscribe.signature')
  return { rig, response: response as Frame }
}

const events = (frames: Frame[]) => frames.filter((frame) => 'event' in frame)
const ofType = (frames: Frame[], type: string) => events(frames).filter((frame) => frame.event.e === type)

describe('userDataStream.subscribe.signature', () => {
  it('answers {id, status 200, result {subscriptionId}, rateLimits} like the reference', () => {
    const { response } = subscribed()
    const reference = readReference('ws-api/userDataStream.subscribe_response.json')
    expect(keysOf(response)).toEqual([...keysOf(reference), 'rateLimits'].sort())
    expect(response).toMatchObject({ status: 200, result: { subscriptionId: 0 } })
    expect(response.rateLimits).toEqual([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }])
  })

  it('streams NEW then TRADE/FILLED executionReports and outboundAccountPosition for an order.place, after its response', () => {
    const { rig } = subscribed()
    const { ask } = bestQuotes(rig.exchange)
    const frames = rig.signed('order.place', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: ask, quantity: '0.001', newClientOrderId: 'ws-buy-1' })
    expect(frames[0]).toMatchObject({ status: 200, result: { clientOrderId: 'ws-buy-1' } })
    expect('event' in (frames[0] as Frame)).toBe(false)

    const reports = ofType(frames, 'executionReport')
    expect(reports.map((frame) => [frame.subscriptionId, frame.event.x, frame.event.X])).toEqual([
      [0, 'NEW', 'NEW'],
      [0, 'TRADE', 'FILLED'],
    ])
    for (const report of reports) {
      expect(keysOf(report)).toEqual(keysOf(executionReportReference))
      expect(keysOf(report.event)).toEqual(EXECUTION_REPORT_KEYS)
    }
    const trade = reports[1]?.event
    expect(trade).toMatchObject({ s: 'BTCUSDT', c: 'ws-buy-1', S: 'BUY', o: 'LIMIT', f: 'GTC', q: '0.00100000', l: '0.00100000', z: '0.00100000', L: new Big(ask).toFixed(8), N: 'BTC', m: false, w: false, g: -1, r: 'NONE', V: 'NONE' })
    expect(trade.t).toBeGreaterThan(0)
    expect(reports[0]?.event).toMatchObject({ n: '0', N: null, t: -1, l: '0.00000000' })

    const [position] = ofType(frames, 'outboundAccountPosition')
    expect(keysOf(position)).toEqual(keysOf(positionReference))
    expect(keysOf(position?.event)).toEqual(keysOf(positionReference.event))
    const assets = (position?.event.B as { a: string; f: string; l: string }[]).map((balance) => balance.a).sort()
    expect(assets).toEqual(['BTC', 'USDT'])
    const btc = rig.exchange.engine.ledger.balances(rig.exchange.testAccountId).find((balance) => balance.asset === 'BTC')
    expect(position?.event.B).toContainEqual({ a: 'BTC', f: btc?.free.toFixed(8), l: btc?.locked.toFixed(8) })
    // No deposit happened: order-driven balance changes do not produce balanceUpdate.
    expect(ofType(frames, 'balanceUpdate')).toEqual([])
  })

  it('streams orders placed on the engine directly, and a deposit as balanceUpdate plus outboundAccountPosition', () => {
    const { rig } = subscribed()
    const { engine, testAccountId } = rig.exchange
    engine.placeOrder({ accountId: testAccountId, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', price: new Big('100'), quantity: new Big('0.1'), clientOrderId: 'direct' })
    const frames = rig.socket.take()
    expect(ofType(frames, 'executionReport').map((frame) => [frame.event.c, frame.event.x, frame.event.w])).toEqual([['direct', 'NEW', true]])
    expect(ofType(frames, 'outboundAccountPosition')[0]?.event.B).toEqual([{ a: 'USDT', f: '999990.00000000', l: '10.00000000' }])

    engine.deposit(testAccountId, { BTC: '1.5' })
    const deposit = rig.socket.take()
    const [balanceUpdate] = ofType(deposit, 'balanceUpdate')
    expect(keysOf(balanceUpdate?.event)).toEqual(keysOf(balanceUpdateReference.event))
    expect(balanceUpdate).toMatchObject({ subscriptionId: 0, event: { a: 'BTC', d: '1.50000000', E: rig.clock.now, T: rig.clock.now } })
    expect(ofType(deposit, 'outboundAccountPosition')).toHaveLength(1)
  })

  it('ignores other accounts, and stops after unsubscribe and after closed()', () => {
    const { rig } = subscribed()
    const { engine } = rig.exchange
    engine.deposit('someone-else', { USDT: '1000' })
    engine.placeOrder({ accountId: 'someone-else', symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', price: new Big('100'), quantity: new Big('0.1') })
    expect(events(rig.socket.take())).toEqual([])

    expect(rig.request('userDataStream.unsubscribe', { subscriptionId: 0 })[0]).toMatchObject({ status: 200, result: {} })
    rig.signed('order.place', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100', quantity: '0.1' })
    expect(events(rig.socket.take())).toEqual([])
    expect(rig.request('userDataStream.unsubscribe', { subscriptionId: 0 })[0]).toMatchObject({ status: 400, error: { code: -1130 } })

    expect(rig.signed('userDataStream.subscribe.signature')[0]).toMatchObject({ result: { subscriptionId: 1 } })
    rig.connection.closed()
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { ETH: '1' })
    expect(rig.socket.take()).toEqual([])
  })
})

describe('eventStreamTerminated', () => {
  const terminatedReference = readReference('user-data/wsapi_envelope_eventStreamTerminated.json')

  it('follows a successful userDataStream.unsubscribe, after its reply, for the subscription it ended', () => {
    const { rig } = subscribed()
    rig.clock.now += 1234
    const frames = rig.request('userDataStream.unsubscribe', { subscriptionId: 0 }, 'unsub-1')
    expect(frames).toHaveLength(2)
    expect(frames[0]).toMatchObject({ id: 'unsub-1', status: 200, result: {} })
    expect(keysOf(frames[1])).toEqual(keysOf(terminatedReference))
    expect(keysOf(frames[1]?.event)).toEqual(keysOf(terminatedReference.event))
    expect(frames[1]).toEqual({ subscriptionId: 0, event: { e: 'eventStreamTerminated', E: rig.clock.now } })
  })

  it('goes to every subscription when unsubscribe names none, and only to the named one otherwise', () => {
    const { rig } = subscribed()
    rig.signed('userDataStream.subscribe.signature')
    rig.signed('userDataStream.subscribe.signature')
    const one = rig.request('userDataStream.unsubscribe', { subscriptionId: 1 })
    expect(events(one)).toEqual([{ subscriptionId: 1, event: { e: 'eventStreamTerminated', E: rig.clock.now } }])

    const all = rig.request('userDataStream.unsubscribe')
    expect(all[0]).toMatchObject({ status: 200, result: {} })
    expect(events(all)).toEqual([
      { subscriptionId: 0, event: { e: 'eventStreamTerminated', E: rig.clock.now } },
      { subscriptionId: 2, event: { e: 'eventStreamTerminated', E: rig.clock.now } },
    ])
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(rig.socket.take()).toEqual([])
  })

  it('is not sent for a failed unsubscribe, nor when the connection closes', () => {
    const { rig } = subscribed()
    const failed = rig.request('userDataStream.unsubscribe', { subscriptionId: 9 })
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ status: 400, error: { code: -1130 } })
    rig.connection.closed()
    expect(rig.socket.take()).toEqual([])
  })
})
