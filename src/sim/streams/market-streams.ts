// Turns engine events into Binance public-stream payloads and hands them to whichever sessions
// subscribed. `@trade` and `@bookTicker` are real-time (sent as the engine publishes); depth
// streams are windowed: engine diffs are merged per market per window and pushed when `flush`
// sees the window close (100 ms for `@100ms` streams, 1000 ms otherwise), so the payload's U..u
// covers every engine update id in the window and the next window starts at u + 1.
import type Big from 'big.js'
import type { DepthUpdateEvent, EngineEvent, MarketConfig, MatchingEngine, PriceLevelView, TradeEvent } from '../engine/index.ts'
import { STREAM_CADENCES, type StreamCadenceMs, type StreamSpec } from './stream-names.ts'

/** One session's inbox: receives a stream name and its raw (unwrapped) payload. */
export interface StreamSubscriber {
  deliver(streamName: string, payload: object): void
}

interface Subscription {
  readonly spec: StreamSpec
  readonly subscribers: Set<StreamSubscriber>
}

/** The engine diffs of one market within one window, merged: the last quantity per price wins. */
interface DiffWindow {
  readonly firstUpdateId: number
  finalUpdateId: number
  readonly bids: Map<string, PriceLevelView>
  readonly asks: Map<string, PriceLevelView>
}

type WirePrecision = Pick<MarketConfig, 'baseAssetPrecision' | 'quoteAssetPrecision'>

export class MarketStreams {
  readonly symbols: ReadonlySet<string>
  private readonly subscriptions = new Map<string, Subscription>()
  private readonly openWindows = new Map<StreamCadenceMs, Map<string, DiffWindow>>()
  private readonly lastWindowIndex = new Map<StreamCadenceMs, number>()
  /** The best bid/ask last seen per market, so `@bookTicker` is sent only when it changes. */
  private readonly lastTopOfBook = new Map<string, string>()
  private readonly precisions = new Map<string, WirePrecision>()
  private readonly stopListening: () => void

  constructor(private readonly engine: MatchingEngine, private readonly now: () => number) {
    for (const market of engine.marketConfigs()) this.precisions.set(market.symbol, market)
    this.symbols = new Set(this.precisions.keys())
    const startedAt = now()
    for (const cadence of STREAM_CADENCES) {
      this.openWindows.set(cadence, new Map())
      this.lastWindowIndex.set(cadence, Math.floor(startedAt / cadence))
    }
    this.stopListening = engine.subscribe((event) => this.onEngineEvent(event))
  }

  add(streamName: string, spec: StreamSpec, subscriber: StreamSubscriber): void {
    let subscription = this.subscriptions.get(streamName)
    if (!subscription) {
      subscription = { spec, subscribers: new Set() }
      this.subscriptions.set(streamName, subscription)
    }
    subscription.subscribers.add(subscriber)
  }

  remove(streamName: string, subscriber: StreamSubscriber): void {
    const subscription = this.subscriptions.get(streamName)
    if (!subscription) return
    subscription.subscribers.delete(subscriber)
    if (subscription.subscribers.size === 0) this.subscriptions.delete(streamName)
  }

  /**
   * Pushes every windowed stream whose window closed by `nowMs`. Windows are aligned to multiples
   * of their cadence, so calling this more often than every 100 ms is harmless.
   */
  flush(nowMs: number): void {
    for (const cadence of STREAM_CADENCES) {
      const windowIndex = Math.floor(nowMs / cadence)
      if (windowIndex <= (this.lastWindowIndex.get(cadence) ?? windowIndex)) continue
      this.lastWindowIndex.set(cadence, windowIndex)
      const closedWindows = this.openWindows.get(cadence) ?? new Map<string, DiffWindow>()
      this.openWindows.set(cadence, new Map())
      for (const [streamName, { spec, subscribers }] of this.subscriptions) {
        if (spec.kind === 'diffDepth' && spec.cadenceMs === cadence) {
          const window = closedWindows.get(spec.symbol)
          // Binance sends no empty diffs: a quiet window produces no frame.
          if (window) this.deliver(streamName, subscribers, this.diffPayload(spec.symbol, window, nowMs))
        } else if (spec.kind === 'partialDepth' && spec.cadenceMs === cadence) {
          this.deliver(streamName, subscribers, this.partialBookPayload(spec.symbol, spec.levels))
        }
      }
    }
  }

