// Synthetic liquidity: per market, a maker account keeps a ladder of LIMIT_MAKER quotes on both
// sides of a drifting mid price, and a taker account now and then sends a small MARKET order so
// trades print. Nothing runs by itself: each `step()` is one tick, so the caller owns the timing
// (an interval in the server, a loop in tests) and a seed replays the same market exactly.
import Big from 'big.js'
import type { MarketConfig } from './market.ts'
import type { MatchingEngine } from './matching-engine.ts'
import { SeededRandom } from './seeded-random.ts'

export interface MarketMakerOptions {
  readonly seed?: number
  /** Quotes per side. */
  readonly levelsPerSide?: number
  /** Distance between ladder rungs, as a fraction of the mid (0.0005 = 5 basis points). */
  readonly levelSpacing?: number
  /** Largest relative move of the mid in one step. */
  readonly volatility?: number
  /** Probability per market per step that the taker sends a MARKET order. */
  readonly tradeProbability?: number
  readonly makerAccountId?: string
  readonly takerAccountId?: string
}

/** Deep pockets so the synthetic accounts never run out within any realistic session. */
const SYNTHETIC_BALANCE = '1000000000'

export class MarketMakers {
  readonly makerAccountId: string
  readonly takerAccountId: string
  private readonly random: SeededRandom
  private readonly levelsPerSide: number
  private readonly levelSpacing: number
  private readonly volatility: number
  private readonly tradeProbability: number
  private readonly mids = new Map<string, Big>()

  /**
   * @example
   * const makers = new MarketMakers(engine, { seed: 42 })
   * makers.step() // books now hold quotes on both sides
   */
  constructor(private readonly engine: MatchingEngine, options: MarketMakerOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1)
    this.levelsPerSide = options.levelsPerSide ?? 5
    this.levelSpacing = options.levelSpacing ?? 0.0005
    this.volatility = options.volatility ?? 0.001
    this.tradeProbability = options.tradeProbability ?? 0.3
    this.makerAccountId = options.makerAccountId ?? 'sim-market-maker'
    this.takerAccountId = options.takerAccountId ?? 'sim-market-taker'
    const assets = new Set(engine.marketConfigs().flatMap((market) => [market.baseAsset, market.quoteAsset]))
    const funding = Object.fromEntries([...assets].map((asset) => [asset, SYNTHETIC_BALANCE]))
    engine.deposit(this.makerAccountId, funding)
    engine.deposit(this.takerAccountId, funding)
    for (const market of engine.marketConfigs()) this.mids.set(market.symbol, market.initialMidPrice)
  }

  midPrice(symbol: string): Big | undefined {
    return this.mids.get(symbol)
  }

  /** One tick for every market: move the mid, requote the ladder, maybe trade. */
  step(): void {
    for (const market of this.engine.marketConfigs()) {
      const mid = this.drift(market)
      this.requote(market, mid)
      if (this.random.chance(this.tradeProbability)) this.trade(market, mid)
    }
  }

  private drift(market: MarketConfig): Big {
    const current = this.mids.get(market.symbol) ?? market.initialMidPrice
    const move = (this.random.nextFloat() * 2 - 1) * this.volatility
    const floor = market.priceFilter.tickSize.times(1000)
    let next = roundToTick(current.times(new Big(1 + move).round(12)), market.priceFilter.tickSize, Big.roundHalfUp)
    if (next.lt(floor)) next = floor
    this.mids.set(market.symbol, next)
    return next
  }

  /** Keeps quotes already at a wanted price (they keep time priority), cancels the rest, fills gaps. */
  private requote(market: MarketConfig, mid: Big): void {
    const { tickSize } = market.priceFilter
    const wanted = { BUY: new Set<string>(), SELL: new Set<string>() }
    for (let level = 1; level <= this.levelsPerSide; level += 1) {
      const offset = new Big(this.levelSpacing * level).round(12)
      wanted.BUY.add(roundToTick(mid.times(new Big(1).minus(offset)), tickSize, Big.roundDown).toFixed())
      wanted.SELL.add(roundToTick(mid.times(new Big(1).plus(offset)), tickSize, Big.roundUp).toFixed())
    }
    const quoted = { BUY: new Set<string>(), SELL: new Set<string>() }
    for (const order of this.engine.openOrders(this.makerAccountId, market.symbol)) {
      const price = order.price.toFixed()
      if (wanted[order.side].has(price) && !quoted[order.side].has(price)) quoted[order.side].add(price)
      else this.engine.cancelOrder({ accountId: this.makerAccountId, symbol: market.symbol, orderId: order.orderId })
    }
    for (const side of ['BUY', 'SELL'] as const) {
      for (const price of wanted[side]) {
        if (quoted[side].has(price)) continue
        const priceValue = new Big(price)
        // A rejection (a user's order already sits across this price) just leaves the rung empty.
        this.engine.placeOrder({
          accountId: this.makerAccountId, symbol: market.symbol, side, type: 'LIMIT_MAKER',
          price: priceValue, quantity: this.randomQuantity(market, priceValue, 100, 2000),
        })
      }
    }
  }

  private trade(market: MarketConfig, mid: Big): void {
    this.engine.placeOrder({
      accountId: this.takerAccountId, symbol: market.symbol, side: this.random.chance(0.5) ? 'BUY' : 'SELL',
      type: 'MARKET', quantity: this.randomQuantity(market, mid, 2, 50),
    })
  }

  /** A base quantity worth between `low` and `high` times the market's minimum notional, on the lot step. */
  private randomQuantity(market: MarketConfig, price: Big, low: number, high: number): Big {
    const notional = market.notional.minNotional.times(this.random.nextInt(low, high))
    const { stepSize, minQty } = market.lotSize
    const quantity = notional.div(price).round(12)
    const stepped = stepSize.gt(0) ? quantity.minus(quantity.mod(stepSize)) : quantity
    return stepped.lt(minQty) ? minQty : stepped
  }
}

function roundToTick(price: Big, tickSize: Big, rounding: Big.RoundingMode): Big {
  if (tickSize.lte(0)) return price
  return price.div(tickSize).round(0, rounding).times(tickSize)
}
