// The order-book ladder: top 20 levels a side with size bars, spread and mid. Asks are drawn above
// the spread (best ask nearest to it) and bids below, but in the DOM both lists stay best first,
// the book's own order, so `[data-testid=book-asks] > [data-price]` reads like `book.asks(20)`.
// A level whose amount changed (or that is new) since the last draw flashes.
import type { BookSource } from './session.ts'
import { el } from './dom.ts'

export const LADDER_DEPTH = 20

type Side = 'bid' | 'ask'

interface SideView {
  readonly side: Side
  readonly list: HTMLElement
  /** Amount per price at the last draw, to find changed levels. */
  previous: Map<number, number>
}

export class Ladder {
  readonly element: HTMLElement
  readonly #bids: SideView
  readonly #asks: SideView
  readonly #spread: HTMLElement
  readonly #mid: HTMLElement
  #priceDecimals: number | undefined

  constructor() {
    const asks = el('div', { testid: 'book-asks', class: 'ladder-side asks' })
    const bids = el('div', { testid: 'book-bids', class: 'ladder-side bids' })
    this.#spread = el('span', { testid: 'book-spread' }, '–')
    this.#mid = el('span', { testid: 'book-mid' }, '–')
    const header = el('div', { class: 'ladder-row ladder-header' }, el('span', {}, 'price'), el('span', {}, 'amount'), el('span', {}, 'total'))
    const middle = el('div', { class: 'ladder-spread' }, 'spread ', this.#spread, ' · mid ', this.#mid)
    this.element = el('div', { class: 'ladder' }, header, asks, middle, bids)
    this.#asks = { side: 'ask', list: asks, previous: new Map() }
    this.#bids = { side: 'bid', list: bids, previous: new Map() }
  }

  /** Decimals to print prices with (the trading rule's tick), or undefined for as given. */
  set priceDecimals(decimals: number | undefined) {
    this.#priceDecimals = decimals
  }

  /** Forget the last draw (a new market: nothing should flash as "changed"). */
  reset(): void {
    this.#asks.previous = new Map()
    this.#bids.previous = new Map()
  }

  draw(book: BookSource): void {
    const bids = book.bids(LADDER_DEPTH)
    const asks = book.asks(LADDER_DEPTH)
    // Bars are relative to the largest level shown on either side, so the two sides compare.
    let largest = 0
    for (const row of bids) largest = Math.max(largest, row.amount)
    for (const row of asks) largest = Math.max(largest, row.amount)
    this.#drawSide(this.#bids, bids, largest)
    this.#drawSide(this.#asks, asks, largest)
    const bestBid = bids[0]
    const bestAsk = asks[0]
    if (bestBid && bestAsk) {
      this.#spread.textContent = this.#price(bestAsk.price - bestBid.price)
      this.#mid.textContent = this.#price((bestAsk.price + bestBid.price) / 2, 1)
    } else {
      this.#spread.textContent = '–'
      this.#mid.textContent = '–'
    }
  }

  #drawSide(view: SideView, rows: readonly { readonly price: number; readonly amount: number }[], largest: number): void {
    const list = view.list
    while (list.children.length > rows.length) list.lastElementChild?.remove()
    while (list.children.length < rows.length) list.append(newRow())
    const seen = new Map<number, number>()
    let total = 0
    rows.forEach((row, index) => {
      total += row.amount
      seen.set(row.price, row.amount)
      const element = list.children[index] as HTMLElement
      // The numbers exactly as the book gives them (a contract for outside checks).
      element.dataset['price'] = String(row.price)
      element.dataset['amount'] = String(row.amount)
      const [price, amount, cumulative, bar] = element.children as unknown as HTMLElement[]
      if (price) price.textContent = this.#price(row.price)
      if (amount) amount.textContent = formatAmount(row.amount)
      if (cumulative) cumulative.textContent = formatAmount(total)
      if (bar) bar.style.width = `${largest > 0 ? (row.amount / largest) * 100 : 0}%`
      if (view.previous.size > 0 && view.previous.get(row.price) !== row.amount) flash(element)
    })
    view.previous = seen
  }

  #price(value: number, extraDecimals = 0): string {
    return this.#priceDecimals === undefined ? String(Number(value.toPrecision(12))) : value.toFixed(this.#priceDecimals + extraDecimals)
  }
}

function newRow(): HTMLElement {
  return el('div', { class: 'ladder-row' }, el('span', { class: 'price' }), el('span', { class: 'amount' }), el('span', { class: 'total' }), el('span', { class: 'bar' }))
}

/** Restarts the row's flash animation (removing and re-adding the class needs a reflow in between). */
function flash(row: HTMLElement): void {
  row.classList.remove('flash')
  void row.offsetWidth
  row.classList.add('flash')
}

function formatAmount(value: number): string {
  return String(Number(value.toPrecision(10)))
}
