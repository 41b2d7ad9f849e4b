// Balances: free and locked per asset, as decimal strings (never rounded through a float).
import type { AppState } from './app-state.ts'
import { el } from './dom.ts'
import { every } from './render-loop.ts'

export function mountBalances(state: AppState, root: HTMLElement): void {
  const body = el('tbody', { testid: 'balances' })
  const note = el('p', { class: 'note' })
  root.append(el('table', { class: 'balances' }, el('thead', {}, el('tr', {}, el('th', {}, 'asset'), el('th', {}, 'free'), el('th', {}, 'locked'))), body), note)
  let drawn = ''
  every(250, () => {
    const trading = state.session?.trading
    const balances = trading?.balances()
    note.textContent = !state.session ? '' : !trading ? 'No account: public data only.' : balances === undefined ? (trading.balancesNote ?? '') : ''
    const rows = [...(balances ?? [])].sort((a, b) => a.asset.localeCompare(b.asset))
    const key = JSON.stringify(rows)
    if (key === drawn) return
    drawn = key
    body.replaceChildren(
      ...rows.map((balance) =>
        el('tr', { 'data-asset': balance.asset, 'data-free': balance.free, 'data-locked': balance.locked }, el('td', {}, balance.asset), el('td', {}, balance.free), el('td', {}, balance.locked)),
      ),
    )
  })
}
