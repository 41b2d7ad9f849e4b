// The RateBudget Durable Object inside workerd: the RateLimitStore contract over RPC, one budget
// shared by independent throttlers (as separate isolates would hold them), separate budgets per key,
// one window whatever the callers' clocks, and the pauses and bans that outlive an eviction.
//
// The Durable Object counts on its own clock, which a test cannot fake from outside; the shared
// budget test therefore runs in real time (10 per second, about 2.5 s).
import { env, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Clock } from '../../src/core/clock.ts'
import { IpBannedError } from '../../src/core/errors.ts'
import type { RateLimitConsumeResult, RateLimitDraw } from '../../src/core/throttler-store.ts'
import { Throttler } from '../../src/core/throttler.ts'
import { RateBudget, rateBudgetStore } from '../../src/edge/rate-budget.ts'

/** A pool of `limit` per second. */
const draw = (limitId: string, weight: number, limit = 10, intervalMs = 1_000): RateLimitDraw => ({ limitId, weight, limit, intervalMs })
/** Every test draws from budgets of its own. */
const freshKey = (): string => `test:${crypto.randomUUID()}`
const skewedClock = (skewMs: number): Clock => ({ now: () => Date.now() + skewMs, monotonic: () => performance.now() })

/**
 * Resets one budget's object, as an eviction or a redeploy would; the runtime then builds a new one
 * from storage. (abortAllDurableObjects would also reset the objects of test files running beside
 * this one.) workerd logs each abort as an "uncaught exception … evicted by the test": expected.
 */
async function evict(budgetKey: string): Promise<void> {
  const stub = env.RATE_BUDGET.get(env.RATE_BUDGET.idFromName(budgetKey)) as DurableObjectStub<RateBudget>
  await runInDurableObject(stub, (_budget, state) => state.abort('evicted by the test')).catch(() => undefined)
}

