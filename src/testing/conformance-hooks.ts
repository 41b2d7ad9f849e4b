// What a connector's test file gives the conformance suite (the recipe's abstract test hooks, §2.2
// of the behaviour spec): how to build the exchange on the kit's transport, how each request kind
// is recognised, the exchange's answers and stream events for the kit's scenarios, validators for
// the requests the connector signs, and the values it must produce.
import type { ExchangeBase } from '../core/exchange/exchange-base.ts'
import type { ExchangeIntervals } from '../core/exchange/exchange-types.ts'
import type { Clock } from '../core/clock.ts'
import type { OrderType, TradeType } from '../core/orders/order-state.ts'
import type { WebSocketFactory } from '../core/web/ws-connection.ts'
import type { MockReply, RecordedRequest, RouteMatcher } from './mock-fetch.ts'
import type { MockWebSocket } from './mock-websocket.ts'

/** The exchange API the suite drives: the base's public surface plus two market calls every connector offers. */
export type ConformanceExchange = Pick<
  ExchangeBase,
  | 'name'
  | 'supportedOrderTypes'
  | 'isCancelRequestSynchronous'
  | 'start'
  | 'stop'
  | 'ready'
  | 'statusDict'
  | 'buy'
  | 'sell'
  | 'cancel'
  | 'cancelAll'
  | 'inFlightOrders'
  | 'trackingStates'
  | 'restoreTrackingStates'
  | 'on'
  | 'orderBook'
  | 'getLastTradedPrices'
  | 'getBalance'
  | 'getAvailableBalance'
  | 'balances'
  | 'tradingRules'
> & {
  /** Every pair the exchange lists for trading; [] (reported on `error`) when they cannot be fetched. */
  allTradingPairs(): Promise<string[]>
  /** `'CONNECTED'` when the exchange answers its health request; an abort of `signal` rejects. */
  checkNetwork(signal?: AbortSignal): Promise<'CONNECTED' | 'NOT_CONNECTED'>
}

/** What `createExchange` receives: the kit's transport and test settings. */
export interface ConformanceExchangeOptions {
  readonly fetch: typeof fetch
  readonly socketFactory: WebSocketFactory
  readonly clock: Clock
  readonly tradingPairs: readonly string[]
  readonly apiKey: string
  readonly apiSecret: string
  readonly intervals: Partial<ExchangeIntervals>
}

/** An order as the kit placed it; the kit picks `exchangeOrderId` (digits) for the exchange's answers. */
export interface ConformanceOrder {
  readonly clientOrderId: string
  readonly exchangeOrderId: string
  readonly tradingPair: string
  readonly tradeType: TradeType
  readonly orderType: OrderType
  /** Decimal strings, as given to buy/sell. */
  readonly amount: string
  readonly price: string
}

/** One fill; its fee is flat, in `feeToken`. */
export interface ConformanceFill {
  readonly tradeId: string
  readonly price: string
  readonly amount: string
  readonly feeAmount: string
  readonly feeToken: string
  /** Epoch ms. */
  readonly timestamp: number
}

export interface ConformanceBalance {
  readonly asset: string
  readonly available: string
  readonly total: string
}

/** The exchange's order states as the kit asks for them in status answers. */
export type ConformanceOrderStatus = 'OPEN' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED'

/** Every REST request kind the suite scripts. Rules and symbols may share one request (`exchangeInfo`). */
export type ConformanceRequestKind =
  | 'serverTime'
  | 'ping'
  | 'exchangeInfo'
  | 'orderBookSnapshot'
  | 'balances'
  | 'lastTradedPrice'
  | 'createOrder'
  | 'cancelOrder'
  | 'orderStatus'
  | 'orderFills'

/** The exchange's REST answers, as `MockReply` data. */
export interface ConformanceResponses {
  serverTime(nowMs: number): MockReply
  ping(): MockReply
  /** Lists the suite's pair (tradable, with `expected.tradingRule`) and `invalidTradingPair` (not tradable). */
  exchangeInfo(): MockReply
  /** The same listing, but the suite's pair has a rule that cannot be parsed. */
  exchangeInfoWithMalformedRule(): MockReply
  /** A book snapshot for the suite's pair, one bid and one ask, with this update id. */
  orderBookSnapshot(updateId: number): MockReply
  balances(balances: readonly ConformanceBalance[]): MockReply
  lastTradedPrice(tradingPair: string, price: string): MockReply
  orderCreated(order: ConformanceOrder): MockReply
  orderCanceled(order: ConformanceOrder): MockReply
  /** The order in this status, with `executedAmount` of its amount filled. */
  orderStatus(order: ConformanceOrder, status: ConformanceOrderStatus, executedAmount: string): MockReply
  orderFills(order: ConformanceOrder, fills: readonly ConformanceFill[]): MockReply
  /** The exchange does not know the order (`cancel` or `status` request). */
  orderNotFound(request: 'cancel' | 'status'): MockReply
  /** A definite refusal that is not "not found" (HTTP 4xx with the exchange's error body). */
  refusal(): MockReply
}

