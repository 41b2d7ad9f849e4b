// The user data stream's wire payloads (user-data-stream.md, web-socket-api.md), one schema each.
// Money stays a decimal string: the exchange turns it into Big where it uses it. Objects are
// `v.object`, which ignores fields it does not name, so a field Binance adds later breaks nothing;
// fields Binance sends only in some cases (and that Binance.US may not send) are optional.
import * as v from 'valibot'

/** A decimal as Binance writes it: `"0.10264410"`, `"-100.00000000"`. */
const decimalString = v.pipe(v.string(), v.regex(/^-?\d+(?:\.\d+)?$/, 'Expected a decimal string'))
/** Epoch milliseconds, order ids, trade ids (-1 when there is none). */
const integer = v.pipe(v.number(), v.integer())
const side = v.picklist(['BUY', 'SELL'])

// ── Events ───────────────────────────────────────────────────────────────────────────────────

/** An order was created, changed, filled, cancelled, rejected or expired. Average price: Z / z. */
export const ExecutionReportSchema = v.object({
  e: v.literal('executionReport'),
  /** Event time. */
  E: integer,
  s: v.string(),
  /** Client order id; for a cancel, the id of the cancel request (the order's own id is in `C`). */
  c: v.string(),
  S: side,
  /** Order type: LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS_LIMIT, … */
  o: v.string(),
  /** Time in force. */
  f: v.string(),
  q: decimalString,
  p: decimalString,
  /** Execution type: NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION. */
  x: v.string(),
  /** Order status: NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED, … */
  X: v.string(),
  i: integer,
  /** Last executed quantity and price (of this trade). */
  l: decimalString,
  L: decimalString,
  /** Cumulative filled quantity. */
  z: decimalString,
  /** Commission of this trade and its asset (null when nothing was charged). */
  n: decimalString,
  N: v.nullable(v.string()),
  /** Transaction time. */
  T: integer,
  /** Trade id, -1 when the report is not a trade. */
  t: integer,
  /** Original client order id: the cancelled order's own id; empty otherwise. */
  C: v.string(),
  /** Cumulative and last quote quantity. */
  Z: decimalString,
  Y: decimalString,
  P: v.optional(decimalString),
  F: v.optional(decimalString),
  g: v.optional(integer),
  r: v.optional(v.string()),
  I: v.optional(integer),
  /** On the book? */
  w: v.optional(v.boolean()),
  /** Maker side of this trade? */
  m: v.optional(v.boolean()),
  /** Documented as "ignore"; kept so a report reads back as sent. */
  M: v.optional(v.boolean()),
  O: v.optional(integer),
  Q: v.optional(decimalString),
  W: v.optional(integer),
  V: v.optional(v.string()),
  /** Prevented match id (self-trade prevention). */
  v: v.optional(integer),
  /** Expiry reason, on expired orders. */
  eR: v.optional(v.string()),
})

/** The balances that changed, after any change of the account (free and locked, per asset). */
export const OutboundAccountPositionSchema = v.object({
  e: v.literal('outboundAccountPosition'),
  E: integer,
  /** Time of the account update. */
  u: integer,
  B: v.array(v.object({ a: v.string(), f: decimalString, l: decimalString })),
})

/** A deposit, withdrawal or transfer changed one asset's balance by `d`. */
export const BalanceUpdateSchema = v.object({
  e: v.literal('balanceUpdate'),
  E: integer,
  a: v.string(),
  d: decimalString,
  /** Clear time. */
  T: integer,
})

/** An order list (OCO, OTO, …) changed; its orders' own changes arrive as executionReports. */
export const ListStatusSchema = v.object({
  e: v.literal('listStatus'),
  E: integer,
  s: v.string(),
  g: integer,
  /** Contingency type. */
  c: v.string(),
  /** List status type and list order status. */
  l: v.string(),
  L: v.string(),
  r: v.string(),
  /** List client order id. */
  C: v.string(),
  T: integer,
  O: v.array(v.object({ s: v.string(), i: integer, c: v.string() })),
})

/** WS API: the subscription ended (log-out, the key was revoked, …); subscribe again to go on. */
export const EventStreamTerminatedSchema = v.object({
  e: v.literal('eventStreamTerminated'),
  E: integer,
})

/** Part of a balance was locked or unlocked by another Binance service; outboundAccountPosition follows. */
export const ExternalLockUpdateSchema = v.object({
  e: v.literal('externalLockUpdate'),
  E: integer,
  a: v.string(),
  d: decimalString,
  T: integer,
})

