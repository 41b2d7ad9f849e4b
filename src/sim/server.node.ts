// `spotwire/sim/node`: the simulator on a real port. node:http serves REST and the control endpoint
// through `simulator.fetch`; a `ws` server (noServer) takes the upgrades for public streams and the
// WS API; timers drive depth windows and the market makers. `close()` ends all of it, so a test or
// `npm run sim` can exit cleanly.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import {
  type SimulatorEndpoints,
  endpointsOf,
  serveSimulatorRequest,
  startSimulatorClock,
  terminateAll,
  upgradeToSimulator,
} from './node-transport.node.ts'
import { type Simulator, createSimulator } from './simulator.ts'

export type { SimulatorEndpoints } from './node-transport.node.ts'

export interface SimulatorServerOptions {
  /** 0 (the default) picks any free port. */
  readonly port?: number
  /** The address to bind; 127.0.0.1 unless told otherwise. */
  readonly host?: string
  /** Seeds the simulator created when `simulator` is not given (default 1). */
  readonly seed?: number
  /** Serve this simulator instead of creating one; `close()` then leaves it undisposed. */
  readonly simulator?: Simulator
  /**
   * Serves Binance.US's listen-key user data streams (`/api/v3/userDataStream`, `/ws/<listenKey>`)
   * on the simulator created here (default false); ignored when `simulator` is given.
   */
  readonly listenKeys?: boolean
  /** How often depth windows are pushed (default 100 ms). */
  readonly tickMs?: number
  /** How often the market makers act (default 1000 ms). */
  readonly makerIntervalMs?: number
  /** How often each socket is pinged (default 20 s, as Binance). */
  readonly pingIntervalMs?: number
  /** Sockets that did not pong for this long are terminated (default 60 s, as Binance). */
  readonly pongTimeoutMs?: number
}

export interface SimulatorServer {
  /** Base URLs with the meaning `urls` has for `createBinanceExchange`. */
  readonly urls: { readonly rest: string; readonly ws: string; readonly wsApi: string }
  readonly apiKey: string
  readonly apiSecret: string
  readonly port: number
  readonly simulator: Simulator
  /** What `npm run sim` prints: the URLs and the test keys. */
  readonly endpoints: SimulatorEndpoints
  /** Stops timers, ends every socket and request, and stops listening. */
  close(): Promise<void>
}

/**
 * Starts the simulator on 127.0.0.1.
 * @example
 * const server = await startSimulatorServer({ seed: 3 })
 * const exchange = createBinanceExchange({ apiKey: server.apiKey, apiSecret: server.apiSecret, urls: server.urls, tradingPairs: ['BTC-USDT'] })
 * await server.close()
 */
export async function startSimulatorServer(options: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const host = options.host ?? '127.0.0.1'
  const ownsSimulator = options.simulator === undefined
  const simulator = options.simulator ?? createSimulator({ seed: options.seed ?? 1, listenKeys: options.listenKeys === true })
  const keepAlive = { pingIntervalMs: options.pingIntervalMs ?? 20_000, pongTimeoutMs: options.pongTimeoutMs ?? 60_000 }
  const sockets = new WebSocketServer({ noServer: true })
  const server = createServer((request, response) => {
    void serveSimulatorRequest(simulator, request, response, request.url ?? '/')
  })
  server.on('upgrade', (request, socket, head: Buffer) => {
    upgradeToSimulator(sockets, simulator, keepAlive, { request, socket, head, path: request.url ?? '/' })
  })
  try {
    await listen(server, options.port ?? 0, host)
  } catch (error) {
    sockets.close()
    if (ownsSimulator) simulator.dispose()
    throw error
  }
  const stopClock = startSimulatorClock(simulator, { tickMs: options.tickMs ?? 100, makerIntervalMs: options.makerIntervalMs ?? 1000 })
  const { port } = server.address() as AddressInfo
  const endpoints = endpointsOf(`http://${host.includes(':') ? `[${host}]` : host}:${port}`, '', simulator.credentials)
  let closing: Promise<void> | undefined

  return {
    urls: { rest: endpoints.rest, ws: endpoints.ws, wsApi: endpoints.wsApi },
    apiKey: endpoints.apiKey,
    apiSecret: endpoints.apiSecret,
    port,
    simulator,
    endpoints,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        stopClock()
        terminateAll(sockets)
        if (ownsSimulator) simulator.dispose()
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive and hung requests would hold close() open; their clients see the connection end.
        server.closeAllConnections()
      })
      return closing
    },
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}
