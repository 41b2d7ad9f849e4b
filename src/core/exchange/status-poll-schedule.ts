// When the status poll runs: every short interval (5 s) while the user stream is silent or down,
// every long interval (120 s) while it speaks. The loop wakes at least every short interval to
// re-read the stream's liveness, so a stream falling silent shortens the wait at once; a wake that
// finds nothing due sends no request.
import type { Clock } from '../clock.ts'
import type { ExchangeIntervals } from './exchange-types.ts'

/** What the schedule reads from the user stream. */
export interface StreamLiveness {
  readonly isConnected: boolean
  /** Epoch ms of its last message; 0 before any. */
  readonly lastReceivedAt: number
}

export class StatusPollSchedule {
  readonly #intervals: ExchangeIntervals
  readonly #clock: Clock
  readonly #stream: () => StreamLiveness | undefined
  #lastPollAt = Number.NEGATIVE_INFINITY

  constructor(intervals: ExchangeIntervals, clock: Clock, stream: () => StreamLiveness | undefined) {
    this.#intervals = intervals
    this.#clock = clock
    this.#stream = stream
  }

  /** True while the stream is connected and was heard from within the silence limit. */
  get isStreamAlive(): boolean {
    const stream = this.#stream()
    if (stream === undefined || !stream.isConnected || stream.lastReceivedAt <= 0) return false
    return this.#clock.now() - stream.lastReceivedAt <= this.#intervals.userStreamSilenceMs
  }

  /** The poll interval that applies now. */
  get intervalMs(): number {
    return this.isStreamAlive ? this.#intervals.longPollMs : this.#intervals.shortPollMs
  }

  get isDue(): boolean {
    return this.#clock.now() - this.#lastPollAt >= this.intervalMs
  }

  /** Records a poll as it starts. */
  markPolled(): void {
    this.#lastPollAt = this.#clock.now()
  }

  /** A poll failed: the next one is due at once (the loop's back-off spaces the retries). */
  markFailed(): void {
    this.#lastPollAt = Number.NEGATIVE_INFINITY
  }

  /** How long to sleep before looking again: until due, but never longer than the short interval. */
  nextCheckMs(): number {
    const dueInMs = this.#lastPollAt + this.intervalMs - this.#clock.now()
    return Math.min(this.#intervals.shortPollMs, Math.max(1, dueInMs))
  }
}
