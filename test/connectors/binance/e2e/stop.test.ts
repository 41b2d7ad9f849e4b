// stop() after a full session (books, user stream, an open order): every socket the exchange
// opened is closed on the server's side, and no timer of the exchange is left in the process.
import { describe, expect, it } from 'vitest'
import { Big } from '../../../../src/core/decimal.ts'
import { createBinanceExchange } from '../../../../src/connectors/binance/index.ts'
import { startE2e, waitUntil } from './sim-e2e-kit.ts'

/** The process's active handles and requests by kind (Node's own count), e.g. { Timeout: 3, TCPWRAP: 2 }. */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

describe('Binance e2e: stop', () => {
  it('stop: closes every socket on the server side and leaves no timer running', async () => {
    const rig = await startE2e({ seed: 19, start: false, tradingPairs: ['BTC-USDT', 'ETH-USDT'] })
    const { exchange, simulator, events } = rig
    // The server's own timers (depth ticks, makers) are in the baseline; the exchange has none yet.
    const baselineTimers = activeResources()['Timeout'] ?? 0
    expect(rig.serverSockets).toEqual([])
    await exchange.start()
    simulator.marketMakersRunning = false
    const bestBid = exchange.orderBook('BTC-USDT').bestBid?.price ?? 0
    const id = exchange.buy('BTC-USDT', '0.01', 'LIMIT', new Big(Math.floor(bestBid * 0.8)).toFixed())
    await events.waitFor('buyOrderCreated', (event) => event.clientOrderId === id)
    const open = rig.openServerSockets()
    expect(open.some((path) => path.startsWith('/stream'))).toBe(true)
    expect(open.some((path) => path.startsWith('/ws-api/v3'))).toBe(true)

    await rig.stopExchange()
    await waitUntil(() => rig.openServerSockets().length === 0, `the server to see every socket closed (open: ${rig.openServerSockets().join(', ')})`)
    // Timers: the server's per-socket keep-alive timers went with the sockets; what is left is the baseline.
    await waitUntil(() => (activeResources()['Timeout'] ?? 0) <= baselineTimers, `no timers beyond the baseline ${baselineTimers} (now ${JSON.stringify(activeResources())})`)
    // The open order stays tracked for a restart.
    expect(Object.keys(exchange.trackingStates)).toEqual([id])
    // Nothing runs any more: no socket opens later either.
    const socketsAtStop = rig.serverSockets.length
    simulator.marketMakersRunning = true
    simulator.stepMarketMakers(3)
    await new Promise((resolve) => setTimeout(resolve, 300)) // a window in which a leftover loop would reconnect
    expect(rig.serverSockets.length).toBe(socketsAtStop)
    expect(rig.openServerSockets()).toEqual([])
  })

  it('constructing an exchange starts nothing: no socket, no timer', async () => {
    const rig = await startE2e({ seed: 20, start: false })
    const before = activeResources()['Timeout'] ?? 0
    const idle = createBinanceExchange({ tradingPairs: ['BTC-USDT'], urls: rig.urls, tradingRequired: false })
    await new Promise((resolve) => setImmediate(resolve))
    expect(rig.serverSockets).toEqual([])
    expect(activeResources()['Timeout'] ?? 0).toBe(before)
    await idle.stop()
  })
})
