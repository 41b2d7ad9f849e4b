// Listen-key user data streams: the flow Binance retired on 2026-02-20 and Binance.US still serves.
// A client asks REST for a listen key (POST /api/v3/userDataStream), opens `/ws/<listenKey>`, and
// keeps the key alive with PUT at least every 60 minutes; the sockets get the test account's user
// data events bare (user-data/legacy_listenKey_*.json). A key nobody kept alive expires: its sockets
// get `listenKeyExpired` and are closed. Web APIs and no timers: the adapter calls `expire()`.
import { SeededRandom, type SimulatedExchange } from '../engine/index.ts'
import { followTestAccount } from '../user-data/index.ts'

/** The transport, whatever it is (Node `ws`, workerd WebSocket, a test array). */
export interface ListenKeySocket {
  send(text: string): void
  close(code?: number, reason?: string): void
}

/** What the adapter feeds for one open `/ws/<listenKey>` socket. */
export interface ListenKeyConnection {
  /** `LIST_SUBSCRIPTIONS` is answered with the listen key (the stream the socket follows); anything else is ignored. */
  receive(text: string): void
  closed(): void
}

export interface ListenKeyRegistryOptions {
  readonly exchange: SimulatedExchange
  /** The server clock in epoch milliseconds; inject the exchange's clock in tests. */
  readonly now?: () => number
  /** How long a key lives after it was created or last kept alive (Binance: 60 minutes). */
  readonly validityMs?: number
  /** Seeds the generated keys, so one seed always hands out the same keys. */
  readonly seed?: number
}

export interface ListenKeyRegistry {
  /**
   * POST: the test account's live key, kept alive, or a new one when it has none. Binance hands an
   * account that already has an active key the same key again.
   */
  open(nowMs?: number): string
  /** PUT: extends the key's validity by another `validityMs`; false when it is unknown or expired. */
  keepAlive(listenKey: string, nowMs?: number): boolean
  /** DELETE: ends the key and closes its sockets; false when it is unknown or expired. */
  close(listenKey: string, nowMs?: number): boolean
  /** True while the key exists and has not outlived its validity. */
  has(listenKey: string, nowMs?: number): boolean
  /** Opens `/ws/<listenKey>`; undefined (the adapter closes the socket) when the key is unknown or expired. */
  connect(listenKey: string, socket: ListenKeySocket): ListenKeyConnection | undefined
  /**
   * Ends every key not kept alive within `validityMs` by `nowMs`: its sockets get
   * `{"e":"listenKeyExpired","E":…,"listenKey":…}` and are closed. Returns the expired keys.
   */
  expire(nowMs?: number): string[]
  /** Closes every socket and forgets every key. */
  dispose(): void
}

/** Binance: "a User Data Stream will close after 60 minutes" unless a keepalive comes first. */
export const LISTEN_KEY_VALIDITY_MS = 60 * 60 * 1000
/** Binance's listen keys are 64 alphanumeric characters (rest/POST_api_v3_userDataStream_*.json). */
export const LISTEN_KEY_LENGTH = 64
/** Close codes (RFC 6455 §7.4.1): the stream ended on purpose / the server is going away. */
const CLOSE_NORMAL = 1000
const CLOSE_GOING_AWAY = 1001
const LISTEN_KEY_PATH = /^\/ws\/([A-Za-z0-9]{64})\/?$/

interface ListenKeyState {
  readonly listenKey: string
  expiresAt: number
  readonly sockets: Set<ListenKeySession>
}

/** One open socket: forwards the account's events until the socket or its key closes. */
class ListenKeySession {
  private readonly stopFollowing: () => void
  private isOpen = true

  constructor(
    private readonly socket: ListenKeySocket,
    exchange: SimulatedExchange,
    private readonly forget: (session: ListenKeySession) => void,
  ) {
    this.stopFollowing = followTestAccount(exchange, (event) => this.send(event))
  }

  send(message: object): void {
    if (this.isOpen) this.socket.send(JSON.stringify(message))
  }

  /**
   * The socket lives on the market-stream server, whose control messages work on any connection;
   * a client's keep-alive `LIST_SUBSCRIPTIONS` gets the one stream this socket follows.
   */
  receive(text: string, listenKey: string): void {
    let request: { method?: unknown; id?: unknown }
    try {
      request = JSON.parse(text) as { method?: unknown; id?: unknown }
    } catch {
      return
    }
    if (request?.method === 'LIST_SUBSCRIPTIONS') this.send({ result: [listenKey], id: request.id ?? null })
  }