/** User-stream and public-stream frames, exactly as the exchange sends them (any envelope included). */
export interface ConformanceStreams {
  /** True for the private (user-stream) socket's URL. */
  isUserStream(url: string): boolean
  /** Answers a frame the client sent (subscribe, ping…); return undefined to stay silent. */
  answerClientFrame?(frame: unknown, socket: MockWebSocket): unknown
  /** Frames after which the user stream counts as initialized (an empty account update, say). */
  userStreamGreeting(): readonly unknown[]
  orderNew(order: ConformanceOrder): unknown
  orderCanceled(order: ConformanceOrder): unknown
  /** The order's last fill, completing it (trade and state together, or two frames). */
  orderFilled(order: ConformanceOrder, fill: ConformanceFill): unknown | readonly unknown[]
  orderPartiallyFilled(order: ConformanceOrder, fill: ConformanceFill): unknown | readonly unknown[]
  /** Undefined when the exchange has no real-time balance events. */
  balance?(balance: ConformanceBalance): unknown
  /** A frame the connector cannot read. */
  malformedEvent(): unknown
  /** A book diff of the suite's pair covering update ids first..last. */
  bookDiff(firstUpdateId: number, lastUpdateId: number, bids: ReadonlyArray<readonly [string, string]>, asks: ReadonlyArray<readonly [string, string]>): unknown
}

/** Each throws (an assertion error) when the request is not what the connector must send. */
export interface ConformanceValidators {
  /** Key, timestamp and signature present and the signature right. */
  authenticated(request: RecordedRequest): void
  orderCreation(request: RecordedRequest, order: ConformanceOrder): void
  orderCancellation(request: RecordedRequest, order: ConformanceOrder): void
  orderStatus(request: RecordedRequest, order: ConformanceOrder): void
  orderFills(request: RecordedRequest, order: ConformanceOrder): void
}

/** The trading rule as decimal strings (compared with `Big#eq`). */
export interface ExpectedTradingRule {
  readonly minOrderSize: string
  readonly minPriceIncrement: string
  readonly minBaseAmountIncrement: string
  readonly minNotionalSize: string
}

export interface ExchangeConformanceHooks {
  /** The connector's name in the suite's title. */
  readonly name: string
  /** The pair the suite trades (`BASE-QUOTE`). */
  readonly tradingPair: string
  /** A pair the listing holds but that is not tradable: never in `allTradingPairs`. */
  readonly invalidTradingPair: string
  readonly apiKey: string
  readonly apiSecret: string
  createExchange(options: ConformanceExchangeOptions): ConformanceExchange
  readonly routes: Readonly<Record<ConformanceRequestKind, RouteMatcher>>
  /** Other requests the connector makes (a listen key, …), each with its standing answer. */
  readonly extraRoutes?: ReadonlyArray<{ readonly name: string; readonly matcher: RouteMatcher; readonly reply: MockReply }>
  readonly responses: ConformanceResponses
  readonly streams: ConformanceStreams
  readonly validators: ConformanceValidators
  readonly expected: {
    readonly supportedOrderTypes: readonly OrderType[]
    readonly tradingRule: ExpectedTradingRule
    /** True for the error reported when the malformed rule is skipped. */
    isMalformedRuleError(error: Error): boolean
    /** True when a status poll also fetches the order's fills over REST. */
    readonly fillsFetchedDuringStatusUpdate: boolean
  }
  /** A LIMIT order the rule accepts (amount × price above any minimum notional). */
  readonly order: { readonly amount: string; readonly price: string }
  /** An amount below the rule's minimum order size. */
  readonly amountBelowMinimum: string
  /** Other strings that must never appear in events or errors (the kit adds the key and secret). */
  readonly secrets?: readonly string[]
  /** Secrets a request carries (its signature, say), collected to check they never leak. */
  secretsInRequest?(request: RecordedRequest): readonly string[]
}
