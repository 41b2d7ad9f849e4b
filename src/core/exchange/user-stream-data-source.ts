// The private stream's exchange-neutral base (the recipe's UserStreamTrackerDataSource). It keeps
// one supervised socket open (the WS supervisor: reconnect with backoff, liveness watchdog), runs
// the connector's `authenticate` hook on every (re)connect, parses every message with the
// connector's `parseMessage` hook and queues the events for one consumer (the exchange), which reads
// them with `for await`. It also runs the connector's keep-alive tasks (a listen key refresh) while
// it is started. Failures go to the `error` event; nothing here throws into the consumer.
import { type Clock, systemClock } from '../clock.ts'
import { asError, PayloadValidationError, SpotwireError } from '../errors.ts'
import { EventEmitter } from '../events.ts'
import { AsyncQueue } from '../web/async-queue.ts'
import { WsAssistant, type WsAssistantOptions, type WsHealth } from '../web/ws-assistant.ts'
import type { WsConnection } from '../web/ws-connection.ts'
import { runPeriodically } from './periodic-task.ts'

/** The socket the data source reads: the WS supervisor by default, or anything shaped like it. */
export interface UserStreamSocket extends AsyncIterable<unknown> {
  start(): Promise<void>
  health(): WsHealth
  reconnect(): void
  close(): void
}

/** Supervisor settings a connector (or a test) may set; the data source supplies the rest. */
export type UserStreamSocketOptions = Omit<WsAssistantOptions, 'url' | 'onOpen' | 'onError' | 'ping' | 'signal' | 'clock'>

export interface UserStreamDataSourceOptions {
  readonly clock?: Clock
  readonly socket?: UserStreamSocketOptions
}

export interface UserStreamDataSourceEvents {
  /** Connect and login failures, drops, malformed payloads (`PayloadValidationError`), keep-alive failures. */
  error: Error
  /** Any message arrived (an event or not); the payload is `lastReceivedAt`. */
  received: number
  /** A connection finished `authenticate` and is live; the payload is the time, epoch ms. */
  connected: number
}

/** Periodic work that keeps the stream's credentials alive (Binance.US: PUT the listen key every 30 min). */
export interface KeepAliveTask {
  readonly name: string
  readonly intervalMs: number
  readonly run: (signal: AbortSignal) => Promise<void>
}

/**
 * Extend it per exchange: say where to connect, how to log in and subscribe, and how to read a
 * message.
 *
 * @example
 * class BinanceUserStream extends UserStreamDataSource<BinanceUserEvent> {
 *   readonly name = 'binance'
 *   protected streamUrl() { return this.urls.wsApi }
 *   protected async authenticate(connection) {
 *     connection.send(await this.subscribeRequest())          // userDataStream.subscribe.signature
 *     await connection.receive({ timeoutMs: 10_000 })          // its answer; check it, throw if refused
 *   }
 *   protected parseMessage(raw) { return isEvent(raw) ? v.parse(UserEventSchema, raw.event) : undefined }
 * }
 */
export abstract class UserStreamDataSource<Event> extends EventEmitter<UserStreamDataSourceEvents> implements AsyncIterable<Event> {
  /** Names the exchange in error messages. */
  abstract readonly name: string
  protected readonly clock: Clock
  readonly #socketOptions: UserStreamSocketOptions
  readonly #keepAlives: KeepAliveTask[] = []
  #events = new AsyncQueue<Event>()
  #socket: UserStreamSocket | undefined
  #run: AbortController | undefined
  #outerSignal: AbortSignal | undefined
  #lastReceivedAt = 0
  #authenticatedOnce = false
  readonly #onOuterAbort = (): void => void this.stop()

  constructor(options: UserStreamDataSourceOptions = {}) {
    super()
    this.clock = options.clock ?? systemClock
    this.#socketOptions = options.socket ?? {}
  }

  /** The stream's URL, asked before every connect (a listen-key URL may change). */
  protected abstract streamUrl(): string | Promise<string>

  /**
   * Runs on every (re)connect before messages flow: log in and subscribe, reading replies with
   * `connection.receive()`. Throw to reject the connection (it is reported and replaced).
   */
  protected abstract authenticate(connection: WsConnection, signal: AbortSignal): void | Promise<void>

  /**
   * Turns one message into an event for the exchange, or undefined for messages that are not
   * events (acks, pongs). May throw (a schema error): the message is reported and skipped.
   */
  protected abstract parseMessage(raw: unknown): Event | undefined

  /** An application-level ping, sent when the stream has been silent for the liveness timeout. */
  protected sendPing?(connection: WsConnection): void | Promise<void>

  /** The socket; override to supply another transport (tests, a relay). */
  protected createSocket(options: WsAssistantOptions): UserStreamSocket {
    return new WsAssistant(options)
  }

