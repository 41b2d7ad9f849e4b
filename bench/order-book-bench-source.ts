// A minimal Binance-shaped data source for the benchmark: the routing and parsing a connector does,
// with hand-written checks in place of the connector's schemas, and no socket.
import { OrderBookDataSource, type OrderBookChannel } from '../src/core/order-book/data-source.ts'
import type {
  OrderBookDiffMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from '../src/core/order-book/order-book-message.ts'
import { contiguousUpdateIdRule } from '../src/core/order-book/sequence-rules.ts'
import type { BinanceDepthTraffic } from './order-book-data.ts'

export const BENCH_PAIR = 'BTC-USDT'
const SYMBOLS: Record<string, string> = { BTCUSDT: BENCH_PAIR }

interface RawDepthUpdate {
  e: 'depthUpdate'
  E: number
  s: string
  U: number
  u: number
  b: string[][]
  a: string[][]
}

export function snapshotMessage(snapshot: BinanceDepthTraffic['snapshot']): OrderBookSnapshotMessage {
  return {
    type: 'snapshot',
    tradingPair: BENCH_PAIR,
    updateId: snapshot.lastUpdateId,
    bids: snapshot.bids,
    asks: snapshot.asks,
    timestamp: 0,
  }
}

export class BenchBinanceDataSource extends OrderBookDataSource {
  readonly name = 'bench'
  readonly sequenceRule = contiguousUpdateIdRule

  constructor() {
    super({ tradingPairs: [BENCH_PAIR] })
  }

  fetchSnapshot(): Promise<OrderBookSnapshotMessage> {
    return Promise.reject(new Error('the benchmark pushes its snapshot'))
  }

  protected channelOf(raw: unknown): OrderBookChannel | undefined {
    const event = (raw as { e?: unknown }).e
    return event === 'depthUpdate' ? 'diff' : event === 'trade' ? 'trade' : undefined
  }

  protected parseDiff(raw: unknown): OrderBookDiffMessage {
    const update = raw as RawDepthUpdate
    const tradingPair = SYMBOLS[update.s]
    if (tradingPair === undefined) throw new Error(`unknown symbol ${update.s}`)
    return {
      type: 'diff',
      tradingPair,
      firstUpdateId: update.U,
      updateId: update.u,
      bids: update.b,
      asks: update.a,
      timestamp: update.E,
    }
  }

  protected parseTrade(): OrderBookTradeMessage {
    throw new Error('the benchmark sends no trades')
  }

  protected sendSubscribe(): Promise<void> {
    return Promise.resolve()
  }

  protected sendUnsubscribe(): Promise<void> {
    return Promise.resolve()
  }
}
