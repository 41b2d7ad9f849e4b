// The exchange-neutral base a connector's order-book data source extends (the recipe's
// OrderBookTrackerDataSource). It holds the trading pairs, turns raw socket payloads into
// OrderBookMessages through the connector's parser hooks and hands them to the tracker, and sends
// subscriptions through the connector's hooks. It knows no transport: the connector feeds its
// socket's payloads into `handleRawMessage` and implements `sendSubscribe` / `sendUnsubscribe`.
import { asError, PayloadValidationError, SpotwireError } from '../errors.ts'
import { EventEmitter } from '../events.ts'
import {
  findMessageProblem,
  type OrderBookDiffMessage,
  type OrderBookMessage,
  type OrderBookSnapshotMessage,
  type OrderBookTradeMessage,
} from './order-book-message.ts'
import type { OrderBookSnapshotSource } from './order-book-tracker.ts'
import type { DiffSequenceRule } from './sequence-rules.ts'

/** Which parser a raw socket payload needs. */
export type OrderBookChannel = 'snapshot' | 'diff' | 'trade'

/** Where parsed messages go: an `OrderBookTracker`, or anything with the same method. */
export interface OrderBookMessageSink {
  handleMessage(message: OrderBookMessage): void
}

/** The public market stream's socket opened (`connected` here, `marketStreamConnected` on the exchange). */
export interface MarketStreamConnectedEvent {
  /** Socket opens so far: 1 on the first, more after each reconnect (or planned connection roll). */
  readonly connections: number
}

export interface OrderBookDataSourceEvents {
  /** Malformed payloads (`PayloadValidationError`, raw payload attached) and failed (un)subscribes. */
  error: Error
  /** Each time the public stream's socket opens; the connector calls `notifyConnected()` then. */
  connected: MarketStreamConnectedEvent
}

export interface OrderBookDataSourceOptions {
  readonly tradingPairs?: readonly string[]
}

/**
 * Extend it per exchange: implement the snapshot fetch, the channel router, the parsers and the
 * subscription senders. Parsers may throw anything (a valibot error, say); the base reports it as a
 * `PayloadValidationError` with the raw payload and routes nothing, so no message is half-applied.
 *
 * @example
 * class BinanceOrderBookDataSource extends OrderBookDataSource {
 *   readonly name = 'binance'
 *   readonly sequenceRule = contiguousUpdateIdRule
 *   protected channelOf(raw) { return raw.e === 'depthUpdate' ? 'diff' : raw.e === 'trade' ? 'trade' : undefined }
 *   // …fetchSnapshot, parseDiff, parseTrade, sendSubscribe, sendUnsubscribe
 * }
 */
