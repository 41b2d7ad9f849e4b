// The whole simulator behind two doors an adapter can wrap in a few lines: `fetch` (REST under
// /api/v3 plus the /__sim/ control endpoint) and `connect` (public streams, the WS API and
// listen-key streams). Web APIs only; the Node server, the Vite mount and the Worker adapter add
// the transport and call `tick()` / `stepMarketMakers()` from their timers.
import { SeededRandom, createSimulatedExchange, type MarketConfig, type MarketMakerOptions, type SimulatedExchange } from './engine/index.ts'
import { CONTROL_PREFIX, handleControlRequest } from './control/control-routes.ts'
import { FaultInjector } from './faults/fault-injector.ts'
import type { FrameChannel, SocketKind } from './faults/fault-spec.ts'
import { FaultySocket, type SimulatorSocket } from './faults/faulty-socket.ts'
import { type GroundTruth, groundTruthOf } from './ground-truth.ts'
import { createListenKeyRegistry, listenKeyOfPath } from './listen-keys/index.ts'
import { CORS_HEADERS, createSimulatorRestHandler } from './rest/rest-handler.ts'
import { type RateLimitOptions, type RateLimitViolations, RateLimiter } from './rest/rate-limits.ts'
import type { SimulatorCredentials } from './rest/signed-request.ts'
import { createPublicStreamHandler } from './streams/index.ts'
import { WS_API_PATH, createWsApiHandler } from './ws-api/ws-api-handler.ts'

export interface SimulatorOptions {
  /** Seeds markets, makers, ids and the default test keys: the same seed replays the same run. */
  readonly seed?: number
  /** The test account's API key and secret; derived from the seed when left out. */
  readonly credentials?: SimulatorCredentials
  /** The undisturbed server clock (epoch ms); the `clockSkew` fault is added on top. */
  readonly now?: () => number
  readonly markets?: readonly MarketConfig[]
  /** The synthetic liquidity; by default 25 quotes a side, so a 20-level ladder is always full. */
  readonly marketMakers?: Omit<MarketMakerOptions, 'seed'>
  /** Request weight and order-count limits of the REST door and the WS API. */
  readonly limits?: RateLimitOptions
  /**
   * Serves Binance's listen-key user data streams (`/api/v3/userDataStream`, `/ws/<listenKey>`),
   * retired on binance.com but still Binance.US's flow. Off by default, like binance.com today.
   */
  readonly listenKeys?: boolean
}

/** What an adapter feeds for one open socket. */
export interface SimulatorConnection {
  receive(text: string): void
  closed(): void
}

export interface Simulator {
  readonly exchange: SimulatedExchange
  readonly credentials: SimulatorCredentials
  /** Arm faults, read how often each struck, clear them. */
  readonly faults: FaultInjector
  readonly truth: GroundTruth
  /** REST (`/api/v3/*`) and the control endpoint (`/__sim/*`); paths relative to the server root. */
  fetch(request: Request): Promise<Response>
  /** Opens a socket on `/ws…`, `/stream…` or `/ws-api/v3`; an unknown path is closed at once. */
  connect(path: string, socket: SimulatorSocket): SimulatorConnection
  /** Pushes windowed depth streams; adapters call it at least every 100 ms. */
  tick(nowMs?: number): void
  /** One round of market-maker quotes and trades (none while paused). */
  stepMarketMakers(steps?: number): void
  marketMakersRunning: boolean
  /** The server clock, clock skew included. */
  now(): number
  /** Sends `serverShutdown` on every public stream (Binance's notice before it disconnects them). */
  announceShutdown(): void
  /** Open sockets by kind. */
  openConnections(): Record<SocketKind, number>
  /** How often REST clients were banned, or called while banned or before a Retry-After passed. */
  rateLimitViolations(): RateLimitViolations
  /** Ends every socket and hung request and stops listening to the exchange. */
  dispose(): void
}

/** Enough quotes a side for a top-20 ladder with room to spare when takers eat a few levels. */
const DEFAULT_LEVELS_PER_SIDE = 25

interface OpenSocket {
  readonly kind: SocketKind
  readonly socket: FaultySocket
}

