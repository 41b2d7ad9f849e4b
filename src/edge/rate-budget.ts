// One exchange budget shared by every isolate (DESIGN.md "Edge"). Each budget key (an exchange
// account, an IP) gets one RateBudget Durable Object holding the core's InMemoryRateLimitStore; the
// Worker's throttlers keep their own queues and ask it, over RPC, "may this request go now?".
//
// Atomicity: every method is synchronous, so the Durable Object's input gate runs each call to the
// end before the next one starts; an all-or-nothing draw can never interleave with another isolate's.
//
// Clocks: windows are kept on the Durable Object's own clock, so isolates with skewed clocks still
// share one window. Each call carries the caller's clock reading; the times a caller passes in
// (usage report moments, pause and ban ends) are moved onto the object's clock by that offset, and a
// `bannedUntil` going back out is moved onto the caller's. Latency only makes a pause or ban a little
// longer here, never shorter.
//
// Eviction: counters live in memory only. An object is evicted after a spell without requests, by
// which time a minute window's draws have mostly expired; what an eviction (or a redeploy) loses the
// exchange's own usage headers put back through `reportUsage`. Persisting each draw would add a
// storage write to every request. Pauses and bans are rare, long and costly to forget (forgetting a
// ban means hitting the exchange during it, which lengthens it), so they are written to storage and
// restored when the object starts.
import { DurableObject } from 'cloudflare:workers'
import type { Clock } from '../core/clock.ts'
import { systemClock } from '../core/clock.ts'
import type { RateLimitConsumeResult, RateLimitDraw, RateLimitStore, RateLimitUsageReport } from '../core/throttler-store.ts'
import { InMemoryRateLimitStore } from '../core/throttler-store.ts'
import type { EdgeEnv } from './env.ts'

const BAN_KEY = 'ban'
const PAUSE_KEY_PREFIX = 'pause:'

/**
 * The counters behind one exchange budget, shared by every isolate through RPC. Use it through
 * `rateBudgetStore`, which supplies the caller's clock readings.
 *
 * @example
 * const stub = env.RATE_BUDGET.get(env.RATE_BUDGET.idFromName('binance:main'))
 * await stub.tryConsume([{ limitId: 'REQUEST_WEIGHT', weight: 1, limit: 6000, intervalMs: 60_000 }], Date.now())
 */
export class RateBudget extends DurableObject<EdgeEnv> {
  readonly #store = new InMemoryRateLimitStore()

  constructor(ctx: DurableObjectState, env: EdgeEnv) {
    super(ctx, env)
    this.#restoreHolds()
  }

  /** All or nothing, on this object's clock; a ban's end comes back on the caller's clock. */
  tryConsume(draws: readonly RateLimitDraw[], callerNowMs?: number): RateLimitConsumeResult {
    const nowMs = Date.now()
    const result = this.#store.tryConsume(draws, nowMs)
    if (result.granted || result.bannedUntil === undefined) return result
    return { ...result, bannedUntil: result.bannedUntil - offsetFrom(callerNowMs, nowMs) }
  }

  /** Raises a pool's count to the server's figure (never lowers it); `atMs` is on the caller's clock. */
  reportUsage(report: RateLimitUsageReport, callerNowMs?: number): void {
    this.#store.reportUsage({ ...report, atMs: report.atMs + offsetFrom(callerNowMs, Date.now()) })
  }

  /** Refuses draws on these pools until `untilMs` (caller's clock); extends, never shortens. */
  pause(limitIds: readonly string[], untilMs: number, callerNowMs?: number): void {
    const localUntilMs = untilMs + offsetFrom(callerNowMs, Date.now())
    this.#store.pause(limitIds, localUntilMs)
    const kv = this.ctx.storage.kv
    for (const limitId of limitIds) {
      const key = PAUSE_KEY_PREFIX + limitId
      kv.put(key, Math.max(kv.get<number>(key) ?? 0, localUntilMs))
    }
  }

  /** Refuses every draw until `untilMs` (caller's clock); extends, never shortens. */
  ban(untilMs: number, callerNowMs?: number): void {
    const localUntilMs = untilMs + offsetFrom(callerNowMs, Date.now())
    this.#store.ban(localUntilMs)
    const kv = this.ctx.storage.kv
    kv.put(BAN_KEY, Math.max(kv.get<number>(BAN_KEY) ?? 0, localUntilMs))
  }

  /** Puts back the pauses and ban still in force; drops the ones that have ended. */
  #restoreHolds(): void {
    const nowMs = Date.now()
    const kv = this.ctx.storage.kv
    const bannedUntilMs = kv.get<number>(BAN_KEY)
    if (bannedUntilMs !== undefined) {
      if (bannedUntilMs > nowMs) this.#store.ban(bannedUntilMs)
      else kv.delete(BAN_KEY)
    }
    for (const [key, pausedUntilMs] of kv.list<number>({ prefix: PAUSE_KEY_PREFIX })) {
      if (pausedUntilMs > nowMs) this.#store.pause([key.slice(PAUSE_KEY_PREFIX.length)], pausedUntilMs)
      else kv.delete(key)
    }
  }
}

/** How far this object's clock is ahead of the caller's (0 when the caller gave no reading). */
function offsetFrom(callerNowMs: number | undefined, nowMs: number): number {
  return callerNowMs === undefined || !Number.isFinite(callerNowMs) ? 0 : nowMs - callerNowMs
}

export interface RateBudgetStoreOptions {
  /** The clock of the throttler using this store (pass the same one); defaults to the system clock. */
  readonly clock?: Clock
}

/**
 * The throttler's store for one shared budget: one RateBudget Durable Object per `budgetKey` (an
 * exchange account or an IP), reached over RPC. Every isolate that passes the same namespace and key
 * draws from the same counters.
 *
 * @example
 * const throttler = new Throttler(RATE_LIMITS, { store: rateBudgetStore(env.RATE_BUDGET, `binance:${apiKeyId}`) })
 */
export function rateBudgetStore(namespace: DurableObjectNamespace, budgetKey: string, options: RateBudgetStoreOptions = {}): RateLimitStore {
  const budgets = namespace as unknown as DurableObjectNamespace<RateBudget>
  const clock = options.clock ?? systemClock
  let cachedStub: DurableObjectStub<RateBudget> | undefined
  /** Runs one RPC; after a failure the stub may be broken, so the next call gets a fresh one. */
  const call = async <Result>(rpc: (stub: DurableObjectStub<RateBudget>) => Promise<Result>): Promise<Result> => {
    cachedStub ??= budgets.get(budgets.idFromName(budgetKey))
    try {
      return await rpc(cachedStub)
    } catch (error) {
      cachedStub = undefined
      throw error
    }
  }
  return {
    // `nowMs` is the caller's clock reading: the object counts on its own and uses this only to
    // translate a ban's end back to the caller's clock.
    tryConsume: (draws, nowMs) => call(async (stub): Promise<RateLimitConsumeResult> => await stub.tryConsume(draws, nowMs)),
    reportUsage: (report) => call((stub) => stub.reportUsage(report, clock.now())),
    pause: (limitIds, untilMs) => call((stub) => stub.pause(limitIds, untilMs, clock.now())),
    ban: (untilMs) => call((stub) => stub.ban(untilMs, clock.now())),
  }
}
