// Binance.US's user stream: a listen key made over REST, its events read bare from `/ws/<listenKey>`
// (no WS API session at all), the socket dropped by the server and reopened, the key closed on stop.
import { describe, expect, it } from 'vitest'
import { Big } from '../../../../src/core/decimal.ts'
import { type ServerSocketRecord, balancesMatchTruth, caughtUpBooks, startE2e, waitUntil } from './sim-e2e-kit.ts'

const LISTEN_KEY_PATH = /^\/ws\/([A-Za-z0-9]{64})$/
const USER_DATA_STREAM = '/api/v3/userDataStream'

/** The executionReports a listen-key socket was sent for one order, as `x` (execution type) values. */
function executionTypes(socket: ServerSocketRecord | undefined, clientOrderId: string): string[] {
  return (socket?.sent ?? [])
    .filter((frame): frame is Record<string, unknown> => typeof frame === 'object' && frame !== null)
    .filter((frame) => frame['e'] === 'executionReport' && frame['c'] === clientOrderId)
    .map((frame) => String(frame['x']))
}

describe('Binance e2e: Binance.US listen-key user stream', () => {
  it("domain 'us': the user stream runs on a listen key, survives a dropped socket, and stop() closes the key", async () => {
    // Status polling slowed down past the test's waits: order updates and fills can only come from the stream.
    const rig = await startE2e({
      seed: 23,
      listenKeys: true,
      exchange: { domain: 'us', intervals: { shortPollMs: 60_000, longPollMs: 120_000 } },
    })
    const { exchange, simulator, events } = rig
    simulator.marketMakersRunning = false
    const listenKeySockets = () => rig.serverSockets.filter((socket) => LISTEN_KEY_PATH.test(socket.path))
    const userStreamRequests = (method: string) => rig.serverRequests.filter((request) => request.method === method && request.path === USER_DATA_STREAM)

    // start(): one POST made the key, one socket reads it; the WS API was never asked for user data.
    expect(exchange.statusDict.userStreamInitialized).toBe(true)
    expect(userStreamRequests('POST').map((request) => request.status)).toEqual([200])
    expect(listenKeySockets()).toHaveLength(1)
    const listenKey = LISTEN_KEY_PATH.exec(listenKeySockets()[0]?.path ?? '')?.[1] ?? ''
    expect(listenKeySockets()[0]?.open).toBe(true)
    expect(rig.serverSockets.filter((socket) => socket.path.startsWith('/ws-api'))).toEqual([])
    expect(simulator.openConnections()).toMatchObject({ listenKey: 1, wsApi: 0 })
    expect(events.errorMessages()).toEqual([])

    // A resting LIMIT buy below the market: NEW on the listen-key stream, then created.
    const bestBid = exchange.orderBook('BTC-USDT').bestBid?.price ?? 0
    const resting = exchange.buy('BTC-USDT', '0.01', 'LIMIT', new Big(Math.floor(bestBid * 0.8)).toFixed())
    await events.waitFor('buyOrderCreated', (event) => event.clientOrderId === resting)
    await waitUntil(() => executionTypes(listenKeySockets()[0], resting).includes('NEW'), 'the NEW executionReport on the listen-key socket')

    expect(await exchange.cancel('BTC-USDT', resting)).toBe(true)
    await events.waitFor('orderCancelled', (event) => event.clientOrderId === resting)
    expect(executionTypes(listenKeySockets()[0], resting)).toEqual(['NEW', 'CANCELED'])
    expect(events.namesFor(resting)).toEqual(['buyOrderCreated', 'orderCancelled'])

    // The server drops the listen-key socket: the connector opens a new one (the key is still alive).
    simulator.faults.arm({ kind: 'dropSockets', sockets: 'listenKey' })
    expect(simulator.faults.counts().dropSockets).toBe(1)
    await waitUntil(
      () => listenKeySockets().length === 2 && listenKeySockets()[1]?.open === true,
      `a new listen-key socket (sockets: ${JSON.stringify(listenKeySockets().map(({ path, open }) => ({ path, open })))})`,
    )
    expect(listenKeySockets()[0]?.open).toBe(false)
    expect(simulator.openConnections()).toMatchObject({ listenKey: 1, wsApi: 0 })
    await balancesMatchTruth(rig)
    await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 5)

    // A buy through the best ask into the next level fills over the new socket.
    const asks = exchange.orderBook('BTC-USDT').asks(2)
    const amount = new Big(asks[0]?.amount ?? 0).plus(new Big(asks[1]?.amount ?? 0).div(2)).round(5, Big.roundDown).toFixed()
    const filled = exchange.buy('BTC-USDT', amount, 'LIMIT', new Big(asks[1]?.price ?? 0).toFixed())
    await events.waitFor('buyOrderCompleted', (event) => event.clientOrderId === filled)
    const truthFills = simulator.truth.fills('BTCUSDT').filter((fill) => fill.accountId === rig.testAccountId && fill.clientOrderId === filled)
    expect(truthFills.length).toBeGreaterThanOrEqual(2)
    const fillEvents = events.of('orderFilled').filter((event) => event.clientOrderId === filled)
    expect(fillEvents.map((event) => `${event.tradeId}:${event.price.toFixed()}x${event.amount.toFixed()}`).sort()).toEqual(
      truthFills.map((fill) => `${fill.tradeId}:${fill.price.toFixed()}x${fill.quantity.toFixed()}`).sort(),
    )
    expect(executionTypes(listenKeySockets()[1], filled).filter((type) => type === 'TRADE')).toHaveLength(truthFills.length)
    const balances = await balancesMatchTruth(rig)
    expect(new Big(balances['BTC']?.total ?? 0).gt(10)).toBe(true)

    // stop(): DELETE closes the key (a PUT with it is now refused) and nothing stays connected.
    const currentKey = LISTEN_KEY_PATH.exec(listenKeySockets()[1]?.path ?? '')?.[1]
    await rig.stopExchange()
    const deletes = userStreamRequests('DELETE')
    expect(deletes.map((request) => [request.query.get('listenKey'), request.status])).toEqual([[currentKey, 200]])
    const keepAlive = await fetch(`${rig.urls.rest}/v3/userDataStream?listenKey=${currentKey}`, {
      method: 'PUT',
      headers: { 'X-MBX-APIKEY': simulator.credentials.apiKey },
    })
    expect(await keepAlive.json()).toMatchObject({ code: -1125 })
    await waitUntil(() => Object.values(simulator.openConnections()).every((count) => count === 0), `no open connections (${JSON.stringify(simulator.openConnections())})`)
    expect(rig.openServerSockets()).toEqual([])
    expect(listenKey).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(events.errorMessages().filter((message) => !message.includes('SocketClosed'))).toEqual([])
  })
})