/**
 * The server will close this connection soon (maintenance): open a new one now. The WS API sends it
 * as `{event}` without a subscription id; a raw stream (a listen-key stream) sends it bare.
 */
export const ServerShutdownSchema = v.object({
  e: v.literal('serverShutdown'),
  E: integer,
})

/** Listen-key streams only: the key expired, so the stream has stopped. */
export const ListenKeyExpiredSchema = v.object({
  e: v.literal('listenKeyExpired'),
  E: integer,
  listenKey: v.string(),
})

/** The events the exchange handles, told apart by `e`. */
export const BinanceUserStreamEventSchema = v.variant('e', [
  ExecutionReportSchema,
  OutboundAccountPositionSchema,
  BalanceUpdateSchema,
  ListStatusSchema,
])

/** Just enough of any event to dispatch it: its type. */
export const UserStreamEventTypeSchema = v.object({ e: v.string() })

// ── Wrappers and replies ─────────────────────────────────────────────────────────────────────

/**
 * WS API: every user data event arrives wrapped with the id of the subscription it belongs to;
 * connection events (serverShutdown) arrive wrapped without one.
 */
export const UserStreamEnvelopeSchema = v.object({
  subscriptionId: v.optional(integer),
  event: v.unknown(),
})

const WsApiRateLimitSchema = v.object({
  rateLimitType: v.string(),
  interval: v.string(),
  intervalNum: integer,
  limit: integer,
  count: integer,
})

/** The error of a refused WS API request; 429 and 418 add `data.retryAfter` (epoch ms). */
export const WsApiErrorSchema = v.object({
  code: integer,
  msg: v.string(),
  data: v.optional(v.object({ serverTime: v.optional(integer), retryAfter: v.optional(integer) })),
})

/** The answer to any WS API request (`id` is null when the request itself could not be read). */
export const WsApiResponseSchema = v.object({
  id: v.nullable(v.union([v.string(), v.number()])),
  status: integer,
  result: v.optional(v.unknown()),
  error: v.optional(WsApiErrorSchema),
  rateLimits: v.optional(v.array(WsApiRateLimitSchema)),
})

/** `result` of a successful `userDataStream.subscribe(.signature)`. */
export const UserDataSubscribeResultSchema = v.object({ subscriptionId: integer })

/** Binance.US `POST /api/v3/userDataStream`. */
export const ListenKeyResponseSchema = v.object({ listenKey: v.pipe(v.string(), v.minLength(1)) })

/** Binance.US `PUT` / `DELETE /api/v3/userDataStream`: an empty object. */
export const ListenKeyAcknowledgementSchema = v.object({})

// ── Types ────────────────────────────────────────────────────────────────────────────────────

export type ExecutionReport = v.InferOutput<typeof ExecutionReportSchema>
export type OutboundAccountPosition = v.InferOutput<typeof OutboundAccountPositionSchema>
export type BalanceUpdate = v.InferOutput<typeof BalanceUpdateSchema>
export type ListStatus = v.InferOutput<typeof ListStatusSchema>
export type EventStreamTerminated = v.InferOutput<typeof EventStreamTerminatedSchema>
export type ExternalLockUpdate = v.InferOutput<typeof ExternalLockUpdateSchema>
export type ListenKeyExpired = v.InferOutput<typeof ListenKeyExpiredSchema>
export type ServerShutdown = v.InferOutput<typeof ServerShutdownSchema>
export type UserStreamEnvelope = v.InferOutput<typeof UserStreamEnvelopeSchema>
export type WsApiError = v.InferOutput<typeof WsApiErrorSchema>
export type WsApiResponse = v.InferOutput<typeof WsApiResponseSchema>
export type ListenKeyResponse = v.InferOutput<typeof ListenKeyResponseSchema>

/**
 * What the user stream delivers to the exchange; switch on `e`.
 *
 * @example
 * for await (const event of stream) {
 *   if (event.e === 'executionReport') handleOrderUpdate(event)
 * }
 */
export type BinanceUserStreamEvent = v.InferOutput<typeof BinanceUserStreamEventSchema>

/** The `e` of every event in `BinanceUserStreamEvent`. */
export const DELIVERED_EVENT_TYPES: ReadonlySet<string> = /*#__PURE__*/ new Set<BinanceUserStreamEvent['e']>([
  'executionReport',
  'outboundAccountPosition',
  'balanceUpdate',
  'listStatus',
])
