// The simulator's exchange core: protocol-free matching, balances, filters, events and synthetic
// liquidity. The REST and WS layers of `spotwire/sim` are built on these exports.
export { AccountLedger, type AssetBalance } from './accounts.ts'
export type { LevelChange, PriceLevelView } from './book.ts'
export type {
  BalanceUpdateEvent,
  DepthUpdateEvent,
  EngineEvent,
  EngineEventListener,
  OrderUpdateEvent,
  TradeEvent,
} from './engine-events.ts'
export { checkNotional, checkPriceFilter, checkQuantityFilters } from './filters.ts'
export {
  DEFAULT_MARKETS,
  TEST_ACCOUNT_BALANCES,
  defineMarket,
  type LotSizeFilter,
  type MarketConfig,
  type NotionalFilter,
  type PriceFilter,
} from './market.ts'
export { MarketMakers, type MarketMakerOptions } from './market-makers.ts'
export {
  MatchingEngine,
  type BookSnapshot,
  type MatchingEngineOptions,
  type OrderReference,
  type OrderResult,
  type PlaceOrderResult,
} from './matching-engine.ts'
export type {
  AccountFill,
  ExecutionType,
  MarketTrade,
  OrderSide,
  OrderState,
  OrderStatus,
  OrderType,
  PlaceOrderRequest,
  TimeInForce,
} from './order-types.ts'
export { REJECTIONS, filterFailure, type EngineRejection, type FilterName } from './rejections.ts'
export { SeededRandom } from './seeded-random.ts'
export { createSimulatedExchange, type SimulatedExchange, type SimulatedExchangeOptions } from './simulated-exchange.ts'