  /** Adds a task run every `intervalMs` while the stream is started (from the next start, or now). */
  protected registerKeepAlive(task: KeepAliveTask): void {
    this.#keepAlives.push(task)
    if (this.#run && !this.#run.signal.aborted) this.#startKeepAlive(task, this.#run.signal)
  }

  /** Replaces the connection now (e.g. after a new listen key); nothing when not started. */
  protected reconnect(): void {
    this.#socket?.reconnect()
  }

  /**
   * Epoch ms of the last message received; 0 before the first. Socket traffic (handshake replies,
   * pongs) counts only once a subscription has succeeded: the answer to a refused login is not a
   * working user stream, and the exchange's `userStreamInitialized` reads this.
   */
  get lastReceivedAt(): number {
    const socketTraffic = this.#authenticatedOnce ? (this.#socket?.health().lastMessageAt ?? 0) : 0
    return Math.max(this.#lastReceivedAt, socketTraffic)
  }

  /** True while a connection is open and authenticated. */
  get isConnected(): boolean {
    return this.#socket?.health().state === 'open'
  }

  /** The socket's health, or undefined before `start()`. */
  health(): WsHealth | undefined {
    return this.#socket?.health()
  }

  /**
   * Connects (and keeps reconnecting) until `stop()` or the signal aborts. Does nothing when started.
   *
   * @example
   * stream.start(controller.signal)
   * for await (const event of stream) handle(event)
   */
  start(signal?: AbortSignal): void {
    if ((this.#run && !this.#run.signal.aborted) || signal?.aborted) return
    const run = new AbortController()
    this.#run = run
    this.#outerSignal = signal
    signal?.addEventListener('abort', this.#onOuterAbort, { once: true })
    if (this.#events.ended) this.#events = new AsyncQueue<Event>()
    const sendPing = this.sendPing
    const socket = this.createSocket({
      ...this.#socketOptions,
      url: () => this.streamUrl(),
      onOpen: async (connection) => {
        await this.authenticate(connection, run.signal)
        this.#authenticatedOnce = true
        this.emit('connected', this.clock.now())
      },
      onError: (error) => this.#report(error),
      ...(sendPing ? { ping: (connection: WsConnection) => sendPing.call(this, connection) } : {}),
      signal: run.signal,
      clock: this.clock,
    })
    this.#socket = socket
    socket.start().catch(() => {}) // failures also arrive on onError
    void this.#pump(socket, this.#events)
    for (const task of this.#keepAlives) this.#startKeepAlive(task, run.signal)
  }

  /**
   * Closes the socket and the keep-alive tasks; events not yet read are dropped. Idempotent.
   * A connector may return a promise for clean-up that needs the network (closing a listen key);
   * the exchange's `stop()` waits for it and never sees it reject.
   */
  stop(): void | Promise<void> {
    this.#outerSignal?.removeEventListener('abort', this.#onOuterAbort)
    this.#outerSignal = undefined
    this.#run?.abort()
    this.#socket?.close()
    this.#events.end(true)
  }

  /**
   * Parses one raw message and queues its event. Never throws: a message that cannot be parsed is
   * reported on `error` (with the payload, redacted) and skipped. Connector tests feed it directly.
   *
   * @example
   * stream.handleRawMessage({ e: 'outboundAccountPosition', B: [] })
   */
  handleRawMessage(raw: unknown): void {
    this.#lastReceivedAt = this.clock.now()
    this.emit('received', this.#lastReceivedAt)
    let event: Event | undefined
    try {
      event = this.parseMessage(raw)
    } catch (error) {
      this.#report(error instanceof PayloadValidationError ? error : new PayloadValidationError(`${this.name} user stream`, raw, { cause: error }))
      return
    }
    if (event !== undefined) this.#events.push(event)
  }

  [Symbol.asyncIterator](): AsyncIterator<Event> {
    return { next: () => this.#events.next() }
  }

  async #pump(socket: UserStreamSocket, events: AsyncQueue<Event>): Promise<void> {
    try {
      for await (const raw of socket) this.handleRawMessage(raw)
    } catch (error) {
      this.#report(error)
    } finally {
      events.end()
    }
  }

  #startKeepAlive(task: KeepAliveTask, signal: AbortSignal): void {
    void runPeriodically({
      run: task.run,
      nextDelayMs: () => task.intervalMs,
      initialDelayMs: task.intervalMs,
      backoff: { initialMs: 1_000, maxMs: task.intervalMs },
      signal,
      onError: (error, retryInMs) =>
        this.#report(new SpotwireError(`${this.name} user stream: keep-alive '${task.name}' failed; retrying in ${retryInMs} ms`, { cause: asError(error) })),
    })
  }

  #report(error: unknown): void {
    this.emit('error', asError(error))
  }
}
