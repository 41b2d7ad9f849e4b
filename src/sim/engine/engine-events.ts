// What the engine publishes, in the order things happened. Field names are descriptive; the protocol
// layer maps them to Binance's one-letter keys (executionReport, outboundAccountPosition, @trade,
// @depth). Every event carries a global `sequence` so listeners can prove nothing was lost.
import type Big from 'big.js'
import type { AssetBalance } from './accounts.ts'
import type { PriceLevelView } from './book.ts'
import type { ExecutionType, MarketTrade, OrderState } from './order-types.ts'

/** An executionReport-like update for one order. */
export interface OrderUpdateEvent {
  readonly type: 'orderUpdate'
  readonly sequence: number
  readonly accountId: string
  readonly time: number
  readonly executionType: ExecutionType
  /** The order after this execution (status, executed and cumulative quote amounts). */
  readonly order: Readonly<OrderState>
  /** Set on CANCELED: the client order id of the cancel request (executionReport `C`). */
  readonly originalClientOrderId: string
  readonly lastExecutedQuantity: Big
  readonly lastExecutedPrice: Big
  readonly lastQuoteQuantity: Big
  readonly commission: Big
  readonly commissionAsset: string | null
  /** -1 unless executionType is TRADE. */
  readonly tradeId: number
  readonly isMaker: boolean
  /** Execution id, unique per market like Binance's `I`. */
  readonly executionId: number
}

/** An outboundAccountPosition-like update: the assets of one account that changed in one command. */
export interface BalanceUpdateEvent {
  readonly type: 'balanceUpdate'
  readonly sequence: number
  readonly accountId: string
  readonly time: number
  readonly balances: readonly AssetBalance[]
}

/** One public trade (the `@trade` stream). */
export interface TradeEvent {
  readonly type: 'trade'
  readonly sequence: number
  readonly trade: MarketTrade
}

/**
 * Book levels that changed in one command (the `@depth` diff). `firstUpdateId`..`finalUpdateId`
 * continue the market's update ids with no gap; a level with quantity zero was removed.
 */
export interface DepthUpdateEvent {
  readonly type: 'depthUpdate'
  readonly sequence: number
  readonly symbol: string
  readonly time: number
  readonly firstUpdateId: number
  readonly finalUpdateId: number
  readonly bids: readonly PriceLevelView[]
  readonly asks: readonly PriceLevelView[]
}

export type EngineEvent = OrderUpdateEvent | BalanceUpdateEvent | TradeEvent | DepthUpdateEvent
export type EngineEventListener = (event: EngineEvent) => void
/** An event before the bus stamps its sequence number (Omit applied to each member of the union). */
export type UnstampedEvent = EngineEvent extends infer Event ? (Event extends EngineEvent ? Omit<Event, 'sequence'> : never) : never

/** Distributes events; a throwing listener cannot stop the others or the engine. */
export class EngineEventBus {
  private readonly listeners = new Set<EngineEventListener>()
  private nextSequence = 1

  /** Adds a listener and returns the function that removes it. */
  subscribe(listener: EngineEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Stamps the next sequence number on an event and hands it to every listener. The event is
   * stamped in place rather than copied: the engine builds each one for a single publish and keeps
   * no other reference, and copying every event was a measurable share of each command's cost.
   */
  publish(event: UnstampedEvent): void {
    const stamped = Object.assign(event, { sequence: this.nextSequence }) as EngineEvent
    this.nextSequence += 1
    for (const listener of this.listeners) {
      try {
        listener(stamped)
      } catch {
        // A faulty subscriber (say, a closed socket) must not corrupt the exchange's state.
      }
    }
  }
}
