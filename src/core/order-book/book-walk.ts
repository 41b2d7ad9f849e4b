// Walking a book side from the best level outward, as a market order would fill. Float arithmetic
// is fine here: these are estimates for display and strategy, never amounts that are sent.
import type { BookSide } from './book-side.ts'

/** What a market order of a given size would get from the book right now. */
export interface BookWalkResult {
  /**
   * For `priceForVolume` / `priceForQuoteVolume`: the price of the last level reached (the worst
   * price paid). For `vwapForVolume`: the volume-weighted average price. `null` when the side is
   * empty or the requested size is not positive.
   */
  readonly price: number | null
  /** Base amount filled: the requested amount, or all the side holds when it is too thin. */
  readonly filledVolume: number
  /** Quote amount for `filledVolume` (sum of price × amount over the levels used). */
  readonly filledQuoteVolume: number
  /** False when the side ran out before the requested size was filled. */
  readonly isComplete: boolean
}

const NOTHING: BookWalkResult = { price: null, filledVolume: 0, filledQuoteVolume: 0, isComplete: false }

/**
 * Fills `target` (base amount, or quote amount when `targetIsQuote`) from `side`, best level first.
 * Returns the worst price reached, or the average price when `average` is set.
 */
export function walkSide(
  side: BookSide,
  target: number,
  targetIsQuote: boolean,
  average: boolean,
): BookWalkResult {
  if (!(target > 0) || side.size === 0) return NOTHING
  let filledVolume = 0
  let filledQuoteVolume = 0
  let lastPrice = 0
  for (let rank = 0; rank < side.size; rank++) {
    const price = side.priceAt(rank)
    const amount = side.amountAt(rank)
    const filledSoFar = targetIsQuote ? filledQuoteVolume : filledVolume
    const stillWanted = target - filledSoFar
    const available = targetIsQuote ? price * amount : amount
    lastPrice = price
    if (available >= stillWanted) {
      const takenAmount = targetIsQuote ? stillWanted / price : stillWanted
      filledVolume += takenAmount
      filledQuoteVolume += takenAmount * price
      return finish(lastPrice, filledVolume, filledQuoteVolume, true, average)
    }
    filledVolume += amount
    filledQuoteVolume += price * amount
  }
  return finish(lastPrice, filledVolume, filledQuoteVolume, false, average)
}

function finish(
  lastPrice: number,
  filledVolume: number,
  filledQuoteVolume: number,
  isComplete: boolean,
  average: boolean,
): BookWalkResult {
  const price = average ? filledQuoteVolume / filledVolume : lastPrice
  return { price, filledVolume, filledQuoteVolume, isComplete }
}
