// Binance's listing and order vocabulary in our terms: which symbols are tradable spot pairs, the
// trading rules their filters imply, the default fees, and the exact parameters of a new order.
import { type Big, formatDecimal, maxDecimal, minDecimal, toDecimal, ZERO } from '../../core/decimal.ts'
import { InvalidInputError, PayloadValidationError, type SpotwireError, asError } from '../../core/errors.ts'
import type { SymbolMapping } from '../../core/exchange/symbol-map.ts'
import { createTradeFeeSchema, type TradeFeeSchema } from '../../core/orders/fees.ts'
import { isLimitOrderType, type OrderType, type TradeType } from '../../core/orders/order-state.ts'
import { createTradingRule, type TradingRule, UNLIMITED } from '../../core/orders/trading-rule.ts'
import { CLIENT_ORDER_ID_PATTERN, PATHS } from './constants.ts'
import { parsePayload } from './schemas/parse.ts'
import { type BinanceSymbolFilter, type BinanceSymbolInfo, ExchangeInfoSchema, SymbolInfoSchema } from './schemas/rest.ts'

/**
 * Binance's standard spot fees: 0.1 % maker and taker. Commission comes out of what the trade
 * returns (the base bought, the quote received), so buys are "deducted from returns" too.
 */
export const DEFAULT_FEES: TradeFeeSchema = /*#__PURE__*/ createTradeFeeSchema({
  makerPercentFeeDecimal: '0.001',
  takerPercentFeeDecimal: '0.001',
  buyPercentFeeDeductedFromReturns: true,
})

/**
 * True for a symbol we may trade on spot: status TRADING, and SPOT in `permissions` (legacy) or in
 * any of `permissionSets`.
 *
 * @example
 * isSpotTradable({ ...symbol, status: 'BREAK' }) // false
 */
export function isSpotTradable(symbol: BinanceSymbolInfo): boolean {
  if (symbol.status !== 'TRADING') return false
  return symbol.permissions.includes('SPOT') || symbol.permissionSets.some((set) => set.includes('SPOT'))
}

/**
 * A trading rule plus what Binance enforces beyond the core rule: price bounds (PRICE_FILTER) and
 * the narrower sizes of MARKET orders (MARKET_LOT_SIZE), and whether the notional bounds apply to
 * MARKET orders.
 */
export interface BinanceTradingRule extends TradingRule {
  /** Lowest and highest accepted price; 0 and `UNLIMITED` when the filter disables them. */
  readonly minPrice: Big
  readonly maxPrice: Big
  /** Sizes for MARKET orders: LOT_SIZE and MARKET_LOT_SIZE combined (see `tradingRuleFromSymbol`). */
  readonly marketMinOrderSize: Big
  readonly marketMaxOrderSize: Big
  readonly marketBaseAmountIncrement: Big
}

type FilterOf<Type extends string> = Extract<BinanceSymbolFilter, { filterType: Type }>

function findFilter<Type extends 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'MIN_NOTIONAL' | 'NOTIONAL'>(
  symbol: BinanceSymbolInfo,
  filterType: Type,
): FilterOf<Type> | undefined {
  return symbol.filters.find((filter): filter is FilterOf<Type> => filter.filterType === filterType)
}

/** A bound where Binance writes 0 for "disabled". */
function upperBound(value: string | undefined): Big {
  const decimal = value === undefined ? ZERO : toDecimal(value)
  return decimal.gt(0) ? decimal : UNLIMITED
}

/**
 * The trading rule a symbol's filters imply, for the pair `BASE-QUOTE`.
 *
 * - PRICE_FILTER: `tickSize` → price increment; `minPrice`/`maxPrice` kept as bounds (0 = none).
 * - LOT_SIZE: `minQty`, `maxQty`, `stepSize` → order size and base increment (every order).
 * - MARKET_LOT_SIZE: MARKET orders must meet it as well as LOT_SIZE, so their bounds are the
 *   tighter of the two; its step is often "0.00000000" (disabled), and then LOT_SIZE's step rules
 *   alone. With both steps set the coarser wins (Binance steps are powers of ten, so it meets both).
 * - NOTIONAL (current) or else MIN_NOTIONAL (legacy): `minNotional` and `maxNotional`; whether
 *   they apply to MARKET orders comes from `applyMinToMarket`/`applyMaxToMarket` (`applyToMarket`).
 * Throws `InvalidInputError` for a filter value that is not a decimal or a pair that is not BASE-QUOTE.
 *
 * @example
 * tradingRuleFromSymbol(symbol).minPriceIncrement.toFixed() // '0.01'
 */
