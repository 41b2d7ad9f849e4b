import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IpBannedError, NetworkError, RateLimitedError, SpotwireError } from '../../../src/core/errors.ts'
import type { OrderBookSnapshotMessage } from '../../../src/core/order-book/order-book-message.ts'
import { SnapshotFetchError, syncSnapshot } from '../../../src/core/order-book/snapshot-sync.ts'

const SNAPSHOT: OrderBookSnapshotMessage = { type: 'snapshot', tradingPair: 'BTC-USDT', updateId: 10, timestamp: 1, bids: [['100', '1']], asks: [['101', '1']] }

/** A sync whose fetches fail with `failures` in turn, then succeed; records when each fetch started. */
function startSync(failures: unknown[]) {
  const fetchedAt: number[] = []
  const errors: Error[] = []
  const controller = new AbortController()
  const done = syncSnapshot({
    tradingPair: 'BTC-USDT',
    fetchSnapshot: async () => {
      fetchedAt.push(Date.now())
      const failure = failures.shift()
      if (failure !== undefined) throw failure
      return SNAPSHOT
    },
    apply: () => true,
    report: (error) => void errors.push(error),
    retryDelayMs: () => 500,
    signal: controller.signal,
  })
  return { fetchedAt, errors, controller, done }
}

describe('snapshot sync: waits the exchange demands', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(1_000_000)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("after a 429 it asks again no sooner than the Retry-After, and says so in the report", async () => {
    const sync = startSync([new RateLimitedError('429 Too Many Requests', { httpStatus: 429, retryAfterMs: 7_000 })])
    await vi.advanceTimersByTimeAsync(6_999)
    expect(sync.fetchedAt).toEqual([1_000_000])
    await vi.advanceTimersByTimeAsync(1)
    expect(sync.fetchedAt).toEqual([1_000_000, 1_007_000])
    await sync.done
    expect((sync.errors[0] as SnapshotFetchError).retryInMs).toBe(7_000)
  })

  it('after a 418 it waits until the ban ends, also when the ban is the cause of another error', async () => {
    const banned = new IpBannedError('418 banned', { httpStatus: 418, bannedUntil: 1_000_000 + 120_000 })
    const sync = startSync([new SpotwireError('snapshot request failed', { cause: banned })])
    await vi.advanceTimersByTimeAsync(119_999)
    expect(sync.fetchedAt).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sync.fetchedAt).toEqual([1_000_000, 1_120_000])
    await sync.done
  })

  it('other failures, and a 429 asking for less than the backoff, keep the backoff', async () => {
    const sync = startSync([new NetworkError('socket hang up'), new RateLimitedError('429', { retryAfterMs: 100 })])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(sync.fetchedAt).toEqual([1_000_000, 1_000_500, 1_001_000])
    await sync.done
    expect(sync.errors.map((error) => (error as SnapshotFetchError).retryInMs)).toEqual([500, 500])
  })

  it('stopping during a ban leaves no timer', async () => {
    const sync = startSync([new IpBannedError('418', { bannedUntil: 1_000_000 + 60_000 })])
    await vi.advanceTimersByTimeAsync(10)
    sync.controller.abort()
    await sync.done
    expect(vi.getTimerCount()).toBe(0)
    expect(sync.fetchedAt).toHaveLength(1)
  })
})
