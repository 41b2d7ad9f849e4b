// The trades tape: the selected market's public trades, newest first (the last 40).
import type { AppState } from './app-state.ts'
import { clockTime, el } from './dom.ts'
import type { TapeTrade } from './session.ts'

const TAPE_LENGTH = 40

export class TradesTape {
  readonly element: HTMLElement
  readonly #list: HTMLElement
  readonly #note: HTMLElement
  #trades: TapeTrade[] = []
  #dirty = true

  constructor(state: AppState) {
    this.#list = el('ol', { testid: 'trades', class: 'tape' })
    this.#note = el('p', { class: 'note' })
    this.element = el('div', {}, this.#note, this.#list)
    state.withSession((session) => {
      this.#clear()
      this.#note.textContent = session.hasTrades ? '' : 'The edge router API serves books only: no public trades here.'
      return session.events.on('trade', (trade) => {
        if (trade.tradingPair !== state.market) return
        this.#trades.unshift(trade)
        this.#trades.length = Math.min(this.#trades.length, TAPE_LENGTH)
        this.#dirty = true
      })
    })
    state.onMarket(() => this.#clear())
  }

  draw(): void {
    if (!this.#dirty) return
    this.#dirty = false
    this.#list.replaceChildren(
      ...this.#trades.map((trade) =>
        el(
          'li',
          { class: `trade ${trade.takerSide === 'BUY' ? 'buy' : 'sell'}`, 'data-trade-id': trade.tradeId, 'data-price': trade.price, 'data-amount': trade.amount, 'data-side': trade.takerSide },
          el('span', {}, trade.price),
          el('span', {}, trade.amount),
          el('time', {}, clockTime(trade.timestamp)),
        ),
      ),
    )
  }

  #clear(): void {
    this.#trades = []
    this.#dirty = true
  }
}
