// The market view: market selector, status panel, ladder, depth chart and trades tape, all
// following the selected market of the running session.
import type { AppState } from './app-state.ts'
import { DepthChart } from './depth-chart.ts'
import { el } from './dom.ts'
import { MARKETS } from './endpoints.ts'
import { Ladder } from './ladder.ts'
import { MarketStats } from './market-stats.ts'
import { every } from './render-loop.ts'
import { EMPTY_BOOK } from './session.ts'
import { StatusPanel } from './status-panel.ts'
import { TradesTape } from './trades-tape.ts'
import { decimalPlaces } from 'spotwire'

export function mountMarketView(state: AppState, root: HTMLElement): void {
  const select = el('select', { testid: 'market-select' }, ...MARKETS.map((market) => el('option', { value: market }, market)))
  select.value = state.market
  select.addEventListener('change', () => state.setMarket(select.value))

  const status = new StatusPanel(new MarketStats(state))
  const ladder = new Ladder()
  const depth = new DepthChart()
  const tape = new TradesTape(state)
  state.onMarket(() => ladder.reset())
  state.withSession(() => ladder.reset())

  root.append(
    el('div', { class: 'market-head' }, el('label', {}, 'Market ', select), status.element),
    el(
      'div',
      { class: 'market-body' },
      el('section', { class: 'panel ladder-panel' }, el('h3', {}, 'Order book (top 20)'), ladder.element),
      el(
        'div',
        { class: 'market-side' },
        el('section', { class: 'panel' }, el('h3', {}, 'Depth'), depth.element),
        el('section', { class: 'panel' }, el('h3', {}, 'Trades'), tape.element),
      ),
    ),
  )

  const currentBook = () => state.session?.book(state.market) ?? EMPTY_BOOK
  every(100, (now) => {
    const book = currentBook()
    const tick = state.session?.trading?.rule(state.market)?.minPriceIncrement
    ladder.priceDecimals = tick && tick.gt(0) ? decimalPlaces(tick) : undefined
    ladder.draw(book)
    status.draw(book, now)
    tape.draw()
  })
  every(200, () => depth.draw(currentBook()))
}
