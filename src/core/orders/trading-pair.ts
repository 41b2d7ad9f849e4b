// Trading pairs are `BASE-QUOTE` everywhere in the public API (DESIGN.md); connectors map them to
// their exchange's symbols.
import { describeInput, InvalidInputError } from '../errors.ts'

export interface TradingPairAssets {
  readonly baseAsset: string
  readonly quoteAsset: string
}

/**
 * Splits a `BASE-QUOTE` pair at its first dash. Throws `InvalidInputError` when either side is
 * missing.
 *
 * @example
 * splitTradingPair('BTC-USDT') // { baseAsset: 'BTC', quoteAsset: 'USDT' }
 */
export function splitTradingPair(tradingPair: string): TradingPairAssets {
  if (typeof tradingPair !== 'string') throw new InvalidInputError(`a trading pair must be a string, got ${describeInput(tradingPair)}`)
  const dash = tradingPair.indexOf('-')
  const baseAsset = dash > 0 ? tradingPair.slice(0, dash) : ''
  const quoteAsset = dash > 0 ? tradingPair.slice(dash + 1) : ''
  if (baseAsset === '' || quoteAsset === '') {
    throw new InvalidInputError(`a trading pair must look like BASE-QUOTE, got ${describeInput(tradingPair)}`)
  }
  return { baseAsset, quoteAsset }
}
