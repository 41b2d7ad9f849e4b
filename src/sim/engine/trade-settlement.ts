// Executes one trade between a taker and a resting maker: moves the money, charges commission,
// updates both orders and records the fills, the public trade and the order updates. Commission is
// taken from what each side receives (base for the buyer, quote for the seller), as Binance does
// when BNB is not used for fees, rounded down to the asset's precision so it never exceeds the rate.
import Big from 'big.js'
import type { AccountLedger } from './accounts.ts'
import type { UnstampedEvent } from './engine-events.ts'
import { type MarketState, type OrderRecord, toOrderState } from './market-state.ts'
import type { AccountFill, ExecutionType, OrderStatus } from './order-types.ts'

interface ExecutionDetails {
  readonly lastExecutedQuantity: Big
  readonly lastExecutedPrice: Big
  readonly commission: Big
  readonly commissionAsset: string | null
  readonly tradeId: number
  readonly isMaker: boolean
}

const NO_EXECUTION: ExecutionDetails = {
  lastExecutedQuantity: new Big(0),
  lastExecutedPrice: new Big(0),
  commission: new Big(0),
  commissionAsset: null,
  tradeId: -1,
  isMaker: false,
}

export class TradeSettlement {
  private readonly fees = new Map<string, Big>()

  constructor(
    private readonly ledger: AccountLedger,
    private readonly emit: (event: UnstampedEvent) => void,
    private readonly recordFill: (fill: AccountFill) => void,
  ) {}

  feesCollected(asset: string): Big {
    return this.fees.get(asset) ?? new Big(0)
  }

  /** Trades `quantity` at `price`; returns the taker's fill. */
  trade(market: MarketState, taker: OrderRecord, maker: OrderRecord, price: Big, quantity: Big, time: number): AccountFill {
    const { config } = market
    const quoteQuantity = price.times(quantity)
    const tradeId = market.takeTradeId()
    const buyer = taker.side === 'BUY' ? taker : maker
    const seller = taker.side === 'BUY' ? maker : taker

    const buyerFee = this.commission(quantity, buyer === maker ? config.makerFeeRate : config.takerFeeRate, config.baseAssetPrecision)
    const sellerFee = this.commission(quoteQuantity, seller === maker ? config.makerFeeRate : config.takerFeeRate, config.quoteAssetPrecision)
    this.ledger.spendLocked(buyer.accountId, config.quoteAsset, quoteQuantity)
    buyer.lockedRemaining = buyer.lockedRemaining.minus(quoteQuantity)
    this.ledger.credit(buyer.accountId, config.baseAsset, quantity.minus(buyerFee))
    this.ledger.spendLocked(seller.accountId, config.baseAsset, quantity)
    seller.lockedRemaining = seller.lockedRemaining.minus(quantity)
    this.ledger.credit(seller.accountId, config.quoteAsset, quoteQuantity.minus(sellerFee))
    this.addFee(config.baseAsset, buyerFee)
    this.addFee(config.quoteAsset, sellerFee)

    taker.remainingQuantity = taker.remainingQuantity.minus(quantity)
    market.book.reduce(maker, quantity)
    market.lastTradePrice = price
    const trade = { symbol: config.symbol, tradeId, price, quantity, quoteQuantity, time, buyerOrderId: buyer.orderId, sellerOrderId: seller.orderId, isBuyerMaker: buyer === maker }
    market.trades.push(trade)
    this.emit({ type: 'trade', trade })

    let takerFill: AccountFill | undefined
    for (const order of [taker, maker]) {
      const isBuyer = order === buyer
      const commission = isBuyer ? buyerFee : sellerFee
      const commissionAsset = isBuyer ? config.baseAsset : config.quoteAsset
      order.executedQuantity = order.executedQuantity.plus(quantity)
      order.cumulativeQuoteQuantity = order.cumulativeQuoteQuantity.plus(quoteQuantity)
      order.status = order.remainingQuantity.lte(0) ? 'FILLED' : 'PARTIALLY_FILLED'
      order.updatedAt = time
      if (order.status === 'FILLED') order.isOnBook = false
      const fill: AccountFill = {
        accountId: order.accountId, symbol: config.symbol, tradeId, orderId: order.orderId, clientOrderId: order.clientOrderId,
        price, quantity, quoteQuantity, commission, commissionAsset, time, isBuyer, isMaker: order === maker,
      }
      this.recordFill(fill)
      if (order === taker) takerFill = fill
      this.report(market, order, 'TRADE', time, { lastExecutedQuantity: quantity, lastExecutedPrice: price, commission, commissionAsset, tradeId, isMaker: order === maker })
      // A maker that is done gives back what it locked beyond its fills (a BUY that filled at its own price has nothing left).
      if (order === maker && order.status === 'FILLED') this.releaseLock(order)
    }
    if (!takerFill) throw new Error('unreachable: the taker always gets a fill')
    return takerFill
  }

  /** Ends an order as CANCELED or EXPIRED: unlocks what it still held and reports it. */
  close(market: MarketState, order: OrderRecord, status: Extract<OrderStatus, 'CANCELED' | 'EXPIRED'>, time: number): void {
    order.status = status
    order.isOnBook = false
    order.updatedAt = time
    this.releaseLock(order)
    this.report(market, order, status, time)
  }

  /** Unlocks whatever the order still holds locked. */
  releaseLock(order: OrderRecord): void {
    if (order.lockedRemaining.lte(0)) return
    this.ledger.unlock(order.accountId, order.lockedAsset, order.lockedRemaining)
    order.lockedRemaining = new Big(0)
  }

  /** Unlocks what the order holds beyond `stillNeeded`. */
  unlockSurplus(order: OrderRecord, stillNeeded: Big): void {
    const surplus = order.lockedRemaining.minus(stillNeeded)
    if (surplus.lte(0)) return
    this.ledger.unlock(order.accountId, order.lockedAsset, surplus)
    order.lockedRemaining = stillNeeded
  }

  /** Queues an executionReport-like update with a snapshot of the order as it is now. */
  report(market: MarketState, order: OrderRecord, executionType: ExecutionType, time: number, details: ExecutionDetails = NO_EXECUTION): void {
    this.emit({
      type: 'orderUpdate',
      accountId: order.accountId,
      time,
      executionType,
      order: toOrderState(order),
      originalClientOrderId: executionType === 'CANCELED' ? order.clientOrderId : '',
      lastQuoteQuantity: details.lastExecutedPrice.times(details.lastExecutedQuantity),
      executionId: market.takeExecutionId(),
      ...details,
    })
  }

  private commission(received: Big, rate: Big, precision: number): Big {
    return received.times(rate).round(precision, Big.roundDown)
  }

  private addFee(asset: string, amount: Big): void {
    this.fees.set(asset, this.feesCollected(asset).plus(amount))
  }
}
