import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchOrderBook, type WatchOrderBookOptions } from '../../../src/connectors/binance/watch-order-book.ts'
import { InvalidInputError, PayloadValidationError } from '../../../src/core/errors.ts'
import { fakeSocketFactory } from '../../core/web/helpers/fake-socket.ts'
import { depthFrame, depthSnapshot, flush, scriptedDepthEndpoint } from './market-data-helpers.ts'

function watched(overrides: Partial<WatchOrderBookOptions> = {}) {
  const sockets = fakeSocketFactory()
  const depth = scriptedDepthEndpoint()
  const updates: number[] = []
  const errors: Error[] = []
  const watch = watchOrderBook({
    tradingPair: 'BTC-USDT',
    fetch: depth.fetch,
    socketFactory: sockets.factory,
    onUpdate: (book) => void updates.push(book.lastUpdateId),
    onError: (error) => void errors.push(error),
    ...overrides,
  })
  return { watch, sockets, depth, updates, errors }
}

/** Opens the socket, buffers two diffs and answers the snapshot: live at update id 106. */
async function live(overrides: Partial<WatchOrderBookOptions> = {}) {
  const setup = watched(overrides)
  await flush()
  const socket = setup.sockets.last()
  socket.accept()
  await flush()
  socket.say(depthFrame('BTCUSDT', 101, 103, [['30000', '1']]))
  socket.say(depthFrame('BTCUSDT', 104, 106, [], [['30001', '2']]))
  await flush()
  setup.depth.pending().respond(200, depthSnapshot(102, [['29999', '1']], [['30002', '1']]))
  await flush()
  return { ...setup, socket }
}

