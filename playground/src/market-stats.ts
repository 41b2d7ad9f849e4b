// Per-market stream statistics for the status panel: book messages per second (over the last
// second), the age of the last update and the number of reconnects of the public stream.
import type { AppState } from './app-state.ts'

export class MarketStats {
  /** Arrival times (ms, performance clock) of the selected market's book updates in the last second. */
  #arrivals: number[] = []
  #lastUpdateAt: number | undefined
  #connections = 0

  constructor(state: AppState) {
    state.withSession((session) => {
      this.#reset()
      const offUpdate = session.events.on('bookUpdate', ({ tradingPair }) => {
        if (tradingPair === state.market) this.#record(performance.now())
      })
      const offConnected = session.events.on('marketConnected', ({ connections }) => {
        this.#connections = connections
      })
      return () => {
        offUpdate()
        offConnected()
      }
    })
    state.onMarket(() => {
      this.#arrivals = []
      this.#lastUpdateAt = undefined
    })
  }

  messagesPerSecond(now: number): number {
    this.#arrivals = this.#arrivals.filter((at) => now - at <= 1_000)
    return this.#arrivals.length
  }

  /** ms since the last update, or undefined before the first. */
  lastUpdateAge(now: number): number | undefined {
    return this.#lastUpdateAt === undefined ? undefined : Math.max(0, now - this.#lastUpdateAt)
  }

  /** Opens of the public stream after the first (0 before any). */
  get reconnects(): number {
    return Math.max(0, this.#connections - 1)
  }

  #record(now: number): void {
    this.#arrivals.push(now)
    this.#lastUpdateAt = now
  }

  #reset(): void {
    this.#arrivals = []
    this.#lastUpdateAt = undefined
    this.#connections = 0
  }
}
