// The simulator inside the Vite dev server, under one path prefix (`/sim` by default): REST and the
// control endpoint as middleware (`/sim/api/v3/time` reaches the simulator as `/api/v3/time`),
// WebSockets by upgrades under the prefix (every other upgrade, e.g. Vite's HMR, is left alone), and
// `GET /sim/info` with the same JSON `npm run sim` prints. Everything stops when the server closes.
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { Duplex } from 'node:stream'
import type { Plugin, ViteDevServer } from 'vite'
import { WebSocketServer } from 'ws'
import { endpointsOf, serveSimulatorRequest, startSimulatorClock, terminateAll, upgradeToSimulator, writeJson } from './node-transport.node.ts'
import { createSimulator } from './simulator.ts'

export interface SimulatorPluginOptions {
  /** Where the simulator is mounted (default `/sim`). */
  readonly prefix?: string
  /** Seeds the simulator (default 1). */
  readonly seed?: number
  /** Serves Binance.US's listen-key user data streams (`/api/v3/userDataStream`, `/ws/<listenKey>`); default false. */
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

/**
 * @example
 * // vite.config.ts
 * export default defineConfig({ plugins: [simulatorPlugin({ seed: 7 })] })
 * // the page: fetch('/sim/info') -> { rest, ws, wsApi, apiKey, apiSecret }
 */
export function simulatorPlugin(options: SimulatorPluginOptions = {}): Plugin {
  const prefix = `/${(options.prefix ?? '/sim').replace(/^\/+|\/+$/g, '')}`
  let stop: (() => void) | undefined
  return {
    name: 'spotwire:simulator',
    apply: 'serve',
    configureServer(server) {
      stop?.()
      stop = mountSimulator(server, prefix, options)
    },
    closeBundle() {
      stop?.()
      stop = undefined
    },
  }
}

function mountSimulator(server: ViteDevServer, prefix: string, options: SimulatorPluginOptions): () => void {
  const simulator = createSimulator({ seed: options.seed ?? 1, listenKeys: options.listenKeys === true })
  const keepAlive = { pingIntervalMs: options.pingIntervalMs ?? 20_000, pongTimeoutMs: options.pongTimeoutMs ?? 60_000 }
  const sockets = new WebSocketServer({ noServer: true })
  const stopClock = startSimulatorClock(simulator, { tickMs: options.tickMs ?? 100, makerIntervalMs: options.makerIntervalMs ?? 1000 })

  // connect strips the mount path: req.url is what follows the prefix.
  server.middlewares.use(prefix, (request, response) => {
    const path = request.url ?? '/'
    if (request.method === 'GET' && new URL(path, 'http://localhost').pathname === '/info') {
      writeJson(response, 200, endpointsOf(originOf(request), prefix, simulator.credentials))
      return
    }
    void serveSimulatorRequest(simulator, request, response, path)
  })

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathUnder(prefix, request.url ?? '/')
    if (path !== undefined) upgradeToSimulator(sockets, simulator, keepAlive, { request, socket, head, path })
  }
  const httpServer = server.httpServer
  httpServer?.on('upgrade', onUpgrade)

  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    stopClock()
    httpServer?.off('upgrade', onUpgrade)
    httpServer?.off('close', stop)
    terminateAll(sockets)
    simulator.dispose()
  }
  httpServer?.once('close', stop)
  return stop
}

/** The request target below `prefix` (`/sim/ws-api/v3` → `/ws-api/v3`), or undefined outside it. */
function pathUnder(prefix: string, url: string): string | undefined {
  if (url === prefix) return '/'
  const next = url.charAt(prefix.length)
  if (!url.startsWith(prefix) || (next !== '/' && next !== '?')) return undefined
  const rest = url.slice(prefix.length)
  return rest.startsWith('/') ? rest : `/${rest}`
}

/** The page's own origin as the browser sees it (from the Host header). */
function originOf(request: IncomingMessage): string {
  const secure = (request.socket as Partial<TLSSocket>).encrypted === true
  return `${secure ? 'https' : 'http'}://${request.headers.host ?? '127.0.0.1'}`
}
