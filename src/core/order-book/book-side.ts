// One side of a book, laid out for the hot path. Levels live in three parallel Float64Arrays
// (price, amount, updateId) sorted so the BEST price is at the END: bids ascending, asks
// descending. Nearly every exchange update touches the first few levels, so inserts and removals
// there shift only a handful of elements, the best level is a `size - 1` read, and applying a diff
// allocates nothing. Row objects are made only when someone reads a level, kept in a fourth
// parallel array until that level changes, and the top-N array is cached until a change reaches it.

/** One level of a book: numbers for ordering and display; send orders with `Big` (DESIGN.md rule 2). */
export interface OrderBookRow {
  readonly price: number
  readonly amount: number
  /** The update id of the snapshot or diff that last set this level. */
  readonly updateId: number
}

const INITIAL_CAPACITY = 256
/** Below this many elements a hand-written shift beats three `copyWithin` calls. */
const SHORT_SHIFT = 16

export class BookSide {
  #prices = new Float64Array(INITIAL_CAPACITY)
  #amounts = new Float64Array(INITIAL_CAPACITY)
  #updateIds = new Float64Array(INITIAL_CAPACITY)
  /** The row object of each level, made on first read; `undefined` until then or after a change. */
  #rows: (OrderBookRow | undefined)[] = []
  #size = 0
  /** True for bids: a higher price is better. */
  readonly #isBid: boolean
  /** The last top-N array built: returned again while no change reached it. */
  #top: readonly OrderBookRow[] = []
  /** Best rank (0 = best level) changed since `#top` was built; ranks above it are unchanged. */
  #firstChangedRank = 0

  constructor(isBid: boolean) {
    this.#isBid = isBid
  }

  get size(): number {
    return this.#size
  }

  get best(): OrderBookRow | null {
    const index = this.#size - 1
    return index < 0 ? null : this.#rowAt(index)
  }

  /** The best price, or NaN when the side is empty (cheaper than `best` for comparisons). */
  get bestPrice(): number {
    return this.#size === 0 ? Number.NaN : (this.#prices[this.#size - 1] as number)
  }

  /** The update id of the best level, or NaN when the side is empty. */
  get bestUpdateId(): number {
    return this.#size === 0 ? Number.NaN : (this.#updateIds[this.#size - 1] as number)
  }

