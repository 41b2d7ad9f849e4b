// The public stream's sockets: the current connection (a supervised WsAssistant that reconnects
// with backoff) and, while the connection is being rolled, its replacement. It builds each URL
// from the current pairs, sends runtime (un)subscriptions through a paced outbox, asks a silent
// socket LIST_SUBSCRIPTIONS, resyncs the books after a reconnect, and rolls the connection before
// Binance's 24 h cut-off: the replacement opens first, then StreamHandoff moves each pair over.
import type { Clock } from '../../core/clock.ts'
import type { SpotwireError } from '../../core/errors.ts'
import type { OrderBookMessage } from '../../core/order-book/order-book-message.ts'
import { WsAssistant, type WsHealth } from '../../core/web/ws-assistant.ts'
import type { WebSocketFactory, WsConnection } from '../../core/web/ws-connection.ts'
import type { WsBackoffPolicy } from '../../core/web/ws-lifecycle.ts'
import { StreamHandoff } from './stream-handoff.ts'
import { StreamRequestOutbox } from './stream-request-outbox.ts'

export interface StreamLinkSettings {
  readonly socketFactory?: WebSocketFactory
  readonly livenessTimeoutMs?: number
  readonly maxConnectionAgeMs?: number
  readonly rollTimeoutMs?: number
  readonly backoff?: WsBackoffPolicy
  readonly minRequestIntervalMs?: number
}

export interface StreamLinksOptions {
  /** Stream base URL; `/stream?streams=…` is appended. */
  readonly wsUrl: string
  readonly settings: StreamLinkSettings
  readonly clock: Clock
  /** The pairs to subscribe now. */
  readonly tradingPairs: () => readonly string[]
  /** A pair's stream names; throws when the pair has no symbol (yet). */
  readonly streamsOf: (tradingPair: string) => readonly string[]
  /** Parses one socket payload; parsed messages come back through `route` while it runs. */
  readonly handleRaw: (raw: unknown) => void
  /** Where routed messages go (the books). */
  readonly deliver: (message: OrderBookMessage) => void
  /** Marks every book stale and fetches new snapshots. */
  readonly resyncAll: () => void
  /** A socket opened: the first, a reconnect, or a roll's replacement. */
  readonly opened: () => void
  readonly report: (error: Error) => void
}

interface StreamLink {
  readonly ws: WsAssistant
  connection: WsConnection | undefined
  outbox: StreamRequestOutbox | undefined
  /** Pairs this connection is subscribed to: those in its URL, plus those requested since. */
  subscribedPairs: Set<string>
  opens: number
  openedAt: number
}

const HOUR_MS = 3_600_000
/** After a failed roll, the next attempt (the old connection still has about an hour). */
const ROLL_RETRY_MS = 60_000
/** setTimeout fires at once beyond this. */
const MAX_TIMER_MS = 2_147_483_647

export class StreamLinks {
  readonly #options: StreamLinksOptions
  readonly #handoff = new StreamHandoff()
  #current: StreamLink | undefined
  #next: StreamLink | undefined
  /** The link whose payload is being parsed (parsing is synchronous, so this names the source). */
  #origin: StreamLink | undefined
  #rollTimer: ReturnType<typeof setTimeout> | undefined
  #rollDeadline: ReturnType<typeof setTimeout> | undefined
  #requestId = 0

  constructor(options: StreamLinksOptions) {
    this.#options = options
  }

  /** Opens the current connection (once). */
  open(): void {
    this.#current ??= this.#openLink()
  }

