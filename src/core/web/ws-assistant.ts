// A supervised WebSocket: one logical stream of messages over as many physical connections as it
// takes. It reconnects with capped exponential backoff and jitter, replaces a connection that went
// silent (liveness watchdog, optionally pinging first), rolls the connection on a schedule (Binance
// cuts every connection at 24 h), and after every (re)connect runs `onOpen` (login) and then re-sends
// every subscription registered with `subscribe`. Errors go to `onError`, never into the caller's
// loop. `close()` or the signal stops everything: no timer or socket is left, pending pulls end and
// pending sends reject with `SocketClosedError`.
import { type Clock, systemClock } from '../clock.ts'
import { SocketClosedError, SpotwireError } from '../errors.ts'
import { AsyncQueue } from './async-queue.ts'
import { type WebSocketFactory, WsConnection, type WsOutgoingMessage } from './ws-connection.ts'
import { type WsBackoffPolicy, WsLifecycle } from './ws-lifecycle.ts'

export type WsState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

export interface WsHealth {
  readonly state: WsState
  /** Wall-clock time the current connection opened (after `onOpen`), epoch ms. */
  readonly connectedSince: number | undefined
  /** Wall-clock time of the last message on any connection, epoch ms. */
  readonly lastMessageAt: number | undefined
  /** Connection attempts after the first one (failed ones included). */
  readonly reconnects: number
  readonly lastError: SpotwireError | undefined
}

export interface WsAssistantOptions {
  /** The URL, or a function asked before every connect (e.g. a combined-stream URL of the current pairs). */
  readonly url: string | (() => string | Promise<string>)
  readonly socketFactory?: WebSocketFactory
  /**
   * Runs after every connect, before anything else is sent: log in, wait for the reply with
   * `connection.receive()`, mark books stale. A throw (or not finishing within `openTimeoutMs`)
   * is reported and the connection replaced.
   */
  readonly onOpen?: (connection: WsConnection) => void | Promise<void>
  /** Every failure: connect errors, drops, liveness timeouts, hook failures. */
  readonly onError?: (error: SpotwireError) => void
  /** Sends an application-level ping when the connection has been silent for `livenessTimeoutMs`. */
  readonly ping?: (connection: WsConnection) => void | Promise<void>
  /** Silence after which the connection is pinged (or, without `ping`, replaced). 0 disables. Default 30 000. */
  readonly livenessTimeoutMs?: number
  /** After a ping, how long an answer may take before the connection is replaced. Default 10 000. */
  readonly pingGraceMs?: number
  /** Bound on opening the socket. Default 10 000. */
  readonly connectTimeoutMs?: number
  /** Bound on `onOpen`. Default 15 000. */
  readonly openTimeoutMs?: number
  readonly backoff?: WsBackoffPolicy
  /** Age at which an open connection is replaced on purpose (Binance: below 24 h). Default: never. */
  readonly maxConnectionAgeMs?: number
  readonly signal?: AbortSignal
  readonly clock?: Clock
  /** Jitter source in [0, 1). Default Math.random. */
  readonly random?: () => number
}

interface PendingSend {
  readonly message: WsOutgoingMessage
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/**
 * A supervised WebSocket whose messages are read with `for await`. Leaving the loop closes it.
 * Messages are JSON-parsed (raw text when not JSON). One consumer reads the stream.
 *
 * @example
 * const socket = new WsAssistant({ url: 'wss://stream.binance.com:9443/ws', signal })
 * socket.subscribe('btcusdt@depth', { method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 })
 * for await (const message of socket) handle(message)
 */
export class WsAssistant implements AsyncIterable<unknown> {
  readonly #options: WsAssistantOptions
  readonly #clock: Clock
  readonly #lifecycle: WsLifecycle
  readonly #messages = new AsyncQueue<unknown>()
  readonly #subscriptions = new Map<string, WsOutgoingMessage>()
  readonly #pendingSends: PendingSend[] = []
  readonly #stopController = new AbortController()
  #state: WsState = 'idle'
  #connection: WsConnection | undefined
  #connectedSince: number | undefined
  #lastMessageAt: number | undefined
  #reconnects = 0
  #lastError: SpotwireError | undefined
  #started: Promise<void> | undefined
  #settleStarted: { resolve: () => void; reject: (error: unknown) => void } | undefined

