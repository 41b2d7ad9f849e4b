import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NetworkError, RequestTimeoutError, SocketClosedError, SpotwireError } from '../../../src/core/errors.ts'
import { WsAssistant, type WsAssistantOptions } from '../../../src/core/web/ws-assistant.ts'
import { defaultWebSocketFactory, type WsConnection } from '../../../src/core/web/ws-connection.ts'
import { FakeSocket, fakeSocketFactory, fakeTimersClock, settle } from './helpers/fake-socket.ts'

const URL = 'wss://stream.example.test/ws'

function supervise(overrides: Partial<WsAssistantOptions> = {}) {
  const fake = fakeSocketFactory()
  const errors: SpotwireError[] = []
  const ws = new WsAssistant({
    url: URL,
    socketFactory: fake.factory,
    clock: fakeTimersClock,
    random: () => 1,
    livenessTimeoutMs: 0,
    onError: (error) => void errors.push(error),
    ...overrides,
  })
  return { ws, fake, errors }
}

/** Starts the supervisor and accepts its first socket. */
async function startOpen(ws: WsAssistant, fake: ReturnType<typeof fakeSocketFactory>): Promise<void> {
  const started = ws.start()
  await settle()
  fake.last().accept()
  await started
}

/** Asserts that the next socket is created exactly `ms` from now. */
async function expectNextSocketAfter(fake: ReturnType<typeof fakeSocketFactory>, ms: number): Promise<void> {
  const count = fake.sockets.length
  await vi.advanceTimersByTimeAsync(ms - 1)
  expect(fake.sockets).toHaveLength(count)
  await vi.advanceTimersByTimeAsync(1)
  expect(fake.sockets).toHaveLength(count + 1)
}

