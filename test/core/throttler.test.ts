import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Clock } from '../../src/core/clock.ts'
import { InvalidInputError, IpBannedError, SpotwireError, UnknownRateLimitError } from '../../src/core/errors.ts'
import { resolveRateLimits } from '../../src/core/throttler-limits.ts'
import type { AdmissionDecision } from '../../src/core/throttler-queue.ts'
import { AdmissionQueue } from '../../src/core/throttler-queue.ts'
import type { RateLimitConsumeResult, RateLimitDraw, RateLimitStore, RateLimitUsageReport } from '../../src/core/throttler-store.ts'
import { InMemoryRateLimitStore } from '../../src/core/throttler-store.ts'
import type { RateLimit } from '../../src/core/throttler.ts'
import { Throttler } from '../../src/core/throttler.ts'

const T0 = 1_700_000_000_000

/** Fake timers move Date, so this clock follows them for both readings. */
const fakeClock: Clock = { now: () => Date.now(), monotonic: () => Date.now() }

const LIMITS = [
  { id: 'POOL', limit: 10, intervalMs: 1_000 },
  { id: 'light', limit: 100, intervalMs: 1_000, linkedLimits: [{ id: 'POOL' }] },
  { id: 'heavy', limit: 100, intervalMs: 1_000, linkedLimits: [{ id: 'POOL', weight: 5 }] },
  { id: 'ORDERS', limit: 2, intervalMs: 10_000 },
  { id: 'order', limit: 100, intervalMs: 1_000, weight: 1, linkedLimits: [{ id: 'POOL' }, { id: 'ORDERS' }] },
  { id: 'OTHER', limit: 3, intervalMs: 1_000 },
] as const satisfies readonly RateLimit[]

interface Tracked {
  status: 'pending' | 'resolved' | 'rejected'
  error: unknown
}

/** Follows a promise's outcome without awaiting it. */
function track(promise: Promise<unknown>, log?: string[], name?: string): Tracked {
  const tracked: Tracked = { status: 'pending', error: undefined }
  promise.then(
    () => {
      tracked.status = 'resolved'
      if (log && name) log.push(name)
    },
    (error: unknown) => {
      tracked.status = 'rejected'
      tracked.error = error
    },
  )
  return tracked
}

const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0)
}

function makeThrottler(options: { store?: RateLimitStore; sharePercent?: number; safetyMarginPercent?: number } = {}): Throttler {
  return new Throttler(LIMITS, { clock: fakeClock, ...options })
}

/**
 * Stands in for a Durable Object: one budget, reached with latency, on its own clock.
 * Logs every granted draw on the pool so the test can check each window.
 */
class RemoteBudget implements RateLimitStore {
  readonly granted: Array<{ atMs: number; weight: number }> = []
  readonly #inner = new InMemoryRateLimitStore()
  constructor(readonly latencyMs: number) {}
  #network(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.latencyMs))
  }
  async tryConsume(draws: readonly RateLimitDraw[]): Promise<RateLimitConsumeResult> {
    await this.#network()
    const result = this.#inner.tryConsume(draws, Date.now())
    const pool = draws.find((draw) => draw.limitId === 'POOL')
    if (result.granted && pool) this.granted.push({ atMs: Date.now(), weight: pool.weight })
    return result
  }
  async reportUsage(report: RateLimitUsageReport): Promise<void> {
    await this.#network()
    this.#inner.reportUsage(report)
  }
  async pause(limitIds: readonly string[], untilMs: number): Promise<void> {
    await this.#network()
    this.#inner.pause(limitIds, untilMs)
  }
  async ban(untilMs: number): Promise<void> {
    await this.#network()
    this.#inner.ban(untilMs)
  }
}


