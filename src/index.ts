// `spotwire`: the exchange-neutral core. Named exports only (no `export *`), so the public surface
// is a list a reviewer can read and test/index.test.ts can pin. Everything here is tree-shakeable:
// a dashboard that imports `OrderBook` pulls in the book and nothing else.

// Decimals, errors, secrets, events, time
export {
  Big,
  ZERO,
  compareDecimals,
  decimalPlaces,
  formatDecimal,
  isMultipleOf,
  maxDecimal,
  minDecimal,
  quantizeDown,
  toDecimal,
  tryDecimal,
  type Decimal,
  type DecimalInput,
} from './core/decimal.ts'
export {
  BadRequestError,
  ExchangeError,
  FilterFailureError,
  InsufficientFundsError,
  InvalidInputError,
  InvalidSignatureError,
  IpBannedError,
  NetworkError,
  OrderNotFoundError,
  PayloadValidationError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SocketClosedError,
  SpotwireError,
  TimestampOutsideWindowError,
  UnknownRateLimitError,
  asError,
  isRetrySafe,
  type ExchangeErrorOptions,
  type NetworkErrorOptions,
  type SpotwireErrorOptions,
} from './core/errors.ts'
export { REDACTED, forgetSecret, redact, redactValue, registerSecret } from './core/redact.ts'
export { EventEmitter, type EventHandler } from './core/events.ts'
export { sleep, systemClock, type Clock } from './core/clock.ts'
export {
  TimeSynchronizer,
  type ServerTimeProvider,
  type TimeSyncResult,
  type TimeSynchronizerOptions,
} from './core/time-synchronizer.ts'

// Rate limits
export { Throttler, type AcquireOptions, type ThrottlerOptions } from './core/throttler.ts'
export type { LinkedRateLimit, RateLimit } from './core/throttler-limits.ts'
export {
  InMemoryRateLimitStore,
  type RateLimitConsumeResult,
  type RateLimitDraw,
  type RateLimitStore,
  type RateLimitUsageReport,
} from './core/throttler-store.ts'

// Transport
export { hmacSha256Hex } from './core/web/hmac.ts'
export {
  encodeQuery,
  type Authenticator,
  type HttpMethod,
  type RequestParamEntries,
  type RequestParamValue,
  type RestAuthenticator,
  type SignedRestParts,
  type UnsignedRestRequest,
  type WsAuthenticator,
} from './core/web/auth.ts'
export {
  RestAssistant,
  type RequestLimiter,
  type RestAssistantOptions,
  type RestErrorMapper,
  type RestPostProcessor,
  type RestPreProcessor,
  type RestRetryPolicy,
} from './core/web/rest-assistant.ts'
export type { RestParams, RestRequest } from './core/web/rest-request.ts'
export { WsAssistant, type WsAssistantOptions, type WsHealth, type WsState } from './core/web/ws-assistant.ts'
export type { WebSocketFactory, WebSocketLike, WsConnection } from './core/web/ws-connection.ts'

// Order books
export { OrderBook, type ReadonlyOrderBook, type TradeInput } from './core/order-book/order-book.ts'
export type { OrderBookRow } from './core/order-book/book-side.ts'
export type { BookWalkResult } from './core/order-book/book-walk.ts'
export type {
  OrderBookDiffMessage,
  OrderBookMessage,
  OrderBookSnapshotMessage,
  OrderBookTradeMessage,
} from './core/order-book/order-book-message.ts'
export {
  OrderBookTracker,
  type OrderBookSnapshotSource,
  type OrderBookStatusChange,
  type OrderBookTrackerEvents,
  type OrderBookTrackerOptions,
} from './core/order-book/order-book-tracker.ts'
export type { OrderBookStatus, OrderBookView } from './core/order-book/order-book-view.ts'
export {
  contiguousUpdateIdRule,
  newerDiffsOnlyRule,
  type DiffSequenceRule,
  type DiffVerdict,
} from './core/order-book/sequence-rules.ts'
export { SnapshotFetchError } from './core/order-book/snapshot-sync.ts'
export {
  OrderBookDataSource,
  type OrderBookDataSourceEvents,
  type OrderBookDataSourceOptions,
} from './core/order-book/data-source.ts'

// Orders
export {
  OrderState,
  isFinalOrderState,
  type OrderType,
  type OrderUpdate,
  type TradeType,
  type TradeUpdate,
} from './core/orders/order-state.ts'
export { InFlightOrder } from './core/orders/in-flight-order.ts'
export { OrderTracker } from './core/orders/order-tracker.ts'
export type { OrderTrackerOptions } from './core/orders/order-tracker-options.ts'
export type {
  OrderCancelledEvent,
  OrderCompletedEvent,
  OrderCreatedEvent,
  OrderFailureEvent,
  OrderFilledEvent,
  OrderTrackerEvents,
} from './core/orders/order-events.ts'
export { ExchangeOrderIdTimeoutError, OrderTrackingError } from './core/orders/order-errors.ts'
export { TradeFee, createTradeFeeSchema, type TradeFeeSchema, type TradeFeeSchemaInput } from './core/orders/fees.ts'
export {
  createTradingRule,
  findTradingRuleViolation,
  formatOrderAmount,
  formatOrderPrice,
  quantizeOrderAmount,
  quantizeOrderPrice,
  type TradingRule,
  type TradingRuleInput,
} from './core/orders/trading-rule.ts'
export { ClientOrderIdGenerator, type ClientOrderIdGeneratorOptions } from './core/orders/client-order-id.ts'
export { splitTradingPair } from './core/orders/trading-pair.ts'

// Exchange base (what a connector extends)
export { ExchangeBase } from './core/exchange/exchange-base.ts'
export type { ExchangeHooks } from './core/exchange/exchange-hooks.ts'
export type {
  CancellationResult,
  ExchangeBaseOptions,
  ExchangeEvents,
  ExchangeIntervals,
  ExchangeStatusDict,
  MarketEventName,
  MarketStreamConnectedEvent,
  MarketTradeEvent,
  OrderBookStatusEvent,
  OrderBookUpdateEvent,
  PlacedOrder,
  TradingRulesAndSymbols,
} from './core/exchange/exchange-types.ts'
export { ExchangeStoppedError, ExchangeTaskError } from './core/exchange/exchange-errors.ts'
export type { AccountBalance } from './core/exchange/balances.ts'
export {
  UserStreamDataSource,
  type UserStreamDataSourceEvents,
  type UserStreamDataSourceOptions,
} from './core/exchange/user-stream-data-source.ts'