  /** Sets (amount > 0) or removes (amount 0) the level at `price`. Inputs are already validated. */
  set(price: number, amount: number, updateId: number): void {
    const index = this.#search(price)
    const size = this.#size
    // The rank of the changed level: replaced and removed levels had size-1-index, an inserted
    // one gets size-index. Either way every better level keeps its rank.
    let rank = size - index
    if (index < size && this.#prices[index] === price) {
      rank--
      if (amount > 0) {
        this.#amounts[index] = amount
        this.#updateIds[index] = updateId
        this.#rows[index] = undefined
      } else {
        this.#removeAt(index)
      }
    } else if (amount > 0) {
      this.#insertAt(index, price, amount, updateId)
    } else {
      return
    }
    if (rank < this.#firstChangedRank) this.#firstChangedRank = rank
  }

  /** Removes the best level (crossed-book truncation). */
  removeBest(): void {
    if (this.#size > 0) {
      this.#size--
      this.#rows.pop()
    }
    this.#firstChangedRank = 0
  }

  /**
   * Replaces every level with `prices[i]`, `amounts[i]` for i in [from, to): any order, amount 0
   * skipped, and for a price given twice the later row wins.
   */
  replaceAll(prices: ArrayLike<number>, amounts: ArrayLike<number>, from: number, to: number, updateId: number): void {
    const order: number[] = []
    for (let index = from; index < to; index++) if ((amounts[index] as number) > 0) order.push(index)
    const direction = this.#isBid ? 1 : -1
    // Worst → best, and input order among equal prices, so the later duplicate is written last.
    order.sort((a, b) => direction * ((prices[a] as number) - (prices[b] as number)) || a - b)
    this.clear()
    this.#ensureCapacity(order.length)
    let size = 0
    for (let at = 0; at < order.length; at++) {
      const index = order[at] as number
      const next = order[at + 1]
      if (next !== undefined && prices[next] === prices[index]) continue
      this.#prices[size] = prices[index] as number
      this.#amounts[size] = amounts[index] as number
      this.#updateIds[size] = updateId
      size++
    }
    this.#size = size
    this.#rows = new Array<OrderBookRow | undefined>(size)
  }

  clear(): void {
    this.#size = 0
    this.#rows = []
    this.#firstChangedRank = 0
  }

  /**
   * The best `depth` rows, best first. The array is cached until a change reaches those rows, so
   * repeated reads of an unchanged top cost nothing; callers must not mutate it. Rows of levels
   * that did not change are the same objects as in earlier arrays.
   */
  top(depth: number): readonly OrderBookRow[] {
    const size = this.#size
    const count = depth >= size ? size : depth > 0 ? Math.floor(depth) : 0
    const previous = this.#top
    if (previous.length === count && this.#firstChangedRank >= count) return previous
    const rows = new Array<OrderBookRow>(count)
    for (let rank = 0, index = size - 1; rank < count; rank++, index--) rows[rank] = this.#rowAt(index)
    this.#top = rows
    this.#firstChangedRank = Number.POSITIVE_INFINITY
    return rows
  }

  /** Price of the level `rank` steps from the best (0 = best); NaN past the end. */
  priceAt(rank: number): number {
    return rank < this.#size ? (this.#prices[this.#size - 1 - rank] as number) : Number.NaN
  }

  /** Amount of the level `rank` steps from the best (0 = best); NaN past the end. */
  amountAt(rank: number): number {
    return rank < this.#size ? (this.#amounts[this.#size - 1 - rank] as number) : Number.NaN
  }

  #rowAt(index: number): OrderBookRow {
    let row = this.#rows[index]
    if (row === undefined) {
      row = {
        price: this.#prices[index] as number,
        amount: this.#amounts[index] as number,
        updateId: this.#updateIds[index] as number,
      }
      this.#rows[index] = row
    }
    return row
  }

  /** The first index whose price is not better-ordered-before `price` (insertion point). */
  #search(price: number): number {
    const prices = this.#prices
    // Most updates land near the best level (the end): gallop back from the end, then binary
    // search the bracket found, so the cost grows with the distance from the top, not the depth.
    let high = this.#size
    let step = 1
    let low = high - 1
    if (this.#isBid) {
      while (low > 0 && (prices[low] as number) >= price) {
        high = low
        step <<= 1
        low = high - step
      }
      if (low < 0) low = 0
      while (low < high) {
        const middle = (low + high) >>> 1
        if ((prices[middle] as number) < price) low = middle + 1
        else high = middle
      }
    } else {
      while (low > 0 && (prices[low] as number) <= price) {
        high = low
        step <<= 1
        low = high - step
      }
      if (low < 0) low = 0
      while (low < high) {
        const middle = (low + high) >>> 1
        if ((prices[middle] as number) > price) low = middle + 1
        else high = middle
      }
    }
    return low
  }

  #insertAt(index: number, price: number, amount: number, updateId: number): void {
    this.#ensureCapacity(this.#size + 1)
    const prices = this.#prices
    const amounts = this.#amounts
    const updateIds = this.#updateIds
    const rows = this.#rows
    const size = this.#size
    if (size - index < SHORT_SHIFT) {
      for (let at = size; at > index; at--) {
        prices[at] = prices[at - 1] as number
        amounts[at] = amounts[at - 1] as number
        updateIds[at] = updateIds[at - 1] as number
        rows[at] = rows[at - 1]
      }
      rows[index] = undefined
    } else {
      prices.copyWithin(index + 1, index, size)
      amounts.copyWithin(index + 1, index, size)
      updateIds.copyWithin(index + 1, index, size)
      rows.splice(index, 0, undefined)
    }
    prices[index] = price
    amounts[index] = amount
    updateIds[index] = updateId
    this.#size = size + 1
  }

  #removeAt(index: number): void {
    const prices = this.#prices
    const amounts = this.#amounts
    const updateIds = this.#updateIds
    const rows = this.#rows
    const last = this.#size - 1
    if (last - index < SHORT_SHIFT) {
      for (let at = index; at < last; at++) {
        prices[at] = prices[at + 1] as number
        amounts[at] = amounts[at + 1] as number
        updateIds[at] = updateIds[at + 1] as number
        rows[at] = rows[at + 1]
      }
      rows.pop()
    } else {
      prices.copyWithin(index, index + 1, last + 1)
      amounts.copyWithin(index, index + 1, last + 1)
      updateIds.copyWithin(index, index + 1, last + 1)
      rows.splice(index, 1)
    }
    this.#size = last
  }

  #ensureCapacity(wanted: number): void {
    if (wanted <= this.#prices.length) return
    const capacity = Math.max(wanted, this.#prices.length * 2)
    const grow = (old: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(capacity)
      next.set(old.subarray(0, this.#size))
      return next
    }
    this.#prices = grow(this.#prices)
    this.#amounts = grow(this.#amounts)
    this.#updateIds = grow(this.#updateIds)
  }
}
