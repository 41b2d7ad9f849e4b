// The kit's MockWebSocketServer: sockets listed by URL, frames fed and read, server-side close,
// errors and refused connections, driven through the library's own WsConnection.
import { describe, expect, it } from 'vitest'
import { WsConnection } from '../../src/core/web/ws-connection.ts'
import { MockWebSocketServer } from '../../src/testing/index.ts'

const clock = { now: () => Date.now(), monotonic: () => performance.now() }

async function connect(server: MockWebSocketServer, url = 'wss://stream.example.test/ws') {
  return WsConnection.open({ url, clock, timeoutMs: 1_000, socketFactory: server.factory })
}

describe('MockWebSocketServer', () => {
  it('opens each socket on the next microtask and lists it with its URL', async () => {
    const server = new MockWebSocketServer()
    const connection = await connect(server, 'wss://stream.example.test/ws?x=1')
    expect(server.sockets.map((socket) => socket.url)).toEqual(['wss://stream.example.test/ws?x=1'])
    expect(server.last()?.isOpen).toBe(true)
    expect(server.socketsTo('wss://stream.example.test')).toHaveLength(1)
    expect(server.liveSockets).toHaveLength(1)
    connection.close()
    await connection.closed
    expect(server.liveSockets).toEqual([])
    expect(server.last()?.closedByClient).toBeDefined()
  })

  it('feeds objects as JSON and strings as they are; records what the client sent, parsed', async () => {
    const server = new MockWebSocketServer({ onClientFrame: (socket, frame) => socket.feed({ echo: frame }) })
    const connection = await connect(server)
    const socket = server.last()
    socket?.feed('plain text')
    connection.send({ method: 'SUBSCRIBE', id: 1 })
    const received: unknown[] = []
    for await (const message of connection) {
      received.push(message)
      if (received.length === 2) break
    }
    expect(received).toEqual(['plain text', { echo: { method: 'SUBSCRIBE', id: 1 } }])
    expect(socket?.sent).toEqual([{ method: 'SUBSCRIBE', id: 1 }])
    expect(socket?.sentFrames).toEqual(['{"method":"SUBSCRIBE","id":1}'])
    connection.close()
  })

  it('closes from the server side with a code and reason, and raises errors', async () => {
    const server = new MockWebSocketServer()
    const connection = await connect(server)
    const socket = server.last()
    socket?.closeFromServer(1012, 'restarting')
    const info = await connection.closed
    expect([info.code, info.reason, info.byClient]).toEqual([1012, 'restarting', false])
    expect(() => socket?.feed({})).toThrow('not open')

    const failing = await connect(server)
    const errors: string[] = []
    server.last()?.addEventListener('error', (event) => errors.push((event as Event & { message: string }).message))
    server.last()?.error('boom')
    expect(errors).toEqual(['boom'])
    expect((await failing.closed).byClient).toBe(false) // the connection reads an error as its end
  })

  it('refuses connections when told to, and leaves opening to the test without autoOpen', async () => {
    const server = new MockWebSocketServer()
    server.refuseConnections((url) => url.includes('private'))
    await expect(connect(server, 'wss://private.example.test/ws')).rejects.toThrow()
    await expect(connect(server, 'wss://public.example.test/ws')).resolves.toBeInstanceOf(WsConnection)
    const manual = new MockWebSocketServer({ autoOpen: false })
    const opening = connect(manual)
    await Promise.resolve()
    expect(manual.last()?.readyState).toBe(0)
    manual.last()?.open()
    await expect(opening).resolves.toBeInstanceOf(WsConnection)
  })
})