  /** Stops listening to the engine; the handler calls it when it is shut down. */
  dispose(): void {
    this.stopListening()
    this.subscriptions.clear()
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'trade') this.onTrade(event)
    else if (event.type === 'depthUpdate') this.onDepthUpdate(event)
  }

  private onTrade({ trade }: TradeEvent): void {
    const streamName = `${trade.symbol.toLowerCase()}@trade`
    const subscription = this.subscriptions.get(streamName)
    if (!subscription) return
    const precision = this.precisionOf(trade.symbol)
    this.deliver(streamName, subscription.subscribers, {
      e: 'trade',
      E: this.now(),
      s: trade.symbol,
      t: trade.tradeId,
      p: trade.price.toFixed(precision.quoteAssetPrecision),
      q: trade.quantity.toFixed(precision.baseAssetPrecision),
      T: trade.time,
      m: trade.isBuyerMaker,
      M: true,
    })
  }

  private onDepthUpdate(event: DepthUpdateEvent): void {
    for (const windows of this.openWindows.values()) {
      let window = windows.get(event.symbol)
      if (!window) {
        window = { firstUpdateId: event.firstUpdateId, finalUpdateId: event.finalUpdateId, bids: new Map(), asks: new Map() }
        windows.set(event.symbol, window)
      }
      window.finalUpdateId = event.finalUpdateId
      for (const level of event.bids) window.bids.set(level.price.toString(), level)
      for (const level of event.asks) window.asks.set(level.price.toString(), level)
    }
    this.publishBookTicker(event.symbol, event.finalUpdateId)
  }

  private publishBookTicker(symbol: string, updateId: number): void {
    const { bids, asks } = this.engine.book(symbol, 1)
    const precision = this.precisionOf(symbol)
    const [bidPrice, bidQuantity] = wireLevel(bids[0], precision)
    const [askPrice, askQuantity] = wireLevel(asks[0], precision)
    const topOfBook = `${bidPrice} ${bidQuantity} ${askPrice} ${askQuantity}`
    // Tracked even without subscribers so a new subscriber's first frame reflects a real change.
    if (this.lastTopOfBook.get(symbol) === topOfBook) return
    this.lastTopOfBook.set(symbol, topOfBook)
    const streamName = `${symbol.toLowerCase()}@bookTicker`
    const subscription = this.subscriptions.get(streamName)
    if (!subscription) return
    this.deliver(streamName, subscription.subscribers, { u: updateId, s: symbol, b: bidPrice, B: bidQuantity, a: askPrice, A: askQuantity })
  }

  private diffPayload(symbol: string, window: DiffWindow, eventTime: number): object {
    const precision = this.precisionOf(symbol)
    const sorted = (levels: Map<string, PriceLevelView>, descending: boolean): [string, string][] =>
      [...levels.values()]
        .sort((left, right) => compare(left.price, right.price) * (descending ? -1 : 1))
        .map((level) => wireLevel(level, precision))
    return {
      e: 'depthUpdate',
      E: eventTime,
      s: symbol,
      U: window.firstUpdateId,
      u: window.finalUpdateId,
      b: sorted(window.bids, true),
      a: sorted(window.asks, false),
    }
  }

  private partialBookPayload(symbol: string, levels: number): object {
    const book = this.engine.book(symbol, levels)
    const precision = this.precisionOf(symbol)
    return {
      lastUpdateId: book.lastUpdateId,
      bids: book.bids.map((level) => wireLevel(level, precision)),
      asks: book.asks.map((level) => wireLevel(level, precision)),
    }
  }

  private deliver(streamName: string, subscribers: ReadonlySet<StreamSubscriber>, payload: object): void {
    for (const subscriber of [...subscribers]) {
      try {
        subscriber.deliver(streamName, payload)
      } catch {
        // One broken socket must not keep the payload from the other subscribers.
      }
    }
  }

  private precisionOf(symbol: string): WirePrecision {
    return this.precisions.get(symbol) ?? { baseAssetPrecision: 8, quoteAssetPrecision: 8 }
  }
}

/** `[price, quantity]` as Binance prints them; an empty side of the book prints as zeros. */
function wireLevel(level: PriceLevelView | undefined, precision: WirePrecision): [string, string] {
  if (!level) return [(0).toFixed(precision.quoteAssetPrecision), (0).toFixed(precision.baseAssetPrecision)]
  return [level.price.toFixed(precision.quoteAssetPrecision), level.quantity.toFixed(precision.baseAssetPrecision)]
}

function compare(left: Big, right: Big): number {
  return left.cmp(right)
}
