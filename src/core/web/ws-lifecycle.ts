// The supervisor's timing: how long to wait before reconnecting (capped exponential backoff with
// jitter, reset by a connection that stayed up), when a silent connection is pinged or given up
// (liveness watchdog), and when an old connection is rolled on purpose.
import { type Clock, sleep } from '../clock.ts'
import { SocketClosedError } from '../errors.ts'
import { describeWsUrl, type WsConnection } from './ws-connection.ts'

export interface WsBackoffPolicy {
  /** Delay before the first reconnect after a drop. Default 500 ms. */
  readonly initialDelayMs?: number
  /** Cap on one delay. Default 30 000 ms. */
  readonly maxDelayMs?: number
  /** Growth per consecutive failure. Default 2. */
  readonly multiplier?: number
  /**
   * A connection that stayed open this long resets the backoff. Resetting on open alone would let a
   * server that accepts and then drops at once (bad subscription, overload) be hammered at the
   * initial delay. Default 60 000 ms.
   */
  readonly stableAfterMs?: number
}

export interface WsWatchOptions {
  /** 0 disables the watchdog. */
  readonly livenessTimeoutMs: number
  readonly pingGraceMs: number
  readonly ping?: (connection: WsConnection) => void | Promise<void>
  readonly maxConnectionAgeMs?: number
}

export interface WsLifecycleOptions {
  readonly clock: Clock
  readonly random: () => number
  readonly backoff: WsBackoffPolicy
  readonly report: (error: unknown) => void
}

/** setTimeout fires at once beyond this (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647

export class WsLifecycle {
  readonly #options: WsLifecycleOptions
  #consecutiveFailures = 0
  #openedAtMonotonic: number | undefined
  #reconnectNow = false
  #watchdog: ReturnType<typeof setTimeout> | undefined
  #ageTimer: ReturnType<typeof setTimeout> | undefined
  #wake: AbortController | undefined

  constructor(options: WsLifecycleOptions) {
    this.#options = options
  }

  /** Arms the watchdog and the age timer for a connection that just opened. */
  connectionOpened(connection: WsConnection, watch: WsWatchOptions): void {
    this.#clearTimers()
    this.#openedAtMonotonic = this.#options.clock.monotonic()
    if (watch.livenessTimeoutMs > 0) this.#watch(connection, watch)
    if (watch.maxConnectionAgeMs !== undefined) {
      this.#ageTimer = setTimeout(() => this.requestReconnect(connection), Math.min(watch.maxConnectionAgeMs, MAX_TIMER_MS))
    }
  }

  /** Stops the timers of a connection that ended (or never opened) and updates the backoff. */
  connectionEnded(connection: WsConnection | undefined): void {
    this.#clearTimers()
    const openedAt = this.#openedAtMonotonic
    this.#openedAtMonotonic = undefined
    const stableAfterMs = this.#options.backoff.stableAfterMs ?? 60_000
    if (connection && openedAt !== undefined && this.#options.clock.monotonic() - openedAt >= stableAfterMs) {
      this.#consecutiveFailures = 0
    }
  }

  /**
   * Waits before the next attempt: no wait after a requested reconnect, else the backoff delay.
   * Rejects with the signal's reason when `stop` aborts.
   */
  async waitBeforeReconnect(stop: AbortSignal): Promise<void> {
    if (this.#reconnectNow) {
      this.#reconnectNow = false
      return
    }
    this.#consecutiveFailures += 1
    const wake = new AbortController()
    this.#wake = wake
    try {
      await sleep(this.backoffDelayMs(this.#consecutiveFailures), AbortSignal.any([stop, wake.signal]))
    } catch (error) {
      if (stop.aborted) throw error
    } finally {
      this.#wake = undefined
    }
  }

  /** Delay before reconnect number `failures` (1-based): half fixed, half random, capped. */
  backoffDelayMs(failures: number): number {
    const { initialDelayMs = 500, maxDelayMs = 30_000, multiplier = 2 } = this.#options.backoff
    const delay = Math.min(maxDelayMs, initialDelayMs * multiplier ** (failures - 1))
    return delay / 2 + (delay / 2) * this.#options.random()
  }

  /** Replaces `connection` at once, or cuts a backoff wait short when there is none. */
  requestReconnect(connection: WsConnection | undefined): void {
    if (connection) {
      this.#reconnectNow = true
      connection.close(1000, 'planned reconnect')
    } else {
      this.#wake?.abort()
    }
  }

  stop(): void {
    this.#clearTimers()
    this.#wake?.abort()
  }

  #watch(connection: WsConnection, watch: WsWatchOptions): void {
    const { report } = this.#options
    const timeoutMs = watch.livenessTimeoutMs
    // The received count when the ping went out: any message after it answers the ping, even one
    // that lands within the same millisecond (a clock comparison would miss that one).
    let receivedAtPing: number | undefined
    const check = (): void => {
      const silentMs = connection.silentForMs()
      const answeredPing = receivedAtPing !== undefined && connection.receivedCount > receivedAtPing
      if (silentMs < timeoutMs || answeredPing) {
        receivedAtPing = undefined
        this.#watchdog = setTimeout(check, Math.max(1, timeoutMs - silentMs))
        return
      }
      if (watch.ping && receivedAtPing === undefined) {
        receivedAtPing = connection.receivedCount
        const ping = watch.ping
        Promise.resolve()
          .then(() => ping(connection))
          .catch(report)
        this.#watchdog = setTimeout(check, watch.pingGraceMs)
        return
      }
      this.#watchdog = undefined
      report(new SocketClosedError(`${describeWsUrl(connection.url)}: silent for ${Math.round(silentMs)} ms, replacing the connection`))
      connection.close(4000, 'liveness timeout')
    }
    this.#watchdog = setTimeout(check, timeoutMs)
  }

  #clearTimers(): void {
    clearTimeout(this.#watchdog)
    clearTimeout(this.#ageTimer)
    this.#watchdog = undefined
    this.#ageTimer = undefined
  }
}
