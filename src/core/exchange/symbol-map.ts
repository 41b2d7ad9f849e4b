// Exchange symbols ↔ trading pairs. The public API speaks `BASE-QUOTE`; every exchange has its own
// spelling (`BTCUSDT`, `BTC_USDT`, …). The map is rebuilt from the exchange's own listing (the same
// answer as the trading rules), so a pair the exchange delists stops resolving.
import { InvalidInputError } from '../errors.ts'
import { splitTradingPair } from '../orders/trading-pair.ts'

/** One listing: the exchange's symbol and our `BASE-QUOTE` pair for it. */
export interface SymbolMapping {
  readonly exchangeSymbol: string
  readonly tradingPair: string
}

/**
 * A two-way map between exchange symbols and trading pairs.
 *
 * @example
 * const symbols = new SymbolMap([{ exchangeSymbol: 'BTCUSDT', tradingPair: 'BTC-USDT' }])
 * symbols.exchangeSymbolFor('BTC-USDT') // 'BTCUSDT'
 */
export class SymbolMap {
  readonly #pairBySymbol = new Map<string, string>()
  readonly #symbolByPair = new Map<string, string>()

  /** Throws `InvalidInputError` for a pair not shaped `BASE-QUOTE` or a symbol or pair listed twice. */
  constructor(mappings: Iterable<SymbolMapping> = []) {
    for (const { exchangeSymbol, tradingPair } of mappings) {
      splitTradingPair(tradingPair)
      if (this.#pairBySymbol.has(exchangeSymbol) || this.#symbolByPair.has(tradingPair)) {
        throw new InvalidInputError(`the symbol map lists ${exchangeSymbol} / ${tradingPair} twice`)
      }
      this.#pairBySymbol.set(exchangeSymbol, tradingPair)
      this.#symbolByPair.set(tradingPair, exchangeSymbol)
    }
  }

  get size(): number {
    return this.#pairBySymbol.size
  }

  /** Every trading pair the exchange lists. */
  get tradingPairs(): string[] {
    return [...this.#symbolByPair.keys()]
  }

  /** The exchange's symbol for a pair, or undefined when the exchange does not list it. */
  exchangeSymbolFor(tradingPair: string): string | undefined {
    return this.#symbolByPair.get(tradingPair)
  }

  /** The pair for an exchange symbol, or undefined when it is not listed. */
  tradingPairFor(exchangeSymbol: string): string | undefined {
    return this.#pairBySymbol.get(exchangeSymbol)
  }
}