  constructor(options: WsAssistantOptions) {
    this.#options = options
    this.#clock = options.clock ?? systemClock
    this.#lifecycle = new WsLifecycle({
      clock: this.#clock,
      random: options.random ?? Math.random,
      backoff: options.backoff ?? {},
      report: (error) => this.#report(error),
    })
    options.signal?.addEventListener('abort', this.#onAbort, { once: true })
  }

  /**
   * Starts connecting (once) and resolves when the first connection is open, `onOpen` done and
   * subscriptions sent. Rejects with `SocketClosedError` if closed first. Iterating starts it too.
   */
  start(): Promise<void> {
    if (this.#started) return this.#started
    if (this.#state === 'closed') {
      this.#started = Promise.reject(this.#closedError('closed before a connection opened'))
      this.#started.catch(() => {})
      return this.#started
    }
    this.#started = new Promise((resolve, reject) => {
      this.#settleStarted = { resolve, reject }
    })
    // Callers may start and forget (failures also go to onError): a close must not become an
    // unhandled rejection for them, while callers who await still see it.
    this.#started.catch(() => {})
    if (this.#options.signal?.aborted) {
      this.close()
    } else {
      this.#state = 'connecting'
      void this.#run()
    }
    return this.#started
  }

  health(): WsHealth {
    return {
      state: this.#state,
      connectedSince: this.#connectedSince,
      lastMessageAt: this.#connection?.lastReceivedAt ?? this.#lastMessageAt,
      reconnects: this.#reconnects,
      lastError: this.#lastError,
    }
  }

  /** Subscriptions re-sent after every reconnect, in the order they were added. */
  get subscriptions(): ReadonlyMap<string, WsOutgoingMessage> {
    return this.#subscriptions
  }

  /**
   * Sends now if open; otherwise after the next connect (after `onOpen` and the subscriptions).
   * Rejects with `SocketClosedError` once closed, or if closed before it could be sent.
   */
  send(message: WsOutgoingMessage): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(this.#closedError('message not sent'))
    const connection = this.#openConnection()
    if (connection) {
      try {
        connection.send(message)
        return Promise.resolve()
      } catch (error) {
        return Promise.reject(error)
      }
    }
    return new Promise((resolve, reject) => this.#pendingSends.push({ message, resolve, reject }))
  }

  /**
   * Registers a subscription under `key` (replacing one with that key) and sends it now if open;
   * it is re-sent after every reconnect. A failed send is reported; the reconnect re-sends it.
   *
   * @example
   * socket.subscribe('btcusdt@trade', { method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 2 })
   */
  subscribe(key: string, message: WsOutgoingMessage): void {
    this.#subscriptions.set(key, message)
    this.#sendAndReport(message)
  }

  /** Forgets a subscription; sends `message` (the exchange's unsubscribe) if given and open. */
  unsubscribe(key: string, message?: WsOutgoingMessage): void {
    this.#subscriptions.delete(key)
    if (message !== undefined) this.#sendAndReport(message)
  }

  /**
   * Replaces the connection now, without backoff (a planned roll, or the exchange announced a
   * shutdown). Does nothing unless started and not closed.
   */
  reconnect(): void {
    if (this.#state === 'idle' || this.#state === 'closed') return
    this.#lifecycle.requestReconnect(this.#connection)
  }

  /** Stops everything. Idempotent. */
  close(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#options.signal?.removeEventListener('abort', this.#onAbort)
    this.#stopController.abort(this.#closedError('stopped'))
    this.#lifecycle.stop()
    this.#connection?.close(1000, 'client closed')
    this.#messages.end(true)
    const error = this.#closedError('closed before the message was sent')
    for (const pending of this.#pendingSends.splice(0)) pending.reject(error)
    this.#settleStarted?.reject(this.#closedError('closed before a connection opened'))
    this.#connectedSince = undefined
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    if (this.#state === 'idle') void this.start()
    return {
      next: () => this.#messages.next(),
      return: () => {
        this.close()
        return Promise.resolve({ done: true, value: undefined })
      },
    }
  }

  readonly #onAbort = (): void => this.close()

  async #run(): Promise<void> {
    const stop = this.#stopController.signal
    for (let attempt = 0; !stop.aborted; attempt += 1) {
      if (attempt > 0) {
        this.#state = 'reconnecting'
        try {
          await this.#lifecycle.waitBeforeReconnect(stop)
        } catch {
          break
        }
        if (stop.aborted) break
        this.#reconnects += 1
      }
      await this.#connectOnce(stop)
    }
  }

  /** One connection from open to close; every failure is reported, none escapes. */
  async #connectOnce(stop: AbortSignal): Promise<void> {
    let connection: WsConnection | undefined
    try {
      const url = typeof this.#options.url === 'string' ? this.#options.url : await this.#options.url()
      connection = await WsConnection.open({
        url,
        clock: this.#clock,
        timeoutMs: this.#options.connectTimeoutMs ?? 10_000,
        signal: stop,
        ...(this.#options.socketFactory ? { socketFactory: this.#options.socketFactory } : {}),
      })
      this.#connection = connection
      await this.#handshake(connection, stop)
      this.#becomeOpen(connection)
      const info = await connection.closed
      if (info.error && !stop.aborted) this.#report(info.error)
    } catch (error) {
      if (!stop.aborted) this.#report(error)
    } finally {
      // Until the next connection is open, sends wait and subscriptions wait for the replay.
      if (!stop.aborted) this.#state = 'reconnecting'
      this.#lifecycle.connectionEnded(connection)
      connection?.close(1000, 'replaced')
      this.#lastMessageAt = connection?.lastReceivedAt ?? this.#lastMessageAt
      this.#connection = undefined
      this.#connectedSince = undefined
    }
  }

  /** onOpen, then every subscription: bounded by openTimeoutMs, and ended by a close or a stop. */
  #handshake(connection: WsConnection, stop: AbortSignal): Promise<void> {
    const openTimeoutMs = this.#options.openTimeoutMs ?? 15_000
    return connection.run(
      async () => {
        await this.#options.onOpen?.(connection)
        for (const message of this.#subscriptions.values()) connection.send(message)
      },
      { timeoutMs: openTimeoutMs, signal: stop, what: 'onOpen' },
    )
  }

  #becomeOpen(connection: WsConnection): void {
    this.#state = 'open'
    this.#connectedSince = this.#clock.now()
    this.#lifecycle.connectionOpened(connection, {
      livenessTimeoutMs: this.#options.livenessTimeoutMs ?? 30_000,
      pingGraceMs: this.#options.pingGraceMs ?? 10_000,
      ...(this.#options.ping ? { ping: this.#options.ping } : {}),
      ...(this.#options.maxConnectionAgeMs === undefined ? {} : { maxConnectionAgeMs: this.#options.maxConnectionAgeMs }),
    })
    void this.#forward(connection)
    for (const pending of this.#pendingSends.splice(0)) {
      try {
        connection.send(pending.message)
        pending.resolve()
      } catch (error) {
        pending.reject(error)
      }
    }
    this.#settleStarted?.resolve()
  }

  /** Moves a connection's messages (those left from onOpen first) into the one stream. */
  async #forward(connection: WsConnection): Promise<void> {
    for await (const message of connection) this.#messages.push(message)
  }

  /** Sends if open (else the next handshake replays what matters); a failure is reported. */
  #sendAndReport(message: WsOutgoingMessage): void {
    try {
      this.#openConnection()?.send(message)
    } catch (error) {
      this.#report(error)
    }
  }

  /** The connection, once its handshake is done and while it is open. */
  #openConnection(): WsConnection | undefined {
    return this.#state === 'open' && this.#connection?.isOpen ? this.#connection : undefined
  }

  #closedError(what: string): SocketClosedError {
    return new SocketClosedError(`WebSocket closed by the client: ${what}`)
  }

  #report(thrown: unknown): void {
    if (this.#state === 'closed') return
    const error =
      thrown instanceof SpotwireError ? thrown : new SpotwireError('WebSocket hook failed', { cause: thrown })
    this.#lastError = error
    try {
      this.#options.onError?.(error)
    } catch {
      // An error handler that throws must not stop the supervisor.
    }
  }
}
