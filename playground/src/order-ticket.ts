// The order ticket: side, type, amount, price. The trading rule's tick, step and minimums are shown,
// and the quantized order (what would really be sent) is previewed as the user types; an order the
// exchange would refuse is explained here and never sent.
import type { AppState } from './app-state.ts'
import { el } from './dom.ts'
import { previewOrder, type TicketOrderType } from './order-preview.ts'
import { every } from './render-loop.ts'
import type { Session } from './session.ts'

export function mountOrderTicket(state: AppState, root: HTMLElement): void {
  const side = el('select', { testid: 'order-side', name: 'side' }, el('option', { value: 'buy' }, 'Buy'), el('option', { value: 'sell' }, 'Sell'))
  const type = el(
    'select',
    { testid: 'order-type', name: 'type' },
    el('option', { value: 'LIMIT' }, 'LIMIT'),
    el('option', { value: 'LIMIT_MAKER' }, 'LIMIT_MAKER'),
    el('option', { value: 'MARKET' }, 'MARKET'),
  )
  const amount = el('input', { testid: 'order-amount', name: 'amount', inputmode: 'decimal', autocomplete: 'off', placeholder: '0.001' })
  const price = el('input', { testid: 'order-price', name: 'price', inputmode: 'decimal', autocomplete: 'off' })
  const submit = el('button', { testid: 'order-submit', type: 'submit' }, 'Place order')
  const rule = el('p', { testid: 'order-rule', class: 'note' })
  const preview = el('p', { testid: 'order-preview', class: 'preview' })
  const error = el('p', { testid: 'order-error', class: 'error', role: 'alert' })
  const disabled = el('p', { testid: 'trading-disabled', class: 'note', hidden: true })
  const form = el(
    'form',
    { testid: 'order-form', class: 'ticket', novalidate: true },
    el('div', { class: 'ticket-row' }, el('label', {}, 'Side ', side), el('label', {}, 'Type ', type)),
    el('div', { class: 'ticket-row' }, el('label', {}, 'Amount ', amount), el('label', {}, 'Price ', price)),
    rule,
    preview,
    error,
    submit,
  )
  root.append(disabled, form)

  const current = () => {
    const session = state.session
    const book = session?.book(state.market)
    return previewOrder({
      tradingPair: state.market,
      side: side.value === 'sell' ? 'SELL' : 'BUY',
      orderType: type.value as TicketOrderType,
      amountText: amount.value,
      priceText: price.value,
      rule: session?.trading?.rule(state.market),
      bestBid: book?.bids(1)[0]?.price,
      bestAsk: book?.asks(1)[0]?.price,
      available: (asset) => session?.trading?.available(asset),
    })
  }

  const showPreview = () => {
    const isMarket = type.value === 'MARKET'
    price.placeholder = isMarket ? 'not used for MARKET' : 'limit price'
    const untouched = amount.value === '' && (isMarket || price.value === '')
    const { order, problems, notes } = current()
    const at = isMarket ? '' : ` @ ${order?.price ?? ''}`
    preview.textContent = order ? `Will send: ${sideText()} ${type.value} ${order.amount} ${state.market}${at}${notes.length ? ` (${notes.join('; ')})` : ''}` : untouched ? '' : notes.join('; ')
    error.textContent = untouched ? '' : problems.join('; ')
  }
  const sideText = () => (side.value === 'sell' ? 'SELL' : 'BUY')
  for (const input of [side, type, amount, price]) input.addEventListener('input', showPreview)
  for (const input of [side, type]) input.addEventListener('change', showPreview)

  const showRule = (session: Session | undefined) => {
    const trading = session?.trading
    const tradingRule = trading?.rule(state.market)
    if (!trading) rule.textContent = ''
    else if (!tradingRule) rule.textContent = trading.ruleNote ?? 'loading the trading rule…'
    else {
      rule.textContent = `tick ${tradingRule.minPriceIncrement.toFixed()} · step ${tradingRule.minBaseAmountIncrement.toFixed()} · min amount ${tradingRule.minOrderSize.toFixed()} · min notional ${tradingRule.minNotionalSize.toFixed()}`
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const session = state.session
    const trading = session?.trading
    if (!trading) {
      error.textContent = session?.tradingDisabledReason ?? 'not connected'
      return
    }
    const { order, problems } = current()
    if (!order) {
      error.textContent = problems.join('; ') // explained, not sent
      return
    }
    error.textContent = ''
    submit.disabled = true
    trading
      .place({ tradingPair: state.market, side: sideText(), orderType: type.value as TicketOrderType, amount: order.amount, price: order.price })
      .then((id) => {
        preview.textContent = `Sent ${id}`
      })
      .catch((failure: unknown) => {
        // A refusal (edge 400/403/429, malformed input): shown here and in the log, not thrown.
        const message = failure instanceof Error ? failure.message : String(failure)
        error.textContent = message
        session.events.emit('log', { level: 'warn', source: 'orders', text: `order not placed: ${message}` })
      })
      .finally(() => {
        submit.disabled = false
      })
  })

  state.withSession((session) => {
    const reason = session.trading ? undefined : session.tradingDisabledReason
    disabled.hidden = reason === undefined
    disabled.textContent = reason ?? ''
    for (const control of form.elements) (control as HTMLInputElement).disabled = reason !== undefined
    showPreview()
  })
  state.onMarket(showPreview)
  // The rule arrives with the exchange's first rules fetch; the preview follows book and balances.
  let lastRule = ''
  every(500, () => {
    showRule(state.session)
    if (rule.textContent !== lastRule) {
      lastRule = rule.textContent ?? ''
      showPreview()
    }
  })
}
