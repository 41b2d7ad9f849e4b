import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { listenKeyOfPath } from '../../../src/sim/listen-keys/index.ts'
import { bestQuotes, keysOf, readReference, signed } from '../rest/rest-test-kit.ts'
import { FakeSocket, MINUTE, openListenKey, startListenKeys, userStream } from './listen-key-test-kit.ts'

const legacy = (name: string) => readReference(`user-data/legacy_listenKey_${name}.json`) as Record<string, unknown>
/** Binance prints `v` only for orders expired by self-trade prevention, which the simulator has not. */
const EXECUTION_REPORT_KEYS = keysOf(legacy('executionReport')).filter((key) => key !== 'v')

async function connected() {
  const rig = startListenKeys()
  const listenKey = await openListenKey(rig)
  const socket = new FakeSocket()
  const connection = rig.listenKeys.connect(listenKey, socket)
  if (!connection) throw new Error('listen key refused')
  return { rig, listenKey, socket, connection }
}

const ofType = (frames: Record<string, any>[], type: string) => frames.filter((frame) => frame['e'] === type)

describe('a /ws/<listenKey> socket', () => {
  it('is refused (undefined) for a key never issued, and the path helper finds the key in /ws/<listenKey>', async () => {
    const { rig, listenKey } = await connected()
    expect(rig.listenKeys.connect('y'.repeat(64), new FakeSocket())).toBeUndefined()
    expect(rig.listenKeys.has('y'.repeat(64))).toBe(false)
    expect(listenKeyOfPath(`/ws/${listenKey}`)).toBe(listenKey)
    expect(listenKeyOfPath(`ws://127.0.0.1:9000/ws/${listenKey}`)).toBe(listenKey)
    expect(listenKeyOfPath('/ws/btcusdt@trade')).toBeUndefined()
    expect(listenKeyOfPath('/stream?streams=btcusdt@trade')).toBeUndefined()
  })

  it('gets bare executionReports (NEW, then TRADE/FILLED) and outboundAccountPosition for a REST order', async () => {
    const { rig, socket } = await connected()
    const { ask } = bestQuotes(rig)
    const order = await signed(rig, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: ask, quantity: '0.001', newClientOrderId: 'lk-buy-1' })
    expect(order.status).toBe(200)
    const frames = socket.take()
    // Bare payloads: no WS API envelope around them.
    for (const frame of frames) expect(frame).not.toHaveProperty('subscriptionId')

    const reports = ofType(frames, 'executionReport')
    expect(reports.map((report) => [report['x'], report['X']])).toEqual([['NEW', 'NEW'], ['TRADE', 'FILLED']])
    for (const report of reports) expect(keysOf(report)).toEqual(EXECUTION_REPORT_KEYS)
    expect(reports[0]).toMatchObject({ E: rig.clock.now, s: 'BTCUSDT', c: 'lk-buy-1', S: 'BUY', o: 'LIMIT', f: 'GTC', q: '0.00100000', n: '0', N: null, t: -1, l: '0.00000000' })
    expect(reports[1]).toMatchObject({ c: 'lk-buy-1', l: '0.00100000', z: '0.00100000', L: new Big(ask).toFixed(8), N: 'BTC', m: false })
    expect(reports[1]?.['i']).toBe((order.body as { orderId: number }).orderId)

    const [position] = ofType(frames, 'outboundAccountPosition')
    expect(keysOf(position)).toEqual(keysOf(legacy('outboundAccountPosition')))
    const ledger = rig.exchange.engine.ledger.balances(rig.exchange.testAccountId)
    const balance = (asset: string) => {
      const found = ledger.find((entry) => entry.asset === asset)
      return { a: asset, f: found?.free.toFixed(8), l: found?.locked.toFixed(8) }
    }
    expect([...position?.['B']].sort((left, right) => left.a.localeCompare(right.a))).toEqual([balance('BTC'), balance('USDT')])
    expect(ofType(frames, 'balanceUpdate')).toEqual([])
  })

  it('gets balanceUpdate with the delta, then outboundAccountPosition, for a deposit', async () => {
    const { rig, socket } = await connected()
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { ETH: '2.5' })
    const frames = socket.take()
    expect(frames.map((frame) => frame['e'])).toEqual(['balanceUpdate', 'outboundAccountPosition'])
    expect(keysOf(frames[0])).toEqual(keysOf(legacy('balanceUpdate')))
    expect(frames[0]).toEqual({ e: 'balanceUpdate', E: rig.clock.now, a: 'ETH', d: '2.50000000', T: rig.clock.now })
    expect(frames[1]?.['B']).toEqual([{ a: 'ETH', f: '102.50000000', l: '0.00000000' }])
  })

  it('feeds every socket on the key, and nothing after the transport reports it closed', async () => {
    const { rig, listenKey, socket, connection } = await connected()
    const second = new FakeSocket()
    rig.listenKeys.connect(listenKey, second)
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(ofType(socket.take(), 'balanceUpdate')).toHaveLength(1)
    expect(ofType(second.take(), 'balanceUpdate')).toEqual([{ e: 'balanceUpdate', E: rig.clock.now, a: 'BTC', d: '1.00000000', T: rig.clock.now }])

    connection.closed()
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(socket.take()).toEqual([])
    expect(ofType(second.take(), 'balanceUpdate')).toHaveLength(1)
  })

  it('ignores other accounts and incoming frames other than LIST_SUBSCRIPTIONS', async () => {
    const { rig, socket, connection } = await connected()
    connection.receive('{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}')
    connection.receive('not json')
    rig.exchange.engine.deposit('someone-else', { USDT: '1000' })
    expect(socket.take()).toEqual([])
  })

  it('answers a keep-alive LIST_SUBSCRIPTIONS with its listen key', async () => {
    const { listenKey, socket, connection } = await connected()
    connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":7}')
    expect(socket.take()).toEqual([{ result: [listenKey], id: 7 }])
  })
})

