// The engine as the simulator starts it: the default markets, the funded test account and market
// makers that have already quoted once, all derived from one seed.
import { MarketMakers, type MarketMakerOptions } from './market-makers.ts'
import { TEST_ACCOUNT_BALANCES } from './market.ts'
import { MatchingEngine, type MatchingEngineOptions } from './matching-engine.ts'

export interface SimulatedExchangeOptions extends MatchingEngineOptions {
  readonly testAccountId?: string
  readonly marketMakers?: Omit<MarketMakerOptions, 'seed'>
}

export interface SimulatedExchange {
  readonly engine: MatchingEngine
  readonly marketMakers: MarketMakers
  readonly testAccountId: string
}

/**
 * @example
 * const { engine, marketMakers, testAccountId } = createSimulatedExchange({ seed: 42 })
 * marketMakers.step()
 * engine.book('BTCUSDT', 5)
 */
export function createSimulatedExchange(options: SimulatedExchangeOptions = {}): SimulatedExchange {
  const seed = options.seed ?? 1
  const engine = new MatchingEngine({ ...options, seed })
  const testAccountId = options.testAccountId ?? 'test-account'
  engine.deposit(testAccountId, TEST_ACCOUNT_BALANCES)
  // The makers get their own stream derived from the seed so engine ids and quotes never interleave.
  const marketMakers = new MarketMakers(engine, { ...options.marketMakers, seed: seed ^ 0x5eed })
  marketMakers.step()
  return { engine, marketMakers, testAccountId }
}
