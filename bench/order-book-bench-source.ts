// The order-book benchmark's "real path": the Binance connector's own data source and the core's
// tracker, wired as the connector wires them, with no socket. A raw frame goes through
// `parseWsMessage` (what the socket layer does with every text frame), then
// `BinanceOrderBookDataSource.handleRawMessage` (channel routing, the valibot schema of a
// depthUpdate, symbol → pair, message checks), the stream handoff's duplicate check, and
// `OrderBookTracker` (update-id continuity, apply, listeners). Only the socket and the async queue
// that hands frames to `handleRawMessage` are left out.
import { BinanceOrderBookDataSource } from '../src/connectors/binance/api-order-book-data-source.ts'
import { OrderBookTracker } from '../src/core/order-book/order-book-tracker.ts'
import type { OrderBookSnapshotMessage } from '../src/core/order-book/order-book-message.ts'
import { RestAssistant } from '../src/core/web/rest-assistant.ts'
import { parseWsMessage } from '../src/core/web/ws-connection.ts'
import type { BinanceDepthTraffic } from './order-book-data.ts'

export const BENCH_PAIR = 'BTC-USDT'
const SYMBOL = 'BTCUSDT'

/** A depthUpdate as the combined stream (`/stream?streams=btcusdt@depth@100ms/…`) frames it. */
export function combinedStreamFrame(depthUpdate: string): string {
  return `{"stream":"btcusdt@depth@100ms","data":${depthUpdate}}`
}

export function snapshotMessage(snapshot: BinanceDepthTraffic['snapshot']): OrderBookSnapshotMessage {
  return { type: 'snapshot', tradingPair: BENCH_PAIR, updateId: snapshot.lastUpdateId, bids: snapshot.bids, asks: snapshot.asks, timestamp: 0 }
}

export interface BinanceBookPath {
  readonly tracker: OrderBookTracker
  /** One raw text frame, as the socket delivers it. */
  handleFrame(frame: string): void
  /** Errors reported by the source or the tracker (must stay 0). */
  readonly errors: () => number
  /** `onUpdate` calls so far. */
  readonly updates: () => number
}

/**
 * A fresh source + tracker with `snapshot` applied (pushed, as the tracker's REST fetch would
 * deliver it), ready for the diffs that follow it. Nothing is started: no timer, socket or fetch.
 */
export function binanceBookPath(snapshot: BinanceDepthTraffic['snapshot']): BinanceBookPath {
  const source = new BinanceOrderBookDataSource({
    rest: new RestAssistant({ fetch: () => Promise.reject(new Error('the benchmark pushes its snapshot')) }),
    wsUrl: 'wss://stream.binance.com:9443',
    toExchangeSymbol: (pair) => pair.replace('-', ''),
    toTradingPair: (symbol) => (symbol === SYMBOL ? BENCH_PAIR : undefined),
    tradingPairs: [BENCH_PAIR],
  })
  const tracker = new OrderBookTracker({ source, tradingPairs: [BENCH_PAIR] })
  source.attach(tracker)
  let errors = 0
  let updates = 0
  source.on('error', () => errors++)
  tracker.on('error', () => errors++)
  tracker.onUpdate(BENCH_PAIR, () => updates++)
  tracker.handleMessage(snapshotMessage(snapshot))
  return {
    tracker,
    handleFrame: (frame) => source.handleRawMessage(parseWsMessage(frame)),
    errors: () => errors,
    updates: () => updates,
  }
}
