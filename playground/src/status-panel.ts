// The book's health at a glance: status (live / stale / syncing, exactly the library's words),
// update id, messages per second, age of the last update and reconnects of the public stream.
import { el } from './dom.ts'
import type { MarketStats } from './market-stats.ts'
import type { BookSource } from './session.ts'

export class StatusPanel {
  readonly element: HTMLElement
  readonly #status = el('span', { testid: 'book-status', class: 'badge' }, 'syncing')
  readonly #updateId = el('span', { testid: 'book-update-id' }, '–')
  readonly #rate = el('span', { testid: 'book-messages-per-second' }, '0')
  readonly #age = el('span', { testid: 'book-last-update-age' }, '–')
  readonly #reconnects = el('span', { testid: 'book-reconnects' }, '0')

  constructor(private readonly stats: MarketStats) {
    const item = (label: string, value: HTMLElement) => el('div', { class: 'stat' }, el('dt', {}, label), el('dd', {}, value))
    this.element = el(
      'dl',
      { class: 'status-panel' },
      item('book', this.#status),
      item('update id', this.#updateId),
      item('msgs/s', this.#rate),
      item('last update', this.#age),
      item('reconnects', this.#reconnects),
    )
  }

  draw(book: BookSource, now: number): void {
    const status = book.status
    if (this.#status.textContent !== status) {
      this.#status.textContent = status
      this.#status.dataset['status'] = status
    }
    this.#updateId.textContent = book.lastUpdateId > 0 ? String(book.lastUpdateId) : '–'
    this.#rate.textContent = String(this.stats.messagesPerSecond(now))
    const age = this.stats.lastUpdateAge(now)
    this.#age.textContent = age === undefined ? '–' : age < 10_000 ? `${Math.round(age)} ms ago` : `${Math.round(age / 1000)} s ago`
    this.#reconnects.textContent = String(this.stats.reconnects)
  }
}
