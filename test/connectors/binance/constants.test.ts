import { describe, expect, it } from 'vitest'
import {
  CLIENT_ORDER_ID_MAX_LENGTH,
  CLIENT_ORDER_ID_PATTERN,
  CLIENT_ORDER_ID_PREFIX,
  DEFAULT_SNAPSHOT_DEPTH,
  DEFAULT_URLS,
  DEPTH_WEIGHT_TIERS,
  depthLimitId,
  LIMIT_IDS,
  ORDER_STATE,
  PATHS,
  POOL_IDS,
  RATE_LIMITS,
  rateLimitsFor,
  ticker24hrLimitId,
  USAGE_HEADER_POOLS,
  USER_STREAM_MODE,
} from '../../../src/connectors/binance/constants.ts'
import { Throttler } from '../../../src/core/throttler.ts'
import { statusValuesIn } from './reference-files.ts'

function withThrottler(run: (throttler: Throttler) => void): void {
  const throttler = new Throttler(RATE_LIMITS)
  try {
    run(throttler)
  } finally {
    throttler.stop()
  }
}

/** What one request with this limit id takes from a pool. */
function poolWeight(throttler: Throttler, limitId: string, poolId: string): number | undefined {
  return throttler.limit(limitId)?.linkedLimits.find((link) => link.id === poolId)?.weight
}

describe('binance constants: rate limits', () => {
  it('each domain has its own limits: Binance.US has lower IP pools, the order pools are shared', () => {
    const limitOf = (domain: 'com' | 'us' | 'testnet', id: string) => new Map(rateLimitsFor(domain).map((limit) => [limit.id, limit.limit])).get(id)
    expect(limitOf('com', POOL_IDS.requestWeight)).toBe(6000)
    expect(limitOf('testnet', POOL_IDS.requestWeight)).toBe(6000)
    expect(limitOf('us', POOL_IDS.requestWeight)).toBe(1200)
    expect(limitOf('us', POOL_IDS.rawRequests)).toBe(6100)
    expect(limitOf('us', POOL_IDS.orders10s)).toBe(limitOf('com', POOL_IDS.orders10s))
    expect(rateLimitsFor('us')).toHaveLength(RATE_LIMITS.length)
    expect(() => new Throttler(rateLimitsFor('us')).stop()).not.toThrow()
  })

  it('rate limits are well-formed for the core Throttler', () => {
    expect(() => new Throttler(RATE_LIMITS).stop()).not.toThrow()
    withThrottler((throttler) => {
      expect(throttler.limit(POOL_IDS.requestWeight)?.limit).toBe(6000)
      expect(throttler.limit(POOL_IDS.requestWeight)?.intervalMs).toBe(60_000)
      expect(throttler.limit(POOL_IDS.orders10s)).toMatchObject({ limit: 100, intervalMs: 10_000 })
      expect(throttler.limit(POOL_IDS.orders1d)).toMatchObject({ limit: 200_000, intervalMs: 86_400_000 })
      expect(throttler.limit(POOL_IDS.rawRequests)).toMatchObject({ limit: 61_000, intervalMs: 300_000 })
    })
  })

  it('every endpoint the connector uses has a limit id that draws request weight and a raw request', () => {
    const restIds = Object.entries(LIMIT_IDS)
      .filter(([name]) => !name.startsWith('wsStream'))
      .map(([, id]) => id)
    withThrottler((throttler) => {
      for (const id of [...restIds, ...DEPTH_WEIGHT_TIERS.map((tier) => tier.limitId)]) {
        expect(throttler.limit(id), id).toBeDefined()
        expect(poolWeight(throttler, id, POOL_IDS.requestWeight), id).toBeGreaterThan(0)
        expect(poolWeight(throttler, id, POOL_IDS.rawRequests), id).toBe(1)
      }
      expect(poolWeight(throttler, LIMIT_IDS.wsStreamConnect, POOL_IDS.wsStreamConnections)).toBe(1)
      expect(poolWeight(throttler, LIMIT_IDS.wsStreamMessage, POOL_IDS.wsStreamMessages)).toBe(1)
    })
  })

  it('every REST path has a limit id named after it', () => {
    const ids: string[] = [...Object.values(LIMIT_IDS), ...DEPTH_WEIGHT_TIERS.map((tier) => tier.limitId)]
    for (const path of Object.values(PATHS)) expect(ids.some((id) => id.includes(path)), path).toBe(true)
  })

  it('endpoint weights follow the documentation', () => {
    withThrottler((throttler) => {
      const weight = (id: string): number | undefined => poolWeight(throttler, id, POOL_IDS.requestWeight)
      expect(weight(LIMIT_IDS.ping)).toBe(1)
      expect(weight(LIMIT_IDS.time)).toBe(1)
      expect(weight(LIMIT_IDS.exchangeInfo)).toBe(20)
      expect(weight(LIMIT_IDS.account)).toBe(20)
      expect(weight(LIMIT_IDS.myTrades)).toBe(20)
      expect(weight(LIMIT_IDS.myTradesByOrder)).toBe(5)
      expect(weight(LIMIT_IDS.createOrder)).toBe(1)
      expect(weight(LIMIT_IDS.queryOrder)).toBe(4)
      expect(weight(LIMIT_IDS.cancelOrder)).toBe(1)
      expect(weight(LIMIT_IDS.openOrders)).toBe(6)
      expect(weight(LIMIT_IDS.openOrdersAll)).toBe(80)
      expect(weight(LIMIT_IDS.tickerPrice)).toBe(2)
      expect(weight(LIMIT_IDS.tickerPriceMany)).toBe(4)
      expect(weight(LIMIT_IDS.userDataStream)).toBe(2)
    })
  })

  it('depth weight follows the limit tiers 5, 25, 50 and 250', () => {
    withThrottler((throttler) => {
      const weightFor = (limit: number): number | undefined => poolWeight(throttler, depthLimitId(limit), POOL_IDS.requestWeight)
      expect([1, 100, 101, 500, 501, 1000, 1001, 5000].map(weightFor)).toEqual([5, 5, 25, 25, 50, 50, 250, 250])
      // Binance answers a larger limit with 5000 levels, at the 5000 price.
      expect(weightFor(10_000)).toBe(250)
      expect(depthLimitId()).toBe(depthLimitId(DEFAULT_SNAPSHOT_DEPTH))
    })
  })

  it('ticker 24hr weight grows with the number of symbols asked for', () => {
    withThrottler((throttler) => {
      const weightFor = (count: number | undefined): number | undefined =>
        poolWeight(throttler, ticker24hrLimitId(count), POOL_IDS.requestWeight)
      expect([1, 20, 21, 100, 101, undefined].map(weightFor)).toEqual([2, 2, 40, 40, 80, 80])
    })
  })

  it('a new order counts in both ORDERS pools while a cancel or query counts in neither', () => {
    withThrottler((throttler) => {
      expect(poolWeight(throttler, LIMIT_IDS.createOrder, POOL_IDS.orders10s)).toBe(1)
      expect(poolWeight(throttler, LIMIT_IDS.createOrder, POOL_IDS.orders1d)).toBe(1)
      for (const id of [LIMIT_IDS.cancelOrder, LIMIT_IDS.queryOrder]) {
        expect(poolWeight(throttler, id, POOL_IDS.orders10s)).toBeUndefined()
        expect(poolWeight(throttler, id, POOL_IDS.orders1d)).toBeUndefined()
      }
    })
  })

  it('usage headers name pools that exist', () => {
    withThrottler((throttler) => {
      for (const { limitId } of USAGE_HEADER_POOLS) expect(throttler.limit(limitId)).toBeDefined()
    })
  })
})

