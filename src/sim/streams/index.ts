// The simulator's public market-data streams (`/ws`, `/ws/<stream>`, `/stream?streams=`) as a
// transport-neutral socket handler: Web APIs only and no timers of its own, so Node, the Vite dev
// server and workerd each wrap it in a few lines. The adapter's duties:
//   - call `connect(path, socket)` on upgrade, pass text frames to `receive`, call `closed` on close;
//   - call `flush(now)` from a timer (every 100 ms or more often) to push windowed depth streams;
//   - call `announceShutdown()` shortly before it stops serving;
//   - send a ping frame every 20 s and close sockets that don't pong within a minute (Binance's
//     rule), since ping/pong frames never reach this layer.
import type { SimulatedExchange } from '../engine/index.ts'
import { MarketStreams } from './market-streams.ts'
import { parseConnectionPath, parseStreamName } from './stream-names.ts'
import { BINANCE_STREAM_LIMITS, CLOSE_POLICY_VIOLATION, type StreamSessionLimits, StreamSession, type StreamSocket } from './stream-session.ts'

export { parseConnectionPath, parseStreamName, type StreamSpec } from './stream-names.ts'
export { BINANCE_STREAM_LIMITS, CLOSE_POLICY_VIOLATION, type StreamSessionLimits, type StreamSocket } from './stream-session.ts'

export interface PublicStreamHandlerOptions {
  readonly exchange: SimulatedExchange
  /** The server clock in epoch milliseconds (event times, rate limit); inject one in tests. */
  readonly now?: () => number
  readonly limits?: StreamSessionLimits
}

/** What the adapter feeds for one open socket. */
export interface StreamConnection {
  receive(text: string): void
  closed(): void
}

export interface PublicStreamHandler {
  /** Opens a session for `path` (or a full URL); an invalid path or stream closes the socket at once. */
  connect(path: string, socket: StreamSocket): StreamConnection
  /** Pushes the depth streams whose window closed by `nowMs` (defaults to the handler's clock). */
  flush(nowMs?: number): void
  /** Sends every open session `serverShutdown` (wrapped on combined sessions); they stay open. */
  announceShutdown(nowMs?: number): void
  /** Stops listening to the exchange. */
  dispose(): void
}

/**
 * @example
 * const exchange = createSimulatedExchange({ seed: 1 })
 * const streams = createPublicStreamHandler({ exchange })
 * const connection = streams.connect('/stream?streams=btcusdt@depth@100ms', { send: console.log, close() {} })
 * setInterval(() => { exchange.marketMakers.step(); streams.flush() }, 100)
 */
export function createPublicStreamHandler(options: PublicStreamHandlerOptions): PublicStreamHandler {
  const now = options.now ?? (() => Date.now())
  const streams = new MarketStreams(options.exchange.engine, now)
  const limits = options.limits ?? BINANCE_STREAM_LIMITS
  const closedConnection: StreamConnection = { receive() {}, closed() {} }
  const sessions = new Set<StreamSession>()

  /**
   * A raw `/ws/<name>` connection ignores names that are no stream: Binance accepts them (ccxt opens
   * `/ws/<n>` with a number, then SUBSCRIBEs), so the socket opens with only the valid ones.
   */
  const knownStreams = (names: readonly string[]) => names.filter((name) => parseStreamName(name, streams.symbols) !== undefined)

  return {
    connect(path, socket) {
      const route = parseConnectionPath(path)
      if (!route.ok) {
        socket.close(CLOSE_POLICY_VIOLATION, 'Unknown stream path')
        return closedConnection
      }
      const session = new StreamSession(socket, streams, now, route.combined, limits)
      if (!session.openWith(route.combined ? route.streams : knownStreams(route.streams))) return closedConnection
      sessions.add(session)
      return {
        receive: (text) => session.receive(text),
        closed: () => {
          sessions.delete(session)
          session.closed()
        },
      }
    },
    flush(nowMs = now()) {
      streams.flush(nowMs)
    },
    announceShutdown(nowMs = now()) {
      for (const session of [...sessions]) {
        // A session the server closed itself (message rate) may not have been reported closed yet.
        if (session.isClosed) sessions.delete(session)
        else session.announceShutdown(nowMs)
      }
    },
    dispose() {
      sessions.clear()
      streams.dispose()
    },
  }
}
