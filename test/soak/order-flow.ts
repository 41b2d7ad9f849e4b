// Places and cancels orders at a set rate on several pairs: mostly resting LIMIT orders a few
// percent from the touch (cancelled a little later), some LIMIT orders that cross the spread (they
// fill against the market makers; leftovers rest until cancelled). Sides and pairs are drawn from a
// seeded generator; prices follow the simulator's book at the moment of placing.
import { SeededRandom } from '../../src/sim/engine/seeded-random.ts'
import type { Simulator } from '../../src/sim/index.ts'

export interface TradingClient {
  buy(tradingPair: string, amount: string, orderType: 'LIMIT', price: string): string
  sell(tradingPair: string, amount: string, orderType: 'LIMIT', price: string): string
  cancel(tradingPair: string, clientOrderId: string): Promise<unknown>
}

interface PairSpec {
  readonly tradingPair: string
  readonly symbol: string
  readonly amount: string
  readonly priceDecimals: number
}

export const SOAK_PAIRS: readonly PairSpec[] = [
  { tradingPair: 'BTC-USDT', symbol: 'BTCUSDT', amount: '0.001', priceDecimals: 2 },
  { tradingPair: 'ETH-USDT', symbol: 'ETHUSDT', amount: '0.02', priceDecimals: 2 },
  { tradingPair: 'ETH-BTC', symbol: 'ETHBTC', amount: '0.02', priceDecimals: 5 },
]

/** Most orders one tick places when catching up. */
const MAX_BURST = 4

/** Resting orders are cancelled once they are this old. */
const CANCEL_AFTER_MS = 1_500

export interface OrderFlowOptions {
  readonly seed: number
  readonly intervalMs: number
  readonly maxOrders: number
  /** Called with each new client order id before anything else can happen to it. */
  readonly onIssued: (clientOrderId: string, tradingPair: string) => void
  /** Runs a call into the connector (the soak's timer census scope). */
  readonly asConnector: <Value>(work: () => Value) => Value
}

export interface OrderFlow {
  readonly placed: () => number
  readonly cancelsSent: () => number
  /** Stops placing and cancelling. */
  stop(): void
}

/**
 * @example
 * const flow = startOrderFlow(exchange, simulator, { seed: 1, intervalMs: 50, maxOrders: 2400, onIssued, asConnector })
 */
export function startOrderFlow(client: TradingClient, simulator: Simulator, options: OrderFlowOptions): OrderFlow {
  const random = new SeededRandom(options.seed ^ 0x0dde_f10e)
  const resting: { clientOrderId: string; tradingPair: string; placedAt: number }[] = []
  let placed = 0
  let cancels = 0

  const place = () => {
    const pair = SOAK_PAIRS[random.nextInt(0, SOAK_PAIRS.length - 1)] as PairSpec
    const book = simulator.truth.book(pair.symbol, 1)
    const bestBid = Number(book?.bids[0]?.price.toFixed() ?? 0)
    const bestAsk = Number(book?.asks[0]?.price.toFixed() ?? 0)
    if (!(bestBid > 0 && bestAsk > 0)) return
    const buying = random.chance(0.5)
    const crossing = random.chance(0.3)
    // Crossing: 0.2 % through the touch. Resting: 1-4 % away from it.
    const offset = crossing ? 0.002 : 0.01 + random.nextFloat() * 0.03
    const price = buying ? (crossing ? bestAsk * (1 + offset) : bestBid * (1 - offset)) : crossing ? bestBid * (1 - offset) : bestAsk * (1 + offset)
    const priceText = price.toFixed(pair.priceDecimals)
    const clientOrderId = options.asConnector(() =>
      buying ? client.buy(pair.tradingPair, pair.amount, 'LIMIT', priceText) : client.sell(pair.tradingPair, pair.amount, 'LIMIT', priceText),
    )
    options.onIssued(clientOrderId, pair.tradingPair)
    placed += 1
    resting.push({ clientOrderId, tradingPair: pair.tradingPair, placedAt: Date.now() })
  }

  const cancelOld = () => {
    const now = Date.now()
    while (resting.length > 0 && (resting[0]?.placedAt ?? now) <= now - CANCEL_AFTER_MS) {
      const order = resting.shift()
      if (!order) break
      cancels += 1
      // A cancel may fail under faults (5xx, hang, already filled): the order's events tell its fate.
      void options.asConnector(() => client.cancel(order.tradingPair, order.clientOrderId)).catch(() => {})
    }
  }

  // Keeps to the schedule when the process is slow: a late tick places what is due (a few at most).
  const startedAt = Date.now()
  const timer = setInterval(() => {
    cancelOld()
    const due = Math.min(options.maxOrders, Math.floor(((Date.now() - startedAt) / options.intervalMs) + 1))
    for (let burst = 0; placed < due && burst < MAX_BURST; burst += 1) place()
  }, options.intervalMs)

  return {
    placed: () => placed,
    cancelsSent: () => cancels,
    stop: () => clearInterval(timer),
  }
}
