// Open orders with cancel and cancel all. Rows are keyed by client order id and updated in place,
// so a cancel button is not replaced under the pointer while the list refreshes.
import type { AppState } from './app-state.ts'
import { el } from './dom.ts'
import { every } from './render-loop.ts'
import type { OrderRow } from './session.ts'

export function mountOpenOrders(state: AppState, root: HTMLElement): void {
  const body = el('tbody', { testid: 'open-orders' })
  const cancelAll = el('button', { testid: 'cancel-all', type: 'button' }, 'Cancel all')
  const empty = el('p', { class: 'note' }, 'No open orders.')
  root.append(
    el('div', { class: 'panel-actions' }, cancelAll),
    el('table', { class: 'orders' }, el('thead', {}, el('tr', {}, ...['order', 'pair', 'side', 'type', 'amount', 'price', 'filled', 'state', ''].map((title) => el('th', {}, title)))), body),
    empty,
  )

  cancelAll.addEventListener('click', () => {
    const trading = state.session?.trading
    if (!trading) return
    cancelAll.disabled = true
    void trading.cancelAll().finally(() => {
      cancelAll.disabled = false
    })
  })

  const rows = new Map<string, HTMLTableRowElement>()
  const draw = () => {
    const trading = state.session?.trading
    const orders = trading?.openOrders() ?? []
    const live = new Set(orders.map((order) => order.clientOrderId))
    for (const [id, row] of rows) {
      if (live.has(id)) continue
      row.remove()
      rows.delete(id)
    }
    for (const order of orders) {
      let row = rows.get(order.clientOrderId)
      if (!row) {
        row = newRow(order, (button) => {
          if (!trading) return
          button.disabled = true
          void trading.cancel(order.tradingPair, order.clientOrderId).then((accepted) => {
            if (!accepted) button.disabled = false
          })
        })
        rows.set(order.clientOrderId, row)
        body.append(row)
      }
      fill(row, order)
    }
    empty.hidden = orders.length > 0
    cancelAll.disabled = orders.length === 0
  }
  state.withSession(() => {
    for (const row of rows.values()) row.remove()
    rows.clear()
  })
  every(200, draw)
}

function newRow(order: OrderRow, onCancel: (button: HTMLButtonElement) => void): HTMLTableRowElement {
  const cancel = el('button', { testid: 'cancel-order', type: 'button', title: `cancel ${order.clientOrderId}` }, 'Cancel')
  cancel.addEventListener('click', () => onCancel(cancel))
  const cells = ['id', 'pair', 'side', 'type', 'amount', 'price', 'executed', 'state'].map((name) => el('td', { class: name }))
  return el('tr', { 'data-client-order-id': order.clientOrderId, class: order.side === 'BUY' ? 'buy' : 'sell' }, ...cells, el('td', {}, cancel))
}

function fill(row: HTMLTableRowElement, order: OrderRow): void {
  const values = [order.clientOrderId, order.tradingPair, order.side, order.orderType, order.amount, order.price ?? 'market', order.executed, order.state]
  values.forEach((value, index) => {
    const cell = row.cells[index]
    if (cell && cell.textContent !== value) cell.textContent = value
  })
  row.dataset['state'] = order.state
}
