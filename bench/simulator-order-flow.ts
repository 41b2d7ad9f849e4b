// A deterministic order flow for the simulator benchmark: from one seed, 70% resting LIMIT orders
// within 30 USDT of a fixed mid, 20% LIMIT orders (half GTC, half IOC) priced up to 30 USDT through
// the mid that take several levels, and 10% cancels of a random resting order. Both the engine
// phase and the baseline phase draw from it, so the baseline pays exactly the request construction.
import Big from 'big.js'
import { SeededRandom, type PlaceOrderRequest } from '../src/sim/engine/index.ts'

export type FlowCommand =
  | { readonly kind: 'rest' | 'cross'; readonly request: PlaceOrderRequest }
  /** Cancel the open order at `floor(pick × open orders)` in the caller's list. */
  | { readonly kind: 'cancel'; readonly pick: number }

export interface OrderFlowOptions {
  readonly seed: number
  readonly symbol: string
  /** Where the flow is centred, in cents (BTCUSDT's tick is 0.01). */
  readonly midCents: number
  /** Places resting orders and is the one whose orders get cancelled. */
  readonly makerAccountId: string
  /** Sends the crossing orders. */
  readonly takerAccountId: string
}

/** Distance between the prices the flow uses: 0.50 USDT, so at most 60 levels a side of resting orders. */
const PRICE_STEP_CENTS = 50
const PRICE_STEPS = 60

function priceOf(cents: number): Big {
  return new Big(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`)
}

/** Base amounts in units of 0.0001 BTC (a multiple of BTCUSDT's 0.00001 step). */
function quantityOf(tenThousandths: number): Big {
  return new Big(tenThousandths).div(10_000)
}

/**
 * @example
 * const next = orderFlow({ seed: 1, symbol: 'BTCUSDT', midCents: 6_000_000, makerAccountId: 'm', takerAccountId: 't' })
 * next() // { kind: 'rest', request: { side: 'SELL', price: 60012.5, … } }
 */
export function orderFlow(options: OrderFlowOptions): () => FlowCommand {
  const random = new SeededRandom(options.seed)
  const { symbol, midCents, makerAccountId, takerAccountId } = options
  return () => {
    const draw = random.nextFloat()
    const side = random.chance(0.5) ? 'BUY' : 'SELL'
    const direction = side === 'BUY' ? 1 : -1
    if (draw < 0.7) {
      // Rests on its own side of the mid: 0.001–0.01 BTC (60–600 USDT), from 0.50 to 30 USDT away.
      const cents = midCents - direction * PRICE_STEP_CENTS * random.nextInt(1, PRICE_STEPS)
      const quantity = quantityOf(random.nextInt(10, 100))
      return { kind: 'rest', request: { accountId: makerAccountId, symbol, side, type: 'LIMIT', timeInForce: 'GTC', price: priceOf(cents), quantity } }
    }
    if (draw < 0.9) {
      // Priced through the mid: 0.01–0.06 BTC, about six resting orders' worth, often across levels.
      const cents = midCents + direction * PRICE_STEP_CENTS * random.nextInt(1, PRICE_STEPS)
      const quantity = quantityOf(random.nextInt(100, 600))
      const timeInForce = random.chance(0.5) ? 'GTC' : 'IOC'
      return { kind: 'cross', request: { accountId: takerAccountId, symbol, side, type: 'LIMIT', timeInForce, price: priceOf(cents), quantity } }
    }
    return { kind: 'cancel', pick: random.nextFloat() }
  }
}
