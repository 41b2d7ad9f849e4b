// The test account's engine events as Binance's user data stream prints them: executionReport,
// outboundAccountPosition and, for balance changes no order caused (a deposit), balanceUpdate with
// the delta. The WS API wraps each in `{subscriptionId, event}` (user-data/wsapi_envelope_*.json);
// listen-key sockets send them bare (user-data/legacy_listenKey_*.json).
import Big from 'big.js'
import type { AssetBalance, BalanceUpdateEvent, EngineEvent, OrderState, OrderUpdateEvent, SimulatedExchange } from '../engine/index.ts'
import { decimalString } from '../rest/responses.ts'

/** The simulator has no stop or iceberg orders; Binance still prints those fields as zero. */
const ZERO_TEXT = decimalString(new Big(0))

/**
 * executionReport. `v` (prevented match id) is left out: Binance sends it only for orders expired by
 * self-trade prevention, which this simulator does not have. `settled` is the order once the command
 * that raised the update finished: the engine reports NEW before it books the order, while Binance's
 * NEW already says whether the order rests (`w`) and since when it works (`W`).
 */
export function executionReport(update: OrderUpdateEvent, settled: Readonly<OrderState> = update.order): object {
  const { order } = update
  return {
    e: 'executionReport',
    E: update.time,
    s: order.symbol,
    c: order.clientOrderId,
    S: order.side,
    o: order.type,
    f: order.timeInForce,
    q: decimalString(order.originalQuantity),
    p: decimalString(order.price),
    P: ZERO_TEXT,
    F: ZERO_TEXT,
    g: -1,
    C: update.originalClientOrderId,
    x: update.executionType,
    X: order.status,
    r: 'NONE',
    i: order.orderId,
    l: decimalString(update.lastExecutedQuantity),
    z: decimalString(order.executedQuantity),
    L: decimalString(update.lastExecutedPrice),
    // Binance prints "0" and a null asset until a trade charges a commission.
    n: update.commissionAsset === null ? '0' : decimalString(update.commission),
    N: update.commissionAsset,
    T: update.time,
    t: update.tradeId,
    I: update.executionId,
    w: update.executionType === 'NEW' ? settled.isOnBook : order.isOnBook,
    m: update.isMaker,
    M: false,
    O: order.createdAt,
    Z: decimalString(order.cumulativeQuoteQuantity),
    Y: decimalString(update.lastQuoteQuantity),
    Q: decimalString(order.originalQuoteOrderQuantity),
    ...workingTime(order.workingTime >= 0 ? order.workingTime : settled.workingTime),
    V: 'NONE',
  }
}

/** `W` is only present once the order has started working. */
function workingTime(time: number): { W?: number } {
  return time >= 0 ? { W: time } : {}
}

export function outboundAccountPosition(update: BalanceUpdateEvent): object {
  return {
    e: 'outboundAccountPosition',
    E: update.time,
    u: update.time,
    B: update.balances.map((balance) => ({ a: balance.asset, f: decimalString(balance.free), l: decimalString(balance.locked) })),
  }
}

/**
 * Turns one account's engine events into user data events. Remembers each asset's total so that a
 * balance change with no order update before it (a deposit) also yields balanceUpdate, as Binance
 * sends for deposits, withdrawals and transfers.
 */
export class UserDataTranslator {
  private readonly totals = new Map<string, Big>()
  private orderActivitySinceLastBalance = false

  constructor(
    private readonly accountId: string,
    openingBalances: readonly AssetBalance[],
    /** The order as it stands now; events are translated as soon as the command that raised them ends. */
    private readonly currentOrder: (update: OrderUpdateEvent) => Readonly<OrderState> | undefined = () => undefined,
  ) {
    for (const balance of openingBalances) this.totals.set(balance.asset, balance.free.plus(balance.locked))
  }

  translate(event: EngineEvent): object[] {
    if (event.type === 'orderUpdate' && event.accountId === this.accountId) {
      this.orderActivitySinceLastBalance = true
      return [executionReport(event, this.currentOrder(event))]
    }
    if (event.type !== 'balanceUpdate' || event.accountId !== this.accountId) return []
    const transfers = this.orderActivitySinceLastBalance ? [] : this.transfers(event)
    for (const balance of event.balances) this.totals.set(balance.asset, balance.free.plus(balance.locked))
    this.orderActivitySinceLastBalance = false
    return [...transfers, outboundAccountPosition(event)]
  }

  private transfers(event: BalanceUpdateEvent): object[] {
    return event.balances.flatMap((balance) => {
      const delta = balance.free.plus(balance.locked).minus(this.totals.get(balance.asset) ?? 0)
      if (delta.eq(0)) return []
      return [{ e: 'balanceUpdate', E: event.time, a: balance.asset, d: decimalString(delta), T: event.time }]
    })
  }
}

/**
 * Starts translating the test account's engine events from now on and hands each user data event to
 * `deliver`; returns the function that stops it.
 * @example
 * const stop = followTestAccount(exchange, (event) => socket.send(JSON.stringify(event)))
 */
export function followTestAccount(exchange: SimulatedExchange, deliver: (event: object) => void): () => void {
  const { engine, testAccountId } = exchange
  const currentOrder = (update: OrderUpdateEvent) => {
    const found = engine.queryOrder({ accountId: update.accountId, symbol: update.order.symbol, orderId: update.order.orderId })
    return found.ok ? found.order : undefined
  }
  const translator = new UserDataTranslator(testAccountId, engine.ledger.balances(testAccountId), currentOrder)
  return engine.subscribe((event) => {
    for (const payload of translator.translate(event)) deliver(payload)
  })
}