function refused(result: RateLimitConsumeResult): { retryAfterMs: number; bannedUntil?: number } {
  if (result.granted) throw new Error('expected the draw to be refused')
  return result
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('RateBudget keeps the RateLimitStore contract over RPC', () => {
  it('records all of a request\'s draws or none of them', async () => {
    const store = rateBudgetStore(env.RATE_BUDGET, freshKey())
    expect(await store.tryConsume([draw('A', 1, 2), draw('B', 1, 1)], Date.now())).toEqual({ granted: true })
    // B is full, so A is not charged either.
    expect((await store.tryConsume([draw('A', 1, 2), draw('B', 1, 1)], Date.now())).granted).toBe(false)
    expect(await store.tryConsume([draw('A', 1, 2)], Date.now())).toEqual({ granted: true })
    expect((await store.tryConsume([draw('A', 1, 2)], Date.now())).granted).toBe(false)
  })

  it('answers a refusal with how long until the oldest draw leaves the window', async () => {
    const store = rateBudgetStore(env.RATE_BUDGET, freshKey())
    expect(await store.tryConsume([draw('A', 10, 10, 60_000)], Date.now())).toEqual({ granted: true })
    const { retryAfterMs, bannedUntil } = refused(await store.tryConsume([draw('A', 1, 10, 60_000)], Date.now()))
    expect(retryAfterMs).toBeGreaterThan(59_000)
    expect(retryAfterMs).toBeLessThanOrEqual(60_000)
    expect(bannedUntil).toBeUndefined()
  })

  it('raises a pool to the server\'s count and never lowers it', async () => {
    const store = rateBudgetStore(env.RATE_BUDGET, freshKey())
    const pool = (weight: number): RateLimitDraw[] => [draw('WEIGHT', weight, 10, 60_000)]
    expect(await store.tryConsume(pool(2), Date.now())).toEqual({ granted: true })
    await store.reportUsage({ limitId: 'WEIGHT', used: 8, atMs: Date.now(), intervalMs: 60_000 })
    expect((await store.tryConsume(pool(3), Date.now())).granted).toBe(false)
    await store.reportUsage({ limitId: 'WEIGHT', used: 0, atMs: Date.now(), intervalMs: 60_000 })
    expect((await store.tryConsume(pool(3), Date.now())).granted).toBe(false)
    expect(await store.tryConsume(pool(2), Date.now())).toEqual({ granted: true })
  })

  it('holds a paused pool and leaves the others alone', async () => {
    const store = rateBudgetStore(env.RATE_BUDGET, freshKey())
    await store.pause(['A'], Date.now() + 30_000)
    await store.pause(['A'], Date.now() + 1_000) // never shortens
    const { retryAfterMs } = refused(await store.tryConsume([draw('A', 1)], Date.now()))
    expect(retryAfterMs).toBeGreaterThan(29_000)
    expect(await store.tryConsume([draw('B', 1)], Date.now())).toEqual({ granted: true })
  })

  it('refuses everything during a ban and says until when', async () => {
    const store = rateBudgetStore(env.RATE_BUDGET, freshKey())
    const bannedUntil = Date.now() + 120_000
    await store.ban(bannedUntil)
    await store.ban(Date.now() + 1_000) // never shortens
    const refusal = refused(await store.tryConsume([draw('ANY', 1)], Date.now()))
    expect(refusal.bannedUntil).toBeGreaterThanOrEqual(bannedUntil - 50)
    expect(refusal.bannedUntil).toBeLessThanOrEqual(bannedUntil + 50)
    expect(refusal.retryAfterMs).toBeGreaterThan(119_000)
  })
})

describe('throttlers in separate isolates sharing one RateBudget', () => {
  const LIMITS = [{ id: 'REQUEST_WEIGHT', limit: 10, intervalMs: 1_000 }]
  const PER_ISOLATE = 13

  it('never exceed the budget together, and every request goes through', async () => {
    // The object's own clock at each grant: the only clock every grant is measured on.
    const grantedAt: number[] = []
    const tryConsume = RateBudget.prototype.tryConsume
    vi.spyOn(RateBudget.prototype, 'tryConsume').mockImplementation(function (this: RateBudget, draws, callerNowMs) {
      const result = tryConsume.call(this, draws, callerNowMs)
      if (result.granted) grantedAt.push(Date.now())
      return result
    })
    const key = freshKey()
    // Each isolate has its own throttler, queue and stub; only the key is shared.
    const isolates = [new Throttler(LIMITS, { store: rateBudgetStore(env.RATE_BUDGET, key) }), new Throttler(LIMITS, { store: rateBudgetStore(env.RATE_BUDGET, key) })]
    const started = Date.now()
    const requests = isolates.flatMap((throttler) => Array.from({ length: PER_ISOLATE }, () => throttler.acquire('REQUEST_WEIGHT')))
    const outcomes = await Promise.allSettled(requests)

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2 * PER_ISOLATE)
    expect(grantedAt).toHaveLength(2 * PER_ISOLATE)
    grantedAt.sort((a, b) => a - b)
    for (let index = 0; index < grantedAt.length; index += 1) {
      const windowStart = grantedAt[index]!
      const inWindow = grantedAt.filter((at) => at >= windowStart && at < windowStart + 1_000).length
      expect(inWindow, `grants in [${windowStart}, ${windowStart + 1_000})`).toBeLessThanOrEqual(10)
    }
    // 26 requests at 10 per second: two full windows must pass, and the budget was used, not idled.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000)
    expect(Date.now() - started).toBeLessThan(6_000)
    for (const throttler of isolates) throttler.stop()
  })

  it('share nothing when their keys differ', async () => {
    const first = rateBudgetStore(env.RATE_BUDGET, freshKey())
    const second = rateBudgetStore(env.RATE_BUDGET, freshKey())
    expect(await first.tryConsume([draw('REQUEST_WEIGHT', 10, 10, 60_000)], Date.now())).toEqual({ granted: true })
    expect((await first.tryConsume([draw('REQUEST_WEIGHT', 1, 10, 60_000)], Date.now())).granted).toBe(false)
    expect(await second.tryConsume([draw('REQUEST_WEIGHT', 10, 10, 60_000)], Date.now())).toEqual({ granted: true })
  })

  it('pass a ban on to every throttler on the budget', async () => {
    const key = freshKey()
    const banned = new Throttler(LIMITS, { store: rateBudgetStore(env.RATE_BUDGET, key) })
    const bystander = new Throttler(LIMITS, { store: rateBudgetStore(env.RATE_BUDGET, key) })
    const bannedUntil = Date.now() + 600_000
    await banned.ban(bannedUntil)
    const error = await bystander.acquire('REQUEST_WEIGHT').catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(IpBannedError)
    expect(Math.abs((error as IpBannedError).bannedUntil - bannedUntil)).toBeLessThanOrEqual(50)
    expect(bystander.bannedUntil).toBe((error as IpBannedError).bannedUntil)
  })
})

