// The simulator as a Cloudflare Workers / workerd fetch handler: plain requests go to
// `simulator.fetch`, `Upgrade: websocket` requests are answered with one end of a `WebSocketPair`
// wired to `simulator.connect`, and two timers (started by the first request, stopped by `close()`)
// push depth windows and step the market makers.
//
// What workerd cannot do, and so this adapter does not:
//   - send ping frames: a Worker has no API for them. workerd answers the client's pings itself, but
//     Binance's "ping every 20 s, close after a minute without pong" cannot be played here;
//   - drop a TCP connection without a closing handshake: the `dropSockets` fault closes with 1011.
//
// Workerd ties every socket to the I/O context of the request that opened it and refuses to write to
// it from another request's context. A Durable Object gives all its requests one context, so host
// the handler there (or in a single test) when a REST order must reach an already open stream.
//
// The Workers types (`WebSocketPair`, `ResponseInit.webSocket`, `WebSocket.accept`) are not in src's
// lib; the few shapes this file needs are declared below and `WebSocketPair` is looked up on
// `globalThis`, so the file still type-checks (and plain requests still work) outside workerd.
import type { Simulator, SimulatorConnection } from './simulator.ts'

export interface SimulatorFetchHandlerOptions {
  /** How often `simulator.tick()` pushes depth windows; at most 100 (the shortest window). */
  readonly tickMs?: number
  /** How often the market makers quote and trade. */
  readonly makerIntervalMs?: number
}

export interface SimulatorFetchHandler {
  /** Answers one request: REST and `/__sim/*` as-is, a WebSocket upgrade with a 101 and the client end. */
  fetch(request: Request): Promise<Response>
  /** Stops the timers (a later request starts them again); open sockets and the simulator stay. */
  close(): void
}

/** The server end of a workerd WebSocket, as far as this adapter uses it. */
interface WorkerdWebSocket {
  accept(): void
  send(message: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  addEventListener(type: 'close' | 'error', listener: () => void): void
}

type WebSocketPairConstructor = new () => { 0: WorkerdWebSocket; 1: WorkerdWebSocket }

/** Binance (and the simulator) send text; a binary frame from a client is read as UTF-8 all the same. */
const utf8 = /*#__PURE__*/ new TextDecoder()
/** A close reason may be at most 123 bytes; longer ones make workerd throw. */
const MAX_CLOSE_REASON_LENGTH = 120

/**
 * @example
 * const simulator = createSimulator({ seed: 7 })
 * const handler = createSimulatorFetchHandler(simulator)
 * export default { fetch: (request: Request) => handler.fetch(request) }
 */
export function createSimulatorFetchHandler(
  simulator: Simulator,
  options: SimulatorFetchHandlerOptions = {},
): SimulatorFetchHandler {
  const tickMs = options.tickMs ?? 100
  const makerIntervalMs = options.makerIntervalMs ?? 1000
  let timers: { tick: ReturnType<typeof setInterval>; makers: ReturnType<typeof setInterval> } | undefined

  function startTimers(): void {
    timers ??= {
      tick: setInterval(() => simulator.tick(), tickMs),
      makers: setInterval(() => simulator.stepMarketMakers(), makerIntervalMs),
    }
  }

  return {
    async fetch(request) {
      startTimers()
      if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return simulator.fetch(request)
      return upgrade(simulator, request)
    },
    close() {
      if (!timers) return
      clearInterval(timers.tick)
      clearInterval(timers.makers)
      timers = undefined
    },
  }
}

function upgrade(simulator: Simulator, request: Request): Response {
  const { 0: client, 1: server } = new (webSocketPair())()
  server.accept()
  const url = new URL(request.url)
  let isOpen = true
  let warnedOfLostFrames = false
  const closeServer = (code: number, reason: string): void => {
    if (!isOpen) return
    isOpen = false
    try {
      server.close(code, reason.slice(0, MAX_CLOSE_REASON_LENGTH))
    } catch {
      // Already closed by the client in the same turn: nothing left to end.
    }
  }
  let connection: SimulatorConnection | undefined
  const ended = (): void => {
    // The client's close frame gets its answer here: the compatibility date predates workerd's
    // automatic reply, and without one the client waits for a handshake that never comes.
    closeServer(1000, '')
    connection?.closed()
    connection = undefined
  }
  server.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : utf8.decode(event.data as ArrayBuffer)
    connection?.receive(text)
  })
  server.addEventListener('close', ended)
  server.addEventListener('error', ended)
  connection = simulator.connect(url.pathname + url.search, {
    send(text) {
      if (!isOpen) return
      try {
        server.send(text)
      } catch (error) {
        // Either the client went away and its close event has not run yet (the frame has nowhere to
        // go), or this send runs in another request's I/O context (see the top of the file). The
        // frame is lost either way; throwing would fail the REST request that caused it instead.
        if (!warnedOfLostFrames) console.warn(`spotwire simulator: a frame to ${url.pathname} was lost: ${String(error)}`)
        warnedOfLostFrames = true
      }
    },
    close(code = 1000, reason = '') {
      closeServer(code, reason)
    },
    drop() {
      closeServer(1011, 'Dropped by fault injection')
    },
  })
  // `webSocket` is a workerd extension of ResponseInit; as a variable it skips the excess-property check.
  const init: ResponseInit & { webSocket: WorkerdWebSocket } = { status: 101, webSocket: client }
  return new Response(null, init)
}

function webSocketPair(): WebSocketPairConstructor {
  const pair = (globalThis as { WebSocketPair?: WebSocketPairConstructor }).WebSocketPair
  if (typeof pair !== 'function') {
    throw new TypeError(
      'createSimulatorFetchHandler: WebSocketPair is not defined, so WebSocket upgrades need Cloudflare Workers / workerd; under Node use the Node server adapter.',
    )
  }
  return pair
}
