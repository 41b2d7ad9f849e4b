// What the soak saw from the connector while it ran: the orders it issued, every event (each
// scanned for secrets), fills by trade id, and the live-book comparisons, which happen on the spot
// (a book is only comparable at the moment it reports an update id).
import { type BookReferences, type BookSides, bookDifference } from './book-reference.ts'
import { SecretScan, serializeCaptured } from './secret-scan.ts'

export interface Violation {
  readonly invariant: string
  readonly detail: string
}

export interface IssuedOrder {
  readonly clientOrderId: string
  readonly tradingPair: string
  readonly symbol: string
  /** Connector events for this order, in order. */
  readonly events: string[]
  /** Local time the soak asked the connector for it. */
  readonly issuedAt: number
  /** Local time of its created event, if any. */
  createdAt: number | undefined
  /** The orderFailure's errorType and message, if it failed. */
  failure?: string
}

export interface ReportedFill {
  readonly tradingPair: string
  readonly tradeId: string
  readonly clientOrderId: string
  readonly price: string
  readonly amount: string
  times: number
}

/** One side of one trade: pair, trade id and the order it filled. */
export function fillKey(tradingPair: string, tradeId: string | number, clientOrderId: string): string {
  return `${tradingPair} ${String(tradeId)} ${clientOrderId}`
}

const TERMINAL_EVENTS = new Set(['buyOrderCompleted', 'sellOrderCompleted', 'orderCancelled', 'orderFailure'])

export class SoakRecorder {
  readonly orders = new Map<string, IssuedOrder>()
  readonly fills = new Map<string, ReportedFill>()
  readonly secrets = new SecretScan()
  readonly violations: Violation[] = []
  readonly errorsByName = new Map<string, number>()
  /** The first few messages of each error kind, for the report's reader. */
  readonly errorSamples = new Map<string, string[]>()
  /** Events for a client order id the soak has not registered yet (emitted while buy() ran). */
  readonly #early = new Map<string, string[]>()
  booksCompared = 0
  booksSkipped = 0
  eventsCaptured = 0

  constructor(private readonly references: BookReferences) {}

  violation(invariant: string, detail: string): void {
    this.violations.push({ invariant, detail })
  }

  issued(clientOrderId: string, tradingPair: string): void {
    const events = this.#early.get(clientOrderId) ?? []
    this.#early.delete(clientOrderId)
    this.orders.set(clientOrderId, { clientOrderId, tradingPair, symbol: tradingPair.replace('-', ''), events, issuedAt: Date.now(), createdAt: undefined })
  }

  /** Every exchange event goes through here (the soak subscribes to all of them). */
  recordEvent(name: string, payload: unknown): void {
    this.eventsCaptured += 1
    this.secrets.scan(serializeCaptured(payload), `event ${name}`)
    if (name === 'error') {
      const error = payload as { name?: string; code?: unknown }
      const key = `${error.name ?? 'Error'}${error.code === undefined ? '' : ` ${String(error.code)}`}`
      this.errorsByName.set(key, (this.errorsByName.get(key) ?? 0) + 1)
      const samples = this.errorSamples.get(key) ?? []
      if (samples.length < 3) samples.push(String((payload as { message?: unknown }).message).slice(0, 400))
      this.errorSamples.set(key, samples)
      return
    }
    const clientOrderId = (payload as { clientOrderId?: unknown }).clientOrderId
    if (typeof clientOrderId !== 'string') return
    const order = this.orders.get(clientOrderId)
    if (order) order.events.push(name)
    else this.#early.set(clientOrderId, [...(this.#early.get(clientOrderId) ?? []), name])
    if (order && (name === 'buyOrderCreated' || name === 'sellOrderCreated')) order.createdAt ??= Date.now()
    if (name === 'orderFailure') {
      const failure = payload as { errorType?: string; errorMessage?: string }
      if (order) order.failure = `${failure.errorType ?? '?'}: ${failure.errorMessage ?? ''}`.slice(0, 300)
      const key = `orderFailure ${failure.errorType ?? '?'}`
      this.errorsByName.set(key, (this.errorsByName.get(key) ?? 0) + 1)
    }
    if (name === 'orderFilled') {
      const fill = payload as { tradingPair: string; tradeId: string; price: { toString(): string }; amount: { toString(): string } }
      // Both sides of one trade can be the soak's own orders (a crossing order meets a resting one).
      const key = fillKey(fill.tradingPair, fill.tradeId, clientOrderId)
      const known = this.fills.get(key)
      if (known) known.times += 1
      else this.fills.set(key, { tradingPair: fill.tradingPair, tradeId: fill.tradeId, clientOrderId, price: String(fill.price), amount: String(fill.amount), times: 1 })
    }
  }

  /** Compares a live book with the simulator's at the same update id; records a violation on any difference. */
  checkLiveBook(tradingPair: string, updateId: number, book: BookSides): void {
    const truth = this.references.at(tradingPair.replace('-', ''), updateId)
    if (typeof truth === 'string') {
      this.violation('live book equals the simulator at its update id', `${tradingPair}: ${truth}`)
      return
    }
    this.booksCompared += 1
    const difference = bookDifference(book, truth)
    if (difference !== undefined) this.violation('live book equals the simulator at its update id', `${tradingPair} at ${updateId}: ${difference}`)
  }

  /** Orders the connector has not reported final yet. */
  unfinished(): IssuedOrder[] {
    return [...this.orders.values()].filter((order) => !order.events.some((name) => TERMINAL_EVENTS.has(name)))
  }

  fillCount(): number {
    return [...this.fills.values()].reduce((sum, fill) => sum + fill.times, 0)
  }
}

export { TERMINAL_EVENTS }