describe('throttler', () => {
  let store: InMemoryRateLimitStore
  let throttler: Throttler

  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(T0)
    store = new InMemoryRateLimitStore()
    throttler = makeThrottler({ store })
  })

  afterEach(() => {
    throttler.stop()
    vi.useRealTimers()
  })

  describe('windows and weights', () => {
    it('admits up to the limit at once, then holds the next until exactly one interval after the first', async () => {
      for (let count = 0; count < 3; count += 1) await throttler.acquire('OTHER')
      const fourth = track(throttler.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(999)
      expect(fourth.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1)
      expect(fourth.status).toBe('resolved')
      expect(Date.now()).toBe(T0 + 1_000)
    })

    it('frees each draw exactly when its own window ends (sliding window)', async () => {
      await throttler.acquire('OTHER') // T0
      vi.setSystemTime(T0 + 300)
      await throttler.acquire('OTHER')
      await throttler.acquire('OTHER') // T0+300 twice
      const next = track(throttler.acquire('OTHER'))
      const after = track(throttler.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(699) // T0+999: the T0 draw still counts
      expect(next.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1) // T0+1000
      expect(next.status).toBe('resolved')
      expect(after.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(299) // T0+1299
      expect(after.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1) // T0+1300: the two T0+300 draws end together
      expect(after.status).toBe('resolved')
    })

    it('takes each link weight from the linked pool and the own weight from the endpoint limit', async () => {
      await throttler.acquire('heavy')
      await throttler.acquire('light')
      expect(store.used('POOL', Date.now())).toBe(6)
      expect(store.used('heavy', Date.now())).toBe(1)
      expect(store.used('light', Date.now())).toBe(1)
      await throttler.acquire('light', { weight: 7 }) // overrides the own weight, not the link's
      expect(store.used('light', Date.now())).toBe(8)
      expect(store.used('POOL', Date.now())).toBe(7)
    })

    it('draws all or nothing: a request that does not fit in one pool takes nothing from the others', async () => {
      await throttler.acquire('heavy')
      await throttler.acquire('heavy') // POOL full
      const waiting = track(throttler.acquire('order'))
      await flush()
      expect(waiting.status).toBe('pending')
      expect(store.used('ORDERS', Date.now())).toBe(0)
      expect(store.used('order', Date.now())).toBe(0)
      await vi.advanceTimersByTimeAsync(1_000)
      expect(waiting.status).toBe('resolved')
      expect(store.used('ORDERS', Date.now())).toBe(1)
    })

    it('sums the weights when a limit links to itself', async () => {
      const selfLinked = new Throttler([{ id: 'A', limit: 4, intervalMs: 100, weight: 1, linkedLimits: [{ id: 'A', weight: 2 }] }], { clock: fakeClock, store })
      await selfLinked.acquire('A')
      expect(store.used('A', Date.now())).toBe(3)
      const second = track(selfLinked.acquire('A'))
      await flush()
      expect(second.status).toBe('pending')
      selfLinked.stop()
      await flush()
      expect(second.status).toBe('rejected')
    })

    it('a weight-0 request passes a full pool', async () => {
      for (let count = 0; count < 3; count += 1) await throttler.acquire('OTHER')
      await throttler.acquire('OTHER', { weight: 0 })
      expect(store.used('OTHER', Date.now())).toBe(3)
    })

    it('widens every window by the safety margin', async () => {
      const margined = makeThrottler({ safetyMarginPercent: 10 })
      for (let count = 0; count < 3; count += 1) await margined.acquire('OTHER')
      const next = track(margined.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(1_099)
      expect(next.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1)
      expect(next.status).toBe('resolved')
      expect(margined.limit('OTHER')?.intervalMs).toBe(1_100)
      margined.stop()
    })

    it('scales every limit by sharePercent, rounding down but never below 1', async () => {
      const shared = makeThrottler({ sharePercent: 25 })
      expect(shared.limit('POOL')).toMatchObject({ limit: 2, declaredLimit: 10 })
      expect(shared.limit('OTHER')?.limit).toBe(1) // floor(0.75) → at least 1
      expect(shared.limit('ORDERS')?.limit).toBe(1)
      await shared.acquire('light')
      await shared.acquire('light')
      const third = track(shared.acquire('light'))
      await flush()
      expect(third.status).toBe('pending')
      shared.stop()
    })
  })

  describe('order and waiting', () => {
    it('admits in arrival order: light requests do not overtake a heavy one at the head', async () => {
      const admitted: string[] = []
      for (let count = 0; count < 8; count += 1) await throttler.acquire('light') // 8 of 10 used
      track(throttler.acquire('heavy'), admitted, 'heavy') // needs 5: waits
      track(throttler.acquire('light'), admitted, 'light-1') // would fit now, but must not overtake
      track(throttler.acquire('light'), admitted, 'light-2')
      await flush()
      expect(admitted).toEqual([])
      await vi.advanceTimersByTimeAsync(1_000)
      expect(admitted).toEqual(['heavy', 'light-1', 'light-2'])
    })

    it('does not hold a request on unrelated pools behind a waiting one', async () => {
      await throttler.acquire('order')
      await throttler.acquire('order') // ORDERS (2 per 10 s) full
      const order = track(throttler.acquire('order'))
      const other = track(throttler.acquire('OTHER'))
      const light = track(throttler.acquire('light')) // shares POOL with the waiting order
      await flush()
      expect(order.status).toBe('pending')
      expect(other.status).toBe('resolved')
      expect(light.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(10_000)
      expect(order.status).toBe('resolved')
      expect(light.status).toBe('resolved')
    })

    it('waits on one timer set for the moment room frees, without polling the store', async () => {
      const tryConsume = vi.spyOn(store, 'tryConsume')
      await throttler.acquire('order')
      await throttler.acquire('order')
      const waiting = track(throttler.acquire('order'))
      await flush()
      expect(vi.getTimerCount()).toBe(1)
      const callsWhileWaiting = tryConsume.mock.calls.length
      const behind = track(throttler.acquire('light')) // held behind the order: no store call either
      await vi.advanceTimersByTimeAsync(9_999)
      expect(tryConsume.mock.calls.length).toBe(callsWhileWaiting)
      expect(behind.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1)
      expect(waiting.status).toBe('resolved')
      expect(behind.status).toBe('resolved')
      expect(tryConsume.mock.calls.length).toBe(callsWhileWaiting + 2)
      expect(vi.getTimerCount()).toBe(0)
    })

    it('aborting a waiting request rejects it with the reason and lets later ones proceed', async () => {
      const admitted: string[] = []
      for (let count = 0; count < 8; count += 1) await throttler.acquire('light')
      const controller = new AbortController()
      const heavy = track(throttler.acquire('heavy', { signal: controller.signal }), admitted, 'heavy')
      track(throttler.acquire('light'), admitted, 'light-1')
      track(throttler.acquire('light'), admitted, 'light-2')
      await flush()
      const reason = new Error('user left')
      controller.abort(reason)
      await flush()
      expect(heavy.status).toBe('rejected')
      expect(heavy.error).toBe(reason)
      expect(admitted).toEqual(['light-1', 'light-2']) // the freed head lets them in at once
      expect(throttler.pendingCount).toBe(0)
      expect(store.used('POOL', Date.now())).toBe(10)
    })

    it('aborting a request queued behind another removes only that one', async () => {
      for (let count = 0; count < 3; count += 1) await throttler.acquire('OTHER')
      const controller = new AbortController()
      const first = track(throttler.acquire('OTHER'))
      const middle = track(throttler.acquire('OTHER', { signal: controller.signal }))
      const last = track(throttler.acquire('OTHER'))
      await flush()
      expect(throttler.pendingCount).toBe(3)
      controller.abort(new Error('no longer needed'))
      await flush()
      expect(middle.status).toBe('rejected')
      expect(throttler.pendingCount).toBe(2)
      await vi.advanceTimersByTimeAsync(1_000)
      expect([first.status, last.status]).toEqual(['resolved', 'resolved'])
      expect(store.used('OTHER', Date.now())).toBe(2)
    })

    it('an abort during a walk on a slow store frees the requests it was holding back at once', async () => {
      const budget = new RemoteBudget(5)
      const slow = makeThrottler({ store: budget })
      track(slow.acquire('order'))
      track(slow.acquire('order'))
      await vi.advanceTimersByTimeAsync(20) // ORDERS full (2 per 10 s)
      const controller = new AbortController()
      const order = track(slow.acquire('order', { signal: controller.signal }))
      const light = track(slow.acquire('light')) // held behind the order (both draw on POOL)
      await vi.advanceTimersByTimeAsync(10)
      expect([order.status, light.status]).toEqual(['pending', 'pending'])
      // An unrelated request starts a walk; the order is aborted while the store answers it.
      const other = track(slow.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(6)
      controller.abort(new Error('cancelled'))
      await vi.advanceTimersByTimeAsync(20)
      expect(order.status).toBe('rejected')
      expect(other.status).toBe('resolved')
      expect(light.status).toBe('resolved')
      expect(Date.now()).toBeLessThan(T0 + 100)
      slow.stop()
    })

    it('rejects at once on an already aborted signal and draws nothing', async () => {
      const controller = new AbortController()
      controller.abort(new Error('too late'))
      await expect(throttler.acquire('light', { signal: controller.signal })).rejects.toThrow('too late')
      expect(store.used('POOL', Date.now())).toBe(0)
    })

    it('run() starts the task only once admitted and returns its result', async () => {
      for (let count = 0; count < 3; count += 1) await throttler.acquire('OTHER')
      const task = vi.fn(() => Promise.resolve('depth'))
      const running = throttler.run('OTHER', task)
      await flush()
      expect(task).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1_000)
      expect(await running).toBe('depth')
      expect(task).toHaveBeenCalledTimes(1)
    })

    it('re-arms the timer for a wait longer than setTimeout allows', async () => {
      const thirtyDaysMs = 30 * 24 * 3_600_000
      await throttler.pause(['OTHER'], T0 + thirtyDaysMs)
      const waiting = track(throttler.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1)
      expect(waiting.status).toBe('pending')
      expect(vi.getTimerCount()).toBe(1)
      await vi.advanceTimersByTimeAsync(thirtyDaysMs - (2 ** 31 - 1))
      expect(waiting.status).toBe('resolved')
    })
  })

  describe('server corrections', () => {
    it('raises the count when the server reports more usage, and waits for it', async () => {
      await throttler.acquire('light')
      await throttler.reportUsage('POOL', 9) // another process on our IP drew 8
      expect(store.used('POOL', Date.now())).toBe(9)
      await throttler.acquire('light') // 10 of 10
      const next = track(throttler.acquire('light'))
      await vi.advanceTimersByTimeAsync(999)
      expect(next.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1)
      expect(next.status).toBe('resolved')
    })

    it('keeps its own higher count when the server reports less (requests may still be in flight)', async () => {
      for (let count = 0; count < 10; count += 1) await throttler.acquire('light')
      await throttler.reportUsage('POOL', 1)
      expect(store.used('POOL', Date.now())).toBe(10)
      const next = track(throttler.acquire('light'))
      await flush()
      expect(next.status).toBe('pending')
    })

    it('holds a server-reported excess only until the window of the report ends', async () => {
      vi.setSystemTime(T0 + 400)
      await throttler.reportUsage('POOL', 10, T0 + 200)
      const next = track(throttler.acquire('light'))
      await vi.advanceTimersByTimeAsync(799) // T0+1199
      expect(next.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1) // T0+1200
      expect(next.status).toBe('resolved')
    })

    it('ignores a report whose window has already passed', async () => {
      vi.setSystemTime(T0 + 5_000)
      await throttler.reportUsage('POOL', 10, T0)
      expect(store.used('POOL', Date.now())).toBe(0)
    })

    it('with a share below 100%, charges only the usage of others beyond the share left to them', async () => {
      const half = makeThrottler({ store, sharePercent: 50 }) // POOL: 5 of the server's 10
      await half.acquire('light')
      await half.reportUsage('POOL', 6) // others used 5: exactly their half
      expect(store.used('POOL', Date.now())).toBe(1)
      await half.reportUsage('POOL', 8) // others used 7: 2 of them come out of our half
      expect(store.used('POOL', Date.now())).toBe(3)
      half.stop()
    })

    it('throws at once on a correction naming an unknown limit, or with a bad figure or moment', () => {
      expect(() => throttler.reportUsage('NOPE', 1)).toThrow(UnknownRateLimitError)
      expect(() => throttler.reportUsage('POOL', -1)).toThrow(InvalidInputError)
      expect(() => throttler.reportUsage('POOL', Number.NaN)).toThrow(InvalidInputError)
      expect(() => throttler.reportUsage('POOL', 1, Number.NaN)).toThrow('atMs must be a finite epoch ms')
      expect(() => throttler.pause(['NOPE'], T0 + 9_000)).toThrow(UnknownRateLimitError)
      expect(() => throttler.pause('all', Number.POSITIVE_INFINITY)).toThrow('untilMs must be a finite epoch ms')
      expect(() => throttler.ban(Number.NaN)).toThrow(InvalidInputError)
      expect(throttler.bannedUntil).toBeUndefined()
    })

    it('reports store failures while recording corrections instead of rejecting', async () => {
      const failing = (): never => {
        throw new Error('store down')
      }
      const errors: Error[] = []
      const unreliable = new Throttler(LIMITS, {
        clock: fakeClock,
        store: { tryConsume: () => ({ granted: true }), reportUsage: failing, pause: () => Promise.reject('pause lost'), ban: failing },
        onError: (error) => errors.push(error),
      })
      await unreliable.reportUsage('POOL', 3)
      await unreliable.pause('all', T0 + 1_000)
      await unreliable.ban(T0 + 1_000)
      expect(errors.map((error) => error.message)).toEqual(['store down', 'pause lost', 'store down'])
      expect(unreliable.bannedUntil).toBe(T0 + 1_000) // the local part still took effect
      const silent = new Throttler(LIMITS, {
        store: { tryConsume: () => ({ granted: true }), reportUsage: failing, pause: failing, ban: failing },
        onError: () => {
          throw new Error('handler broke')
        },
      })
      await silent.reportUsage('POOL', 3)
      await new Throttler(LIMITS, { store: { tryConsume: () => ({ granted: true }), reportUsage: failing, pause: failing, ban: failing } }).ban(T0)
      unreliable.stop()
    })

    it('pause (Retry-After) holds every affected request until the given moment', async () => {
      await throttler.pause('all', T0 + 5_000)
      const light = track(throttler.acquire('light'))
      const other = track(throttler.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(4_999)
      expect([light.status, other.status]).toEqual(['pending', 'pending'])
      await vi.advanceTimersByTimeAsync(1)
      expect([light.status, other.status]).toEqual(['resolved', 'resolved'])
    })

    it('pausing some pools leaves the others running, and a pause is never shortened', async () => {
      await throttler.pause(['POOL'], T0 + 3_000)
      await throttler.pause(['POOL'], T0 + 1_000)
      const light = track(throttler.acquire('light'))
      const other = track(throttler.acquire('OTHER'))
      await flush()
      expect(other.status).toBe('resolved')
      await vi.advanceTimersByTimeAsync(2_999)
      expect(light.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1)
      expect(light.status).toBe('resolved')
    })

    it('a pause holds at once, before a slow shared store has recorded it', async () => {
      const budget = new RemoteBudget(50)
      const remote = makeThrottler({ store: budget })
      const tryConsume = vi.spyOn(budget, 'tryConsume')
      void remote.pause('all', T0 + 2_000)
      const held = track(remote.acquire('light'))
      await vi.advanceTimersByTimeAsync(1_999)
      expect(held.status).toBe('pending')
      expect(tryConsume).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(51)
      expect(held.status).toBe('resolved')
      remote.stop()
    })

    it('a pause holds weight-0 requests too', async () => {
      await throttler.pause(['OTHER'], T0 + 500)
      const free = track(throttler.acquire('OTHER', { weight: 0 }))
      await vi.advanceTimersByTimeAsync(499)
      expect(free.status).toBe('pending')
      await vi.advanceTimersByTimeAsync(1)
      expect(free.status).toBe('resolved')
    })

    it('a ban refuses waiting requests and new ones at once with IpBannedError, then lifts at its end', async () => {
      for (let count = 0; count < 3; count += 1) await throttler.acquire('OTHER')
      const waiting = track(throttler.acquire('OTHER'))
      await flush()
      const bannedUntil = T0 + 120_000
      await throttler.ban(bannedUntil)
      await flush()
      expect(waiting.status).toBe('rejected')
      expect(waiting.error).toBeInstanceOf(IpBannedError)
      expect((waiting.error as IpBannedError).bannedUntil).toBe(bannedUntil)
      expect(throttler.bannedUntil).toBe(bannedUntil)
      expect(vi.getTimerCount()).toBe(0)

      const during = throttler.acquire('light')
      await expect(during).rejects.toBeInstanceOf(IpBannedError)
      await expect(throttler.acquire('light')).rejects.toMatchObject({ bannedUntil })
      expect(throttler.pendingCount).toBe(0)

      vi.setSystemTime(bannedUntil - 1)
      await expect(throttler.acquire('light')).rejects.toBeInstanceOf(IpBannedError)
      vi.setSystemTime(bannedUntil)
      expect(throttler.bannedUntil).toBeUndefined()
      await throttler.acquire('light')
    })

    it('a ban is never shortened, and a ban already over changes nothing', async () => {
      await throttler.ban(T0 + 60_000)
      await throttler.ban(T0 + 1_000)
      expect(throttler.bannedUntil).toBe(T0 + 60_000)
      const fresh = makeThrottler()
      await fresh.ban(T0 - 1)
      expect(fresh.bannedUntil).toBeUndefined()
      await fresh.acquire('light')
      fresh.stop()
    })
  })

  describe('mistakes in the request or the data', () => {
    it('rejects an unknown limit id at request time with UnknownRateLimitError', async () => {
      const failure = throttler.acquire('/api/v3/nope')
      await expect(failure).rejects.toBeInstanceOf(UnknownRateLimitError)
      await expect(failure).rejects.toMatchObject({ limitId: '/api/v3/nope' })
      await expect(throttler.run('/api/v3/nope', () => 1)).rejects.toBeInstanceOf(UnknownRateLimitError)
    })

    it('rejects a weight that could never fit, or is not a number ≥ 0', async () => {
      await expect(throttler.acquire('OTHER', { weight: 4 })).rejects.toBeInstanceOf(InvalidInputError)
      await expect(throttler.acquire('OTHER', { weight: -1 })).rejects.toBeInstanceOf(InvalidInputError)
      const tooSmall = makeThrottler({ sharePercent: 40 }) // POOL 4: a heavy request (5) never fits
      await expect(tooSmall.acquire('heavy')).rejects.toThrow("takes 5 from 'POOL', more than its limit of 4")
      tooSmall.stop()
    })

    it('fails at construction on a link to an undefined limit, and on other bad data', () => {
      const cases: Array<[readonly RateLimit[], string]> = [
        [[{ id: 'a', limit: 1, intervalMs: 1, linkedLimits: [{ id: 'missing' }] }], "'a' links to 'missing', which is not defined"],
        [[{ id: 'a', limit: 1, intervalMs: 1 }, { id: 'a', limit: 2, intervalMs: 1 }], "'a' is defined twice"],
        [[{ id: '', limit: 1, intervalMs: 1 }], 'non-empty id'],
        [[{ id: 'a', limit: 0, intervalMs: 1 }], "the limit of 'a' must be a positive number"],
        [[{ id: 'a', limit: 1, intervalMs: Number.POSITIVE_INFINITY }], "the interval of 'a' must be a positive number"],
        [[{ id: 'a', limit: 1, intervalMs: 1, weight: -2 }], "the weight of 'a' must be 0 or more"],
        [[{ id: 'a', limit: 1, intervalMs: 1, linkedLimits: [{ id: 'a', weight: Number.NaN }] }], "the weight 'a' takes from 'a'"],
      ]
      for (const [limits, message] of cases) {
        expect(() => new Throttler(limits)).toThrow(InvalidInputError)
        expect(() => new Throttler(limits)).toThrow(message)
      }
      for (const sharePercent of [0, -5, 101, Number.NaN]) {
        expect(() => new Throttler(LIMITS, { sharePercent })).toThrow('sharePercent must be above 0 and at most 100')
      }
      for (const safetyMarginPercent of [-1, Number.POSITIVE_INFINITY]) {
        expect(() => new Throttler(LIMITS, { safetyMarginPercent })).toThrow('safetyMarginPercent must be 0 or more')
      }
      expect(resolveRateLimits(LIMITS, { sharePercent: 100, safetyMarginPercent: 0 }).size).toBe(LIMITS.length)
      expect(throttler.limit('nope')).toBeUndefined()
    })

    it('rejects the request when the store fails, and goes on with the next one', async () => {
      const broken: RateLimitStore = {
        tryConsume: vi.fn<RateLimitStore['tryConsume']>().mockRejectedValueOnce(new Error('store unreachable')).mockReturnValue({ granted: true }),
        reportUsage: () => undefined,
        pause: () => undefined,
        ban: () => undefined,
      }
      const fragile = makeThrottler({ store: broken })
      const first = track(fragile.acquire('light'))
      const second = track(fragile.acquire('light'))
      await flush()
      expect(first.status).toBe('rejected')
      expect((first.error as Error).message).toBe('store unreachable')
      expect(second.status).toBe('resolved')
      fragile.stop()
    })
  })

  describe('stop', () => {
    it('refuses waiting requests, leaves no timer behind and refuses later requests', async () => {
      for (let count = 0; count < 3; count += 1) await throttler.acquire('OTHER')
      const controller = new AbortController()
      const waiting = track(throttler.acquire('OTHER', { signal: controller.signal }))
      const queued = track(throttler.acquire('OTHER'))
      await flush()
      expect(vi.getTimerCount()).toBe(1)
      throttler.stop()
      await flush()
      expect(vi.getTimerCount()).toBe(0)
      expect(waiting.status).toBe('rejected')
      expect(queued.status).toBe('rejected')
      expect(waiting.error).toBeInstanceOf(SpotwireError)
      expect((queued.error as Error).message).toMatch(/stopped/)
      controller.abort(new Error('after stop')) // the listener is gone: nothing happens
      await expect(throttler.acquire('light')).rejects.toThrow(/stopped/)
      expect(throttler.pendingCount).toBe(0)
    })

    it('stopping while the store is answering admits nothing more', async () => {
      let release: (result: RateLimitConsumeResult) => void = () => {}
      const slow: RateLimitStore = {
        tryConsume: () => new Promise((resolve) => (release = resolve)),
        reportUsage: () => undefined,
        pause: () => undefined,
        ban: () => undefined,
      }
      const stopping = makeThrottler({ store: slow })
      const first = track(stopping.acquire('light'))
      const second = track(stopping.acquire('light'))
      await flush()
      stopping.stop()
      release({ granted: true })
      await flush()
      expect([first.status, second.status]).toEqual(['rejected', 'rejected'])
      expect(vi.getTimerCount()).toBe(0)
    })
  })

  describe('a store shared by several throttlers (isolates)', () => {
    it('two throttlers on one store never exceed the limit together', async () => {
      const budget = new RemoteBudget(7)
      const isolates = [makeThrottler({ store: budget }), makeThrottler({ store: budget })]
      const outcomes: Tracked[] = []
      for (let round = 0; round < 30; round += 1) {
        for (const [index, isolate] of isolates.entries()) {
          outcomes.push(track(isolate.acquire((round + index) % 3 === 0 ? 'heavy' : 'light')))
        }
        await vi.advanceTimersByTimeAsync(13)
      }
      await vi.advanceTimersByTimeAsync(60_000)
      expect(outcomes.every((outcome) => outcome.status === 'resolved')).toBe(true)
      expect(budget.granted.reduce((sum, draw) => sum + draw.weight, 0)).toBe(20 * 5 + 40 * 1)
      for (const draw of budget.granted) {
        const inWindow = budget.granted.filter((other) => other.atMs > draw.atMs - 1_000 && other.atMs <= draw.atMs)
        expect(inWindow.reduce((sum, other) => sum + other.weight, 0)).toBeLessThanOrEqual(10)
      }
      for (const isolate of isolates) isolate.stop()
      await flush()
      expect(vi.getTimerCount()).toBe(0)
    })

    it('a ban recorded by one throttler reaches the other through the store', async () => {
      const budget = new RemoteBudget(2)
      const [first, second] = [makeThrottler({ store: budget }), makeThrottler({ store: budget })]
      for (let count = 0; count < 3; count += 1) await Promise.all([vi.advanceTimersByTimeAsync(2), second.acquire('OTHER')])
      const waiting = track(second.acquire('OTHER'))
      await vi.advanceTimersByTimeAsync(2)
      await Promise.all([first.ban(T0 + 600_000), vi.advanceTimersByTimeAsync(2)])
      await vi.advanceTimersByTimeAsync(1_000)
      expect(waiting.status).toBe('rejected')
      expect(waiting.error).toBeInstanceOf(IpBannedError)
      expect(second.bannedUntil).toBe(T0 + 600_000)
      await expect(second.acquire('light')).rejects.toBeInstanceOf(IpBannedError)
      first.stop()
      second.stop()
    })
  })

  describe('in-memory store', () => {
    const draw = (limitId: string, weight: number, limit = 10, intervalMs = 1_000): RateLimitDraw => ({ limitId, weight, limit, intervalMs })

    it('answers with the longest wait among the pools, counting pauses, and records nothing then', () => {
      const memory = new InMemoryRateLimitStore()
      expect(memory.tryConsume([draw('A', 10)], T0)).toEqual({ granted: true })
      memory.pause(['B'], T0 + 300)
      expect(memory.tryConsume([draw('A', 1), draw('B', 1)], T0 + 100)).toEqual({ granted: false, retryAfterMs: 900 })
      expect(memory.tryConsume([draw('B', 1)], T0 + 100)).toEqual({ granted: false, retryAfterMs: 200 })
      expect(memory.used('B', T0 + 100)).toBe(0)
      expect(memory.tryConsume([draw('A', 1), draw('B', 1)], T0 + 1_000)).toEqual({ granted: true })
    })

    it('frees just enough of the oldest draws for the new weight', () => {
      const memory = new InMemoryRateLimitStore()
      memory.tryConsume([draw('A', 4)], T0)
      memory.tryConsume([draw('A', 3)], T0 + 100)
      memory.tryConsume([draw('A', 3)], T0 + 200)
      expect(memory.tryConsume([draw('A', 4)], T0 + 300)).toEqual({ granted: false, retryAfterMs: 700 })
      expect(memory.tryConsume([draw('A', 5)], T0 + 300)).toEqual({ granted: false, retryAfterMs: 800 })
    })

    it('says a draw larger than its limit can never fit', () => {
      const memory = new InMemoryRateLimitStore()
      expect(memory.tryConsume([draw('A', 11)], T0)).toMatchObject({ granted: false, retryAfterMs: Number.POSITIVE_INFINITY })
      memory.tryConsume([draw('A', 1)], T0)
      expect(memory.tryConsume([draw('A', 11)], T0)).toMatchObject({ granted: false, retryAfterMs: Number.POSITIVE_INFINITY })
    })

    it('files a late usage report among the draws by the time its window ends', () => {
      const memory = new InMemoryRateLimitStore()
      memory.tryConsume([draw('A', 1)], T0 + 500)
      memory.reportUsage({ limitId: 'A', used: 6, atMs: T0 + 100, intervalMs: 1_000 })
      expect(memory.used('A', T0 + 500)).toBe(7)
      expect(memory.used('A', T0 + 1_100)).toBe(1)
      // the report's draw ends first, so it is freed first
      expect(memory.tryConsume([draw('A', 5)], T0 + 600)).toEqual({ granted: false, retryAfterMs: 500 })
      memory.reportUsage({ limitId: 'A', used: 2, atMs: T0 + 600, intervalMs: 1_000 })
      expect(memory.used('A', T0 + 600)).toBe(7)
    })

    it('refuses everything during a ban and names its end', () => {
      const memory = new InMemoryRateLimitStore()
      memory.ban(T0 + 5_000)
      memory.ban(T0 + 1_000)
      expect(memory.tryConsume([draw('A', 1)], T0)).toEqual({ granted: false, retryAfterMs: 5_000, bannedUntil: T0 + 5_000 })
      expect(memory.tryConsume([draw('A', 1)], T0 + 5_000)).toEqual({ granted: true })
    })
  })

  it('works with the system clock and its own store by default', async () => {
    const plain = new Throttler(LIMITS)
    await plain.acquire('heavy')
    await plain.acquire('heavy')
    const third = track(plain.acquire('light'))
    await vi.advanceTimersByTimeAsync(999)
    expect(third.status).toBe('pending')
    await vi.advanceTimersByTimeAsync(1)
    expect(third.status).toBe('resolved')
    plain.stop()
  })

  describe('admission queue', () => {
    const draws: readonly RateLimitDraw[] = [{ limitId: 'A', weight: 1, limit: 1, intervalMs: 100 }]

    it('refuses a request whose attempt throws, and goes on with the next', async () => {
      const attempt = vi.fn<(draws: readonly RateLimitDraw[]) => Promise<AdmissionDecision>>()
      attempt.mockRejectedValueOnce(new Error('attempt failed')).mockResolvedValue({ kind: 'admit' })
      const queue = new AdmissionQueue(attempt)
      const first = track(queue.enqueue(draws))
      const second = track(queue.enqueue(draws))
      await flush()
      expect(first.status).toBe('rejected')
      expect((first.error as Error).message).toBe('attempt failed')
      expect(second.status).toBe('resolved')
      expect(queue.pendingCount).toBe(0)
    })

    it('refuses at once when closed or when the signal already aborted, without an attempt', async () => {
      const attempt = vi.fn(() => Promise.resolve<AdmissionDecision>({ kind: 'admit' }))
      const queue = new AdmissionQueue(attempt)
      const controller = new AbortController()
      controller.abort(new Error('aborted first'))
      await expect(queue.enqueue(draws, controller.signal)).rejects.toThrow('aborted first')
      queue.close(new Error('closed'))
      await expect(queue.enqueue(draws)).rejects.toThrow('closed')
      expect(attempt).not.toHaveBeenCalled()
      expect(vi.getTimerCount()).toBe(0)
    })
  })
})
