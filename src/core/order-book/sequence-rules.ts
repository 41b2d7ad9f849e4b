// Sequence rules: how a tracker decides whether a diff continues the book it has (DESIGN.md rule 5).
// Each connector supplies the rule its exchange documents; the tracker only acts on the verdict.
// A rule looks at update ids only, never at levels, so the tracker can check a whole replay before
// touching the book.
import type { OrderBookDiffMessage } from './order-book-message.ts'

/**
 * - `'apply'`: the diff continues the book.
 * - `'ignore'`: the diff is older than the book (already contained in it); drop it silently.
 * - `'gap'`: updates are missing between the book and this diff; the book must be resynced. For the
 *   first diff after a snapshot this means the snapshot is older than the stream: fetch it again
 *   (Binance's procedure, step 4).
 */
export type DiffVerdict = 'apply' | 'ignore' | 'gap'

export interface DiffSequenceRule {
  /** A name for errors and logs (`'contiguous update ids'`). */
  readonly name: string
  /**
   * Classifies `diff` against a book whose last applied update id is `bookUpdateId`.
   * `isFirstAfterSnapshot` is true until one diff has been applied on top of the latest snapshot.
   */
  classify(
    diff: Pick<OrderBookDiffMessage, 'firstUpdateId' | 'updateId'>,
    bookUpdateId: number,
    isFirstAfterSnapshot: boolean,
  ): DiffVerdict
}

/**
 * Diffs carry an id range `[firstUpdateId, updateId]` and each one starts right after the previous
 * one ends (Binance spot `U`/`u`, as documented in "How to manage a local order book correctly"):
 * - `updateId <= book id`: ignore;
 * - the first diff after a snapshot must straddle it: `firstUpdateId <= book id + 1 <= updateId`;
 * - after that, `firstUpdateId == book id + 1` (the previous diff's `updateId + 1`). An overlapping
 *   diff is treated as a gap too: Binance never sends one, so the stream is not what we think.
 *
 * @example
 * new OrderBookTracker({ source: { fetchSnapshot, sequenceRule: contiguousUpdateIdRule } })
 */
export const contiguousUpdateIdRule: DiffSequenceRule = {
  name: 'contiguous update ids',
  classify(diff, bookUpdateId, isFirstAfterSnapshot) {
    if (diff.updateId <= bookUpdateId) return 'ignore'
    const next = bookUpdateId + 1
    if (isFirstAfterSnapshot) return diff.firstUpdateId <= next ? 'apply' : 'gap'
    return diff.firstUpdateId === next ? 'apply' : 'gap'
  },
}

/**
 * No continuity check: only diffs not newer than the book are dropped (Hummingbot's behaviour). For
 * exchanges whose diffs carry no usable sequence; such books are never marked stale by a gap.
 */
export const newerDiffsOnlyRule: DiffSequenceRule = {
  name: 'newer diffs only',
  classify(diff, bookUpdateId) {
    return diff.updateId <= bookUpdateId ? 'ignore' : 'apply'
  },
}
