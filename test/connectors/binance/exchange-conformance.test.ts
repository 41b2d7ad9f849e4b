// Binance runs the whole conformance kit (spotwire/testing) on the kit's mock transport.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { describeExchangeConformance } from '../../../src/testing/index.ts'
import { binanceConformanceHooks } from './conformance-hooks.ts'

describeExchangeConformance({ describe, it, expect, beforeEach, afterEach, vi }, binanceConformanceHooks)
