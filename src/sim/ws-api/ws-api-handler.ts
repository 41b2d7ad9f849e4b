// The WS API (`/ws-api/v3`) as a transport-neutral socket handler: Web APIs only and no timers, so
// Node, the Vite dev server and workerd each wrap it in a few lines. The adapter calls
// `connect(path, socket)` on upgrade, passes text frames to `receive` and calls `closed` on close;
// ping/pong frames (Binance pings every 20 s) are the adapter's business.
import { SeededRandom, type SimulatedExchange } from '../engine/index.ts'
import { type RateLimitOptions, RateLimiter } from '../rest/rate-limits.ts'
import type { SimulatorCredentials } from '../rest/signed-request.ts'
import { type WsApiSocket, WsApiSession } from './ws-api-session.ts'

export interface WsApiHandlerOptions {
  readonly exchange: SimulatedExchange
  readonly credentials: SimulatorCredentials
  /** The server clock in epoch milliseconds (timing checks, rate limits); inject one in tests. */
  readonly now?: () => number
  readonly limits?: RateLimitOptions
  /** Seeds the generated client order ids of cancels. */
  readonly seed?: number
}

export interface WsApiConnection {
  receive(text: string): void
  closed(): void
}

export interface WsApiHandler {
  /** Opens a session on `/ws-api/v3` (a full URL is fine); any other path is closed at once. */
  connect(path: string, socket: WsApiSocket): WsApiConnection
}

export const WS_API_PATH = '/ws-api/v3'
/** Close code for a policy violation (RFC 6455 §7.4.1). */
const CLOSE_POLICY_VIOLATION = 1008

/**
 * @example
 * const exchange = createSimulatedExchange({ seed: 1 })
 * const wsApi = createWsApiHandler({ exchange, credentials: { apiKey, apiSecret } })
 * const connection = wsApi.connect('/ws-api/v3', { send: console.log, close() {} })
 * connection.receive('{"id":1,"method":"ping"}')
 */
export function createWsApiHandler(options: WsApiHandlerOptions): WsApiHandler {
  const now = options.now ?? (() => Date.now())
  const limiter = new RateLimiter(options.limits)
  const idRandom = new SeededRandom(options.seed ?? 0x5eb5)
  const closedConnection: WsApiConnection = { receive() {}, closed() {} }
  return {
    connect(path, socket) {
      if (pathOf(path) !== WS_API_PATH) {
        socket.close(CLOSE_POLICY_VIOLATION, 'Unknown path')
        return closedConnection
      }
      const session = new WsApiSession(socket, { exchange: options.exchange, credentials: options.credentials, now, limiter, idRandom })
      return { receive: (text) => session.receive(text), closed: () => session.closed() }
    },
  }
}

function pathOf(pathOrUrl: string): string {
  const path = new URL(pathOrUrl, 'http://localhost').pathname
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}