/**
 * @example
 * const simulator = createSimulator({ seed: 7 })
 * const response = await simulator.fetch(new Request('http://127.0.0.1/api/v3/depth?symbol=BTCUSDT'))
 * simulator.faults.arm({ kind: 'skipSequenceIds', symbol: 'BTCUSDT' })
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const seed = options.seed ?? 1
  const faults = new FaultInjector()
  const baseNow = options.now ?? (() => Date.now())
  const now = () => baseNow() + faults.clockSkewMs
  const exchange = createSimulatedExchange({
    seed,
    now,
    marketMakers: { levelsPerSide: DEFAULT_LEVELS_PER_SIDE, ...options.marketMakers },
    ...(options.markets ? { markets: options.markets } : {}),
  })
  const credentials = options.credentials ?? testCredentials(seed)
  const limits = options.limits ? { limits: options.limits } : {}
  const listenKeys = options.listenKeys === true ? createListenKeyRegistry({ exchange, now, seed }) : undefined
  // The REST limits run on the undisturbed clock: a clock skew must not stretch a Retry-After or a ban.
  const restLimiter = new RateLimiter(options.limits)
  const rest = createSimulatorRestHandler({ exchange, credentials, now, limiter: restLimiter, limitsNow: baseNow, seed, ...(listenKeys ? { listenKeys } : {}) })
  const streams = createPublicStreamHandler({ exchange, now })
  const wsApi = createWsApiHandler({ exchange, credentials, now, seed, ...limits })
  const truth = groundTruthOf(exchange)
  const openSockets = new Set<OpenSocket>()

  const makers = {
    running: true,
    step(steps: number) {
      for (let index = 0; index < steps; index += 1) exchange.marketMakers.step()
    },
  }

  const stopDropping = faults.onDropSockets((kinds) => {
    let dropped = 0
    for (const open of [...openSockets]) {
      if (kinds !== 'all' && open.kind !== kinds) continue
      openSockets.delete(open)
      open.socket.drop()
      dropped += 1
    }
    return dropped
  })

  const stopAnnouncing = faults.onServerShutdown(() => streams.announceShutdown(now()))

  function openConnections(): Record<SocketKind, number> {
    const counts: Record<SocketKind, number> = { market: 0, wsApi: 0, listenKey: 0 }
    for (const open of openSockets) counts[open.kind] += 1
    return counts
  }

  function track(kind: SocketKind, socket: SimulatorSocket, channelOf: (text: string) => FrameChannel) {
    const faulty = new FaultySocket(socket, faults, channelOf)
    const open: OpenSocket = { kind, socket: faulty }
    openSockets.add(open)
    const forget = () => {
      openSockets.delete(open)
      faulty.stop()
    }
    return { faulty, forget }
  }

  const simulator: Simulator = {
    exchange,
    credentials,
    faults,
    truth,
    get marketMakersRunning() {
      return makers.running
    },
    set marketMakersRunning(running: boolean) {
      makers.running = running
    },
    now,
    openConnections,
    rateLimitViolations: () => restLimiter.violations(),
    async fetch(request) {
      const path = new URL(request.url).pathname
      if (path.startsWith(CONTROL_PREFIX)) return handleControlRequest(request, { faults, truth, marketMakers: makers, openConnections })
      return withRequestFaults(request, path)
    },
    connect(path, socket) {
      const pathname = new URL(path, 'http://localhost').pathname
      if (pathname === WS_API_PATH || pathname === `${WS_API_PATH}/`) return connectWsApi(path, socket)
      const listenKey = listenKeys ? listenKeyOfPath(pathname) : undefined
      if (listenKeys && listenKey !== undefined && listenKeys.has(listenKey)) return connectListenKey(listenKey, socket)
      const { faulty, forget } = track('market', socket, () => 'market')
      const connection = streams.connect(path, faulty)
      return {
        receive: (text) => connection.receive(text),
        closed: () => {
          forget()
          connection.closed()
        },
      }
    },
    tick(nowMs = now()) {
      streams.flush(nowMs)
      listenKeys?.expire(nowMs)
    },
    announceShutdown() {
      streams.announceShutdown(now())
    },
    stepMarketMakers(steps = 1) {
      if (makers.running) makers.step(steps)
    },
    dispose() {
      stopDropping()
      stopAnnouncing()
      faults.releaseHangs()
      for (const open of openSockets) open.socket.close(1001, 'Simulator stopped')
      openSockets.clear()
      listenKeys?.dispose()
      streams.dispose()
    },
  }

  /** REST with the request faults applied: delay, 5xx before or after running, or no answer at all. */
  async function withRequestFaults(request: Request, path: string): Promise<Response> {
    const fault = request.method === 'OPTIONS' ? undefined : faults.requestFault({ path, method: request.method })
    if (!fault) return rest(request)
    if (fault.kind === 'throttleRequests') return rest(request, { retryAfterSeconds: fault.retryAfterSeconds })
    if (fault.kind === 'delayRequests') {
      await sleep(fault.ms)
      return rest(request)
    }
    if (fault.mode === 'afterExecute') await rest(request)
    if (fault.mode === 'hang') await faults.hang(request.signal)
    return statusUnknown(fault.status)
  }

  /** A listen-key stream: the test account's raw user data events, all on the userData channel. */
  function connectListenKey(listenKey: string, socket: SimulatorSocket): SimulatorConnection {
    const { faulty, forget } = track('listenKey', socket, () => 'userData')
    const connection = listenKeys?.connect(listenKey, faulty)
    if (!connection) {
      forget()
      socket.close(1008, 'Unknown listen key')
      return { receive() {}, closed() {} }
    }
    return {
      receive: (text) => connection.receive(text),
      closed() {
        forget()
        connection.closed()
      },
    }
  }

  /** The WS API with request faults on incoming requests and frame faults on replies and events. */
  function connectWsApi(path: string, socket: SimulatorSocket): SimulatorConnection {
    const { faulty, forget } = track('wsApi', socket, (text) => (text.startsWith('{"subscriptionId"') ? 'userData' : 'wsApi'))
    // Replies that must be swapped for a 5xx because their request ran under an `afterExecute` fault.
    const failAfterExecute = new Map<string, number>()
    const replies: SimulatorSocket = {
      send(text) {
        if (failAfterExecute.size > 0 && !text.startsWith('{"subscriptionId"')) {
          const id = replyIdOf(text)
          const status = failAfterExecute.get(id.key)
          if (status !== undefined) {
            failAfterExecute.delete(id.key)
            faulty.send(wsApiStatusUnknown(id.value, status))
            return
          }
        }
        faulty.send(text)
      },
      close: (code, reason) => faulty.close(code, reason),
    }
    const connection = wsApi.connect(path, replies)
    return {
      receive(text) {
        if (faults.idle) return connection.receive(text)
        const request = wsApiRequestOf(text)
        const fault = request ? faults.requestFault({ wsApiMethod: request.method }) : undefined
        // throttleRequests matches REST requests only.
        if (!fault || !request || fault.kind === 'throttleRequests') return connection.receive(text)
        if (fault.kind === 'delayRequests') {
          setTimeout(() => connection.receive(text), fault.ms)
          return
        }
        if (fault.mode === 'reject') return faulty.send(wsApiStatusUnknown(request.id, fault.status))
        if (fault.mode === 'hang') return
        failAfterExecute.set(JSON.stringify(request.id), fault.status)
        connection.receive(text)
      },
      closed() {
        forget()
        connection.closed()
      },
    }
  }

  return simulator
}