describe('binance constants: orders', () => {
  it('state map covers every documented status with the recipe state', () => {
    expect(ORDER_STATE).toEqual({
      NEW: 'OPEN',
      PENDING_NEW: 'PENDING_CREATE',
      PARTIALLY_FILLED: 'PARTIALLY_FILLED',
      FILLED: 'FILLED',
      CANCELED: 'CANCELED',
      PENDING_CANCEL: 'OPEN',
      REJECTED: 'FAILED',
      EXPIRED: 'FAILED',
      EXPIRED_IN_MATCH: 'FAILED',
    })
  })

  it('state map knows every order status written in the reference order answers', () => {
    const files = [
      'rest/GET_api_v3_order.json',
      'rest/GET_api_v3_order.annotated.jsonc',
      'rest/GET_api_v3_openOrders.json',
      'rest/GET_api_v3_allOrders.json',
      'rest/POST_api_v3_order_RESULT.json',
      'rest/POST_api_v3_order_FULL.json',
      'rest/DELETE_api_v3_order.json',
      'rest/DELETE_api_v3_openOrders.json',
    ]
    const statuses = new Set(files.flatMap(statusValuesIn))
    expect(statuses.size).toBeGreaterThan(2)
    for (const status of statuses) expect(Object.keys(ORDER_STATE), status).toContain(status)
  })

  it('client order ids: prefix allowed by the documented charset and the 36-character maximum', () => {
    expect(CLIENT_ORDER_ID_MAX_LENGTH).toBe(36)
    expect(CLIENT_ORDER_ID_PATTERN.test(CLIENT_ORDER_ID_PREFIX)).toBe(true)
    expect(CLIENT_ORDER_ID_PATTERN.test(`${CLIENT_ORDER_ID_PREFIX}${'a'.repeat(33)}`)).toBe(true)
    expect(CLIENT_ORDER_ID_PATTERN.test(`${CLIENT_ORDER_ID_PREFIX}${'a'.repeat(34)}`)).toBe(false)
    expect(CLIENT_ORDER_ID_PATTERN.test('sw-with.dot')).toBe(false)
  })
})

describe('binance constants: unchanged exports', () => {
  it('domains keep their URLs, user-stream modes and paths', () => {
    expect(DEFAULT_URLS.com).toEqual({
      rest: 'https://api.binance.com/api',
      ws: 'wss://stream.binance.com:9443',
      wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
    })
    expect(USER_STREAM_MODE).toEqual({ com: 'wsApiSignature', us: 'listenKey', testnet: 'wsApiSignature' })
    expect(PATHS.order).toBe('/v3/order')
  })
})
