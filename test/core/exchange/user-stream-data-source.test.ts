// The user-stream data source base: login/subscribe on every (re)connect, lastReceivedAt, events in
// order, errors on the error channel, keep-alive tasks, stop by AbortSignal. Runs the real WS
// supervisor over a fake WebSocket. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PayloadValidationError } from '../../../src/core/errors.ts'
import type { UserStreamSocket } from '../../../src/core/exchange/user-stream-data-source.ts'
import type { WsAssistantOptions } from '../../../src/core/web/ws-assistant.ts'
import type { WsConnection } from '../../../src/core/web/ws-connection.ts'
import {
  ackingServer,
  type FakeUserEvent,
  FakeUserStream,
  fakeSocketServer,
  fakeTimersClock,
  flush,
  START_TIME,
  useFakeClock,
  wireEvent,
} from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

function streamOn(server: ReturnType<typeof fakeSocketServer>, extra: Partial<WsAssistantOptions> = {}) {
  const stream = new FakeUserStream({
    clock: fakeTimersClock,
    socket: { socketFactory: (url) => server.factory(url), livenessTimeoutMs: 0, random: () => 0, ...extra },
  })
  const errors: Error[] = []
  stream.on('error', (error) => errors.push(error))
  return { stream, errors }
}

/** Reads events into an array until the stream ends. */
function collect(stream: FakeUserStream): { events: FakeUserEvent[]; done: Promise<void> } {
  const events: FakeUserEvent[] = []
  const done = (async () => {
    for await (const event of stream) events.push(event)
  })()
  return { events, done }
}

const balanceEvent = (asset: string): FakeUserEvent => ({ kind: 'balance', balance: { asset, total: 1 as never, available: 1 as never } })