describe('ws assistant', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  describe('connecting, reading and sending', () => {
    it('starts nothing until started, then reports connecting and open in health()', async () => {
      const { ws, fake } = supervise()
      expect(ws.health()).toEqual({ state: 'idle', connectedSince: undefined, lastMessageAt: undefined, reconnects: 0, lastError: undefined })
      expect(fake.sockets).toHaveLength(0)
      const started = ws.start()
      expect(ws.start()).toBe(started)
      await settle()
      expect(ws.health().state).toBe('connecting')
      expect(fake.last().url).toBe(URL)
      expect(fake.last().binaryType).toBe('arraybuffer')
      fake.last().accept()
      await started
      expect(ws.health()).toMatchObject({ state: 'open', connectedSince: Date.now(), reconnects: 0 })
      ws.close()
      expect(ws.health()).toMatchObject({ state: 'closed', connectedSince: undefined })
    })

    it('yields JSON-parsed messages, raw text when not JSON, and binary frames as they are', async () => {
      const { ws, fake } = supervise()
      const messages = ws[Symbol.asyncIterator]()
      await settle()
      fake.last().accept()
      await settle()
      vi.setSystemTime(1_800_000_000_000)
      const bytes = new Uint8Array([1, 2, 3]).buffer
      fake.last().say({ e: 'trade', p: '27000.10' })
      fake.last().say('pong')
      fake.last().say(bytes)
      expect(await messages.next()).toEqual({ done: false, value: { e: 'trade', p: '27000.10' } })
      expect(await messages.next()).toEqual({ done: false, value: 'pong' })
      expect((await messages.next()).value).toBe(bytes)
      expect(ws.health().lastMessageAt).toBe(1_800_000_000_000)
      ws.close()
    })

    it('closes when the consumer leaves its for-await loop', async () => {
      const { ws, fake } = supervise()
      const seen: unknown[] = []
      const consuming = (async () => {
        for await (const message of ws) {
          seen.push(message)
          if (seen.length === 2) break
        }
      })()
      await settle()
      fake.last().accept()
      await settle()
      fake.last().say({ n: 1 })
      fake.last().say({ n: 2 })
      fake.last().say({ n: 3 })
      await consuming
      expect(seen).toEqual([{ n: 1 }, { n: 2 }])
      expect(ws.health().state).toBe('closed')
      expect(fake.last().closedWith).toEqual({ code: 1000, reason: 'client closed' })
    })

    it('sends JSON and text while open; holds earlier sends until onOpen and the subscriptions have gone out', async () => {
      const { ws, fake } = supervise({ onOpen: (connection) => connection.send({ op: 'login' }) })
      ws.subscribe('trades', { op: 'subscribe', args: ['trades'] })
      const early = ws.send({ op: 'early' })
      await startOpen(ws, fake)
      await early
      await ws.send('plain text')
      expect(fake.last().sent).toEqual(['{"op":"login"}', '{"op":"subscribe","args":["trades"]}', '{"op":"early"}', 'plain text'])
      ws.close()
    })

    it('lets onOpen await a login reply that never reaches the stream, while later messages do', async () => {
      const replies: unknown[] = []
      const { ws, fake } = supervise({
        onOpen: async (connection) => {
          connection.send({ op: 'login' })
          replies.push(await connection.receive({ timeoutMs: 1_000 }))
        },
      })
      const messages = ws[Symbol.asyncIterator]()
      await settle()
      fake.last().accept()
      await settle()
      fake.last().say({ event: 'login', code: '0' })
      fake.last().say({ event: 'update', n: 1 })
      expect(await messages.next()).toEqual({ done: false, value: { event: 'update', n: 1 } })
      expect(replies).toEqual([{ event: 'login', code: '0' }])
      ws.close()
    })

    it('sends subscriptions added while open at once, and an unsubscribe message when given', async () => {
      const { ws, fake } = supervise()
      await startOpen(ws, fake)
      ws.subscribe('a', { sub: 'a' })
      ws.unsubscribe('a', { unsub: 'a' })
      ws.unsubscribe('never-added')
      expect(fake.last().sentJson).toEqual([{ sub: 'a' }, { unsub: 'a' }])
      expect([...ws.subscriptions.keys()]).toEqual([])
      ws.close()
    })

    it('rejects a send the socket refuses, and reports a refused subscription instead of throwing', async () => {
      const { ws, fake, errors } = supervise()
      await startOpen(ws, fake)
      fake.last().readyState = 2
      await expect(ws.send({ op: 'x' })).rejects.toBeInstanceOf(SocketClosedError)
      expect(() => ws.subscribe('a', { sub: 'a' })).not.toThrow()
      expect(errors.at(-1)).toBeInstanceOf(SocketClosedError)
      ws.close()
    })
  })

  describe('reconnecting', () => {
    it('reconnects after a drop with backoff, re-runs onOpen and re-sends every current subscription', async () => {
      const onOpen = vi.fn()
      const { ws, fake, errors } = supervise({ onOpen, backoff: { initialDelayMs: 1_000 } })
      ws.subscribe('a', { sub: 'a' })
      await startOpen(ws, fake)
      ws.subscribe('b', { sub: 'b' })
      ws.subscribe('c', { sub: 'c' })
      ws.unsubscribe('c', { unsub: 'c' })
      expect(fake.sockets[0]?.sentJson).toEqual([{ sub: 'a' }, { sub: 'b' }, { sub: 'c' }, { unsub: 'c' }])

      fake.last().drop(1001, 'going away')
      await settle()
      expect(ws.health()).toMatchObject({ state: 'reconnecting', reconnects: 0, connectedSince: undefined })
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(SocketClosedError)
      expect(errors[0]).toMatchObject({ closeCode: 1001 })
      expect(errors[0]?.message).toBe('wss://stream.example.test/ws: closed by the server (code 1001: going away)')

      await expectNextSocketAfter(fake, 1_000)
      expect(ws.health()).toMatchObject({ state: 'reconnecting', reconnects: 1 })
      fake.last().accept()
      await settle()
      expect(onOpen).toHaveBeenCalledTimes(2)
      expect(fake.last().sentJson).toEqual([{ sub: 'a' }, { sub: 'b' }])
      expect(ws.health()).toMatchObject({ state: 'open', reconnects: 1, lastError: errors[0] })
      ws.close()
    })

    it('grows the delay per consecutive failure, caps it, and jitters it by the injected random', async () => {
      const { ws, fake, errors } = supervise({ random: () => 0, backoff: { initialDelayMs: 100, maxDelayMs: 400 } })
      void ws.start().catch(() => {})
      await settle()
      // random 0 = half of each delay: 50, 100, 200, then capped at 400 → 200.
      for (const delay of [50, 100, 200, 200]) {
        fake.last().drop()
        await settle()
        await expectNextSocketAfter(fake, delay)
      }
      expect(errors.every((error) => error.message.includes('could not connect'))).toBe(true)
      expect(ws.health().reconnects).toBe(4)
      ws.close()
    })

    it('starts the backoff over after a connection that stayed up', async () => {
      const { ws, fake } = supervise({ backoff: { initialDelayMs: 100, stableAfterMs: 5_000 } })
      void ws.start()
      await settle()
      fake.last().drop()
      await expectNextSocketAfter(fake, 100)
      fake.last().drop()
      await expectNextSocketAfter(fake, 200)
      fake.last().accept()
      await vi.advanceTimersByTimeAsync(5_000)
      fake.last().drop()
      await expectNextSocketAfter(fake, 100)
      ws.close()
    })

    it('asks the url function again before every connect', async () => {
      const urls = ['wss://a.example.test/1', 'wss://a.example.test/2']
      const { ws, fake } = supervise({ url: async () => urls.shift() ?? 'wss://a.example.test/x', backoff: { initialDelayMs: 10 } })
      await startOpen(ws, fake)
      fake.last().drop()
      await vi.advanceTimersByTimeAsync(10)
      expect(fake.sockets.map((socket) => socket.url)).toEqual(['wss://a.example.test/1', 'wss://a.example.test/2'])
      ws.close()
    })

    it('rolls the connection at maxConnectionAgeMs without backoff or error, and on reconnect()', async () => {
      const { ws, fake, errors } = supervise({ maxConnectionAgeMs: 10_000 })
      await startOpen(ws, fake)
      await vi.advanceTimersByTimeAsync(10_000)
      expect(fake.sockets[0]?.closedWith).toEqual({ code: 1000, reason: 'planned reconnect' })
      expect(fake.sockets).toHaveLength(2)
      fake.last().accept()
      await settle()
      ws.reconnect()
      await settle()
      expect(fake.sockets).toHaveLength(3)
      expect(errors).toEqual([])
      expect(ws.health().reconnects).toBe(2)
      ws.close()
    })

    it('cuts a backoff wait short on reconnect()', async () => {
      const { ws, fake } = supervise({ backoff: { initialDelayMs: 60_000 } })
      await startOpen(ws, fake)
      fake.last().drop()
      await settle()
      ws.reconnect()
      await settle()
      expect(fake.sockets).toHaveLength(2)
      ws.close()
    })
  })

  describe('liveness', () => {
    it('replaces a connection that stays silent for livenessTimeoutMs; every message counts as life', async () => {
      const { ws, fake, errors } = supervise({ livenessTimeoutMs: 1_000, backoff: { initialDelayMs: 500 } })
      await startOpen(ws, fake)
      await vi.advanceTimersByTimeAsync(900)
      fake.last().say({ tick: 1 })
      await vi.advanceTimersByTimeAsync(999)
      expect(fake.sockets[0]?.closedWith).toBeUndefined()
      await vi.advanceTimersByTimeAsync(1)
      expect(fake.sockets[0]?.closedWith).toEqual({ code: 4000, reason: 'liveness timeout' })
      expect(errors.map((error) => error.message)).toEqual([
        'wss://stream.example.test/ws: silent for 1000 ms, replacing the connection',
      ])
      await expectNextSocketAfter(fake, 500)
      ws.close()
    })

    it('pings a silent connection first, keeps it when anything answers within the grace, replaces it when nothing does', async () => {
      const ping = vi.fn((connection: WsConnection) => connection.send({ op: 'ping' }))
      const { ws, fake, errors } = supervise({ livenessTimeoutMs: 1_000, pingGraceMs: 200, ping })
      await startOpen(ws, fake)
      await vi.advanceTimersByTimeAsync(1_000)
      expect(ping).toHaveBeenCalledTimes(1)
      expect(fake.last().sentJson).toEqual([{ op: 'ping' }])
      await vi.advanceTimersByTimeAsync(100)
      fake.last().say('pong')
      await vi.advanceTimersByTimeAsync(100)
      expect(fake.sockets[0]?.closedWith).toBeUndefined()
      await vi.advanceTimersByTimeAsync(900)
      expect(ping).toHaveBeenCalledTimes(2)
      await vi.advanceTimersByTimeAsync(200)
      expect(fake.sockets[0]?.closedWith).toEqual({ code: 4000, reason: 'liveness timeout' })
      expect(errors).toHaveLength(1)
      ws.close()
    })

    it('counts an answer that came after the ping as life even when the grace is longer than the timeout', async () => {
      const ping = vi.fn()
      const { ws, fake, errors } = supervise({ livenessTimeoutMs: 100, pingGraceMs: 500, ping })
      await startOpen(ws, fake)
      await vi.advanceTimersByTimeAsync(150)
      expect(ping).toHaveBeenCalledTimes(1)
      fake.last().say('pong')
      await vi.advanceTimersByTimeAsync(450)
      expect(fake.sockets[0]?.closedWith).toBeUndefined()
      expect(errors).toEqual([])
      ws.close()
    })

    it('counts a pong that lands within the same millisecond as its ping as an answer', async () => {
      let answer: (() => void) | undefined
      const ping = vi.fn(() => answer?.())
      // A grace longer than the timeout: at the check the pong is itself older than the timeout,
      // so only "it arrived after the ping" keeps the connection.
      const { ws, fake, errors } = supervise({ livenessTimeoutMs: 100, pingGraceMs: 150, ping })
      await startOpen(ws, fake)
      answer = () => fake.last().say('pong')
      await vi.advanceTimersByTimeAsync(100)
      expect(ping).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(150)
      expect(fake.sockets[0]?.closedWith).toBeUndefined()
      expect(errors).toEqual([])
      ws.close()
    })

    it('reports a failing ping and still gives up on the silent connection', async () => {
      const { ws, fake, errors } = supervise({
        livenessTimeoutMs: 1_000,
        pingGraceMs: 100,
        ping: () => {
          throw new Error('ping hook broke')
        },
      })
      await startOpen(ws, fake)
      await vi.advanceTimersByTimeAsync(1_100)
      expect(errors.map((error) => error.shortMessage)).toEqual([
        'WebSocket hook failed',
        'wss://stream.example.test/ws: silent for 1100 ms, replacing the connection',
      ])
      ws.close()
    })
  })

  describe('failures are reported, never thrown', () => {
    it('reports an onOpen that throws and retries with a new connection', async () => {
      let calls = 0
      const { ws, fake, errors } = supervise({
        backoff: { initialDelayMs: 10 },
        onOpen: () => {
          calls += 1
          if (calls === 1) throw new Error('login refused')
        },
      })
      const started = ws.start()
      await settle()
      fake.last().accept()
      await settle()
      expect(errors[0]?.cause).toMatchObject({ message: 'login refused' })
      expect(fake.sockets[0]?.closedWith).toEqual({ code: 1000, reason: 'replaced' })
      await vi.advanceTimersByTimeAsync(10)
      fake.last().accept()
      await started
      expect(ws.health().state).toBe('open')
      ws.close()
    })

    it('bounds onOpen by openTimeoutMs and a handshake receive by its own timeout', async () => {
      const { ws, fake, errors } = supervise({
        openTimeoutMs: 1_000,
        backoff: { initialDelayMs: 10 },
        onOpen: async (connection) => {
          if (fake.sockets.length === 1) await new Promise(() => {})
          await connection.receive({ timeoutMs: 300 })
        },
      })
      void ws.start()
      await settle()
      fake.last().accept()
      await vi.advanceTimersByTimeAsync(1_000)
      expect(errors[0]).toBeInstanceOf(RequestTimeoutError)
      expect(errors[0]?.message).toContain('onOpen did not finish within 1000 ms')
      await vi.advanceTimersByTimeAsync(10)
      fake.last().accept()
      await vi.advanceTimersByTimeAsync(300)
      expect(errors[1]?.message).toBe('wss://stream.example.test/ws: no message within 300 ms')
      ws.close()
    })

    it('reports a server close during onOpen', async () => {
      const { ws, fake, errors } = supervise({ onOpen: (connection) => connection.receive().then(() => {}) })
      void ws.start()
      await settle()
      fake.last().accept()
      await settle()
      fake.last().drop(1008, 'policy')
      await settle()
      expect(errors[0]?.message).toBe('wss://stream.example.test/ws: closed by the server (code 1008: policy)')
      ws.close()
    })

    it('gives up an attempt that does not open within connectTimeoutMs', async () => {
      const { ws, fake, errors } = supervise({ connectTimeoutMs: 2_000 })
      void ws.start()
      await settle()
      await vi.advanceTimersByTimeAsync(2_000)
      expect(errors[0]).toBeInstanceOf(RequestTimeoutError)
      expect(errors[0]?.message).toBe('wss://stream.example.test/ws: not open within 2000 ms')
      expect(fake.sockets[0]?.closedWith).toEqual({ code: 1000, reason: 'attempt abandoned' })
      ws.close()
    })

    it('reports a socket factory that throws, and a socket error event, then reconnects', async () => {
      let created = 0
      const fake = fakeSocketFactory()
      const errors: SpotwireError[] = []
      const ws = new WsAssistant({
        url: 'wss://stream.example.test/ws?streams=btcusdt@depth',
        clock: fakeTimersClock,
        random: () => 1,
        backoff: { initialDelayMs: 10 },
        livenessTimeoutMs: 0,
        onError: (error) => void errors.push(error),
        socketFactory: (url) => {
          created += 1
          if (created === 1) throw new TypeError(`cannot open ${url}`)
          return fake.factory(url)
        },
      })
      void ws.start()
      await settle()
      expect(errors[0]).toBeInstanceOf(NetworkError)
      expect(errors[0]?.message).toBe('wss://stream.example.test/ws: could not create the socket')
      expect((errors[0]?.cause as Error).message).toBe('cannot open [request]')
      await vi.advanceTimersByTimeAsync(10)
      fake.last().accept()
      await settle()
      fake.last().fail('read ECONNRESET')
      await settle()
      expect(errors[1]?.message).toBe('wss://stream.example.test/ws: connection failed (read ECONNRESET)')
      expect(fake.last().closedWith).toEqual({ code: 1000, reason: '' })
      await expectNextSocketAfter(fake, 20)
      ws.close()
    })

    it('keeps running when onError itself throws', async () => {
      const { ws, fake } = supervise({
        backoff: { initialDelayMs: 10 },
        onError: () => {
          throw new Error('handler bug')
        },
      })
      await startOpen(ws, fake)
      fake.last().drop()
      await expectNextSocketAfter(fake, 10)
      ws.close()
    })
  })

  describe('an asynchronous socket factory (the default one imports isows on the first connect)', () => {
    /** A factory whose sockets arrive when the test says, recording the signal each call was given. */
    function deferredFactory() {
      const calls: Array<{ url: string; signal: AbortSignal | undefined; resolve: (socket: FakeSocket) => void; reject: (error: unknown) => void }> = []
      const factory = (url: string, signal?: AbortSignal): Promise<FakeSocket> =>
        new Promise((resolve, reject) => void calls.push({ url, signal, resolve, reject }))
      return { calls, factory }
    }

    it('connects once the factory delivers the socket', async () => {
      const deferred = deferredFactory()
      const { ws, errors } = supervise({ socketFactory: deferred.factory })
      const started = ws.start()
      await settle()
      expect(deferred.calls).toHaveLength(1)
      expect(ws.health().state).toBe('connecting')
      const socket = new FakeSocket(URL)
      deferred.calls[0]?.resolve(socket)
      await settle()
      expect(socket.binaryType).toBe('arraybuffer')
      socket.accept()
      await started
      expect(ws.health().state).toBe('open')
      expect(errors).toEqual([])
      ws.close()
    })

    it('stopped while the factory is pending: the factory sees the abort, a late socket is closed, nothing reported', async () => {
      const deferred = deferredFactory()
      const { ws, errors } = supervise({ socketFactory: deferred.factory })
      const started = ws.start()
      await settle()
      ws.close()
      await expect(started).rejects.toBeInstanceOf(SocketClosedError)
      expect(deferred.calls[0]?.signal?.aborted).toBe(true)
      // A factory that ignores the signal and still delivers: that socket is closed at once.
      const late = new FakeSocket(URL)
      deferred.calls[0]?.resolve(late)
      await settle()
      expect(late.closedWith).toEqual({ code: 1000, reason: 'attempt abandoned' })
      await vi.advanceTimersByTimeAsync(60_000)
      expect(deferred.calls).toHaveLength(1)
      expect(vi.getTimerCount()).toBe(0)
      expect(errors).toEqual([])
    })

    it('a factory that fails (the import of isows failed) is reported as a NetworkError and retried after the backoff', async () => {
      const deferred = deferredFactory()
      const { ws, errors } = supervise({ socketFactory: deferred.factory, backoff: { initialDelayMs: 10 } })
      void ws.start()
      await settle()
      deferred.calls[0]?.reject(new TypeError(`Failed to fetch dynamically imported module for ${URL}`))
      await settle()
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(NetworkError)
      expect(errors[0]?.message).toBe('wss://stream.example.test/ws: could not create the socket')
      expect((errors[0]?.cause as Error).message).not.toContain(URL)
      expect(ws.health().state).toBe('reconnecting')
      await vi.advanceTimersByTimeAsync(9)
      expect(deferred.calls).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(deferred.calls).toHaveLength(2)
      const socket = new FakeSocket(URL)
      deferred.calls[1]?.resolve(socket)
      await settle()
      socket.accept()
      await settle()
      expect(ws.health()).toMatchObject({ state: 'open', reconnects: 1 })
      ws.close()
    })

    it('a factory that never delivers times out like a socket that never opens, and its late socket is closed', async () => {
      const deferred = deferredFactory()
      const { ws, errors } = supervise({ socketFactory: deferred.factory, connectTimeoutMs: 500, backoff: { initialDelayMs: 10 } })
      void ws.start()
      await settle()
      await vi.advanceTimersByTimeAsync(499)
      expect(errors).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(RequestTimeoutError)
      expect(errors[0]?.message).toBe('wss://stream.example.test/ws: no socket within 500 ms')
      const late = new FakeSocket(URL)
      deferred.calls[0]?.resolve(late)
      await settle()
      expect(late.closedWith).toEqual({ code: 1000, reason: 'attempt abandoned' })
      await vi.advanceTimersByTimeAsync(10)
      expect(deferred.calls).toHaveLength(2)
      const socket = new FakeSocket(URL)
      deferred.calls[1]?.resolve(socket)
      await settle()
      socket.accept()
      await settle()
      expect(ws.health()).toMatchObject({ state: 'open', reconnects: 1 })
      ws.close()
    })

    it('the default factory creates no socket for an attempt given up while isows loaded', async () => {
      const reason = new Error('given up')
      // A socket created here would fail to connect to this closed port and throw its unheard error.
      await expect(defaultWebSocketFactory('ws://127.0.0.1:9/ws', AbortSignal.abort(reason))).rejects.toBe(reason)
    })
  })

  describe('stopping', () => {
    it('close() ends pending reads, rejects pending and later sends, closes the socket and leaves no timer', async () => {
      const { ws, fake } = supervise({ livenessTimeoutMs: 1_000, maxConnectionAgeMs: 60_000 })
      await startOpen(ws, fake)
      const messages = ws[Symbol.asyncIterator]()
      const pendingRead = messages.next()
      ws.close()
      ws.close()
      expect(await pendingRead).toEqual({ done: true, value: undefined })
      expect(await messages.next()).toEqual({ done: true, value: undefined })
      await expect(ws.send('late')).rejects.toBeInstanceOf(SocketClosedError)
      expect(fake.last().closedWith).toEqual({ code: 1000, reason: 'client closed' })
      await settle()
      expect(vi.getTimerCount()).toBe(0)
      expect(ws.health().state).toBe('closed')
    })

    it('rejects sends and start() still waiting for a connection when closed', async () => {
      const { ws } = supervise()
      const started = ws.start()
      const pendingSend = ws.send({ op: 'queued' })
      ws.close()
      await expect(pendingSend).rejects.toBeInstanceOf(SocketClosedError)
      await expect(started).rejects.toBeInstanceOf(SocketClosedError)
      await expect(ws.start()).rejects.toBeInstanceOf(SocketClosedError)
      const neverStarted = supervise().ws
      neverStarted.close()
      await expect(neverStarted.start()).rejects.toThrow('closed before a connection opened')
      neverStarted.reconnect()
    })

    it('stops on abort while waiting to reconnect: no new socket, no timer, nothing reported', async () => {
      const controller = new AbortController()
      const { ws, fake, errors } = supervise({ signal: controller.signal, backoff: { initialDelayMs: 5_000 } })
      await startOpen(ws, fake)
      fake.last().drop()
      await settle()
      controller.abort()
      await settle()
      expect(ws.health().state).toBe('closed')
      expect(vi.getTimerCount()).toBe(0)
      await vi.advanceTimersByTimeAsync(60_000)
      expect(fake.sockets).toHaveLength(1)
      expect(errors).toHaveLength(1)
    })

    it('stops on abort while connecting and while onOpen runs, closing the socket', async () => {
      for (const stage of ['connecting', 'onOpen'] as const) {
        const controller = new AbortController()
        const { ws, fake, errors } = supervise({ signal: controller.signal, onOpen: () => new Promise(() => {}) })
        const started = ws.start()
        await settle()
        if (stage === 'onOpen') fake.last().accept()
        await settle()
        controller.abort()
        await expect(started).rejects.toBeInstanceOf(SocketClosedError)
        await settle()
        expect(fake.last().closedWith).toBeDefined()
        expect(fake.last().readyState).toBe(3)
        expect(vi.getTimerCount()).toBe(0)
        expect(errors).toEqual([])
      }
    })

    it('never connects when the signal was aborted before start', async () => {
      const controller = new AbortController()
      controller.abort()
      const { ws, fake } = supervise({ signal: controller.signal })
      await expect(ws.start()).rejects.toBeInstanceOf(SocketClosedError)
      const messages = ws[Symbol.asyncIterator]()
      expect(await messages.next()).toEqual({ done: true, value: undefined })
      expect(fake.sockets).toHaveLength(0)
    })
  })
})
