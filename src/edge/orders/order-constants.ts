// The numbers and names of the order-routing API (DESIGN.md "Edge"), as data.

/** Limits the edge holds every `/v1/orders` request to. */
export const ORDER_API_LIMITS = {
  /** A body above this many bytes is refused with 413 before anything else is looked at. */
  maxBodyBytes: 16 * 1024,
  /** A caller's `X-Spotwire-Timestamp` must be within this many ms of our clock, either way. */
  authWindowMs: 5_000,
  /** Requests one client id may make per `clientWindowMs` (past every other check). */
  clientRequestsPerWindow: 10,
  clientWindowMs: 1_000,
  /** How long exchangeInfo (symbols and trading rules) is reused before it is fetched again. */
  exchangeInfoTtlMs: 5 * 60_000,
  /** Bound on everything one request asks of the exchange (rate-limit waits included). */
  exchangeDeadlineMs: 15_000,
  /** Depth levels fetched to price a MARKET order that names no price. */
  referenceDepth: 5,
} as const

/** The caller-authentication headers. */
export const CALLER_HEADERS = {
  key: 'X-Spotwire-Key',
  timestamp: 'X-Spotwire-Timestamp',
  signature: 'X-Spotwire-Signature',
} as const

/** The `code` of every error this API answers with (besides the exchange's own, see error-responses.ts). */
export const ORDER_ERROR_CODES = {
  notFound: 'NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  bodyTooLarge: 'BODY_TOO_LARGE',
  misconfigured: 'MISCONFIGURED',
  authMissing: 'AUTH_MISSING',
  authTimestamp: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW',
  authInvalid: 'AUTH_INVALID',
  authReplayed: 'AUTH_REPLAYED',
  invalidRequest: 'INVALID_REQUEST',
  pairNotAllowed: 'PAIR_NOT_ALLOWED',
  notionalTooLarge: 'NOTIONAL_TOO_LARGE',
  notionalUnknown: 'NOTIONAL_UNKNOWN',
  tradingRule: 'TRADING_RULE_VIOLATION',
  clientRateLimited: 'CLIENT_RATE_LIMITED',
} as const