describe('user stream data source', () => {
  it('constructing it opens nothing', async () => {
    const server = ackingServer()
    const { stream } = streamOn(server)
    await flush()
    expect(server.sockets).toHaveLength(0)
    expect(stream.health()).toBeUndefined()
    expect(stream.lastReceivedAt).toBe(0)
    expect(stream.isConnected).toBe(false)
  })

  it('subscribes on connect and again after every reconnect', async () => {
    const server = ackingServer()
    const { stream, errors } = streamOn(server)
    const connected: number[] = []
    stream.on('connected', (at) => connected.push(at))
    stream.start()
    await flush()
    expect(server.sockets).toHaveLength(1)
    expect(server.last().url).toBe('wss://fake.test/private')
    expect(server.last().sent.map((text) => JSON.parse(text) as unknown)).toEqual([{ op: 'subscribe' }])
    expect(stream.isConnected).toBe(true)
    server.last().drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(server.sockets).toHaveLength(2)
    expect(server.last().sent.map((text) => JSON.parse(text) as unknown)).toEqual([{ op: 'subscribe' }])
    expect(stream.authentications).toHaveLength(2)
    expect(connected).toHaveLength(2)
    expect(errors[0]?.message).toMatch(/closed by the server/)
    stream.stop()
  })

  it('lastReceivedAt is 0 until a message arrives, then the time of the latest one', async () => {
    const server = fakeSocketServer()
    const { stream } = streamOn(server)
    stream.start()
    await flush()
    expect(stream.lastReceivedAt).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000)
    server.last().say({ type: 'ack' }) // read by authenticate, not delivered as an event
    await flush()
    expect(stream.lastReceivedAt).toBe(START_TIME + 1_000)
    await vi.advanceTimersByTimeAsync(2_000)
    server.last().say({ type: 'pong' })
    await flush()
    expect(stream.lastReceivedAt).toBe(START_TIME + 3_000)
    stream.stop()
  })

  it('delivers parsed events in order and skips messages that are not events', async () => {
    const server = ackingServer()
    const { stream } = streamOn(server)
    const received: number[] = []
    stream.on('received', (at) => received.push(at))
    stream.start()
    const { events, done } = collect(stream)
    await flush()
    server.last().say(wireEvent(balanceEvent('BTC')))
    server.last().say({ type: 'pong' })
    server.last().say(wireEvent(balanceEvent('ETH')))
    await flush()
    expect(events.map((event) => (event.kind === 'balance' ? event.balance.asset : event.kind))).toEqual(['BTC', 'ETH'])
    expect(received).toHaveLength(3)
    stream.stop()
    await done
  })

  it('reports a message that cannot be parsed, with its payload, and carries on', async () => {
    const server = ackingServer()
    const { stream, errors } = streamOn(server)
    stream.start()
    const { events, done } = collect(stream)
    await flush()
    server.last().say({ strange: 'payload', apiKey: 'SECRETKEY123' })
    server.last().say(wireEvent(balanceEvent('BTC')))
    await flush()
    expect(errors[0]).toBeInstanceOf(PayloadValidationError)
    expect((errors[0] as PayloadValidationError).source).toBe('fake user stream')
    expect(JSON.stringify((errors[0] as PayloadValidationError).payload)).not.toContain('SECRETKEY123')
    expect(events).toHaveLength(1)
    stream.stop()
    await done
  })

  it('a refused subscription is reported and the connection replaced', async () => {
    const server = fakeSocketServer((socket, data) => {
      if ((data as { op?: string }).op === 'subscribe') queueMicrotask(() => socket.say({ type: 'denied' }))
    })
    const { stream, errors } = streamOn(server)
    stream.start()
    await flush()
    expect(errors.some((error) => /subscription refused/.test(error.message) || /subscription refused/.test(String(error.cause)))).toBe(true)
    expect(stream.isConnected).toBe(false)
    await vi.advanceTimersByTimeAsync(250)
    expect(server.sockets.length).toBeGreaterThanOrEqual(2)
    stream.stop()
  })

  it('aborting the signal ends the stream, its iteration and every timer', async () => {
    const server = ackingServer()
    const { stream } = streamOn(server, { livenessTimeoutMs: 30_000 })
    const controller = new AbortController()
    stream.start(controller.signal)
    const { events, done } = collect(stream)
    await flush()
    server.last().say(wireEvent(balanceEvent('BTC')))
    controller.abort()
    await done
    expect(server.last().readyState).toBe(3)
    expect(vi.getTimerCount()).toBe(0)
    expect(events.length).toBeLessThanOrEqual(1)
    stream.start(controller.signal) // an aborted signal starts nothing
    expect(server.sockets).toHaveLength(1)
  })

  it('starting twice opens one connection; a stopped stream can start again', async () => {
    const server = ackingServer()
    const { stream } = streamOn(server)
    stream.start()
    stream.start()
    await flush()
    expect(server.sockets).toHaveLength(1)
    stream.stop()
    stream.start()
    const { events, done } = collect(stream)
    await flush()
    expect(server.sockets).toHaveLength(2)
    server.last().say(wireEvent(balanceEvent('SOL')))
    await flush()
    expect(events).toHaveLength(1)
    stream.stop()
    await done
  })

  it('runs keep-alive tasks while started and reports their failures', async () => {
    const server = ackingServer()
    const { stream, errors } = streamOn(server)
    const runs: number[] = []
    let fail = false
    stream.addKeepAlive(30 * 60_000, () => {
      runs.push(Date.now())
      return fail ? Promise.reject(new Error('listen key expired')) : Promise.resolve()
    })
    stream.start()
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(runs).toEqual([START_TIME + 30 * 60_000])
    fail = true
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(errors.at(-1)?.message).toMatch(/keep-alive 'listen key' failed; retrying in 1000 ms/)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(runs).toHaveLength(3)
    stream.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a keep-alive registered while started runs from then on', async () => {
    const server = ackingServer()
    const { stream } = streamOn(server)
    stream.start()
    let runs = 0
    stream.addKeepAlive(1_000, () => Promise.resolve(void (runs += 1)))
    await vi.advanceTimersByTimeAsync(3_000)
    expect(runs).toBe(3)
    stream.stop()
  })

  it('reconnect replaces the connection and subscribes again', async () => {
    const server = ackingServer()
    const { stream } = streamOn(server)
    stream.forceReconnect() // not started: nothing happens
    stream.start()
    await flush()
    stream.forceReconnect()
    await flush()
    expect(server.sockets).toHaveLength(2)
    expect(stream.authentications).toHaveLength(2)
    stream.stop()
  })

  it('sends the connector ping when the stream has been silent for the liveness timeout', async () => {
    class PingingStream extends FakeUserStream {
      protected override sendPing(connection: WsConnection): void {
        connection.send({ op: 'ping' })
      }
    }
    const server = ackingServer()
    const stream = new PingingStream({ clock: fakeTimersClock, socket: { socketFactory: (url) => server.factory(url), livenessTimeoutMs: 10_000 } })
    stream.start()
    await flush()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.last().sent.map((text) => JSON.parse(text) as unknown)).toEqual([{ op: 'subscribe' }, { op: 'ping' }])
    stream.stop()
  })

  it('handleRawMessage feeds events without a socket (connector tests)', async () => {
    const { stream } = streamOn(ackingServer())
    const iterator = stream[Symbol.asyncIterator]()
    stream.handleRawMessage(wireEvent(balanceEvent('BTC')))
    expect(stream.lastReceivedAt).toBe(START_TIME)
    const next = await iterator.next()
    expect(next.done).toBe(false)
  })

  it('a connector may supply its own socket', async () => {
    const messages = [{ type: 'pong' }, wireEvent(balanceEvent('XRP'))]
    let closed = false
    class RelayStream extends FakeUserStream {
      protected override createSocket(options: WsAssistantOptions): UserStreamSocket {
        expect(typeof options.onOpen).toBe('function')
        return {
          start: () => Promise.resolve(),
          health: () => ({ state: 'open', connectedSince: 0, lastMessageAt: undefined, reconnects: 0, lastError: undefined }),
          reconnect: () => {},
          close: () => {
            closed = true
          },
          async *[Symbol.asyncIterator]() {
            yield* messages
          },
        }
      }
    }
    const stream = new RelayStream({ clock: fakeTimersClock })
    stream.start()
    const { events, done } = collect(stream)
    await done
    expect(events.map((event) => event.kind)).toEqual(['balance'])
    expect(stream.isConnected).toBe(true)
    stream.stop()
    expect(closed).toBe(true)
  })
})
