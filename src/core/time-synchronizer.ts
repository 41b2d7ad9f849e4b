// The exchange's clock, estimated from round trips. Signed requests must carry a timestamp the
// server accepts (Binance: within recvWindow, never 1 s ahead), so the REST layer stamps them with
// `synchronizer.now()` instead of the local wall clock.
//
// Each sample asks the server for its time and assumes the answer was produced half-way through
// the round trip. Round trips are measured on the monotonic clock, which cannot jump when the wall
// clock is adjusted. To turn monotonic readings into epoch ms, the synchronizer keeps an anchor
// (wall − monotonic) taken when the first sample of a window arrives; every sample is stored as
// "server time − anchored local time", i.e. how far the server runs ahead of this machine.
import { watchAbort } from './abort-watch.ts'
import type { Clock } from './clock.ts'
import { systemClock } from './clock.ts'
import { SpotwireError, asError } from './errors.ts'

/** How many offset samples are kept; older ones fall out. */
export const TIME_OFFSET_SAMPLE_LIMIT = 5

/**
 * Fetches the server's current time in epoch ms. It receives a signal that aborts when every caller
 * waiting on this sample has given up; passing it on to `fetch` is optional but saves the request.
 */
export type ServerTimeProvider = (signal: AbortSignal) => Promise<number>

export interface TimeSynchronizerOptions {
  /** Defaults to the system clock; tests inject one they drive. */
  readonly clock?: Clock
  /** Called once for each failed sample (network error, bad answer). A throwing handler is ignored. */
  readonly onError?: (error: Error) => void
}

export interface TimeSyncOptions {
  /** Stops waiting: the returned promise rejects with the signal's reason and no sample is kept. */
  readonly signal?: AbortSignal
}

/** What an update did. Provider failures land here (and on `onError`) instead of being thrown. */
export type TimeSyncResult =
  | { readonly ok: true; readonly sampled: true; readonly offsetMs: number; readonly roundTripMs: number }
  | { readonly ok: true; readonly sampled: false; readonly offsetMs: number }
  | { readonly ok: false; readonly error: Error }

/** One provider call that several callers may be waiting on. */
interface SharedSample {
  readonly controller: AbortController
  readonly result: Promise<TimeSyncResult>
  waiters: number
}

/**
 * Estimates the server's clock from round-trip samples.
 *
 * @example
 * const serverTime = new TimeSynchronizer({ onError: (error) => log.warn(error.message) })
 * await serverTime.updateIfUninitialized(() => fetchServerTime())   // before a signed request
 * params.timestamp = serverTime.now()
 * await serverTime.update(() => fetchServerTime())                  // after a -1021 timestamp error
 */
export class TimeSynchronizer {
  readonly #clock: Clock
  readonly #onError: ((error: Error) => void) | undefined
  /** Server time minus anchored local time, ms, oldest first. */
  #samples: number[] = []
  /** Bumped by clear(): a sample whose request went out before it measured the old clock. */
  #generation = 0
  /** wall − monotonic, captured when the first sample of the current window arrived. */
  #anchorMs = 0
  #inFlight: SharedSample | undefined
  /** The fresh sample a `resync()` is waiting for; later resyncs join it. */
  #resyncing: SharedSample | undefined

  constructor(options: TimeSynchronizerOptions = {}) {
    this.#clock = options.clock ?? systemClock
    this.#onError = options.onError
  }

  /**
   * The server's current time in epoch ms; the local wall clock until the first sample.
   *
   * @example
   * const timestamp = serverTime.now()
   */
  now(): number {
    if (this.#samples.length === 0) return this.#clock.now()
    return this.#clock.monotonic() + this.#anchorMs + combineOffsets(this.#samples)
  }

  /** How far the server's clock runs ahead of the local one, ms (negative: behind); 0 without samples. */
  get offsetMs(): number {
    return this.#samples.length === 0 ? 0 : combineOffsets(this.#samples)
  }

  /** True once at least one sample was taken. */
  get isInitialized(): boolean {
    return this.#samples.length > 0
  }

  /** The kept samples (server − local, ms), oldest first. */
  get samples(): readonly number[] {
    return [...this.#samples]
  }

  /**
   * Adds an offset sample directly: `offsetMs` is how far the server runs ahead of the local wall
   * clock. Meant for tests and for callers that learn the server time some other way.
   *
   * @example
   * serverTime.addSample(0)   // trust the local clock
   */
  addSample(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) throw new SpotwireError(`A time offset sample must be a finite number of ms, got ${offsetMs}`)
    if (this.#samples.length === 0) this.#anchorToWallClock()
    this.#push(offsetMs)
  }

  /** Forgets every sample: `now()` is the wall clock again until the next sample. */
  clear(): void {
    this.#samples = []
    this.#generation += 1
  }

  /**
   * Takes one sample now. Never rejects because of the provider: a failure resolves to
   * `{ ok: false, error }` and is passed to `onError`. Rejects only when `signal` aborts.
   *
   * @example
   * const result = await serverTime.update(fetchServerTime)
   * if (!result.ok) console.warn('clock not refreshed', result.error)
   */
  update(provider: ServerTimeProvider, options: TimeSyncOptions = {}): Promise<TimeSyncResult> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason)
    const shared = this.#startSample(provider)
    // Later `updateIfUninitialized` callers join this sample rather than starting their own.
    this.#inFlight ??= shared
    return this.#join(shared, options.signal)
  }

