// Filter checks in the order Binance's filters.md describes them. Each failure is the documented
// -1013 "Filter failure: <NAME>"; nothing here knows about books or balances.
import type Big from 'big.js'
import type { LotSizeFilter, MarketConfig } from './market.ts'
import { filterFailure, type EngineRejection } from './rejections.ts'

function isMultiple(value: Big, increment: Big): boolean {
  return increment.lte(0) || value.mod(increment).eq(0)
}

/** PRICE_FILTER: each bound and the tick rule are disabled when zero. */
export function checkPriceFilter(market: MarketConfig, price: Big): EngineRejection | undefined {
  const { minPrice, maxPrice, tickSize } = market.priceFilter
  const tooLow = minPrice.gt(0) && price.lt(minPrice)
  const tooHigh = maxPrice.gt(0) && price.gt(maxPrice)
  return tooLow || tooHigh || !isMultiple(price, tickSize) ? filterFailure('PRICE_FILTER') : undefined
}

function violatesLotSize(filter: LotSizeFilter, quantity: Big): boolean {
  const tooLow = filter.minQty.gt(0) && quantity.lt(filter.minQty)
  const tooHigh = filter.maxQty.gt(0) && quantity.gt(filter.maxQty)
  return tooLow || tooHigh || !isMultiple(quantity, filter.stepSize)
}

/** LOT_SIZE for every order's quantity; MARKET_LOT_SIZE as well when the order is a MARKET. */
export function checkQuantityFilters(market: MarketConfig, quantity: Big, isMarket: boolean): EngineRejection | undefined {
  if (violatesLotSize(market.lotSize, quantity)) return filterFailure('LOT_SIZE')
  if (isMarket && violatesLotSize(market.marketLotSize, quantity)) return filterFailure('MARKET_LOT_SIZE')
  return undefined
}

/**
 * NOTIONAL: minNotional <= notional <= maxNotional (0 disables maxNotional). For MARKET orders each
 * bound applies only when its applyMinToMarket / applyMaxToMarket flag says so.
 */
export function checkNotional(market: MarketConfig, notional: Big, isMarket: boolean): EngineRejection | undefined {
  const { minNotional, maxNotional, applyMinToMarket, applyMaxToMarket } = market.notional
  if ((!isMarket || applyMinToMarket) && notional.lt(minNotional)) return filterFailure('NOTIONAL')
  if ((!isMarket || applyMaxToMarket) && maxNotional.gt(0) && notional.gt(maxNotional)) return filterFailure('NOTIONAL')
  return undefined
}

/** Quantizes a quantity down to the step a market order fills in (MARKET_LOT_SIZE if set, else LOT_SIZE). */
export function marketFillStep(market: MarketConfig): Big {
  return market.marketLotSize.stepSize.gt(0) ? market.marketLotSize.stepSize : market.lotSize.stepSize
}
