// The recipe's order-book data source for Binance spot: REST depth snapshots, and one combined
// public stream (`/stream?streams=<sym>@depth@100ms/<sym>@trade/…`) whose payloads become
// order-book messages for the tracker.
//
// The socket: the URL names the current pairs, so a reconnect subscribes exactly them; pairs added
// or removed at runtime are SUBSCRIBE / UNSUBSCRIBE requests (increasing ids, paced under Binance's
// 5 messages/s). A silent socket is asked LIST_SUBSCRIPTIONS (protocol pings are answered by the
// platform and invisible here), and one that stays silent is replaced. After a reconnect every
// book resyncs, since diffs were missed. Before Binance's 24 h cut-off (or on `serverShutdown`) the
// connection is rolled without a gap: the replacement opens first and each pair moves over at the
// diff that continues the old socket's sequence (stream-handoff.ts), so books stay live.
import * as v from 'valibot'
import { type Clock, systemClock } from '../../core/clock.ts'
import { ExchangeError, InvalidInputError, PayloadValidationError } from '../../core/errors.ts'
import type { ExchangeOrderBookDataSource } from '../../core/exchange/exchange-types.ts'
import { type OrderBookChannel, OrderBookDataSource, type OrderBookMessageSink } from '../../core/order-book/data-source.ts'
import type {
  OrderBookDiffMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from '../../core/order-book/order-book-message.ts'
import { contiguousUpdateIdRule } from '../../core/order-book/sequence-rules.ts'
import type { RestAssistant } from '../../core/web/rest-assistant.ts'
import type { WebSocketFactory } from '../../core/web/ws-connection.ts'
import type { WsHealth } from '../../core/web/ws-assistant.ts'
import type { WsBackoffPolicy } from '../../core/web/ws-lifecycle.ts'
import { DEFAULT_SNAPSHOT_DEPTH, depthLimitId, MAX_SNAPSHOT_DEPTH, PATHS } from './constants.ts'
import { diffMessageFromExchange, snapshotMessageFromExchange, tradeMessageFromExchange } from './order-book.ts'
import {
  CombinedStreamFrameSchema,
  DepthSnapshotSchema,
  DepthUpdateEventSchema,
  ServerShutdownEventSchema,
  StreamRequestErrorSchema,
  StreamRequestResultSchema,
  TradeEventSchema,
} from './schemas/market.ts'
import { parsePayload } from './schemas/parse.ts'
import { StreamLinks } from './stream-links.ts'

export interface BinanceOrderBookDataSourceOptions {
  /** Serves `GET /v3/depth`; its `baseUrl` is the REST base (`https://api.binance.com/api`). */
  readonly rest: RestAssistant
  /** Stream base URL (`wss://stream.binance.com:9443`); `/stream?streams=…` is appended. */
  readonly wsUrl: string
  /** `'BTC-USDT'` → `'BTCUSDT'`; may throw for a pair the connector does not know. */
  readonly toExchangeSymbol: (tradingPair: string) => string
  /** `'BTCUSDT'` → `'BTC-USDT'`, or undefined for an unknown symbol (reported, never thrown). */
  readonly toTradingPair: (symbol: string) => string | undefined
  readonly tradingPairs?: readonly string[]
  /** Levels per side in a REST snapshot (`limit`, 1–5000). Default `DEFAULT_SNAPSHOT_DEPTH`. */
  readonly snapshotDepth?: number
  /** The rate-limit id for a depth request of `limit` levels (its weight grows with it). Default: constants' `depthLimitId`. */
  readonly depthLimitId?: (limit: number) => string
  /** Subscribe `<symbol>@trade` too (last trade prices). Default true. */
  readonly trades?: boolean
  readonly socketFactory?: WebSocketFactory
  readonly clock?: Clock
  /** Registered as an `error` handler. */
  readonly onError?: (error: Error) => void
  /** Silence after which the socket is asked LIST_SUBSCRIPTIONS, then replaced if still silent. Default 30 000. */
  readonly livenessTimeoutMs?: number
  /** Age at which the connection is rolled without a gap (Binance cuts at 24 h). Default 23 h. */
  readonly maxConnectionAgeMs?: number
  /** Bound on one roll: then it is completed, or abandoned and retried if the replacement never opened. Default 30 000. */
  readonly rollTimeoutMs?: number
  readonly backoff?: WsBackoffPolicy
  /** Least time between two requests on a connection (Binance allows 5 a second). Default 250. */
  readonly minRequestIntervalMs?: number
}

/** What the data source uses of its sink besides messages, when the sink has it (`OrderBookTracker` does). */
export interface BinanceOrderBookSink extends OrderBookMessageSink {
  resync?(tradingPair: string): void
  addTradingPair?(tradingPair: string): boolean
  removeTradingPair?(tradingPair: string): boolean
}

/** A combined-stream frame's payload, or the payload itself on a raw stream. */
function streamEventOf(raw: unknown): unknown {
  return v.is(CombinedStreamFrameSchema, raw) ? raw.data : raw
}

/** Where a payload came from, for errors: `binance stream btcusdt@trade`. */
function streamSourceOf(raw: unknown, fallback: string): string {
  return `binance stream ${v.is(CombinedStreamFrameSchema, raw) ? raw.stream : fallback}`
}

/**
 * Binance spot's order-book data source. Constructing it starts nothing; `listenForSubscriptions`
 * runs the stream until its signal aborts.
 *
 * @example
 * const source = new BinanceOrderBookDataSource({ rest, wsUrl: 'wss://stream.binance.com:9443', toExchangeSymbol, toTradingPair, tradingPairs: ['BTC-USDT'] })
 * const tracker = new OrderBookTracker({ source, tradingPairs: ['BTC-USDT'] })
 * source.attach(tracker)
 * tracker.start()
 * void source.listenForSubscriptions(controller.signal)
 */
export class BinanceOrderBookDataSource extends OrderBookDataSource implements ExchangeOrderBookDataSource {
  readonly name = 'binance'
  readonly sequenceRule = contiguousUpdateIdRule
  readonly #options: BinanceOrderBookDataSourceOptions
  readonly #clock: Clock
  readonly #snapshotDepth: number
  readonly #links: StreamLinks
  /** Symbols this source subscribed (`'BTCUSDT'` → `'BTC-USDT'`): payloads resolve even before a symbol map loads. */
  readonly #subscribedSymbols = new Map<string, string>()
  #sink: BinanceOrderBookSink | undefined
  #listening: Promise<void> | undefined
  /** The last payload `channelOf` unwrapped, and its event: the parser that follows reuses it. */
  #unwrappedRaw: unknown
  #unwrappedEvent: unknown

  constructor(options: BinanceOrderBookDataSourceOptions) {
    super(options.tradingPairs ? { tradingPairs: options.tradingPairs } : {})
    const depth = options.snapshotDepth ?? DEFAULT_SNAPSHOT_DEPTH
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_SNAPSHOT_DEPTH) {
      throw new InvalidInputError(`snapshotDepth must be an integer from 1 to ${MAX_SNAPSHOT_DEPTH}, got ${depth}`)
    }
    this.#options = options
    this.#clock = options.clock ?? systemClock
    this.#snapshotDepth = depth
    if (options.onError) this.on('error', options.onError)
    this.#links = new StreamLinks({
      wsUrl: options.wsUrl,
      tradingPairs: () => this.tradingPairs,
      streamsOf: (pair) => this.#streamsOfPair(pair),
      handleRaw: (raw) => this.handleRawMessage(raw),
      deliver: (message) => this.#sink?.handleMessage(message),
      resyncAll: () => {
        for (const pair of this.tradingPairs) this.#sink?.resync?.(pair)
      },
      opened: () => this.notifyConnected(),
      report: (error) => this.emit('error', error),
      clock: this.#clock,
      settings: options,
    })
  }

  /** Sends messages to `sink` through the roll handoff; uses its `resync` after reconnects when it has one. */
  override attach(sink: BinanceOrderBookSink): () => void {
    this.#sink = sink
    const detach = super.attach({ handleMessage: (message) => this.#links.route(message) })
    return () => {
      if (this.#sink === sink) this.#sink = undefined
      detach()
    }
  }

  /**
   * Runs the public stream until `signal` aborts; resolves then, with every socket and timer gone.
   * A second call while it runs returns the same promise.
   */
  listenForSubscriptions(signal: AbortSignal): Promise<void> {
    if (this.#listening) return this.#listening
    if (signal.aborted) return Promise.resolve()
    this.#links.open()
    this.#listening = new Promise((resolve) => {
      signal.addEventListener(
        'abort',
        () => {
          this.#links.close()
          this.#listening = undefined
          resolve()
        },
        { once: true },
      )
    })
    return this.#listening
  }

  /** The current connection's state, or undefined when not listening. */
  health(): WsHealth | undefined {
    return this.#links.health()
  }

  /**
   * Tracks and subscribes a pair at runtime: the sink (the tracker) starts its book, then the
   * socket subscribes. Resolves false, with the error reported, when the pair cannot be subscribed.
   *
   * @example
   * await source.addTradingPair('ETH-USDT')
   */
  async addTradingPair(tradingPair: string): Promise<boolean> {
    const added = this.#sink?.addTradingPair?.(tradingPair) ?? false
    const subscribed = await this.subscribe(tradingPair)
    if (!subscribed && added) this.#sink?.removeTradingPair?.(tradingPair)
    return subscribed
  }

  /** Unsubscribes a pair and stops tracking it; false when it was not subscribed or sending failed. */
  async removeTradingPair(tradingPair: string): Promise<boolean> {
    const unsubscribed = await this.unsubscribe(tradingPair)
    this.#sink?.removeTradingPair?.(tradingPair)
    return unsubscribed
  }

  /** GET /v3/depth for one pair, validated; stamped with the time the answer arrived. */
  async fetchSnapshot(tradingPair: string, signal: AbortSignal): Promise<OrderBookSnapshotMessage> {
    const limit = this.#snapshotDepth
    const raw = await this.#options.rest.request({
      path: PATHS.depth,
      params: { symbol: this.#options.toExchangeSymbol(tradingPair), limit },
      limitId: (this.#options.depthLimitId ?? depthLimitId)(limit),
      signal,
    })
    const snapshot = parsePayload(DepthSnapshotSchema, raw, `GET ${PATHS.depth}`)
    return snapshotMessageFromExchange(snapshot, tradingPair, this.#clock.now())
  }

  protected channelOf(raw: unknown): OrderBookChannel | undefined {
    const event = streamEventOf(raw)
    this.#unwrappedRaw = raw
    this.#unwrappedEvent = event
    const type = typeof event === 'object' && event !== null ? (event as { e?: unknown }).e : undefined
    return type === 'depthUpdate' ? 'diff' : type === 'trade' ? 'trade' : undefined
  }

  protected parseDiff(raw: unknown): OrderBookDiffMessage {
    const event = this.#eventOf(raw)
    // The schema passes a valid event on as it is, so checking it is parsing it; parsePayload runs
    // only to build the error (the hot path then allocates no result and no error source).
    const update = v.is(DepthUpdateEventSchema, event)
      ? event
      : parsePayload(DepthUpdateEventSchema, event, streamSourceOf(raw, 'depthUpdate'))
    return diffMessageFromExchange(update, this.#tradingPairOf(update.s, raw, 'depthUpdate'))
  }

  protected parseTrade(raw: unknown): OrderBookTradeMessage {
    const trade = parsePayload(TradeEventSchema, this.#eventOf(raw), streamSourceOf(raw, 'trade'))
    return tradeMessageFromExchange(trade, this.#tradingPairOf(trade.s, raw, 'trade'))
  }

  /** Request answers are ignored, refusals and unknown payloads reported, `serverShutdown` rolls the connection. */
  protected override handleUnknownChannel(raw: unknown): void {
    if (v.is(StreamRequestResultSchema, raw)) return
    const refusal = v.safeParse(StreamRequestErrorSchema, raw)
    if (refusal.success) {
      const { code, msg } = 'error' in refusal.output ? refusal.output.error : refusal.output
      this.emit('error', new ExchangeError(`Binance refused a stream request: ${msg}`, { exchangeCode: code, exchangeMessage: msg }))
      return
    }
    if (v.is(ServerShutdownEventSchema, streamEventOf(raw))) {
      this.#links.serverShuttingDown()
      return
    }
    this.emit('error', new PayloadValidationError(streamSourceOf(raw, 'message'), raw, { details: 'no handler for this payload' }))
  }

  protected sendSubscribe(tradingPairs: readonly string[]): Promise<void> {
    return this.#links.request('SUBSCRIBE', tradingPairs, tradingPairs.flatMap((pair) => this.#streamsOfPair(pair)))
  }

  protected sendUnsubscribe(tradingPairs: readonly string[]): Promise<void> {
    return this.#links.request('UNSUBSCRIBE', tradingPairs, tradingPairs.flatMap((pair) => this.#streamsOfPair(pair)))
  }

  /** The event inside `raw` (a combined-stream frame or the event itself), unwrapped once per payload. */
  #eventOf(raw: unknown): unknown {
    return raw === this.#unwrappedRaw ? this.#unwrappedEvent : streamEventOf(raw)
  }

  #tradingPairOf(symbol: string, raw: unknown, streamFallback: string): string {
    const pair = this.#subscribedSymbols.get(symbol) ?? this.#options.toTradingPair(symbol)
    if (pair === undefined) {
      throw new PayloadValidationError(streamSourceOf(raw, streamFallback), raw, { details: `unknown symbol ${symbol}` })
    }
    return pair
  }

  /** A pair's stream names (`btcusdt@depth@100ms`, `btcusdt@trade`); throws when its symbol is unknown. */
  #streamsOfPair(tradingPair: string): string[] {
    const symbol = this.#options.toExchangeSymbol(tradingPair)
    this.#subscribedSymbols.set(symbol.toUpperCase(), tradingPair)
    const name = symbol.toLowerCase()
    return this.#options.trades === false ? [`${name}@depth@100ms`] : [`${name}@depth@100ms`, `${name}@trade`]
  }
}