describe('listen-key expiry', () => {
  it('sends listenKeyExpired to the key’s sockets, then closes them, once 60 minutes pass without a keep-alive', async () => {
    const { rig, listenKey, socket } = await connected()
    rig.clock.now += 60 * MINUTE - 1
    expect(rig.listenKeys.expire()).toEqual([])
    expect(socket.take()).toEqual([])
    expect(socket.closes).toEqual([])

    rig.clock.now += 1
    expect(rig.listenKeys.expire()).toEqual([listenKey])
    const [expired, ...rest] = socket.take()
    expect(rest).toEqual([])
    expect(keysOf(expired)).toEqual(keysOf(legacy('listenKeyExpired')))
    expect(expired).toEqual({ e: 'listenKeyExpired', E: rig.clock.now, listenKey })
    expect(socket.closes).toEqual([{ code: 1000, reason: 'listenKey expired' }])

    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(socket.take()).toEqual([])
    expect(rig.listenKeys.connect(listenKey, new FakeSocket())).toBeUndefined()
    expect(await userStream(rig, 'PUT', { listenKey })).toMatchObject({ status: 400, body: { code: -1125 } })
    // Expiring again finds nothing left.
    expect(rig.listenKeys.expire()).toEqual([])
  })

  it('takes the event time from expire(nowMs) when the adapter passes one', async () => {
    const { rig, listenKey, socket } = await connected()
    const at = rig.clock.now + 61 * MINUTE
    expect(rig.listenKeys.expire(at)).toEqual([listenKey])
    expect(socket.take()).toEqual([{ e: 'listenKeyExpired', E: at, listenKey }])
  })

  it('spares a key kept alive by PUT, until 60 minutes after the last keep-alive', async () => {
    const { rig, listenKey, socket } = await connected()
    rig.clock.now += 59 * MINUTE
    expect((await userStream(rig, 'PUT', { listenKey })).status).toBe(200)
    rig.clock.now += 2 * MINUTE
    expect(rig.listenKeys.expire()).toEqual([])
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(ofType(socket.take(), 'balanceUpdate')).toHaveLength(1)

    rig.clock.now += 58 * MINUTE
    expect(rig.listenKeys.expire()).toEqual([listenKey])
    expect(socket.take()).toEqual([{ e: 'listenKeyExpired', E: rig.clock.now, listenKey }])
  })

  it('expires a lapsed key at the sweep even when a POST already replaced it', async () => {
    const { rig, listenKey, socket } = await connected()
    rig.clock.now += 61 * MINUTE
    const fresh = await openListenKey(rig)
    expect(fresh).not.toBe(listenKey)
    expect(rig.listenKeys.expire()).toEqual([listenKey])
    expect(socket.take()).toEqual([{ e: 'listenKeyExpired', E: rig.clock.now, listenKey }])
    expect(rig.listenKeys.has(fresh)).toBe(true)
  })
})

describe('DELETE /api/v3/userDataStream', () => {
  it('closes the key’s sockets without a listenKeyExpired', async () => {
    const { rig, listenKey, socket } = await connected()
    const second = new FakeSocket()
    rig.listenKeys.connect(listenKey, second)
    expect((await userStream(rig, 'DELETE', { listenKey })).status).toBe(200)
    expect(socket.closes).toEqual([{ code: 1000, reason: 'listenKey closed' }])
    expect(second.closes).toEqual([{ code: 1000, reason: 'listenKey closed' }])
    expect(socket.take()).toEqual([])
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(socket.take()).toEqual([])
    expect(rig.listenKeys.expire(rig.clock.now + 120 * MINUTE)).toEqual([])
  })
})

describe('dispose()', () => {
  it('closes every socket with 1001 and forgets every key', async () => {
    const { rig, listenKey, socket } = await connected()
    rig.listenKeys.dispose()
    expect(socket.closes).toEqual([{ code: 1001, reason: 'Simulator stopped' }])
    expect(rig.listenKeys.has(listenKey)).toBe(false)
    rig.exchange.engine.deposit(rig.exchange.testAccountId, { BTC: '1' })
    expect(socket.take()).toEqual([])
  })
})
