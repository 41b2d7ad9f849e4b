// What really happened inside the simulator, for tests to compare a client's view against: the
// true book per market, every order by client order id, every fill, every balance. Read-only views
// over the engine; the control endpoint serves the same data as JSON.
import type { AccountFill, AssetBalance, BookSnapshot, OrderState, SimulatedExchange } from './engine/index.ts'

export interface GroundTruth {
  /** The market's book (best first) and the update id it reflects; undefined for an unknown symbol. */
  book(symbol: string, limit?: number): BookSnapshot | undefined
  /** Every order the exchange accepted, all accounts, in the order they were placed. */
  orders(): OrderState[]
  /** The test account's latest order with this client order id (any symbol unless given). */
  order(clientOrderId: string, symbol?: string): OrderState | undefined
  /**
   * How many create requests for the test account named this client order id and reached the
   * matching engine (any symbol unless given), whether accepted or rejected (e.g. as a duplicate).
   */
  createRequests(clientOrderId: string, symbol?: string): number
  /** Every fill (both sides of every trade), optionally of one market, in execution order. */
  fills(symbol?: string): AccountFill[]
  /** An account's balances; the test account's when no id is given. */
  balances(accountId?: string): AssetBalance[]
}

export function groundTruthOf(exchange: SimulatedExchange): GroundTruth {
  const { engine, testAccountId } = exchange
  const symbols = () => new Set(engine.marketConfigs().map((market) => market.symbol))
  return {
    book(symbol, limit) {
      return symbols().has(symbol) ? engine.book(symbol, limit) : undefined
    },
    orders() {
      return engine.orders()
    },
    order(clientOrderId, symbol) {
      const candidates = symbol === undefined ? [...symbols()] : [symbol]
      const found = candidates
        .map((candidate) => engine.orderByClientOrderId(candidate, clientOrderId, testAccountId))
        .filter((order): order is OrderState => order !== undefined)
      return found.sort((left, right) => left.orderId - right.orderId).at(-1)
    },
    createRequests(clientOrderId, symbol) {
      const candidates = symbol === undefined ? [...symbols()] : [symbol]
      return candidates.reduce((total, candidate) => total + engine.createRequestCount(testAccountId, candidate, clientOrderId), 0)
    },
    fills(symbol) {
      return engine.fills().filter((fill) => symbol === undefined || fill.symbol === symbol)
    },
    balances(accountId = testAccountId) {
      return engine.ledger.balances(accountId)
    },
  }
}