  /**
   * Starts over after the exchange refused a timestamp (Binance -1021): forgets the samples and
   * takes one fresh sample. Concurrent callers (a burst of requests refused together) share that
   * sample, rather than each clearing the others' and sending its own server-time request; signed
   * requests stamped meanwhile (`updateIfUninitialized`) wait for it too.
   *
   * @example
   * await serverTime.resync(fetchServerTime, { signal })
   */
  resync(provider: ServerTimeProvider, options: TimeSyncOptions = {}): Promise<TimeSyncResult> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason)
    if (this.#resyncing === undefined) {
      this.clear()
      const shared = this.#startSample(provider)
      this.#inFlight = shared
      // Forgotten (by #forget) once answered or abandoned: the next refusal starts a new resync.
      this.#resyncing = shared
    }
    return this.#join(this.#resyncing, options.signal)
  }

  /**
   * Takes a sample only if there is none yet. Concurrent callers share one provider call, so a
   * burst of signed requests at start-up sends a single server-time request.
   *
   * @example
   * await serverTime.updateIfUninitialized(fetchServerTime)
   */
  updateIfUninitialized(provider: ServerTimeProvider, options: TimeSyncOptions = {}): Promise<TimeSyncResult> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason)
    if (this.#samples.length > 0) return Promise.resolve({ ok: true, sampled: false, offsetMs: this.offsetMs })
    this.#inFlight ??= this.#startSample(provider)
    return this.#join(this.#inFlight, options.signal)
  }

  #startSample(provider: ServerTimeProvider): SharedSample {
    const controller = new AbortController()
    const shared: SharedSample = {
      controller,
      waiters: 0,
      result: this.#sample(provider, controller.signal).finally(() => this.#forget(shared)),
    }
    return shared
  }

  /** Waits for a shared sample; aborting detaches this caller, and the last one out cancels the call. */
  #join(shared: SharedSample, signal: AbortSignal | undefined): Promise<TimeSyncResult> {
    shared.waiters += 1
    if (!signal) return shared.result
    return new Promise((resolve, reject) => {
      const unwatch = watchAbort(signal, () => {
        shared.waiters -= 1
        if (shared.waiters === 0) {
          // Nobody wants this answer any more; a provider that ignores the signal must not leave
          // a hung sample for the next caller to join.
          shared.controller.abort(signal.reason)
          this.#forget(shared)
        }
        reject(signal.reason)
      })
      void shared.result.then((result) => {
        unwatch()
        resolve(result)
      })
    })
  }

  async #sample(provider: ServerTimeProvider, signal: AbortSignal): Promise<TimeSyncResult> {
    const generation = this.#generation
    try {
      const before = this.#clock.monotonic()
      const serverMs: unknown = await provider(signal)
      const after = this.#clock.monotonic()
      // Everyone waiting gave up: a late answer is not kept, as if the call had never been made.
      if (signal.aborted) return { ok: false, error: asError(signal.reason) }
      // The samples were cleared (the exchange refused our timestamps) while this one was on its
      // way: it measured the clock that was just found wrong, and mixing it into the fresh samples
      // would pull the estimate back halfway (seen in the soak: a periodic sample landing after a
      // resync kept orders refused with -1021).
      if (generation !== this.#generation) return { ok: true, sampled: false, offsetMs: this.offsetMs }
      if (typeof serverMs !== 'number' || !Number.isFinite(serverMs)) {
        return this.#fail(new SpotwireError(`The server time provider returned ${String(serverMs)} instead of epoch ms`))
      }
      if (this.#samples.length === 0) this.#anchorToWallClock()
      const localMidpointMs = this.#anchorMs + (before + after) / 2
      this.#push(serverMs - localMidpointMs)
      return { ok: true, sampled: true, offsetMs: combineOffsets(this.#samples), roundTripMs: after - before }
    } catch (error) {
      if (signal.aborted) return { ok: false, error: asError(signal.reason) }
      return this.#fail(error)
    }
  }

  #forget(shared: SharedSample): void {
    if (this.#inFlight === shared) this.#inFlight = undefined
    if (this.#resyncing === shared) this.#resyncing = undefined
  }

  #fail(thrown: unknown): TimeSyncResult {
    const error = asError(thrown)
    try {
      this.#onError?.(error)
    } catch {
      // A broken error handler must not turn a reported failure into a thrown one.
    }
    return { ok: false, error }
  }

  #anchorToWallClock(): void {
    this.#anchorMs = this.#clock.now() - this.#clock.monotonic()
  }

  #push(offsetMs: number): void {
    this.#samples.push(offsetMs)
    if (this.#samples.length > TIME_OFFSET_SAMPLE_LIMIT) this.#samples.shift()
  }
}

/**
 * Combines offset samples (oldest first) into one estimate: the mean of their median, which shrugs
 * off one slow round trip, and an average weighted 1, 3, 5, … from oldest to newest, which follows
 * drift. With five samples the newest weighs 9/25 of the weighted half.
 *
 * @example
 * combineOffsets([10, 12, 11]) // (11 + (10·1 + 12·3 + 11·5) / 9) / 2
 */
export function combineOffsets(samples: readonly number[]): number {
  if (samples.length === 0) return 0
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  let weightedSum = 0
  let weightTotal = 0
  samples.forEach((sample, index) => {
    const weight = 2 * index + 1
    weightedSum += sample * weight
    weightTotal += weight
  })
  return (median + weightedSum / weightTotal) / 2
}
