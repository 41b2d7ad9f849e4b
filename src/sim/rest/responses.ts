// Engine records in Binance's REST JSON shapes (rest/*.json in the reference): decimals as strings
// printed to the asset's precision, times in epoch milliseconds, keys in Binance's order.
import Big from 'big.js'
import type { AccountFill, MarketConfig, MarketTrade, OrderState, PriceLevelView } from '../engine/index.ts'

export type OrderResponseType = 'ACK' | 'RESULT' | 'FULL'

/** The simulator has no stop or iceberg orders; Binance still prints those fields as zero. */
const ZERO = new Big(0)

/** Binance prints amounts with the market's precision (8 for every default market). */
function decimal(value: Big, digits = 8): string {
  return value.toFixed(digits)
}

export function levels(levelViews: readonly PriceLevelView[]): [string, string][] {
  return levelViews.map((level) => [decimal(level.price), decimal(level.quantity)])
}

export function publicTrade(trade: MarketTrade): object {
  return {
    id: trade.tradeId,
    price: decimal(trade.price),
    qty: decimal(trade.quantity),
    quoteQty: decimal(trade.quoteQuantity),
    time: trade.time,
    isBuyerMaker: trade.isBuyerMaker,
    isBestMatch: true,
  }
}

function orderCore(order: OrderState): Record<string, string> {
  return {
    price: decimal(order.price),
    origQty: decimal(order.originalQuantity),
    executedQty: decimal(order.executedQuantity),
    origQuoteOrderQty: decimal(order.originalQuoteOrderQuantity),
    cummulativeQuoteQty: decimal(order.cumulativeQuoteQuantity),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
  }
}

/** POST /api/v3/order in the requested newOrderRespType. */
export function newOrderResponse(order: OrderState, fills: readonly AccountFill[], responseType: OrderResponseType): object {
  const ack = { symbol: order.symbol, orderId: order.orderId, orderListId: -1, clientOrderId: order.clientOrderId, transactTime: order.createdAt }
  if (responseType === 'ACK') return ack
  const result = { ...ack, ...orderCore(order), workingTime: order.workingTime, selfTradePreventionMode: 'NONE' }
  if (responseType === 'RESULT') return result
  return {
    ...result,
    fills: fills.map((fill) => ({
      price: decimal(fill.price),
      qty: decimal(fill.quantity),
      commission: decimal(fill.commission),
      commissionAsset: fill.commissionAsset,
      tradeId: fill.tradeId,
    })),
  }
}

/** GET /api/v3/order and each element of GET /api/v3/openOrders. */
export function queriedOrder(order: OrderState): object {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: decimal(order.price),
    origQty: decimal(order.originalQuantity),
    executedQty: decimal(order.executedQuantity),
    cummulativeQuoteQty: decimal(order.cumulativeQuoteQuantity),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    stopPrice: decimal(ZERO),
    icebergQty: decimal(ZERO),
    time: order.createdAt,
    updateTime: order.updatedAt,
    isWorking: order.isOnBook,
    workingTime: order.workingTime,
    origQuoteOrderQty: decimal(order.originalQuoteOrderQuantity),
    selfTradePreventionMode: 'NONE',
  }
}

/** DELETE /api/v3/order and each element of DELETE /api/v3/openOrders. */
export function canceledOrder(order: OrderState, cancelClientOrderId: string, transactTime: number): object {
  return {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime,
    ...orderCore(order),
    selfTradePreventionMode: 'NONE',
  }
}

export function accountTrade(fill: AccountFill): object {
  return {
    symbol: fill.symbol,
    id: fill.tradeId,
    orderId: fill.orderId,
    orderListId: -1,
    price: decimal(fill.price),
    qty: decimal(fill.quantity),
    quoteQty: decimal(fill.quoteQuantity),
    commission: decimal(fill.commission),
    commissionAsset: fill.commissionAsset,
    time: fill.time,
    isBuyer: fill.isBuyer,
    isMaker: fill.isMaker,
    isBestMatch: true,
  }
}

/** One exchangeInfo symbol with the filters the engine enforces. */
export function symbolInfo(market: MarketConfig): object {
  return {
    symbol: market.symbol,
    status: 'TRADING',
    baseAsset: market.baseAsset,
    baseAssetPrecision: market.baseAssetPrecision,
    quoteAsset: market.quoteAsset,
    quotePrecision: market.quoteAssetPrecision,
    quoteAssetPrecision: market.quoteAssetPrecision,
    baseCommissionPrecision: market.baseAssetPrecision,
    quoteCommissionPrecision: market.quoteAssetPrecision,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    opoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: decimal(market.priceFilter.minPrice), maxPrice: decimal(market.priceFilter.maxPrice), tickSize: decimal(market.priceFilter.tickSize) },
      { filterType: 'LOT_SIZE', minQty: decimal(market.lotSize.minQty), maxQty: decimal(market.lotSize.maxQty), stepSize: decimal(market.lotSize.stepSize) },
      { filterType: 'MARKET_LOT_SIZE', minQty: decimal(market.marketLotSize.minQty), maxQty: decimal(market.marketLotSize.maxQty), stepSize: decimal(market.marketLotSize.stepSize) },
      {
        filterType: 'NOTIONAL',
        minNotional: decimal(market.notional.minNotional),
        applyMinToMarket: market.notional.applyMinToMarket,
        maxNotional: decimal(market.notional.maxNotional),
        applyMaxToMarket: market.notional.applyMaxToMarket,
        // The engine checks market notionals against the last price, i.e. Binance's avgPriceMins 0.
        avgPriceMins: 0,
      },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'NONE',
    allowedSelfTradePreventionModes: ['NONE'],
  }
}

export function decimalString(value: Big): string {
  return decimal(value)
}
