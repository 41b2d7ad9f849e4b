// The mutable state the engine keeps per market: its book, id counters and public trade history.
import type Big from 'big.js'
import { MarketBook } from './book.ts'
import type { MarketConfig } from './market.ts'
import type { MarketTrade, OrderState } from './order-types.ts'
import type { RestingOrder } from './price-level.ts'

/** An order plus what only the engine needs: what is left to fill and what is still locked for it. */
export interface OrderRecord extends OrderState, RestingOrder {
  remainingQuantity: Big
  /** The asset this order locked (quote for BUY, base for SELL) and how much of it is still locked. */
  readonly lockedAsset: string
  lockedRemaining: Big
}

export class MarketState {
  readonly book = new MarketBook<OrderRecord>()
  readonly trades: MarketTrade[] = []
  /** The id of the last book change; `@depth` diffs and snapshots are numbered by it. */
  lastUpdateId = 0
  lastTradePrice: Big | undefined
  private nextOrderId = 1
  private nextTradeId = 1
  private nextExecutionId = 1

  constructor(readonly config: MarketConfig) {}

  takeOrderId(): number {
    return this.nextOrderId++
  }

  takeTradeId(): number {
    return this.nextTradeId++
  }

  takeExecutionId(): number {
    return this.nextExecutionId++
  }

  /** Last trade price, else the mid of the best quotes, else undefined (an empty, untraded market). */
  referencePrice(): Big | undefined {
    if (this.lastTradePrice) return this.lastTradePrice
    const bestBid = this.book.bids.best()
    const bestAsk = this.book.asks.best()
    if (bestBid && bestAsk) return bestBid.price.plus(bestAsk.price).div(2)
    return bestBid?.price ?? bestAsk?.price
  }
}

/** The public view of an order record, without the engine's bookkeeping fields. */
export function toOrderState(order: OrderRecord): OrderState {
  const { remainingQuantity: _remaining, lockedAsset: _asset, lockedRemaining: _locked, ...state } = order
  return state
}
