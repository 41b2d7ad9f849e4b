// Orders end to end: a resting LIMIT buy placed and cancelled, and a crossing order that fills,
// each compared with what the simulator really did (its orders, fills and balances).
import { describe, expect, it } from 'vitest'
import { Big } from '../../../../src/core/decimal.ts'
import { balancesMatchTruth, caughtUpBooks, startE2e, truthBalances, waitUntil } from './sim-e2e-kit.ts'

describe('Binance e2e: orders', () => {
  it('create and cancel a LIMIT buy below the market: created and cancelled events, CANCELED in the truth, USDT locked then released', async () => {
    const rig = await startE2e({ seed: 13 })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)
    await balancesMatchTruth(rig)
    const bestBid = exchange.orderBook('BTC-USDT').bestBid?.price
    expect(bestBid).toBeDefined()
    const price = new Big(Math.floor((bestBid ?? 0) * 0.8)).toFixed()

    const id = exchange.buy('BTC-USDT', '0.01', 'LIMIT', price)
    const created = await events.waitFor('buyOrderCreated', (event) => event.clientOrderId === id)
    const truthOrder = simulator.truth.order(id, 'BTCUSDT')
    expect(truthOrder?.status).toBe('NEW')
    expect(created).toMatchObject({ clientOrderId: id, exchangeOrderId: String(truthOrder?.orderId), tradingPair: 'BTC-USDT', orderType: 'LIMIT', tradeType: 'BUY' })
    expect(created.amount.toFixed()).toBe('0.01')
    expect(created.price?.toFixed()).toBe(price)
    expect(exchange.inFlightOrders.get(id)?.state).toBe('OPEN')

    // Locked: the order's notional is held back from the free USDT, in the truth and in the connector.
    const locked = new Big(price).times('0.01')
    const whileOpen = await balancesMatchTruth(rig)
    expect(whileOpen['USDT']).toEqual({ total: '1000000', available: new Big('1000000').minus(locked).toFixed() })

    const inFlight = exchange.inFlightOrders.get(id)
    expect(await exchange.cancel('BTC-USDT', id)).toBe(true)
    await events.waitFor('orderCancelled', (event) => event.clientOrderId === id)
    expect(simulator.truth.order(id, 'BTCUSDT')?.status).toBe('CANCELED')
    expect(inFlight?.state).toBe('CANCELED')
    expect(inFlight?.exchangeOrderId).toBe(String(truthOrder?.orderId))
    expect(inFlight?.executedAmountBase.toFixed()).toBe('0')
    expect(exchange.inFlightOrders.has(id)).toBe(false)
    expect(events.namesFor(id)).toEqual(['buyOrderCreated', 'orderCancelled'])

    // Released.
    const afterCancel = await balancesMatchTruth(rig)
    expect(afterCancel['USDT']).toEqual({ total: '1000000', available: '1000000' })
    expect(events.errorMessages()).toEqual([])
  })

  it('a crossing LIMIT buy fills: every fill event equals a fill of the truth, and the balances after are the truth', async () => {
    const rig = await startE2e({ seed: 14 })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)
    await balancesMatchTruth(rig)
    const asks = exchange.orderBook('BTC-USDT').asks(3)
    expect(asks.length).toBe(3)
    // Enough to take the best ask level and part of the next: more than one fill.
    const amount = new Big(asks[0]?.amount ?? 0).plus(new Big(asks[1]?.amount ?? 0).div(2)).round(5, Big.roundDown).toFixed()
    const limitPrice = new Big(asks[2]?.price ?? 0).toFixed()

    const id = exchange.buy('BTC-USDT', amount, 'LIMIT', limitPrice)
    const completed = await events.waitFor('buyOrderCompleted', (event) => event.clientOrderId === id)
    const truthOrder = simulator.truth.order(id, 'BTCUSDT')
    expect(truthOrder?.status).toBe('FILLED')
    const truthFills = simulator.truth.fills('BTCUSDT').filter((fill) => fill.accountId === rig.testAccountId && fill.clientOrderId === id)
    expect(truthFills.length).toBeGreaterThanOrEqual(2)

    const fillEvents = events.of('orderFilled').filter((event) => event.clientOrderId === id)
    const asRows = (rows: { tradeId: string; price: Big; amount: Big; fee: string }[]) =>
      rows.map((row) => ({ tradeId: row.tradeId, price: row.price.toFixed(), amount: row.amount.toFixed(), fee: row.fee })).sort((a, b) => a.tradeId.localeCompare(b.tradeId))
    expect(asRows(fillEvents.map((event) => ({ ...event, fee: event.fee.flatFees.map((fee) => `${fee.amount.toFixed()} ${fee.token}`).join(',') })))).toEqual(
      asRows(
        truthFills.map((fill) => ({
          tradeId: String(fill.tradeId),
          price: fill.price,
          amount: fill.quantity,
          fee: `${fill.commission.toFixed()} ${fill.commissionAsset}`,
        })),
      ),
    )
    for (const event of fillEvents) expect(event).toMatchObject({ tradeType: 'BUY', orderType: 'LIMIT', exchangeOrderId: String(truthOrder?.orderId), isTaker: true })
    expect(completed.executedAmountBase.toFixed()).toBe(truthOrder?.executedQuantity.toFixed())
    expect(completed.executedAmountQuote.toFixed()).toBe(truthOrder?.cumulativeQuoteQuantity.toFixed())
    expect(events.namesFor(id).filter((name) => name !== 'orderFilled')).toEqual(['buyOrderCreated', 'buyOrderCompleted'])

    const balances = await balancesMatchTruth(rig)
    expect(balances).toEqual(truthBalances(simulator))
    expect(new Big(balances['BTC']?.total ?? 0).gt(10)).toBe(true)
    expect(events.errorMessages()).toEqual([])
  })

  it('a MARKET sell fills at the bids: fills and balances equal the truth', async () => {
    const rig = await startE2e({ seed: 15 })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)
    await balancesMatchTruth(rig)

    const id = exchange.sell('BTC-USDT', '0.05', 'MARKET')
    await events.waitFor('sellOrderCompleted', (event) => event.clientOrderId === id)
    expect(simulator.truth.order(id, 'BTCUSDT')?.status).toBe('FILLED')
    const truthFills = simulator.truth.fills('BTCUSDT').filter((fill) => fill.accountId === rig.testAccountId && fill.clientOrderId === id)
    const fillEvents = events.of('orderFilled').filter((event) => event.clientOrderId === id)
    const key = (tradeId: string, price: Big, amount: Big) => `${tradeId}@${price.toFixed()}x${amount.toFixed()}`
    expect(fillEvents.map((event) => key(event.tradeId, event.price, event.amount)).sort()).toEqual(
      truthFills.map((fill) => key(String(fill.tradeId), fill.price, fill.quantity)).sort(),
    )
    expect(fillEvents.reduce((sum, event) => sum.plus(event.amount), new Big(0)).toFixed()).toBe('0.05')
    await waitUntil(() => !exchange.inFlightOrders.has(id), 'the filled order to leave the in-flight orders')
    const balances = await balancesMatchTruth(rig)
    expect(balances['BTC']?.total).toBe('9.95')
    expect(events.errorMessages()).toEqual([])
  })
})