export function tradingRuleFromSymbol(symbol: BinanceSymbolInfo): BinanceTradingRule {
  const price = findFilter(symbol, 'PRICE_FILTER')
  const lot = findFilter(symbol, 'LOT_SIZE')
  const marketLot = findFilter(symbol, 'MARKET_LOT_SIZE')
  const notional = findFilter(symbol, 'NOTIONAL')
  const legacyNotional = findFilter(symbol, 'MIN_NOTIONAL')
  const orderTypes = symbol.orderTypes

  const minOrderSize = toDecimal(lot?.minQty ?? '0')
  const maxOrderSize = upperBound(lot?.maxQty)
  const baseIncrement = toDecimal(lot?.stepSize ?? '0')
  const marketStep = toDecimal(marketLot?.stepSize ?? '0')
  const minNotional = notional?.minNotional ?? legacyNotional?.minNotional ?? '0'
  const maxNotional = notional?.maxNotional === undefined ? undefined : upperBound(notional.maxNotional)

  const rule = createTradingRule({
    tradingPair: `${symbol.baseAsset}-${symbol.quoteAsset}`,
    minOrderSize,
    maxOrderSize,
    minPriceIncrement: price?.tickSize ?? '0',
    minBaseAmountIncrement: baseIncrement,
    minNotionalSize: minNotional,
    ...(maxNotional === undefined || maxNotional.eq(UNLIMITED) ? {} : { maxNotionalSize: maxNotional }),
    applyMinNotionalToMarket: notional ? notional.applyMinToMarket ?? true : legacyNotional?.applyToMarket ?? true,
    applyMaxNotionalToMarket: notional?.applyMaxToMarket ?? false,
    supportsLimitOrders: orderTypes === undefined || orderTypes.includes('LIMIT'),
    supportsMarketOrders: orderTypes === undefined || orderTypes.includes('MARKET'),
  })
  return {
    ...rule,
    minPrice: toDecimal(price?.minPrice ?? '0'),
    maxPrice: upperBound(price?.maxPrice),
    marketMinOrderSize: maxDecimal(minOrderSize, toDecimal(marketLot?.minQty ?? '0')),
    marketMaxOrderSize: minDecimal(maxOrderSize, upperBound(marketLot?.maxQty)),
    marketBaseAmountIncrement: maxDecimal(baseIncrement, marketStep),
  }
}

/** What `parseExchangeInfo` makes of one answer. */
export interface ParsedExchangeInfo {
  /** Tradable spot pairs only: `{ exchangeSymbol: 'BTCUSDT', tradingPair: 'BTC-USDT' }`. */
  readonly symbols: readonly SymbolMapping[]
  /** One rule per tradable pair, same order as `symbols`. */
  readonly tradingRules: readonly BinanceTradingRule[]
  /** Symbols that could not be read (skipped): report them, the rest still count. */
  readonly problems: readonly SpotwireError[]
}

const EXCHANGE_INFO_SOURCE = `GET ${PATHS.exchangeInfo}`

/**
 * Reads `GET /api/v3/exchangeInfo` into the symbol map and trading rules. A malformed answer
 * throws `PayloadValidationError`; a malformed *symbol* is skipped and listed in `problems`.
 *
 * @example
 * const { symbols, tradingRules, problems } = parseExchangeInfo(await rest.request(...))
 * problems.forEach(reportError)
 */
