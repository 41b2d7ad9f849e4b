// The simulator's book at any update id, for the "a live book equals the truth" invariant. In
// process, the soak taps the matching engine's own depth changes (before any frame fault touches
// them) and keeps one reference book per symbol, advanced lazily to the update id the connector's
// book reports, so the comparison is with the book as it was at that id, not as it is now.
import type { Simulator } from '../../src/sim/index.ts'

export type BookRow = readonly [price: number, amount: number]

export interface BookSides {
  readonly bids: readonly BookRow[]
  readonly asks: readonly BookRow[]
}

interface PendingChange {
  readonly firstUpdateId: number
  readonly finalUpdateId: number
  readonly bids: readonly (readonly [string, string])[]
  readonly asks: readonly (readonly [string, string])[]
}

class ReferenceBook {
  lastUpdateId: number
  private readonly bids = new Map<string, string>()
  private readonly asks = new Map<string, string>()
  private readonly pending: PendingChange[] = []

  constructor(snapshot: { lastUpdateId: number; bids: readonly (readonly [string, string])[]; asks: readonly (readonly [string, string])[] }) {
    this.lastUpdateId = snapshot.lastUpdateId
    for (const [price, quantity] of snapshot.bids) this.bids.set(price, quantity)
    for (const [price, quantity] of snapshot.asks) this.asks.set(price, quantity)
  }

  queue(change: PendingChange): void {
    if (change.finalUpdateId > this.lastUpdateId) this.pending.push(change)
  }

  /** The book at `updateId`, or a reason it cannot be known (the id lies inside one change or behind). */
  at(updateId: number): BookSides | string {
    if (updateId < this.lastUpdateId) return `update id ${updateId} is behind an update id this book already showed live (${this.lastUpdateId})`
    while (this.pending.length > 0 && (this.pending[0] as PendingChange).finalUpdateId <= updateId) {
      const change = this.pending.shift() as PendingChange
      apply(this.bids, change.bids)
      apply(this.asks, change.asks)
      this.lastUpdateId = change.finalUpdateId
    }
    if (this.lastUpdateId !== updateId) return `update id ${updateId} is not the end of one of the simulator's depth changes (reference at ${this.lastUpdateId})`
    return { bids: rows(this.bids, 'desc'), asks: rows(this.asks, 'asc') }
  }
}

function apply(side: Map<string, string>, levels: readonly (readonly [string, string])[]): void {
  for (const [price, quantity] of levels) {
    if (Number(quantity) === 0) side.delete(price)
    else side.set(price, quantity)
  }
}

function rows(side: Map<string, string>, order: 'asc' | 'desc'): BookRow[] {
  const result = [...side].map(([price, quantity]) => [Number(price), Number(quantity)] as const)
  return result.sort((left, right) => (order === 'asc' ? left[0] - right[0] : right[0] - left[0]))
}

export interface BookReferences {
  /** The simulator's book of `symbol` at `updateId` (best first), or why it cannot be known. */
  at(symbol: string, updateId: number): BookSides | string
  stop(): void
}

/**
 * Starts tapping the engine; call before the connector takes its first snapshot.
 * @example
 * const references = tapBookReferences(server.simulator)
 * references.at('BTCUSDT', book.lastUpdateId)
 */
export function tapBookReferences(simulator: Simulator): BookReferences {
  const books = new Map<string, ReferenceBook>()
  for (const { symbol } of simulator.exchange.engine.marketConfigs()) {
    const truth = simulator.truth.book(symbol)
    if (!truth) continue
    const text = (levels: typeof truth.bids) => levels.map((level) => [level.price.toFixed(), level.quantity.toFixed()] as const)
    books.set(symbol, new ReferenceBook({ lastUpdateId: truth.lastUpdateId, bids: text(truth.bids), asks: text(truth.asks) }))
  }
  const unsubscribe = simulator.exchange.engine.subscribe((event) => {
    if (event.type !== 'depthUpdate') return
    const text = (levels: typeof event.bids) => levels.map((level) => [level.price.toFixed(), level.quantity.toFixed()] as const)
    books.get(event.symbol)?.queue({ firstUpdateId: event.firstUpdateId, finalUpdateId: event.finalUpdateId, bids: text(event.bids), asks: text(event.asks) })
  })
  return {
    at(symbol, updateId) {
      return books.get(symbol)?.at(updateId) ?? `no reference book for ${symbol}`
    },
    stop: unsubscribe,
  }
}

/** The first difference between two books, or undefined when they are equal. */
export function bookDifference(connector: BookSides, truth: BookSides): string | undefined {
  for (const side of ['bids', 'asks'] as const) {
    const ours = connector[side]
    const theirs = truth[side]
    const length = Math.max(ours.length, theirs.length)
    for (let index = 0; index < length; index += 1) {
      const left = ours[index]
      const right = theirs[index]
      if (left?.[0] !== right?.[0] || left?.[1] !== right?.[1]) {
        return `${side}[${index}]: connector ${JSON.stringify(left ?? null)}, simulator ${JSON.stringify(right ?? null)} (${ours.length} vs ${theirs.length} levels)`
      }
    }
  }
  return undefined
}
