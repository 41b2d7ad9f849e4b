// The book as the room publishes it: the best levels of each side as numbers (what the core's
// tracker holds), the differences between two publications, and decimal text for the wire.
import type { OrderBookView } from '../../core/order-book/order-book-view.ts'

/** One price level: numbers, as the tracker's rows hold them. */
export interface Level {
  readonly price: number
  readonly amount: number
}

/** `[price, amount]` as plain decimal strings (DESIGN.md "Edge"). */
export type WireLevel = [price: string, amount: string]

/** What the room last published: every viewer's book equals this after the same `seq`. */
export interface PublishedBook {
  readonly updateId: number
  readonly bids: readonly Level[]
  readonly asks: readonly Level[]
}

/** The best `depth` levels of each side of `book`, copied so later changes cannot reach them. */
export function publishBook(book: OrderBookView, depth: number): PublishedBook {
  const copy = (rows: readonly Level[]): Level[] => rows.map((row) => ({ price: row.price, amount: row.amount }))
  return { updateId: book.lastUpdateId, bids: copy(book.bids(depth)), asks: copy(book.asks(depth)) }
}

/**
 * The levels that differ from `previous` to `next`, `next`'s order first: a changed or new level
 * with its amount, then each level that left the window with amount "0". Applying them to a book
 * that holds `previous` (and dropping zero amounts) gives `next`.
 *
 * @example
 * diffLevels([{ price: 10, amount: 1 }], [{ price: 11, amount: 2 }]) // [['11', '2'], ['10', '0']]
 */
export function diffLevels(previous: readonly Level[], next: readonly Level[]): WireLevel[] {
  const before = new Map<number, number>()
  for (const level of previous) before.set(level.price, level.amount)
  const changes: WireLevel[] = []
  for (const level of next) {
    if (before.get(level.price) !== level.amount) changes.push(toWire(level))
    before.delete(level.price)
  }
  for (const price of before.keys()) changes.push([formatDecimal(price), '0'])
  return changes
}

export function toWire(level: Level): WireLevel {
  return [formatDecimal(level.price), formatDecimal(level.amount)]
}

/**
 * A number as plain decimal text, never exponent notation: the shortest digits that read back as
 * the same double (what `String` picks), with the point moved by hand. The exchange's "0.05000000"
 * comes back as "0.05": equal as a decimal, not as text.
 *
 * @example
 * formatDecimal(1e-7) // '0.0000001'
 */
export function formatDecimal(value: number): string {
  const text = String(value)
  const exponentAt = text.indexOf('e')
  if (exponentAt < 0) return text
  const negative = text.startsWith('-')
  const mantissa = text.slice(negative ? 1 : 0, exponentAt)
  const exponent = Number(text.slice(exponentAt + 1))
  const point = mantissa.indexOf('.')
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1)
  const integerDigits = (point < 0 ? mantissa.length : point) + exponent
  const plain =
    integerDigits <= 0
      ? `0.${'0'.repeat(-integerDigits)}${digits}`
      : integerDigits >= digits.length
        ? digits + '0'.repeat(integerDigits - digits.length)
        : `${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`
  return negative ? `-${plain}` : plain
}
