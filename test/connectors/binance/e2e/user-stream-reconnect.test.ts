// The user stream's socket dropped by the server: the connector reconnects, subscribes again, and
// the events of an order placed afterwards still arrive over it.
import { describe, expect, it } from 'vitest'
import { Big } from '../../../../src/core/decimal.ts'
import { balancesMatchTruth, caughtUpBooks, startE2e, waitUntil } from './sim-e2e-kit.ts'

const SUBSCRIBE = 'userDataStream.subscribe.signature'

describe('Binance e2e: user stream reconnect', () => {
  it('user stream: after the WS API socket is dropped it reconnects, resubscribes and delivers a later order’s fills', async () => {
    // Status polling slowed down past the test's waits: fills and balances can only come from the stream.
    const rig = await startE2e({ seed: 18, exchange: { intervals: { shortPollMs: 60_000, longPollMs: 120_000 } } })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    const wsApiSockets = () => rig.serverSockets.filter((socket) => socket.path.startsWith('/ws-api/v3'))
    expect(wsApiSockets().filter((socket) => socket.open && socket.methods.includes(SUBSCRIBE))).toHaveLength(1)

    simulator.faults.arm({ kind: 'dropSockets', sockets: 'wsApi' })
    expect(simulator.faults.counts().dropSockets).toBe(1)
    await waitUntil(
      () => wsApiSockets().length === 2 && wsApiSockets()[1]?.open === true && wsApiSockets()[1]?.methods.includes(SUBSCRIBE) === true,
      `a new WS API session with a subscription (sessions: ${JSON.stringify(wsApiSockets())})`,
    )
    expect(wsApiSockets()[0]?.open).toBe(false)
    // The subscription is in place on the server; give its reply one round trip to reach the connector.
    await balancesMatchTruth(rig)
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)

    const asks = exchange.orderBook('BTC-USDT').asks(2)
    const amount = new Big(asks[0]?.amount ?? 0).plus(new Big(asks[1]?.amount ?? 0).div(2)).round(5, Big.roundDown).toFixed()
    const id = exchange.buy('BTC-USDT', amount, 'LIMIT', new Big(asks[1]?.price ?? 0).toFixed())
    await events.waitFor('buyOrderCompleted', (event) => event.clientOrderId === id)
    const truthFills = simulator.truth.fills('BTCUSDT').filter((fill) => fill.accountId === rig.testAccountId && fill.clientOrderId === id)
    expect(truthFills.length).toBeGreaterThanOrEqual(1)
    const fillEvents = events.of('orderFilled').filter((event) => event.clientOrderId === id)
    expect(fillEvents.map((event) => `${event.tradeId}:${event.price.toFixed()}x${event.amount.toFixed()}`).sort()).toEqual(
      truthFills.map((fill) => `${fill.tradeId}:${fill.price.toFixed()}x${fill.quantity.toFixed()}`).sort(),
    )
    // The balances moved by the fill reach the connector too (outboundAccountPosition on the new session).
    const balances = await balancesMatchTruth(rig)
    expect(new Big(balances['BTC']?.total ?? 0).gt(10)).toBe(true)
    expect(wsApiSockets().filter((socket) => socket.open)).toHaveLength(1)
  })
})