export function parseExchangeInfo(raw: unknown): ParsedExchangeInfo {
  const info = parsePayload(ExchangeInfoSchema, raw, EXCHANGE_INFO_SOURCE)
  const symbols: SymbolMapping[] = []
  const tradingRules: BinanceTradingRule[] = []
  const problems: SpotwireError[] = []
  const seenPairs = new Set<string>()
  info.symbols.forEach((entry, index) => {
    const source = `${EXCHANGE_INFO_SOURCE} symbol ${symbolName(entry, index)}`
    try {
      const symbol = parsePayload(SymbolInfoSchema, entry, source)
      if (!isSpotTradable(symbol)) return
      const rule = tradingRuleFromSymbol(symbol)
      if (seenPairs.has(rule.tradingPair)) throw new InvalidInputError(`${rule.tradingPair} is listed twice`)
      seenPairs.add(rule.tradingPair)
      symbols.push({ exchangeSymbol: symbol.symbol, tradingPair: rule.tradingPair })
      tradingRules.push(rule)
    } catch (thrown) {
      const error = asError(thrown)
      problems.push(error instanceof PayloadValidationError ? error : new PayloadValidationError(source, entry, { cause: error, details: error.message }))
    }
  })
  return { symbols, tradingRules, problems }
}

/** The symbol's name for messages, or its position when it has none. */
function symbolName(entry: unknown, index: number): string {
  const name: unknown = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['symbol'] : undefined
  return typeof name === 'string' ? name : `#${index}`
}

// ---------------------------------------------------------------------------------------------
// New orders

/** Our order types as Binance names them (they happen to match). */
export const BINANCE_ORDER_TYPE = {
  LIMIT: 'LIMIT',
  LIMIT_MAKER: 'LIMIT_MAKER',
  MARKET: 'MARKET',
} as const satisfies Readonly<Record<OrderType, string>>

/**
 * The answer we ask `POST /api/v3/order` for. RESULT carries the order's status and executed
 * amounts, so a MARKET order can be known FILLED at once, without FULL's list of fills: fills come
 * from the user stream and `myTrades`, deduplicated by trade id. ACK would tell us nothing but ids.
 */
export const NEW_ORDER_RESPONSE_TYPE = 'RESULT'

/** The order as the create request needs it (an `InFlightOrder` fits). */
export interface OrderParamsInput {
  readonly clientOrderId: string
  readonly orderType: OrderType
  readonly tradeType: TradeType
  /** Base amount, already quantized to the step size. */
  readonly amount: Big
  /** Limit price, already quantized to the tick size; required for LIMIT and LIMIT_MAKER. */
  readonly price: Big | undefined
}

/**
 * The parameters of `POST /api/v3/order`, in the order they are signed and sent. Decimals are
 * written plainly (`0.00000001`, never `1e-8`); LIMIT orders rest until cancelled (GTC).
 * Throws `InvalidInputError` (nothing sent) for a missing price, a non-positive amount or a client
 * order id Binance would refuse.
 *
 * @example
 * orderParams({ clientOrderId: 'sw-B1', orderType: 'LIMIT', tradeType: 'BUY', amount: Big('0.01'), price: Big('30000') }, 'BTCUSDT')
 * // [['symbol','BTCUSDT'], ['side','BUY'], ['type','LIMIT'], ['quantity','0.01'], ['price','30000'],
 * //  ['timeInForce','GTC'], ['newClientOrderId','sw-B1'], ['newOrderRespType','RESULT']]
 */
export function orderParams(order: OrderParamsInput, exchangeSymbol: string): Array<readonly [string, string]> {
  if (!CLIENT_ORDER_ID_PATTERN.test(order.clientOrderId)) {
    throw new InvalidInputError(`client order id ${JSON.stringify(order.clientOrderId)} is not 1-36 characters of [a-zA-Z0-9-_]`)
  }
  if (order.amount.lte(0)) throw new InvalidInputError(`order amount must be above zero, got ${order.amount.toFixed()}`)
  const params: Array<readonly [string, string]> = [
    ['symbol', exchangeSymbol],
    ['side', order.tradeType],
    ['type', BINANCE_ORDER_TYPE[order.orderType]],
    ['quantity', formatDecimal(order.amount)],
  ]
  if (isLimitOrderType(order.orderType)) {
    if (order.price === undefined || order.price.lte(0)) {
      throw new InvalidInputError(`a ${order.orderType} order needs a price above zero`)
    }
    params.push(['price', formatDecimal(order.price)])
  }
  // LIMIT_MAKER takes no timeInForce (Binance answers -1106 if one is sent).
  if (order.orderType === 'LIMIT') params.push(['timeInForce', 'GTC'])
  params.push(['newClientOrderId', order.clientOrderId], ['newOrderRespType', NEW_ORDER_RESPONSE_TYPE])
  return params
}
