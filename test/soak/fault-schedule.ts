// Injects faults into the simulator at a set rate: every `intervalMs` a seeded draw picks one fault
// from a weighted menu and arms it (count 1). Frame and request faults strike when matching traffic
// passes; the simulator's `faults.counts()` is what struck. A clock skew is undone `skewHoldMs`
// later (that reset is not counted as a fault). The same seed draws the same menu sequence.
import type { FaultSpecInput } from '../../src/sim/faults/fault-spec.ts'
import { SeededRandom } from '../../src/sim/engine/seeded-random.ts'
import type { Simulator } from '../../src/sim/index.ts'

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'ETHBTC'] as const
const ORDER = '/api/v3/order'

type FaultFactory = (random: SeededRandom) => FaultSpecInput

/** Each entry: relative weight, and how to build the fault. Tuned so books and orders keep flowing. */
const MENU: readonly (readonly [number, FaultFactory])[] = [
  // The user data stream: executionReport / outboundAccountPosition frames doubled, swapped, broken.
  [14, () => ({ kind: 'duplicateFrames', channel: 'userData' })],
  [8, () => ({ kind: 'reorderFrames', channel: 'userData' })],
  [3, () => ({ kind: 'malformedFrames', channel: 'userData' })],
  // Public depth: duplicates are ignored by id, reorders / breaks / skips are gaps (stale + resync).
  [12, (random) => ({ kind: 'duplicateFrames', channel: 'market', event: 'depthUpdate', symbol: pick(random, SYMBOLS) })],
  [3, (random) => ({ kind: 'reorderFrames', channel: 'market', event: 'depthUpdate', symbol: pick(random, SYMBOLS) })],
  [2, () => ({ kind: 'malformedFrames', channel: 'market' })],
  [3, (random) => ({ kind: 'skipSequenceIds', symbol: pick(random, SYMBOLS) })],
  // WS API replies.
  [2, () => ({ kind: 'malformedFrames', channel: 'wsApi' })],
  [2, () => ({ kind: 'duplicateFrames', channel: 'wsApi' })],
  // Orders over REST: 5xx before running, 5xx after running (status unknown), no answer at all.
  [6, () => ({ kind: 'failRequests', path: ORDER, method: 'POST', mode: 'reject' })],
  [6, () => ({ kind: 'failRequests', path: ORDER, method: 'POST', mode: 'afterExecute', status: 500 })],
  [2, () => ({ kind: 'failRequests', path: ORDER, method: 'POST', mode: 'hang' })],
  [3, () => ({ kind: 'failRequests', path: ORDER, method: 'DELETE', mode: 'reject' })],
  [3, () => ({ kind: 'failRequests', path: ORDER, method: 'DELETE', mode: 'afterExecute', status: 502 })],
  [1, () => ({ kind: 'failRequests', path: ORDER, method: 'DELETE', mode: 'hang' })],
  [2, () => ({ kind: 'failRequests', path: ORDER, method: 'GET', mode: 'reject', status: 504 })],
  [1, () => ({ kind: 'failRequests', path: ORDER, method: 'GET', mode: 'hang' })],
  // 429 with Retry-After on whatever REST request comes next (the client must pause everything).
  [1.5, () => ({ kind: 'throttleRequests', retryAfterSeconds: 2 })],
  [1, (random) => ({ kind: 'dropSockets', sockets: pick(random, ['market', 'wsApi', 'all'] as const) })],
  // Past the 5 s recvWindow behind, or 1 s+ ahead: -1021 until the client resyncs its clock.
  [0.7, (random) => ({ kind: 'clockSkew', ms: random.chance(0.5) ? -random.nextInt(6_000, 9_000) : random.nextInt(1_500, 3_000) })],
]

/** Most faults one tick arms when behind. */
const MAX_BURST = 3

const TOTAL_WEIGHT = MENU.reduce((sum, [weight]) => sum + weight, 0)

export interface FaultSchedule {
  /** Faults armed so far, by kind (struck counts come from `simulator.faults.counts()`). */
  readonly armed: Readonly<Record<string, number>>
  /** Wall-clock times (ms) at which the simulator's clock skew changed. */
  readonly skewChanges: readonly number[]
  /** Stops arming, undoes any skew and disarms what has not struck (releasing hung requests). */
  stop(): void
}

export interface FaultScheduleOptions {
  readonly seed: number
  readonly intervalMs: number
  /** How long a clock skew stays before the schedule undoes it. Default 2500 ms. */
  readonly skewHoldMs?: number
}

/**
 * @example
 * const schedule = startFaultSchedule(server.simulator, { seed: 1, intervalMs: 80 })
 * schedule.stop()
 */
export function startFaultSchedule(simulator: Simulator, options: FaultScheduleOptions): FaultSchedule {
  const random = new SeededRandom(options.seed ^ 0x5eed_fa17)
  const armed: Record<string, number> = {}
  const skewChanges: number[] = []
  let skewTimer: ReturnType<typeof setTimeout> | undefined
  let resets = 0
  const unskew = () => {
    skewTimer = undefined
    resets += 1
    simulator.faults.arm({ kind: 'clockSkew', ms: 0 })
    skewChanges.push(Date.now())
  }
  const armOne = () => {
    const spec = draw(random)
    if (spec.kind === 'clockSkew') {
      if (skewTimer !== undefined) return // one skew at a time
      skewTimer = setTimeout(unskew, options.skewHoldMs ?? 2_500)
      skewChanges.push(Date.now())
    }
    simulator.faults.arm(spec)
    armed[spec.kind] = (armed[spec.kind] ?? 0) + 1
  }
  // Faults are due at one per interval; frame faults wait for matching traffic, so a tick arms
  // another only while those struck plus those still waiting fall short of what is due (a few at most).
  const startedAt = Date.now()
  const timer = setInterval(() => {
    const due = Math.floor((Date.now() - startedAt) / options.intervalMs) + 1
    const struck = Object.values(simulator.faults.counts()).reduce((sum, count) => sum + count, 0) - resets
    const waiting = simulator.faults.armed().length
    for (let burst = 0; burst < MAX_BURST && struck + waiting + burst < due; burst += 1) armOne()
  }, options.intervalMs)
  return {
    armed,
    skewChanges,
    stop() {
      clearInterval(timer)
      if (skewTimer !== undefined) {
        clearTimeout(skewTimer)
        skewTimer = undefined
        skewChanges.push(Date.now())
      }
      simulator.faults.clear()
    },
  }
}

function draw(random: SeededRandom): FaultSpecInput {
  let point = random.nextFloat() * TOTAL_WEIGHT
  for (const [weight, build] of MENU) {
    point -= weight
    if (point < 0) return build(random)
  }
  return (MENU[0] as (typeof MENU)[number])[1](random)
}

function pick<Value>(random: SeededRandom, values: readonly Value[]): Value {
  return values[random.nextInt(0, values.length - 1)] as Value
}