describe('RateBudget keeps its own clock', () => {
  it('shares one window between callers whose clocks disagree by minutes', async () => {
    const key = freshKey()
    const ahead = rateBudgetStore(env.RATE_BUDGET, key, { clock: skewedClock(600_000) })
    const behind = rateBudgetStore(env.RATE_BUDGET, key, { clock: skewedClock(-600_000) })
    expect(await ahead.tryConsume([draw('A', 10, 10, 60_000)], Date.now() + 600_000)).toEqual({ granted: true })
    const { retryAfterMs } = refused(await behind.tryConsume([draw('A', 1, 10, 60_000)], Date.now() - 600_000))
    expect(retryAfterMs).toBeGreaterThan(59_000)
    expect(retryAfterMs).toBeLessThanOrEqual(60_000)
  })

  it('reads pauses, bans and usage reports on the caller\'s clock, and answers bans on it', async () => {
    const key = freshKey()
    const ahead = rateBudgetStore(env.RATE_BUDGET, key, { clock: skewedClock(600_000) })
    const onTime = rateBudgetStore(env.RATE_BUDGET, key)
    // Thirty seconds from the skewed caller's point of view is thirty seconds for everyone.
    await ahead.pause(['A'], Date.now() + 600_000 + 30_000)
    const pause = refused(await onTime.tryConsume([draw('A', 1)], Date.now()))
    expect(pause.retryAfterMs).toBeGreaterThan(29_000)
    expect(pause.retryAfterMs).toBeLessThanOrEqual(30_050)
    // A report stamped "now" on the skewed clock counts now, not ten minutes from now.
    await ahead.reportUsage({ limitId: 'B', used: 10, atMs: Date.now() + 600_000, intervalMs: 1_000 })
    const usage = refused(await onTime.tryConsume([draw('B', 1)], Date.now()))
    expect(usage.retryAfterMs).toBeLessThanOrEqual(1_050)
    await ahead.ban(Date.now() + 600_000 + 60_000)
    const ban = refused(await onTime.tryConsume([draw('C', 1)], Date.now()))
    expect(Math.abs(ban.bannedUntil! - (Date.now() + 60_000))).toBeLessThanOrEqual(50)
  })
})

describe('RateBudget after an eviction', () => {
  it('still holds its pauses and ban, while counters start afresh', async () => {
    const key = freshKey()
    const before = rateBudgetStore(env.RATE_BUDGET, key)
    expect(await before.tryConsume([draw('FULL', 10, 10, 60_000)], Date.now())).toEqual({ granted: true })
    await before.pause(['PAUSED'], Date.now() + 60_000)
    await evict(key)

    const after = rateBudgetStore(env.RATE_BUDGET, key)
    expect(await after.tryConsume([draw('FULL', 10, 10, 60_000)], Date.now())).toEqual({ granted: true })
    expect(refused(await after.tryConsume([draw('PAUSED', 1)], Date.now())).retryAfterMs).toBeGreaterThan(59_000)
    const bannedUntil = Date.now() + 60_000
    await after.ban(bannedUntil)
    await evict(key)

    const refusal = refused(await rateBudgetStore(env.RATE_BUDGET, key).tryConsume([draw('FULL', 1)], Date.now()))
    expect(Math.abs(refusal.bannedUntil! - bannedUntil)).toBeLessThanOrEqual(50)
  })
})
