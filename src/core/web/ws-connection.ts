// One WebSocket, from open to close: parsed incoming messages in a queue, sends that fail loudly
// instead of vanishing, and a `closed` promise that settles exactly once however the socket ends.
// The supervisor (ws-assistant.ts) builds reconnects, liveness and subscriptions on top of it.
//
// Protocol-level pings (Binance sends one every 20 s) are answered by the platform's WebSocket
// itself and are not visible through the WebSocket API, so they cannot count as activity here; a
// quiet stream needs an application-level ping (see the supervisor's `ping` option).
import type { Clock } from '../clock.ts'
import { RequestTimeoutError, SocketClosedError } from '../errors.ts'
import { AsyncQueue } from './async-queue.ts'
import { sanitizedCause } from './rest-errors.ts'
import { createSocket, describeWsUrl, type WebSocketFactory, type WebSocketLike } from './socket-factory.ts'

export { defaultWebSocketFactory, describeWsUrl, type WebSocketFactory, type WebSocketLike } from './socket-factory.ts'

const CONNECTING = 0
const OPEN = 1

/** A string is sent as is; anything else as JSON. */
export type WsOutgoingMessage = string | object

export interface WsCloseInfo {
  readonly code: number
  readonly reason: string
  /** True when this side closed it (stop, liveness watchdog, planned reconnect). */
  readonly byClient: boolean
  /** What ended it, when it was not this side's choice. */
  readonly error: SocketClosedError | undefined
}

export interface OpenWsConnectionOptions {
  readonly url: string
  readonly clock: Clock
  /** Bound on the opening handshake. */
  readonly timeoutMs: number
  readonly socketFactory?: WebSocketFactory
  /** Aborting gives up the attempt (and closes the socket); the open rejects with the reason. */
  readonly signal?: AbortSignal
}

/**
 * A text frame as JSON when it parses, else the text itself; binary frames (ArrayBuffer) as they are.
 *
 * @example
 * parseWsMessage('{"e":"trade"}') // { e: 'trade' }
 * parseWsMessage('pong')          // 'pong'
 */
export function parseWsMessage(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}

