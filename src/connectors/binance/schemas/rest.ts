// Schemas for every Binance REST answer the connector reads (rest-api.md). Amounts stay decimal
// strings here; callers turn them into Big. `v.object` drops fields we do not read, so a field
// Binance adds later changes nothing; a field we read that is missing or mistyped is an error.
import * as v from 'valibot'
import type { BinanceOrderStatus } from '../constants.ts'

/** A decimal as Binance writes it: `"0.00100000"`, `"-94.99"`; never an exponent. */
export const DecimalStringSchema = v.pipe(v.string(), v.regex(/^-?\d+(?:\.\d+)?$/, 'a decimal string'))
const Integer = v.pipe(v.number(), v.integer())
/** An asset name; a dash would make `BASE-QUOTE` ambiguous (names may be non-ASCII, e.g. 币安人生). */
const AssetSchema = v.pipe(v.string(), v.regex(/^[^\s-]+$/, 'an asset name without spaces or dashes'))

const ORDER_STATUSES = [
  'NEW',
  'PENDING_NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'PENDING_CANCEL',
  'REJECTED',
  'EXPIRED',
  'EXPIRED_IN_MATCH',
] as const satisfies readonly BinanceOrderStatus[]
/** An unknown status fails validation rather than being guessed at. */
export const OrderStatusSchema = v.picklist(ORDER_STATUSES)
export const OrderSideSchema = v.picklist(['BUY', 'SELL'])

/** Any error answer: `{"code":-1121,"msg":"Invalid symbol."}` (extra fields such as `data` kept). */
export const ErrorBodySchema = v.looseObject({ code: Integer, msg: v.string() })
export type BinanceErrorBody = v.InferOutput<typeof ErrorBodySchema>

/** `GET /api/v3/ping`. */
export const PingResponseSchema = v.object({})

/** `GET /api/v3/time`. */
export const TimeResponseSchema = v.object({ serverTime: Integer })
export type BinanceTimeResponse = v.InferOutput<typeof TimeResponseSchema>

// ---------------------------------------------------------------------------------------------
// Exchange information

const PriceFilterSchema = v.object({
  filterType: v.literal('PRICE_FILTER'),
  minPrice: DecimalStringSchema,
  maxPrice: DecimalStringSchema,
  tickSize: DecimalStringSchema,
})
const LotSizeFilterSchema = v.object({
  filterType: v.literal('LOT_SIZE'),
  minQty: DecimalStringSchema,
  maxQty: DecimalStringSchema,
  stepSize: DecimalStringSchema,
})
const MarketLotSizeFilterSchema = v.object({
  filterType: v.literal('MARKET_LOT_SIZE'),
  minQty: DecimalStringSchema,
  maxQty: DecimalStringSchema,
  stepSize: DecimalStringSchema,
})
const MinNotionalFilterSchema = v.object({
  filterType: v.literal('MIN_NOTIONAL'),
  minNotional: DecimalStringSchema,
  applyToMarket: v.optional(v.boolean()),
  avgPriceMins: v.optional(v.number()),
})
const NotionalFilterSchema = v.object({
  filterType: v.literal('NOTIONAL'),
  minNotional: DecimalStringSchema,
  applyMinToMarket: v.optional(v.boolean()),
  maxNotional: v.optional(DecimalStringSchema),
  applyMaxToMarket: v.optional(v.boolean()),
  avgPriceMins: v.optional(v.number()),
})

/** The filter types the trading rules are built from. */
export const KNOWN_FILTER_TYPES = ['PRICE_FILTER', 'LOT_SIZE', 'MARKET_LOT_SIZE', 'MIN_NOTIONAL', 'NOTIONAL'] as const

/** Any other filter (PERCENT_PRICE, MAX_NUM_ORDERS, …, or one added later): accepted, not read. */
const OtherFilterSchema = v.looseObject({ filterType: v.pipe(v.string(), v.notValues(KNOWN_FILTER_TYPES)) })

/** One entry of a symbol's `filters`, told apart by `filterType`. */
export const SymbolFilterSchema = v.variant('filterType', [
  PriceFilterSchema,
  LotSizeFilterSchema,
  MarketLotSizeFilterSchema,
  MinNotionalFilterSchema,
  NotionalFilterSchema,
  OtherFilterSchema,
])
export type BinanceSymbolFilter = v.InferOutput<typeof SymbolFilterSchema>
export type BinancePriceFilter = v.InferOutput<typeof PriceFilterSchema>
export type BinanceLotSizeFilter = v.InferOutput<typeof LotSizeFilterSchema>
export type BinanceMarketLotSizeFilter = v.InferOutput<typeof MarketLotSizeFilterSchema>
export type BinanceMinNotionalFilter = v.InferOutput<typeof MinNotionalFilterSchema>
export type BinanceNotionalFilter = v.InferOutput<typeof NotionalFilterSchema>