  /** Closes every socket and timer; `open()` may start again. */
  close(): void {
    clearTimeout(this.#rollTimer)
    clearTimeout(this.#rollDeadline)
    for (const link of [this.#current, this.#next]) if (link) this.#closeLink(link)
    this.#current = undefined
    this.#next = undefined
    this.#handoff.cancel()
    this.#handoff.reset()
  }

  health(): WsHealth | undefined {
    return this.#current?.ws.health()
  }

  /** Sends a parsed message on to the books, through the roll handoff. */
  route(message: OrderBookMessage): void {
    const handoff = this.#handoff
    if (!handoff.rolling) {
      if (handoff.admit(message)) this.#options.deliver(message)
      return
    }
    const role = this.#origin !== undefined && this.#origin === this.#next ? 'next' : 'current'
    for (const routed of handoff.route(message, role)) this.#options.deliver(routed)
    this.#completeRollIfDone()
  }

  /**
   * Sends a runtime SUBSCRIBE / UNSUBSCRIBE on every open connection. A connection not open yet
   * needs nothing: its URL, or its catch-up request on opening, covers the change.
   */
  async request(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', tradingPairs: readonly string[], streams: readonly string[]): Promise<void> {
    if (method === 'UNSUBSCRIBE') for (const pair of tradingPairs) this.#handoff.forget(pair)
    const sends: Promise<void>[] = []
    for (const link of [this.#current, this.#next]) {
      if (!link?.outbox || !link.connection?.isOpen) continue
      for (const pair of tradingPairs) {
        if (method === 'SUBSCRIBE') link.subscribedPairs.add(pair)
        else link.subscribedPairs.delete(pair)
      }
      sends.push(link.outbox.push({ method, params: streams }))
    }
    await Promise.all(sends)
  }

  /** Binance announced it will close the connection: roll now (a message on the replacement changes nothing). */
  serverShuttingDown(): void {
    if (this.#origin === undefined || this.#origin === this.#current) this.#startRoll()
  }

  #openLink(): StreamLink {
    const { settings, clock } = this.#options
    const ws = new WsAssistant({
      url: () => this.#urlFor(link),
      onOpen: (connection) => this.#opened(link, connection),
      onError: (error) => this.#failed(link, error),
      ping: () => link.outbox?.push({ method: 'LIST_SUBSCRIPTIONS' }),
      livenessTimeoutMs: settings.livenessTimeoutMs ?? 30_000,
      clock,
      ...(settings.socketFactory ? { socketFactory: settings.socketFactory } : {}),
      ...(settings.backoff ? { backoff: settings.backoff } : {}),
    })
    const link: StreamLink = { ws, connection: undefined, outbox: undefined, subscribedPairs: new Set(), opens: 0, openedAt: 0 }
    void this.#consume(link)
    return link
  }

  async #consume(link: StreamLink): Promise<void> {
    for await (const raw of link.ws) {
      if (link !== this.#current && link !== this.#next) continue
      this.#origin = link
      try {
        this.#options.handleRaw(raw)
      } catch (error) {
        this.#options.report(error instanceof Error ? error : new Error(String(error)))
      } finally {
        this.#origin = undefined
      }
    }
  }

  #urlFor(link: StreamLink): string {
    const { pairs, streams } = this.#streamsOf(this.#options.tradingPairs())
    link.subscribedPairs = new Set(pairs)
    const base = this.#options.wsUrl.replace(/\/+$/, '')
    // Binance accepts a bare /stream and SUBSCRIBE later, which is what a pair added later does.
    return streams.length === 0 ? `${base}/stream` : `${base}/stream?streams=${streams.join('/')}`
  }

  /**
   * The streams of the pairs that have a symbol. The others are reported and left out (one bad
   * pair must not cost the others their connection); the next connection tries them again.
   */
  #streamsOf(tradingPairs: Iterable<string>): { pairs: string[]; streams: string[] } {
    const pairs: string[] = []
    const streams: string[] = []
    for (const pair of tradingPairs) {
      try {
        streams.push(...this.#options.streamsOf(pair))
        pairs.push(pair)
      } catch (error) {
        this.#options.report(error instanceof Error ? error : new Error(String(error)))
      }
    }
    return { pairs, streams }
  }

  #opened(link: StreamLink, connection: WsConnection): void {
    link.connection = connection
    link.outbox?.close()
    link.outbox = new StreamRequestOutbox({
      send: (request) => connection.send(request),
      nextId: () => ++this.#requestId,
      minIntervalMs: this.#options.settings.minRequestIntervalMs ?? 250,
    })
    const reopened = link.opens > 0
    link.opens += 1
    link.openedAt = this.#options.clock.monotonic()
    this.#catchUp(link)
    if (link === this.#current) {
      if (reopened) {
        // Diffs were missed while the socket was down: every book starts again from a snapshot.
        this.#handoff.reset()
        this.#options.resyncAll()
      }
      this.#scheduleRoll(this.#maxAgeMs)
    } else if (link === this.#next) {
      this.#handoff.begin()
      this.#completeRollIfDone()
    }
    this.#options.opened()
  }

  /** Subscribes pairs added (and unsubscribes pairs removed) between building the URL and opening. */
  #catchUp(link: StreamLink): void {
    const now = new Set(this.#options.tradingPairs())
    const added = this.#streamsOf([...now].filter((pair) => !link.subscribedPairs.has(pair)))
    const removed = this.#streamsOf([...link.subscribedPairs].filter((pair) => !now.has(pair)))
    link.subscribedPairs = new Set([...now].filter((pair) => link.subscribedPairs.has(pair) || added.pairs.includes(pair)))
    if (added.streams.length > 0) void link.outbox?.push({ method: 'SUBSCRIBE', params: added.streams })
    if (removed.streams.length > 0) void link.outbox?.push({ method: 'UNSUBSCRIBE', params: removed.streams })
  }

  #failed(link: StreamLink, error: SpotwireError): void {
    this.#options.report(error)
    if (link === this.#next) {
      this.#abandonRoll()
    } else if (link === this.#current) {
      // The old socket is gone mid-roll: the replacement, already streaming, takes over at once.
      if (this.#handoff.rolling) this.#completeRoll()
      else if (this.#next === undefined) clearTimeout(this.#rollTimer)
    }
  }

  get #maxAgeMs(): number {
    return this.#options.settings.maxConnectionAgeMs ?? 23 * HOUR_MS
  }

  #scheduleRoll(delayMs: number): void {
    clearTimeout(this.#rollTimer)
    this.#rollTimer = setTimeout(() => this.#startRoll(), Math.min(Math.max(0, delayMs), MAX_TIMER_MS))
  }

  /** Opens the replacement; the handoff starts when it is open. */
  #startRoll(): void {
    if (this.#next !== undefined || !this.#current?.connection?.isOpen) return
    clearTimeout(this.#rollTimer)
    this.#next = this.#openLink()
    this.#rollDeadline = setTimeout(() => {
      if (this.#handoff.rolling) this.#completeRoll()
      else this.#abandonRoll()
    }, this.#options.settings.rollTimeoutMs ?? 30_000)
  }

  #completeRollIfDone(): void {
    if (this.#handoff.rolling && this.#handoff.allSwitched(this.#options.tradingPairs())) this.#completeRoll()
  }

  #completeRoll(): void {
    const next = this.#next
    const old = this.#current
    if (!next) return
    clearTimeout(this.#rollDeadline)
    const held = this.#handoff.finish()
    this.#current = next
    this.#next = undefined
    if (old) this.#closeLink(old)
    for (const message of held) this.#options.deliver(message)
    this.#scheduleRoll(this.#maxAgeMs - (this.#options.clock.monotonic() - next.openedAt))
  }

  #abandonRoll(): void {
    clearTimeout(this.#rollDeadline)
    this.#handoff.cancel()
    const next = this.#next
    this.#next = undefined
    if (next) this.#closeLink(next)
    if (this.#current?.connection?.isOpen) this.#scheduleRoll(ROLL_RETRY_MS)
  }

  #closeLink(link: StreamLink): void {
    link.outbox?.close()
    link.ws.close()
  }
}
