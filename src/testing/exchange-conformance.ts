// The generic exchange-connector suite (the recipe's shared test suite): a connector's test file
// calls `describeExchangeConformance` with its runner's functions and its hooks, and gets one test
// per behaviour, in the recipe's order, each on a fresh exchange under fake timers.
import { CONFORMANCE_START_TIME, ConformanceContext } from './conformance-context.ts'
import type { ExchangeConformanceHooks } from './conformance-hooks.ts'
import { BALANCE_BEHAVIOURS, type Behaviour, MARKET_BEHAVIOURS } from './conformance-market.ts'
import { ORDER_BEHAVIOURS, STATUS_BEHAVIOURS } from './conformance-orders.ts'
import { ROBUSTNESS_BEHAVIOURS } from './conformance-robustness.ts'
import type { ConformanceTestApi } from './conformance-test-api.ts'
import { LOST_ORDER_BEHAVIOURS, USER_STREAM_BEHAVIOURS } from './conformance-user-stream.ts'

const BEHAVIOURS: readonly Behaviour[] = [
  ...MARKET_BEHAVIOURS,
  ...ORDER_BEHAVIOURS,
  ...BALANCE_BEHAVIOURS,
  ...STATUS_BEHAVIOURS,
  ...USER_STREAM_BEHAVIOURS,
  ...LOST_ORDER_BEHAVIOURS,
  ...ROBUSTNESS_BEHAVIOURS,
]

/** Every behaviour's test name, in the recipe's order (spotwire's additions last). Names are stable. */
export const EXCHANGE_CONFORMANCE_BEHAVIOURS: readonly string[] = BEHAVIOURS.map(([name]) => name)

/**
 * Declares the conformance suite for one connector.
 *
 * @example
 * import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
 * describeExchangeConformance({ describe, it, expect, beforeEach, afterEach, vi }, myExchangeHooks)
 */
export function describeExchangeConformance(testApi: ConformanceTestApi, hooks: ExchangeConformanceHooks): void {
  testApi.describe(`${hooks.name}: exchange connector conformance`, () => {
    let current: ConformanceContext | undefined
    testApi.beforeEach(() => {
      testApi.vi.useFakeTimers()
      testApi.vi.setSystemTime(CONFORMANCE_START_TIME)
    })
    testApi.afterEach(async () => {
      await current?.exchange.stop()
      current = undefined
      testApi.vi.useRealTimers()
    })
    for (const [name, run] of BEHAVIOURS) {
      testApi.it(name, async () => {
        current = new ConformanceContext(hooks, testApi)
        await run(current)
      })
    }
  })
}