/** One entry of `exchangeInfo.symbols`. */
export const SymbolInfoSchema = v.object({
  symbol: v.string(),
  /** TRADING, HALT, BREAK, END_OF_DAY, … (only TRADING symbols are used). */
  status: v.string(),
  baseAsset: AssetSchema,
  quoteAsset: AssetSchema,
  baseAssetPrecision: v.optional(Integer),
  quoteAssetPrecision: v.optional(Integer),
  /** Absent: every order type is assumed allowed. */
  orderTypes: v.optional(v.array(v.string())),
  quoteOrderQtyMarketAllowed: v.optional(v.boolean()),
  isSpotTradingAllowed: v.optional(v.boolean()),
  /** Legacy flat list; since 2024 usually empty, with `permissionSets` holding the data. */
  permissions: v.optional(v.array(v.string()), []),
  /** Any inner list containing `SPOT` makes the symbol tradable on spot. */
  permissionSets: v.optional(v.array(v.array(v.string())), []),
  filters: v.optional(v.array(SymbolFilterSchema), []),
})
export type BinanceSymbolInfo = v.InferOutput<typeof SymbolInfoSchema>

/** `exchangeInfo.rateLimits` entries; every field is optional in the documentation. */
const RateLimitInfoSchema = v.object({
  rateLimitType: v.optional(v.string()),
  interval: v.optional(v.string()),
  intervalNum: v.optional(Integer),
  limit: v.optional(Integer),
})

/**
 * `GET /api/v3/exchangeInfo`. `symbols` entries are left unchecked here and validated one by one
 * with `SymbolInfoSchema`, so one malformed symbol is reported and skipped instead of failing them all.
 */
export const ExchangeInfoSchema = v.object({
  timezone: v.optional(v.string()),
  serverTime: v.optional(Integer),
  rateLimits: v.optional(v.array(RateLimitInfoSchema), []),
  exchangeFilters: v.optional(v.array(v.looseObject({ filterType: v.string() })), []),
  symbols: v.array(v.unknown()),
})
export type BinanceExchangeInfo = v.InferOutput<typeof ExchangeInfoSchema>

// ---------------------------------------------------------------------------------------------
// Market data (the order book's depth schema lives in schemas/market.ts)

/** `GET /api/v3/ticker/price?symbol=…`. */
export const TickerPriceSchema = v.object({ symbol: v.string(), price: DecimalStringSchema })
/** `GET /api/v3/ticker/price` with `symbols` or none. */
export const TickerPriceListSchema = v.array(TickerPriceSchema)
export type BinanceTickerPrice = v.InferOutput<typeof TickerPriceSchema>

/** `GET /api/v3/ticker/24hr`, FULL or MINI (`type=MINI` leaves out the FULL-only fields). */
export const Ticker24hrSchema = v.object({
  symbol: v.string(),
  lastPrice: DecimalStringSchema,
  openPrice: DecimalStringSchema,
  highPrice: DecimalStringSchema,
  lowPrice: DecimalStringSchema,
  volume: DecimalStringSchema,
  quoteVolume: DecimalStringSchema,
  openTime: Integer,
  closeTime: Integer,
  count: Integer,
  priceChange: v.optional(DecimalStringSchema),
  priceChangePercent: v.optional(DecimalStringSchema),
  weightedAvgPrice: v.optional(DecimalStringSchema),
  lastQty: v.optional(DecimalStringSchema),
  bidPrice: v.optional(DecimalStringSchema),
  bidQty: v.optional(DecimalStringSchema),
  askPrice: v.optional(DecimalStringSchema),
  askQty: v.optional(DecimalStringSchema),
})
export const Ticker24hrListSchema = v.array(Ticker24hrSchema)
export type BinanceTicker24hr = v.InferOutput<typeof Ticker24hrSchema>

// ---------------------------------------------------------------------------------------------
// Account and orders

