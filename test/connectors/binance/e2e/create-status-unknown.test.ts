// A create the exchange executed but answered with a 5xx ("status unknown"): the connector must not
// send it again, and must find the order it placed by its client order id (user stream or polling).
import { describe, expect, it } from 'vitest'
import { Big } from '../../../../src/core/decimal.ts'
import { balancesMatchTruth, caughtUpBooks, type E2eRig, startE2e } from './sim-e2e-kit.ts'

/** A LIMIT buy 20 % under the best bid: it rests. */
function placeRestingBuy(rig: E2eRig): { id: string; price: string } {
  const bestBid = rig.exchange.orderBook('BTC-USDT').bestBid?.price ?? 0
  const price = new Big(Math.floor(bestBid * 0.8)).toFixed()
  return { id: rig.exchange.buy('BTC-USDT', '0.01', 'LIMIT', price), price }
}

function truthOrdersWithId(rig: E2eRig, clientOrderId: string) {
  return rig.simulator.truth.orders().filter((order) => order.accountId === rig.testAccountId && order.clientOrderId === clientOrderId)
}

describe('Binance e2e: create answered 5xx after it executed', () => {
  it('place order: a 5xx after execution is not re-sent, and the user stream makes the order OPEN', async () => {
    const rig = await startE2e({ seed: 16 })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)
    simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute' })

    const { id } = placeRestingBuy(rig)
    const created = await events.waitFor('buyOrderCreated', (event) => event.clientOrderId === id)
    expect(simulator.faults.counts().failRequests).toBe(1)
    const truthOrders = truthOrdersWithId(rig, id)
    expect(truthOrders).toHaveLength(1)
    expect(truthOrders[0]?.status).toBe('NEW')
    expect(created.exchangeOrderId).toBe(String(truthOrders[0]?.orderId))
    const tracked = exchange.inFlightOrders.get(id)
    expect(tracked?.state).toBe('OPEN')
    expect(tracked?.exchangeOrderId).toBe(String(truthOrders[0]?.orderId))
    // The unknown outcome is reported, never turned into a failure.
    expect(events.of('orderFailure').filter((event) => event.clientOrderId === id)).toEqual([])
    expect(events.errorMessages().some((message) => message.includes(id))).toBe(true)

    // It is the real order: cancelling it works and the truth agrees.
    expect(await exchange.cancel('BTC-USDT', id)).toBe(true)
    await events.waitFor('orderCancelled', (event) => event.clientOrderId === id)
    expect(truthOrdersWithId(rig, id).map((order) => order.status)).toEqual(['CANCELED'])
    await balancesMatchTruth(rig)
  })

  it('place order: a 5xx after execution whose executionReport is lost is found by status polling, not re-sent', async () => {
    const rig = await startE2e({ seed: 17, exchange: { intervals: { shortPollMs: 300, longPollMs: 300 } } })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)
    simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute' })
    simulator.faults.arm({ kind: 'dropFrames', channel: 'userData', event: 'executionReport' })

    const { id } = placeRestingBuy(rig)
    const created = await events.waitFor('buyOrderCreated', (event) => event.clientOrderId === id)
    const counts = simulator.faults.counts()
    expect(counts.failRequests).toBe(1)
    expect(counts.dropFrames).toBe(1)
    const truthOrders = truthOrdersWithId(rig, id)
    expect(truthOrders).toHaveLength(1)
    expect(created.exchangeOrderId).toBe(String(truthOrders[0]?.orderId))
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')
    expect(events.of('orderFailure')).toEqual([])
    await balancesMatchTruth(rig)
  })
})
