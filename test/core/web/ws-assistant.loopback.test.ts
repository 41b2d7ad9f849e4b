// The supervisor over real sockets: isows' WebSocket (ws under Node 20) against a ws server on
// 127.0.0.1. Short real timeouts keep it quick; timing logic itself is tested with fake timers.
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws'
import type { SpotwireError } from '../../../src/core/errors.ts'
import { WsAssistant, type WsAssistantOptions } from '../../../src/core/web/ws-assistant.ts'

type Behaviour = 'echo' | 'silent'

let server: WebSocketServer
let url: string
let behaviour: Behaviour = 'echo'
const connections: ServerSocket[] = []
const receivedByConnection: unknown[][] = []

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`
  server.on('connection', (socket) => {
    const received: unknown[] = []
    connections.push(socket)
    receivedByConnection.push(received)
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string }
      received.push(message)
      if (behaviour === 'echo') socket.send(JSON.stringify({ result: null, id: message.id ?? null }))
    })
  })
})

afterAll(async () => {
  for (const client of server.clients) client.terminate()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const supervisors: WsAssistant[] = []

afterEach(() => {
  // A failed assertion must not leave a supervisor reconnecting into the next test.
  for (const supervisor of supervisors.splice(0)) supervisor.close()
})

beforeEach(() => {
  behaviour = 'echo'
  for (const client of server.clients) client.terminate()
  connections.length = 0
  receivedByConnection.length = 0
})

function supervise(overrides: Partial<WsAssistantOptions> = {}): { ws: WsAssistant; errors: SpotwireError[] } {
  const errors: SpotwireError[] = []
  const ws = new WsAssistant({
    url,
    backoff: { initialDelayMs: 20, maxDelayMs: 40 },
    livenessTimeoutMs: 0,
    onError: (error) => void errors.push(error),
    ...overrides,
  })
  supervisors.push(ws)
  return { ws, errors }
}

describe('ws assistant over a loopback ws server', () => {
  it('round-trips a JSON request and yields the parsed reply', async () => {
    const { ws } = supervise()
    await ws.start()
    await ws.send({ method: 'LIST_SUBSCRIPTIONS', id: 7 })
    const messages = ws[Symbol.asyncIterator]()
    expect(await messages.next()).toEqual({ done: false, value: { result: null, id: 7 } })
    expect(ws.health().state).toBe('open')
    ws.close()
  })

  it('reconnects after the server drops it, re-running onOpen and re-sending subscriptions', async () => {
    let opens = 0
    const { ws, errors } = supervise({
      onOpen: (connection) => {
        opens += 1
        connection.send({ method: 'LOGIN', id: 100 + opens })
      },
    })
    ws.subscribe('depth', { method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 })
    await ws.start()
    await vi.waitFor(() => expect(receivedByConnection[0]).toHaveLength(2))
    connections[0]?.terminate()
    await vi.waitFor(() => expect(receivedByConnection[1]).toHaveLength(2))
    expect(receivedByConnection[1]).toEqual([
      { method: 'LOGIN', id: 102 },
      { method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 },
    ])
    expect(errors[0]?.name).toBe('SocketClosedError')
    expect(ws.health()).toMatchObject({ state: 'open', reconnects: 1 })
    ws.close()
  })

  it('replaces a connection whose server stays silent', async () => {
    behaviour = 'silent'
    const { ws, errors } = supervise({ livenessTimeoutMs: 60 })
    await ws.start()
    await vi.waitFor(() => expect(connections.length).toBeGreaterThanOrEqual(2))
    expect(errors[0]?.message).toMatch(/silent for \d+ ms, replacing the connection/)
    ws.close()
  })

  it('stops on abort: the server sees the close, the pending read ends, later sends reject', async () => {
    const controller = new AbortController()
    const { ws } = supervise({ signal: controller.signal })
    await ws.start()
    const pendingRead = ws[Symbol.asyncIterator]().next()
    const serverSawClose = new Promise<number>((resolve) => connections[0]?.once('close', (code) => resolve(code)))
    controller.abort()
    expect(await pendingRead).toEqual({ done: true, value: undefined })
    expect(await serverSawClose).toBe(1000)
    await vi.waitFor(() => expect(server.clients.size).toBe(0))
    await expect(ws.send({ id: 1 })).rejects.toThrow('WebSocket closed by the client')
  })
})
