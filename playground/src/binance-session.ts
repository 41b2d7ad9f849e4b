// A session on a Binance exchange from `spotwire/binance`: the simulator (keys from /sim/info or a
// pasted `npm run sim` line), the spot testnet (keys typed in the page) or public data (no keys, no
// trading). Everything here goes through the library's public API only: it doubles as a usage example.
import { EventEmitter, ExchangeTaskError, SpotwireError, type TradingRule, redact } from 'spotwire'
import { type BinanceDomain, type BinanceExchange, type BinanceUrls, createBinanceExchange } from 'spotwire/binance'
import { type BookSource, EMPTY_BOOK, type OrderRow, type Session, type SessionEvents, type TradingApi } from './session.ts'

export interface BinanceSessionOptions {
  readonly label: string
  readonly tradingPairs: readonly string[]
  readonly domain?: BinanceDomain
  readonly urls?: Partial<BinanceUrls>
  /** Both or neither; omitted = public data only. Held by the exchange only, never logged. */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret: string }
  readonly simulatorControlUrl?: string
}

export function createBinanceSession(options: BinanceSessionOptions): Session {
  const events = new EventEmitter<SessionEvents>()
  const log = (level: 'info' | 'warn' | 'error', text: string, source = 'exchange') =>
    events.emit('log', { level, source, text: redact(text) })
  const exchange: BinanceExchange = createBinanceExchange({
    tradingPairs: options.tradingPairs,
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.urls ? { urls: options.urls } : {}),
    ...(options.credentials ?? {}),
    tradingRequired: options.credentials !== undefined,
  })
  const reconciliation = new Map<string, 'reconciling' | 'reconciled'>()
  wireExchangeEvents(exchange, events, log, reconciliation)
  const trading = options.credentials ? binanceTrading(exchange, log, reconciliation) : undefined

  return {
    label: options.label,
    tradingPairs: options.tradingPairs,
    events,
    trading,
    tradingDisabledReason: trading ? undefined : 'Public data only: no API keys, so books and trades only. Pick the simulator, the testnet (with keys) or the edge router to trade.',
    hasTrades: true,
    simulatorControlUrl: options.simulatorControlUrl,
    async start() {
      log('info', `starting ${exchange.name} (${options.tradingPairs.join(', ')})`)
      await exchange.start()
      log('info', `${exchange.name} ready`)
    },
    stop: () => exchange.stop(),
    book(tradingPair): BookSource {
      try {
        return exchange.orderBook(tradingPair)
      } catch {
        return EMPTY_BOOK // a pair this exchange does not track
      }
    },
  }
}