export abstract class OrderBookDataSource
  extends EventEmitter<OrderBookDataSourceEvents>
  implements OrderBookSnapshotSource
{
  /** Names the exchange in error sources (`'binance'`). */
  abstract readonly name: string
  abstract readonly sequenceRule: DiffSequenceRule
  readonly #pairs: Set<string>
  #sink: OrderBookMessageSink | undefined
  #connections = 0

  constructor(options: OrderBookDataSourceOptions = {}) {
    super()
    this.#pairs = new Set(options.tradingPairs ?? [])
  }

  /** Fetches a full book (REST); the tracker calls it with a signal that aborts on stop. */
  abstract fetchSnapshot(tradingPair: string, signal: AbortSignal): Promise<OrderBookSnapshotMessage>

  /** Which parser `raw` needs, or `undefined` for payloads that are not book data (subscribe acks). */
  protected abstract channelOf(raw: unknown): OrderBookChannel | undefined
  protected abstract parseDiff(raw: unknown): OrderBookDiffMessage
  protected abstract parseTrade(raw: unknown): OrderBookTradeMessage
  /** Sends the subscribe request(s) for `tradingPairs`; throws (or rejects) when it cannot. */
  protected abstract sendSubscribe(tradingPairs: readonly string[]): Promise<void>
  protected abstract sendUnsubscribe(tradingPairs: readonly string[]): Promise<void>

  /** For exchanges that push snapshots on the socket; the default has no such channel. */
  protected parseSnapshot(_raw: unknown): OrderBookSnapshotMessage {
    throw new SpotwireError(`${this.name} sends no order book snapshots on its socket`)
  }

  /** Called with payloads `channelOf` did not claim; ignores them by default. */
  protected handleUnknownChannel(_raw: unknown): void {}

  get tradingPairs(): string[] {
    return [...this.#pairs]
  }

  /** How many times the public stream's socket has opened (see `notifyConnected`). */
  get connections(): number {
    return this.#connections
  }

  /**
   * The connector calls it each time its public stream's socket opens (reconnects and connection
   * rolls too): counts the open and emits `connected` with the count, which the exchange re-emits
   * as `marketStreamConnected`.
   *
   * @example
   * new WsAssistant({ url, onOpen: () => { this.notifyConnected(); void this.subscribeAll() } })
   */
  protected notifyConnected(): void {
    this.#connections += 1
    this.emit('connected', { connections: this.#connections })
  }

  /**
   * Sends parsed messages to `sink` from now on (one sink at a time); returns a detach function.
   *
   * @example
   * dataSource.attach(tracker)
   */
  attach(sink: OrderBookMessageSink): () => void {
    this.#sink = sink
    return () => {
      if (this.#sink === sink) this.#sink = undefined
    }
  }

  /**
   * Parses one raw socket payload and routes it. Never throws: a payload that cannot be parsed is
   * reported on `error`; payloads for pairs not subscribed are dropped.
   *
   * @example
   * socket.onMessage = (text) => dataSource.handleRawMessage(JSON.parse(text))
   */
  handleRawMessage(raw: unknown): void {
    let channel: OrderBookChannel | undefined
    let message: OrderBookMessage
    try {
      channel = this.channelOf(raw)
      if (channel === undefined) {
        this.handleUnknownChannel(raw)
        return
      }
      message = channel === 'diff' ? this.parseDiff(raw) : channel === 'trade' ? this.parseTrade(raw) : this.parseSnapshot(raw)
    } catch (error) {
      this.emit('error', error instanceof PayloadValidationError ? error : this.#invalid(raw, channel, { cause: error }))
      return
    }
    const problem = findMessageProblem(message) ?? (message.type === channel ? undefined : `parsed as ${message.type}`)
    if (problem !== undefined) {
      this.emit('error', this.#invalid(raw, channel, { details: problem }))
      return
    }
    if (this.#pairs.has(message.tradingPair)) this.#sink?.handleMessage(message)
  }

  /**
   * Subscribes to a pair's book and trade channels. Resolves true once sent (or if already
   * subscribed); false, with the error reported, when sending failed.
   *
   * @example
   * await dataSource.subscribe('ETH-USDT')
   */
  async subscribe(tradingPair: string): Promise<boolean> {
    if (this.#pairs.has(tradingPair)) return true
    // Route its messages from the moment the request leaves: early diffs are buffered, not lost.
    this.#pairs.add(tradingPair)
    try {
      await this.sendSubscribe([tradingPair])
      return true
    } catch (error) {
      this.#pairs.delete(tradingPair)
      this.emit('error', new SpotwireError(`Subscribing to ${tradingPair} failed`, { cause: asError(error) }))
      return false
    }
  }

  /** Unsubscribes a pair; its messages stop being routed at once, even when sending fails (false). */
  async unsubscribe(tradingPair: string): Promise<boolean> {
    if (!this.#pairs.delete(tradingPair)) return false
    try {
      await this.sendUnsubscribe([tradingPair])
      return true
    } catch (error) {
      this.emit('error', new SpotwireError(`Unsubscribing from ${tradingPair} failed`, { cause: asError(error) }))
      return false
    }
  }

  /** Subscribes every pair in one request: call it on each (re)connect. */
  async subscribeAll(): Promise<boolean> {
    if (this.#pairs.size === 0) return true
    try {
      await this.sendSubscribe(this.tradingPairs)
      return true
    } catch (error) {
      this.emit('error', new SpotwireError('Subscribing to the order book channels failed', { cause: asError(error) }))
      return false
    }
  }

  #invalid(
    raw: unknown,
    channel: OrderBookChannel | undefined,
    options: { cause?: unknown; details?: string },
  ): PayloadValidationError {
    const what = channel === undefined ? 'message' : `${channel} message`
    return new PayloadValidationError(`${this.name} order book ${what}`, raw, options)
  }
}
