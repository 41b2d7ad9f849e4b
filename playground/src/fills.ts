// This account's fills, newest first (each trade id once: the library never repeats a fill).
import type { AppState } from './app-state.ts'
import { clockTime, el } from './dom.ts'
import type { FillRow } from './session.ts'

const MAX_FILLS = 100

export function mountFills(state: AppState, root: HTMLElement): void {
  const body = el('tbody', { testid: 'fills' })
  root.append(el('table', { class: 'fills' }, el('thead', {}, el('tr', {}, ...['time', 'order', 'pair', 'side', 'price', 'amount', 'fee'].map((title) => el('th', {}, title)))), body))
  state.withSession((session) => {
    body.replaceChildren()
    return session.events.on('fill', (fill) => {
      body.prepend(row(fill))
      while (body.rows.length > MAX_FILLS) body.lastElementChild?.remove()
    })
  })
}

function row(fill: FillRow): HTMLTableRowElement {
  return el(
    'tr',
    { 'data-trade-id': fill.tradeId, 'data-client-order-id': fill.clientOrderId, 'data-price': fill.price, 'data-amount': fill.amount, class: fill.side === 'BUY' ? 'buy' : 'sell' },
    ...[clockTime(fill.timestamp), fill.clientOrderId, fill.tradingPair, fill.side, fill.price, fill.amount, fill.fee].map((value) => el('td', {}, value)),
  )
}