/** The exchange's events, re-emitted in the page's vocabulary. */
function wireExchangeEvents(
  exchange: BinanceExchange,
  events: EventEmitter<SessionEvents>,
  log: (level: 'info' | 'warn' | 'error', text: string, source?: string) => void,
  reconciliation: Map<string, 'reconciling' | 'reconciled'>,
): void {
  /** An order whose create had no definite answer, now known to the exchange: say so once. */
  const reconciled = (clientOrderId: string, how: string) => {
    if (reconciliation.get(clientOrderId) !== 'reconciling') return
    reconciliation.set(clientOrderId, 'reconciled')
    log('info', `${clientOrderId} reconciled: ${how}, although its create request got no definite answer (it was not sent again)`, 'orders')
  }
  exchange.on('orderBookStatus', (change) => {
    events.emit('bookStatus', change)
    const level = change.status === 'stale' ? 'warn' : 'info'
    log(level, `${change.tradingPair} book ${change.previous} → ${change.status}`, 'book')
  })
  exchange.on('orderBookUpdate', (update) => events.emit('bookUpdate', update))
  exchange.on('marketTrade', (trade) =>
    events.emit('trade', { ...trade, price: trade.price.toFixed(), amount: trade.amount.toFixed() }),
  )
  exchange.on('marketStreamConnected', ({ connections }) => {
    events.emit('marketConnected', { connections })
    log(connections > 1 ? 'warn' : 'info', connections > 1 ? `market stream reconnected (connection ${connections})` : 'market stream connected', 'stream')
  })
  for (const name of ['buyOrderCreated', 'sellOrderCreated'] as const) {
    exchange.on(name, (order) => {
      reconciled(order.clientOrderId, 'the exchange has it open')
      log('info', `${order.clientOrderId} created: ${order.tradeType} ${order.orderType} ${order.amount.toFixed()} ${order.tradingPair}${order.price ? ` @ ${order.price.toFixed()}` : ''} (exchange id ${order.exchangeOrderId ?? '?'})`, 'orders')
    })
  }
  exchange.on('orderFilled', (fill) => {
    reconciled(fill.clientOrderId, 'the exchange filled it')
    events.emit('fill', {
      tradeId: fill.tradeId,
      clientOrderId: fill.clientOrderId,
      tradingPair: fill.tradingPair,
      side: fill.tradeType,
      price: fill.price.toFixed(),
      amount: fill.amount.toFixed(),
      fee: fill.fee.flatFees.map((fee) => `${fee.amount.toFixed()} ${fee.token}`).join(', ') || '0',
      timestamp: fill.timestamp,
    })
    log('info', `${fill.clientOrderId} filled ${fill.amount.toFixed()} @ ${fill.price.toFixed()} (trade ${fill.tradeId})`, 'orders')
  })
  exchange.on('orderCancelled', (order) => log('info', `${order.clientOrderId} cancelled`, 'orders'))
  for (const name of ['buyOrderCompleted', 'sellOrderCompleted'] as const) {
    exchange.on(name, (order) => log('info', `${order.clientOrderId} completed: ${order.executedAmountBase.toFixed()} ${order.baseAsset} for ${order.executedAmountQuote.toFixed()} ${order.quoteAsset}`, 'orders'))
  }
  exchange.on('orderFailure', (order) =>
    log('warn', `${order.clientOrderId} failed: ${order.errorMessage ?? order.errorType ?? 'no reason given'}`, 'orders'),
  )
  exchange.on('error', (error) => {
    // Network trouble, exchange refusals and failed background tasks are expected here (the
    // faults panel causes them on purpose): the page shows them. Anything else is a bug.
    // "placing order x-… (outcome unknown; …)": the create got a 5xx or no answer at all.
    const ambiguous = error instanceof ExchangeTaskError ? /^placing order (\S+) \(outcome unknown/.exec(error.task) : null
    const ambiguousId = ambiguous?.[1]
    if (ambiguousId) {
      // The user stream may have told the exchange's side before the 5xx answer arrived.
      const order = exchange.inFlightOrders.get(ambiguousId)
      reconciliation.set(ambiguousId, 'reconciling')
      if (order === undefined || order.isDone) reconciled(ambiguousId, 'the exchange already finished it')
      else if (!order.isPendingCreate) reconciled(ambiguousId, `the exchange already reported it ${order.state}`)
    }
    if (error instanceof SpotwireError) {
      log('warn', error.shortMessage, 'error')
    } else {
      log('error', `${error.name}: ${error.message}`, 'error')
      events.emit('error', error)
    }
  })
}

function binanceTrading(
  exchange: BinanceExchange,
  log: (level: 'info' | 'warn', text: string, source?: string) => void,
  reconciliation: ReadonlyMap<string, 'reconciling' | 'reconciled'>,
): TradingApi {
  return {
    rule: (tradingPair): TradingRule | undefined => exchange.tradingRules.get(tradingPair),
    async place(order) {
      const submit = order.side === 'BUY' ? exchange.buy.bind(exchange) : exchange.sell.bind(exchange)
      // buy()/sell() throw only for malformed input (the ticket checks that first); everything the
      // exchange says arrives as events.
      const id = submit(order.tradingPair, order.amount, order.orderType, order.price)
      log('info', `${id} sent: ${order.side} ${order.orderType} ${order.amount} ${order.tradingPair}${order.price ? ` @ ${order.price}` : ''}`, 'orders')
      return id
    },
    async cancel(tradingPair, clientOrderId) {
      const accepted = await exchange.cancel(tradingPair, clientOrderId)
      if (!accepted) log('warn', `cancel of ${clientOrderId} was not accepted (already done, unknown, or no answer)`, 'orders')
      return accepted
    },
    async cancelAll() {
      const results = await exchange.cancelAll(10_000)
      const failed = results.filter((result) => !result.success).length
      log(failed ? 'warn' : 'info', `cancel all: ${results.length - failed} cancelled, ${failed} not`, 'orders')
      return results
    },
    openOrders: () =>
      [...exchange.inFlightOrders.values()]
        .filter((order) => !order.isDone)
        .map(
          (order): OrderRow => ({
            clientOrderId: order.clientOrderId,
            tradingPair: order.tradingPair,
            side: order.tradeType,
            orderType: order.orderType,
            amount: order.amount.toFixed(),
            price: order.price?.toFixed(),
            executed: order.executedAmountBase.toFixed(),
            state: reconciliation.has(order.clientOrderId) ? `${order.state} (${reconciliation.get(order.clientOrderId)})` : order.state,
          }),
        ),
    balances: () =>
      [...exchange.balances.values()].map((balance) => ({
        asset: balance.asset,
        free: balance.available.toFixed(),
        locked: balance.total.minus(balance.available).toFixed(),
      })),
    available: (asset) => exchange.getAvailableBalance(asset).toFixed(),
  }
}
