// The three messages an order-book data source produces and the tracker consumes (the recipe's
// OrderBookMessage). They are plain objects: a connector's parser builds them from the exchange's
// payload, and nothing downstream needs to know which exchange that was.

/**
 * One price level as it comes off the wire: `[price, amount, ...ignored]`, decimal strings or
 * numbers. Extra elements (some exchanges send an order count) are ignored.
 */
export type PriceLevelInput = readonly (string | number)[]

/** The side that took liquidity: `'buy'` walks the asks, `'sell'` walks the bids. */
export type TakerSide = 'buy' | 'sell'

/** A full book from the exchange (REST depth or a socket snapshot). */
export interface OrderBookSnapshotMessage {
  readonly type: 'snapshot'
  readonly tradingPair: string
  /** The exchange's id for the state this snapshot shows (Binance: `lastUpdateId`). */
  readonly updateId: number
  readonly bids: readonly PriceLevelInput[]
  readonly asks: readonly PriceLevelInput[]
  /** Epoch ms: when the snapshot was taken, or received when the exchange does not say. */
  readonly timestamp: number
}

/** Changed levels since the previous diff; an amount of 0 removes the level. */
export interface OrderBookDiffMessage {
  readonly type: 'diff'
  readonly tradingPair: string
  /** First update id covered by this diff (Binance: `U`); equal to `updateId` where the exchange sends one id. */
  readonly firstUpdateId: number
  /** Last update id covered by this diff (Binance: `u`). */
  readonly updateId: number
  readonly bids: readonly PriceLevelInput[]
  readonly asks: readonly PriceLevelInput[]
  readonly timestamp: number
}

/** A public trade. Price and amount stay exact decimal strings (DESIGN.md rule 2). */
export interface OrderBookTradeMessage {
  readonly type: 'trade'
  readonly tradingPair: string
  readonly tradeId: number | string
  readonly price: string
  readonly amount: string
  readonly side: TakerSide
  readonly timestamp: number
}

export type OrderBookMessage = OrderBookSnapshotMessage | OrderBookDiffMessage | OrderBookTradeMessage

/** The message types, for routing tables. */
export type OrderBookMessageType = OrderBookMessage['type']

/**
 * Checks the shape of a parsed message in constant time (types of ids and pair, level lists are
 * arrays) and returns what is wrong, or `undefined` when it is well formed. The levels themselves
 * are checked by `OrderBook`, which parses each one once and applies nothing when one is bad.
 *
 * @example
 * const problem = findMessageProblem(message)
 * if (problem) throw new Error(problem)
 */
export function findMessageProblem(message: OrderBookMessage): string | undefined {
  if (typeof message !== 'object' || message === null) return 'the message is not an object'
  if (typeof message.tradingPair !== 'string' || message.tradingPair === '') return 'tradingPair is missing'
  if (!Number.isFinite(message.timestamp)) return 'timestamp is not a finite number'
  switch (message.type) {
    case 'snapshot':
      if (!Number.isSafeInteger(message.updateId)) return 'updateId is not an integer'
      return findListProblem(message.bids, message.asks)
    case 'diff':
      if (!Number.isSafeInteger(message.updateId)) return 'updateId is not an integer'
      if (!Number.isSafeInteger(message.firstUpdateId)) return 'firstUpdateId is not an integer'
      if (message.firstUpdateId > message.updateId) return 'firstUpdateId is after updateId'
      return findListProblem(message.bids, message.asks)
    case 'trade':
      if (typeof message.tradeId !== 'number' && typeof message.tradeId !== 'string') return 'tradeId is missing'
      if (!isPositiveDecimalText(message.price)) return 'price is not a positive decimal string'
      if (!isPositiveDecimalText(message.amount)) return 'amount is not a positive decimal string'
      if (message.side !== 'buy' && message.side !== 'sell') return "side is neither 'buy' nor 'sell'"
      return undefined
    default:
      return `unknown message type ${JSON.stringify((message as { type?: unknown }).type)}`
  }
}

function findListProblem(bids: unknown, asks: unknown): string | undefined {
  if (!Array.isArray(bids)) return 'bids is not an array'
  if (!Array.isArray(asks)) return 'asks is not an array'
  return undefined
}

const POSITIVE_DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/

function isPositiveDecimalText(value: unknown): boolean {
  return typeof value === 'string' && POSITIVE_DECIMAL.test(value) && Number(value) > 0
}
