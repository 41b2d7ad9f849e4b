// What the page's panels read and call, whichever endpoint is behind it: a Binance exchange
// (simulator, testnet, public data) or the edge router. Panels never branch on the endpoint; they
// ask `session.trading` (undefined = no trading here, with `tradingDisabledReason`).
import type { CancellationResult, EventEmitter, OrderBookStatus, TradingRule } from 'spotwire'

/** The part of a book the market view draws (the library's `OrderBookView` fits it). */
export interface BookSource {
  readonly status: OrderBookStatus
  readonly lastUpdateId: number
  bids(depth: number): readonly { readonly price: number; readonly amount: number }[]
  asks(depth: number): readonly { readonly price: number; readonly amount: number }[]
}

export interface TapeTrade {
  readonly tradingPair: string
  readonly tradeId: string
  readonly price: string
  readonly amount: string
  readonly timestamp: number
  readonly takerSide: 'BUY' | 'SELL'
}

export interface OrderRow {
  readonly clientOrderId: string
  readonly tradingPair: string
  readonly side: 'BUY' | 'SELL'
  readonly orderType: string
  readonly amount: string
  readonly price: string | undefined
  readonly executed: string
  readonly state: string
}

export interface FillRow {
  readonly tradeId: string
  readonly clientOrderId: string
  readonly tradingPair: string
  readonly side: 'BUY' | 'SELL'
  readonly price: string
  readonly amount: string
  readonly fee: string
  readonly timestamp: number
}

export interface BalanceRow {
  readonly asset: string
  readonly free: string
  readonly locked: string
}

export type LogLevel = 'info' | 'warn' | 'error'

export interface LogEntry {
  readonly level: LogLevel
  readonly source: string
  readonly text: string
}

export interface OrderTicketInput {
  readonly tradingPair: string
  readonly side: 'BUY' | 'SELL'
  readonly orderType: 'LIMIT' | 'LIMIT_MAKER' | 'MARKET'
  /** Already quantized, formatted for the exchange. */
  readonly amount: string
  readonly price: string | undefined
}

export interface SessionEvents {
  bookUpdate: { readonly tradingPair: string; readonly updateId: number }
  bookStatus: { readonly tradingPair: string; readonly status: OrderBookStatus; readonly previous: OrderBookStatus }
  trade: TapeTrade
  /** The public stream (re)connected; `connections` > 1 means reconnects. */
  marketConnected: { readonly connections: number }
  fill: FillRow
  log: LogEntry
  /** Page-level bugs only; expected failures arrive as `log` entries. */
  error: unknown
}

export interface TradingApi {
  /** The pair's rule, or undefined when this endpoint does not tell (the router checks it). */
  rule(tradingPair: string): TradingRule | undefined
  /** Shown instead of the rule when this endpoint never has one. */
  readonly ruleNote?: string
  /** Resolves with the client order id once the order is handed over (events follow). */
  place(order: OrderTicketInput): Promise<string>
  cancel(tradingPair: string, clientOrderId: string): Promise<boolean>
  cancelAll(): Promise<readonly CancellationResult[]>
  openOrders(): readonly OrderRow[]
  /** undefined when this endpoint cannot show balances (with the reason in `balancesNote`). */
  balances(): readonly BalanceRow[] | undefined
  readonly balancesNote?: string
  /** Free balance of an asset, for the ticket's check (undefined: unknown). */
  available(asset: string): string | undefined
}

export interface Session {
  readonly label: string
  readonly tradingPairs: readonly string[]
  readonly events: EventEmitter<SessionEvents>
  readonly trading: TradingApi | undefined
  readonly tradingDisabledReason: string | undefined
  /** Whether the last-trade tape and reconnect counts are available. */
  readonly hasTrades: boolean
  /** Simulator control endpoint (`…/__sim`), for the faults panel; undefined elsewhere. */
  readonly simulatorControlUrl: string | undefined
  start(): Promise<void>
  stop(): Promise<void>
  book(tradingPair: string): BookSource
}

/** A book with nothing in it yet (before a session has one). */
export const EMPTY_BOOK: BookSource = { status: 'syncing', lastUpdateId: 0, bids: () => [], asks: () => [] }