/** Rejects with the signal's reason once it aborts. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

export class WsConnection implements AsyncIterable<unknown> {
  readonly url: string
  /** Settles once, when the socket has ended for any reason. Never rejects. */
  readonly closed: Promise<WsCloseInfo>
  readonly #label: string
  readonly #socket: WebSocketLike
  readonly #clock: Clock
  readonly #messages = new AsyncQueue<unknown>()
  readonly #opened: Promise<void>
  #isOpen = false
  #finished = false
  #lastReceivedAt: number | undefined
  #receivedCount = 0
  #lastActivityMonotonic: number
  #resolveClosed: (info: WsCloseInfo) => void = () => {}

  /**
   * Opens a socket and resolves once it is open. Rejects with `NetworkError`/`SocketClosedError`
   * when it cannot connect, `RequestTimeoutError` after `timeoutMs`, or the signal's reason.
   *
   * @example
   * const connection = await WsConnection.open({ url: 'wss://stream.binance.com:9443/ws', clock: systemClock, timeoutMs: 10_000 })
   */
  static open(options: OpenWsConnectionOptions): Promise<WsConnection> {
    const { signal } = options
    if (signal?.aborted) return Promise.reject(signal.reason)
    let created: WebSocketLike | Promise<WebSocketLike>
    try {
      created = createSocket(options)
    } catch (error) {
      return Promise.reject(error)
    }
    // A sync factory's socket gets its listeners in this same turn, as before.
    if (!(created instanceof Promise)) return WsConnection.#connect(created, options)
    return created.then((socket) => WsConnection.#connect(socket, options))
  }

  /** Watches a just created socket until it opens (resolves), fails, times out or is abandoned. */
  static #connect(socket: WebSocketLike, options: OpenWsConnectionOptions): Promise<WsConnection> {
    const { url, signal } = options
    const connection = new WsConnection(socket, url, options.clock)
    // Given up while an async factory ran: the socket it still delivered is not wanted.
    if (signal?.aborted) {
      connection.close(1000, 'attempt abandoned')
      return Promise.reject(signal.reason)
    }
    return new Promise((resolve, reject) => {
      const giveUp = (error: unknown): void => {
        connection.close(1000, 'attempt abandoned')
        reject(error)
      }
      const onAbort = (): void => giveUp(signal?.reason)
      const timer = setTimeout(
        () => giveUp(new RequestTimeoutError(`${connection.#label}: not open within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      )
      signal?.addEventListener('abort', onAbort, { once: true })
      const settle = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      void connection.#opened.then(() => {
        settle()
        resolve(connection)
      })
      void connection.closed.then((info) => {
        settle()
        reject(info.error ?? new SocketClosedError(`${connection.#label}: closed before it opened`, { closeCode: info.code }))
      })
    })
  }

  private constructor(socket: WebSocketLike, url: string, clock: Clock) {
    this.url = url
    this.#label = describeWsUrl(url)
    this.#socket = socket
    this.#clock = clock
    this.#lastActivityMonotonic = clock.monotonic()
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve
    })
    let resolveOpened: () => void = () => {}
    this.#opened = new Promise((resolve) => {
      resolveOpened = resolve
    })
    // Binary frames as ArrayBuffer everywhere (browsers default to Blob, ws to Buffer).
    socket.binaryType = 'arraybuffer'
    // Listeners stay attached for the socket's life (ws throws on an 'error' nobody listens to);
    // after the end they simply ignore what arrives.
    socket.addEventListener('open', () => {
      if (this.#finished) return
      this.#isOpen = true
      this.#lastActivityMonotonic = this.#clock.monotonic()
      resolveOpened()
    })
    socket.addEventListener('message', (event) => {
      if (this.#finished) return
      this.#lastReceivedAt = this.#clock.now()
      this.#lastActivityMonotonic = this.#clock.monotonic()
      this.#receivedCount += 1
      this.#messages.push(parseWsMessage((event as MessageEvent).data))
    })
    socket.addEventListener('close', (event) => {
      const { code = 1006, reason = '' } = event as Partial<CloseEvent>
      const what = this.#isOpen ? 'closed by the server' : 'could not connect'
      const detail = `code ${code}${reason ? `: ${reason}` : ''}`
      this.#finish({ code, reason, byClient: false, error: new SocketClosedError(`${this.#label}: ${what} (${detail})`, { closeCode: code }) })
    })
    socket.addEventListener('error', (event) => {
      const message = (event as Partial<ErrorEvent>).message
      const what = this.#isOpen ? 'connection failed' : 'could not connect'
      const detail = typeof message === 'string' && message !== '' ? ` (${message.split(url).join('[url]')})` : ''
      this.#finish({ code: 1006, reason: '', byClient: false, error: new SocketClosedError(`${this.#label}: ${what}${detail}`, { closeCode: 1006 }) })
      this.#closeSocket(1000, '')
    })
  }

  get isOpen(): boolean {
    return this.#isOpen && !this.#finished
  }

  /** Wall-clock time of the last message, epoch ms; undefined before the first. */
  get lastReceivedAt(): number | undefined {
    return this.#lastReceivedAt
  }

  /** Messages received so far: tells "something arrived since" even within one millisecond. */
  get receivedCount(): number {
    return this.#receivedCount
  }

  /** Monotonic ms since the last message (or since the socket opened, before the first). */
  silentForMs(): number {
    return this.#clock.monotonic() - this.#lastActivityMonotonic
  }

  /**
   * Sends now, or throws `SocketClosedError` when the socket is not open.
   *
   * @example
   * connection.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 })
   */
  send(message: WsOutgoingMessage): void {
    if (!this.isOpen || this.#socket.readyState !== OPEN) {
      throw new SocketClosedError(`${this.#label}: not open, message not sent`)
    }
    try {
      this.#socket.send(typeof message === 'string' ? message : JSON.stringify(message))
    } catch (thrown) {
      throw new SocketClosedError(`${this.#label}: send failed`, { cause: sanitizedCause(thrown, [this.url]) })
    }
  }

  /**
   * The next incoming message, for a handshake (login reply, subscribe acknowledgement) before the
   * supervisor starts forwarding messages. Rejects with `RequestTimeoutError` after `timeoutMs`,
   * `SocketClosedError` if the socket ends first, or the signal's reason.
   *
   * @example
   * connection.send(loginMessage)
   * const reply = await connection.receive({ timeoutMs: 5_000 })
   */
  async receive(options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<unknown> {
    const deadline = new AbortController()
    const { timeoutMs, signal } = options
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => deadline.abort(new RequestTimeoutError(`${this.#label}: no message within ${timeoutMs} ms`)), timeoutMs)
    try {
      const result = await this.#messages.next(signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal)
      if (result.done) throw new SocketClosedError(`${this.#label}: closed while a message was awaited`)
      return result.value
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Runs `task` (a login, a subscribe handshake) and settles with it, unless the socket closes
   * (`SocketClosedError`), `timeoutMs` passes (`RequestTimeoutError`) or `signal` aborts (its
   * reason) first. The task itself is not cancelled; its later sends fail on the closed socket.
   *
   * @example
   * await connection.run(() => login(connection), { timeoutMs: 15_000, what: 'login' })
   */
  async run(
    task: () => Promise<void>,
    options: { readonly timeoutMs: number; readonly what: string; readonly signal?: AbortSignal },
  ): Promise<void> {
    const deadline = new AbortController()
    const timer = setTimeout(
      () => deadline.abort(new RequestTimeoutError(`${this.#label}: ${options.what} did not finish within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    )
    const interrupted = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal
    try {
      // Promise.race subscribes to every entrant, so the losers' late rejections are handled.
      await Promise.race([
        task(),
        rejectOnAbort(interrupted),
        this.closed.then((info) => {
          throw info.error ?? new SocketClosedError(`${this.#label}: closed during ${options.what}`, { closeCode: info.code })
        }),
      ])
    } finally {
      clearTimeout(timer)
      deadline.abort()
    }
  }

  /** Messages in arrival order; ends (after the buffered ones) when the socket closes. */
  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this.#messages
  }

  /** Closes the socket from this side. Idempotent; `closed` settles at once with `byClient: true`. */
  close(code = 1000, reason = ''): void {
    if (this.#finished) return
    this.#finish({ code, reason, byClient: true, error: undefined })
    this.#closeSocket(code, reason)
  }

  #closeSocket(code: number, reason: string): void {
    const state = this.#socket.readyState
    if (state !== CONNECTING && state !== OPEN) return
    try {
      this.#socket.close(code, reason)
    } catch {
      // Already closing, or the platform refused the code: either way the socket is going away.
    }
  }

  #finish(info: WsCloseInfo): void {
    if (this.#finished) return
    this.#finished = true
    this.#messages.end()
    this.#resolveClosed(info)
  }
}