/** Binance's answer when the backend did not reply in time: the request may or may not have run. */
const STATUS_UNKNOWN = { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' }

function statusUnknown(status: number): Response {
  return new Response(JSON.stringify(STATUS_UNKNOWN), { status, headers: { ...CORS_HEADERS, 'Content-Type': 'application/json;charset=UTF-8' } })
}

function wsApiStatusUnknown(id: unknown, status: number): string {
  return JSON.stringify({ id, status, error: STATUS_UNKNOWN })
}

function wsApiRequestOf(text: string): { id: unknown; method: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { id?: unknown; method?: unknown }
    return typeof parsed.method === 'string' ? { id: parsed.id ?? null, method: parsed.method } : undefined
  } catch {
    return undefined
  }
}

/** A reply's request id, and the same as a map key (ids may be numbers, strings or null). */
function replyIdOf(replyText: string): { value: unknown; key: string } {
  try {
    const value = (JSON.parse(replyText) as { id?: unknown }).id ?? null
    return { value, key: JSON.stringify(value) }
  } catch {
    return { value: null, key: '' }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Deterministic test keys shaped like Binance's (64 alphanumerics), printed by `npm run sim`. */
function testCredentials(seed: number): SimulatorCredentials {
  const random = new SeededRandom(seed ^ 0x6b657973)
  return { apiKey: random.nextId(64), apiSecret: random.nextId(64) }
}
