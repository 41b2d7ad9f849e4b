// A scriptable WebSocket server for connector tests: its `factory` is a `WebSocketFactory`, every
// socket the connector opens is listed with its URL, and the test plays the server on each: feed
// frames, read what the client sent, close from the server side, raise an error, or refuse to open.
// Built on EventTarget, so it runs wherever the library does.
import type { WebSocketFactory, WebSocketLike } from '../core/web/ws-connection.ts'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

function closeEvent(code: number, reason: string): Event {
  return Object.assign(new Event('close'), { code, reason, wasClean: code === 1000 })
}

export class MockWebSocket extends EventTarget implements WebSocketLike {
  readyState = CONNECTING
  binaryType = 'blob'
  /** Frames the client sent, as sent. */
  readonly sentFrames: string[] = []
  /** Set when the client closed the socket. */
  closedByClient: { readonly code: number | undefined; readonly reason: string | undefined } | undefined

  constructor(
    readonly url: string,
    readonly onClientFrame: ((socket: MockWebSocket, frame: unknown) => void) | undefined,
  ) {
    super()
  }

  /** The client's frames, JSON-parsed where they parse. */
  get sent(): unknown[] {
    return this.sentFrames.map(parseFrame)
  }

  get isOpen(): boolean {
    return this.readyState === OPEN
  }

  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error(`MockWebSocket: send on a socket that is not open (readyState ${this.readyState})`)
    this.sentFrames.push(data)
    this.onClientFrame?.(this, parseFrame(data))
  }

  /** A close by the client; the server acknowledges at once. */
  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason }
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.dispatchEvent(closeEvent(code ?? 1005, reason ?? ''))
  }

  /** The server accepts the connection. */
  open(): void {
    if (this.readyState !== CONNECTING) return
    this.readyState = OPEN
    this.dispatchEvent(new Event('open'))
  }

  /** The server refuses the connection (an error, then a 1006 close, as browsers report it). */
  refuse(): void {
    this.error('connection refused')
    this.closeFromServer(1006, '')
  }

  /** Sends a frame to the client: a string or ArrayBuffer as is, anything else as JSON. */
  feed(frame: unknown): void {
    if (this.readyState !== OPEN) throw new Error('MockWebSocket: feed on a socket that is not open')
    const data = typeof frame === 'string' || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame)
    this.dispatchEvent(Object.assign(new Event('message'), { data }))
  }

  /** The server closes (or loses) the connection. */
  closeFromServer(code = 1006, reason = ''): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.dispatchEvent(closeEvent(code, reason))
  }

  error(message = 'mock socket error'): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message }))
  }
}

function parseFrame(data: string): unknown {
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}

export interface MockWebSocketServerOptions {
  /** Open each socket on the next microtask (default true); false leaves `open()`/`refuse()` to the test. */
  readonly autoOpen?: boolean
  /** Called for every frame a client sends: answer with `socket.feed(…)`. */
  readonly onClientFrame?: (socket: MockWebSocket, frame: unknown) => void
}

/**
 * Every socket the connector opens, scripted by the test.
 *
 * @example
 * const server = new MockWebSocketServer()
 * const exchange = createBinanceExchange({ tradingPairs: ['BTC-USDT'], socketFactory: server.factory })
 * server.last()?.feed({ e: 'trade' })
 */
export class MockWebSocketServer {
  readonly sockets: MockWebSocket[] = []
  readonly factory: WebSocketFactory
  #autoOpen: boolean
  #refuse: (url: string) => boolean = () => false
  readonly #onClientFrame: ((socket: MockWebSocket, frame: unknown) => void) | undefined

  constructor(options: MockWebSocketServerOptions = {}) {
    this.#autoOpen = options.autoOpen ?? true
    this.#onClientFrame = options.onClientFrame
    this.factory = (url) => this.#connect(url)
  }

  /** Refuse new connections (all, or those whose URL the test picks) until called with false. */
  refuseConnections(refuse: boolean | ((url: string) => boolean)): void {
    this.#refuse = typeof refuse === 'function' ? refuse : () => refuse
  }

  /** Sockets whose URL starts with `prefix` (or that `select` picks), oldest first. */
  socketsTo(select: string | ((socket: MockWebSocket) => boolean)): MockWebSocket[] {
    const picks = typeof select === 'string' ? (socket: MockWebSocket) => socket.url.startsWith(select) : select
    return this.sockets.filter(picks)
  }

  /** The newest socket (of those `select` picks). */
  last(select?: string | ((socket: MockWebSocket) => boolean)): MockWebSocket | undefined {
    return (select === undefined ? this.sockets : this.socketsTo(select)).at(-1)
  }

  /** Sockets not closed yet (connecting or open). */
  get liveSockets(): MockWebSocket[] {
    return this.sockets.filter((socket) => socket.readyState !== CLOSED)
  }

  #connect(url: string): MockWebSocket {
    const socket = new MockWebSocket(url, this.#onClientFrame)
    this.sockets.push(socket)
    const refused = this.#refuse(url)
    if (refused) queueMicrotask(() => socket.refuse())
    else if (this.#autoOpen) queueMicrotask(() => socket.open())
    return socket
  }
}