  /** The transport closed (either side). */
  closed(): void {
    if (!this.isOpen) return
    this.isOpen = false
    this.stopFollowing()
    this.forget(this)
  }

  /** The server ends the stream: stop listening, then close the transport. */
  end(reason: string, code = CLOSE_NORMAL): void {
    if (!this.isOpen) return
    this.closed()
    this.socket.close(code, reason)
  }
}

/**
 * @example
 * const exchange = createSimulatedExchange({ seed: 1 })
 * const listenKeys = createListenKeyRegistry({ exchange })
 * const rest = createSimulatorRestHandler({ exchange, credentials, listenKeys })
 * const connection = listenKeys.connect(listenKeys.open(), { send: console.log, close() {} })
 * setInterval(() => listenKeys.expire(), 60_000)
 */
export function createListenKeyRegistry(options: ListenKeyRegistryOptions): ListenKeyRegistry {
  const clock = options.now ?? (() => Date.now())
  const validityMs = options.validityMs ?? LISTEN_KEY_VALIDITY_MS
  const random = new SeededRandom(options.seed ?? 0x1157e)
  const { exchange } = options
  /** Every key not yet expired by `expire()` or closed, lapsed ones included until the sweep. */
  const keys = new Map<string, ListenKeyState>()
  /** The simulator has one account behind its API key, so one live key at a time. */
  let accountKey: ListenKeyState | undefined

  const live = (listenKey: string, nowMs: number): ListenKeyState | undefined => {
    const state = keys.get(listenKey)
    return state !== undefined && nowMs < state.expiresAt ? state : undefined
  }

  const end = (state: ListenKeyState, reason: string, farewell?: object, code?: number): void => {
    keys.delete(state.listenKey)
    if (accountKey === state) accountKey = undefined
    for (const session of [...state.sockets]) {
      if (farewell) session.send(farewell)
      session.end(reason, code)
    }
  }

  return {
    open(nowMs = clock()) {
      if (accountKey !== undefined && nowMs < accountKey.expiresAt) {
        accountKey.expiresAt = nowMs + validityMs
        return accountKey.listenKey
      }
      let listenKey = random.nextId(LISTEN_KEY_LENGTH)
      while (keys.has(listenKey)) listenKey = random.nextId(LISTEN_KEY_LENGTH)
      accountKey = { listenKey, expiresAt: nowMs + validityMs, sockets: new Set() }
      keys.set(listenKey, accountKey)
      return listenKey
    },
    keepAlive(listenKey, nowMs = clock()) {
      const state = live(listenKey, nowMs)
      if (!state) return false
      state.expiresAt = nowMs + validityMs
      return true
    },
    close(listenKey, nowMs = clock()) {
      const state = live(listenKey, nowMs)
      if (!state) return false
      end(state, 'listenKey closed')
      return true
    },
    has(listenKey, nowMs = clock()) {
      return live(listenKey, nowMs) !== undefined
    },
    connect(listenKey, socket) {
      const state = live(listenKey, clock())
      if (!state) return undefined
      const session = new ListenKeySession(socket, exchange, (closed) => state.sockets.delete(closed))
      state.sockets.add(session)
      return { receive: (text) => session.receive(text, listenKey), closed: () => session.closed() }
    },
    expire(nowMs = clock()) {
      const expired = [...keys.values()].filter((state) => nowMs >= state.expiresAt)
      for (const state of expired) end(state, 'listenKey expired', { e: 'listenKeyExpired', E: nowMs, listenKey: state.listenKey })
      return expired.map((state) => state.listenKey)
    },
    dispose() {
      for (const state of [...keys.values()]) end(state, 'Simulator stopped', undefined, CLOSE_GOING_AWAY)
    },
  }
}

/**
 * The listen key a `/ws/<listenKey>` path (or full URL) names, or undefined when the path has none;
 * adapters use it to tell listen-key sockets from public streams such as `/ws/btcusdt@trade`.
 * @example
 * listenKeyOfPath('/ws/pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1') // 'pqia91…'
 */
export function listenKeyOfPath(pathOrUrl: string): string | undefined {
  return LISTEN_KEY_PATH.exec(new URL(pathOrUrl, 'http://localhost').pathname)?.[1]
}