/** `GET /api/v3/account`. */
export const AccountSchema = v.object({
  canTrade: v.optional(v.boolean()),
  updateTime: v.optional(Integer),
  accountType: v.optional(v.string()),
  commissionRates: v.optional(
    v.object({
      maker: DecimalStringSchema,
      taker: DecimalStringSchema,
      buyer: DecimalStringSchema,
      seller: DecimalStringSchema,
    }),
  ),
  balances: v.array(v.object({ asset: v.string(), free: DecimalStringSchema, locked: DecimalStringSchema })),
})
export type BinanceAccount = v.InferOutput<typeof AccountSchema>

/** The fields every order report shares (query, cancel, RESULT/FULL create answers). */
const orderReportEntries = {
  symbol: v.string(),
  orderId: Integer,
  orderListId: v.optional(Integer),
  clientOrderId: v.string(),
  price: DecimalStringSchema,
  origQty: DecimalStringSchema,
  executedQty: DecimalStringSchema,
  /** Binance's spelling. Negative for some very old orders: data not available. */
  cummulativeQuoteQty: DecimalStringSchema,
  origQuoteOrderQty: v.optional(DecimalStringSchema),
  status: OrderStatusSchema,
  timeInForce: v.string(),
  type: v.string(),
  side: OrderSideSchema,
  stopPrice: v.optional(DecimalStringSchema),
  icebergQty: v.optional(DecimalStringSchema),
  workingTime: v.optional(Integer),
  selfTradePreventionMode: v.optional(v.string()),
}

/** `GET /api/v3/order`, and each entry of `GET /api/v3/openOrders`. */
export const OrderSchema = v.object({
  ...orderReportEntries,
  time: Integer,
  updateTime: Integer,
  isWorking: v.optional(v.boolean()),
})
export const OpenOrdersSchema = v.array(OrderSchema)
export type BinanceOrder = v.InferOutput<typeof OrderSchema>

/** `POST /api/v3/order` with `newOrderRespType=ACK`. */
export const CreateOrderAckSchema = v.object({
  symbol: v.string(),
  orderId: Integer,
  orderListId: v.optional(Integer),
  clientOrderId: v.string(),
  transactTime: Integer,
})
/** `POST /api/v3/order` with `newOrderRespType=RESULT`. */
export const CreateOrderResultSchema = v.object({ ...orderReportEntries, transactTime: Integer })
/** `POST /api/v3/order` with `newOrderRespType=FULL`: RESULT plus the fills. */
export const CreateOrderFullSchema = v.object({
  ...orderReportEntries,
  transactTime: Integer,
  fills: v.array(
    v.object({
      price: DecimalStringSchema,
      qty: DecimalStringSchema,
      commission: DecimalStringSchema,
      commissionAsset: v.string(),
      tradeId: Integer,
    }),
  ),
})
/** Any create answer; the richest shape that fits wins. */
export const CreateOrderResponseSchema = v.union([CreateOrderFullSchema, CreateOrderResultSchema, CreateOrderAckSchema])
export type BinanceCreateOrderAck = v.InferOutput<typeof CreateOrderAckSchema>
export type BinanceCreateOrderResult = v.InferOutput<typeof CreateOrderResultSchema>
export type BinanceCreateOrderFull = v.InferOutput<typeof CreateOrderFullSchema>
export type BinanceCreateOrderResponse = v.InferOutput<typeof CreateOrderResponseSchema>

/** `DELETE /api/v3/order`. */
export const CancelOrderSchema = v.object({
  ...orderReportEntries,
  origClientOrderId: v.string(),
  transactTime: v.optional(Integer),
})
export type BinanceCancelOrder = v.InferOutput<typeof CancelOrderSchema>

/** One entry of `GET /api/v3/myTrades`. */
export const MyTradeSchema = v.object({
  symbol: v.string(),
  id: Integer,
  orderId: Integer,
  orderListId: v.optional(Integer),
  price: DecimalStringSchema,
  qty: DecimalStringSchema,
  quoteQty: DecimalStringSchema,
  commission: DecimalStringSchema,
  commissionAsset: v.string(),
  time: Integer,
  isBuyer: v.boolean(),
  isMaker: v.boolean(),
  isBestMatch: v.optional(v.boolean()),
})
export const MyTradesSchema = v.array(MyTradeSchema)
export type BinanceMyTrade = v.InferOutput<typeof MyTradeSchema>

// The listen-key answer (`POST /api/v3/userDataStream`, Binance.US) is `ListenKeyResponseSchema` in schemas/user-data.ts.