describe('watchOrderBook', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("streams <symbol>@depth@100ms from binance.com's URLs by default, with no other request", async () => {
    const { watch, sockets, depth } = watched()
    expect(watch.book.status).toBe('syncing')
    expect(watch.book.bids()).toEqual([])
    await flush()
    expect(sockets.last().url).toBe('wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms')
    expect(depth.requests.map((request) => request.url.href)).toEqual(['https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000'])
    watch.stop()
  })

  it('takes the domain, per-key URL overrides and the snapshot depth', async () => {
    const { watch, sockets, depth } = watched({ domain: 'us', urls: { rest: 'http://127.0.0.1:1/api' }, depth: 100 })
    await flush()
    expect(sockets.last().url).toBe('wss://stream.binance.us:9443/stream?streams=btcusdt@depth@100ms')
    expect(depth.requests[0]?.url.href).toBe('http://127.0.0.1:1/api/v3/depth?symbol=BTCUSDT&limit=100')
    watch.stop()
  })

  it('refuses a trading pair that is not BASE-QUOTE', () => {
    expect(() => watchOrderBook({ tradingPair: 'BTCUSDT' })).toThrow(InvalidInputError)
    expect(() => watchOrderBook({ tradingPair: 'btc-usdt' })).toThrow(InvalidInputError)
  })

  it('calls onUpdate once after the snapshot (with the buffered diffs) and once per diff applied', async () => {
    const { watch, socket, updates } = await live()
    expect(updates).toEqual([106])
    expect(watch.book.status).toBe('live')
    expect(watch.book.bestBid).toEqual({ price: 30000, amount: 1, updateId: 103 })
    expect(watch.book.bestAsk).toEqual({ price: 30001, amount: 2, updateId: 106 })
    socket.say(depthFrame('BTCUSDT', 107, 107, [['30000', '0']]))
    socket.say(depthFrame('BTCUSDT', 100, 105)) // u <= book id: ignored, no update
    socket.say(depthFrame('BTCUSDT', 108, 110, [['29998', '4']]))
    await flush()
    expect(updates).toEqual([106, 107, 110])
    expect(watch.book.bids().map((row) => row.price)).toEqual([29999, 29998])
    watch.stop()
  })

  it('syncs through a gap: stale, a new snapshot, live again', async () => {
    const { watch, socket, depth, updates } = await live()
    socket.say(depthFrame('BTCUSDT', 109, 110))
    await flush()
    expect(watch.book.status).toBe('stale')
    socket.say(depthFrame('BTCUSDT', 111, 112))
    await flush()
    expect(updates).toEqual([106])
    depth.pending().respond(200, depthSnapshot(109))
    await flush()
    expect(watch.book.status).toBe('live')
    expect(watch.book.lastUpdateId).toBe(112)
    expect(updates).toEqual([106, 112])
    watch.stop()
  })

  it('calls onStatusChange on each status change, before the onUpdate that brings the book live', async () => {
    const calls: string[] = []
    const { watch, socket, depth } = await live({
      onStatusChange: (status, book) => void calls.push(`status ${status} ${book.status}`),
      onUpdate: (book) => void calls.push(`update ${book.lastUpdateId}`),
    })
    expect(calls).toEqual(['status live live', 'update 106'])
    socket.say(depthFrame('BTCUSDT', 109, 110))
    await flush()
    expect(calls.slice(2)).toEqual(['status stale stale'])
    depth.pending().respond(200, depthSnapshot(109))
    await flush()
    expect(calls.slice(3)).toEqual(['status live live', 'update 110'])
    watch.stop()
  })

  it('fetches the snapshot again when it is older than the first buffered diff', async () => {
    const { watch, sockets, depth, updates } = watched()
    await flush()
    const socket = sockets.last()
    socket.accept()
    await flush()
    socket.say(depthFrame('BTCUSDT', 101, 103))
    await flush()
    depth.pending().respond(200, depthSnapshot(90)) // 91..100 are in neither
    await flush()
    expect(watch.book.status).toBe('syncing')
    expect(updates).toEqual([])
    await vi.advanceTimersByTimeAsync(500)
    depth.pending().respond(200, depthSnapshot(101))
    await flush()
    expect(watch.book.status).toBe('live')
    expect(updates).toEqual([103])
    watch.stop()
  })

  it('reports a malformed frame and leaves the book and onUpdate untouched', async () => {
    const { watch, socket, updates, errors } = await live()
    socket.say({ stream: 'btcusdt@depth@100ms', data: { ...depthFrame('BTCUSDT', 107, 108).data, a: 'nope' } })
    socket.say(depthFrame('ETHUSDT', 107, 108)) // not the watched symbol
    await flush()
    expect(errors).toHaveLength(2)
    expect(errors.every((error) => error instanceof PayloadValidationError)).toBe(true)
    expect((errors[1] as PayloadValidationError).details).toBe('unknown symbol ETHUSDT')
    expect(watch.book.lastUpdateId).toBe(106)
    expect(updates).toEqual([106])
    watch.stop()
  })

  it('reconnects after a drop and resyncs the book', async () => {
    const { watch, socket, sockets, depth, updates } = await live()
    socket.drop()
    await vi.advanceTimersByTimeAsync(500)
    const second = sockets.last()
    expect(second).not.toBe(socket)
    second.accept()
    await flush()
    expect(watch.book.status).toBe('stale')
    second.say(depthFrame('BTCUSDT', 200, 201))
    await flush()
    depth.pending().respond(200, depthSnapshot(200))
    await flush()
    expect(watch.book.status).toBe('live')
    expect(updates).toEqual([106, 201])
    watch.stop()
  })

  it('stop leaves no timer, request or socket, and the book reads stale', async () => {
    const { watch, socket, depth } = await live()
    socket.say(depthFrame('BTCUSDT', 300, 301)) // a gap: a snapshot request is waiting
    await flush()
    expect(depth.pendingCount()).toBe(1)
    watch.stop()
    watch.stop()
    await flush()
    expect(vi.getTimerCount()).toBe(0)
    expect(socket.readyState).toBe(3)
    expect(watch.book.status).toBe('stale')
  })

  it('aborting the signal stops it; an aborted signal starts nothing', async () => {
    const controller = new AbortController()
    const { sockets, updates } = await live({ signal: controller.signal })
    controller.abort()
    await flush()
    expect(vi.getTimerCount()).toBe(0)
    expect(sockets.last().readyState).toBe(3)
    expect(updates).toEqual([106])

    const idle = watched({ signal: AbortSignal.abort() })
    await flush()
    expect(idle.sockets.sockets).toHaveLength(0)
    expect(idle.depth.requests).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('watchOrderBook over a real loopback socket', () => {
  it('syncs from a ws server on 127.0.0.1 and closes its connection on stop', async () => {
    const { WebSocketServer } = await import('ws')
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', resolve))
    const { port } = server.address() as { port: number }
    const clients: { path: string; send(data: string): void }[] = []
    const closed = new Promise<void>((resolve) => {
      server.on('connection', (client, request) => {
        clients.push({ path: request.url ?? '', send: (data) => client.send(data) })
        client.on('close', () => resolve())
      })
    })
    const depth = scriptedDepthEndpoint()
    const updates: number[] = []
    const watch = watchOrderBook({
      tradingPair: 'ETH-USDT',
      urls: { ws: `ws://127.0.0.1:${port}`, rest: 'http://127.0.0.1:9/api' },
      fetch: depth.fetch,
      onUpdate: (book) => void updates.push(book.lastUpdateId),
    })
    try {
      await vi.waitFor(() => expect(clients).toHaveLength(1))
      expect(clients[0]?.path).toBe('/stream?streams=ethusdt@depth@100ms')
      await vi.waitFor(() => expect(depth.pendingCount()).toBe(1))
      depth.pending().respond(200, depthSnapshot(10, [['1999', '1']], []))
      await vi.waitFor(() => expect(updates).toEqual([10]))
      clients[0]?.send(JSON.stringify(depthFrame('ETHUSDT', 11, 12, [['2000', '1']])))
      await vi.waitFor(() => expect(updates).toEqual([10, 12]))
      expect(watch.book.status).toBe('live')
      expect(watch.book.bestBid).toEqual({ price: 2000, amount: 1, updateId: 12 })
      watch.stop()
      await closed
    } finally {
      watch.stop()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
