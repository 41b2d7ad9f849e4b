// `spotwire/testing`: the connector conformance kit. A connector's test file runs the generic suite
// with `describeExchangeConformance(testApi, hooks)`; `MockFetch` and `MockWebSocketServer` are the
// transport it runs on, usable on their own in any connector test.
export { describeExchangeConformance, EXCHANGE_CONFORMANCE_BEHAVIOURS } from './exchange-conformance.ts'
export type {
  ConformanceBalance,
  ConformanceExchange,
  ConformanceExchangeOptions,
  ConformanceFill,
  ConformanceOrder,
  ConformanceOrderStatus,
  ConformanceRequestKind,
  ConformanceResponses,
  ConformanceStreams,
  ConformanceValidators,
  ExchangeConformanceHooks,
  ExpectedTradingRule,
} from './conformance-hooks.ts'
export type { ConformanceAssertion, ConformanceTestApi } from './conformance-test-api.ts'
export {
  MockFetch,
  queryParam,
  type MockAnswer,
  type MockReply,
  type MockReplyHandler,
  type PathMatcher,
  type RecordedRequest,
  type RouteMatcher,
} from './mock-fetch.ts'
export { MockWebSocket, MockWebSocketServer, type MockWebSocketServerOptions } from './mock-websocket.ts'
