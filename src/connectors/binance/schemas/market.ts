// Binance's public market-data payloads (DESIGN.md rule 3): the REST depth snapshot, the public
// stream events the order book reads, the combined-stream wrapper and the answers to stream
// requests. Prices and quantities stay decimal strings; the order book parses them once.
// Sources: reference/binance/rest/GET_api_v3_depth.json and ws-streams/*.json.
import * as v from 'valibot'

/** A non-negative decimal as Binance writes it: `"0.00100000"`, `"431"`. */
const DECIMAL_TEXT = /^\d+(?:\.\d+)?$/

export const DecimalStringSchema = v.pipe(v.string(), v.regex(DECIMAL_TEXT, 'Expected a decimal string'))

/** Update ids, trade ids and millisecond timestamps: integers that fit a double exactly. */
const IntegerSchema = v.pipe(v.number(), v.safeInteger())

/** `[price, quantity]`; anything after the quantity is dropped. */
export const PriceLevelSchema = v.tuple([DecimalStringSchema, DecimalStringSchema])

const PriceLevelsSchema = v.array(PriceLevelSchema)

/** `GET /api/v3/depth`: the book as of `lastUpdateId`. */
export const DepthSnapshotSchema = v.object({
  lastUpdateId: IntegerSchema,
  bids: PriceLevelsSchema,
  asks: PriceLevelsSchema,
})
export type DepthSnapshot = v.InferOutput<typeof DepthSnapshotSchema>

/** `<symbol>@depth` / `<symbol>@depth@100ms`: the levels changed by updates `U` through `u`. */
export const DepthUpdateEventSchema = v.object({
  e: v.literal('depthUpdate'),
  /** Event time, epoch ms. */
  E: IntegerSchema,
  s: v.string(),
  /** First update id in the event. */
  U: IntegerSchema,
  /** Final update id in the event. */
  u: IntegerSchema,
  b: PriceLevelsSchema,
  a: PriceLevelsSchema,
})
export type DepthUpdateEvent = v.InferOutput<typeof DepthUpdateEventSchema>

/** `<symbol>@trade`: one trade. */
export const TradeEventSchema = v.object({
  e: v.literal('trade'),
  E: IntegerSchema,
  s: v.string(),
  t: IntegerSchema,
  p: DecimalStringSchema,
  q: DecimalStringSchema,
  /** Trade time, epoch ms. */
  T: IntegerSchema,
  /** True when the buyer was the maker, i.e. the taker sold. */
  m: v.boolean(),
  /** Documented as "ignore". */
  M: v.optional(v.boolean()),
})
export type TradeEvent = v.InferOutput<typeof TradeEventSchema>

/** `!serverShutdown` (added 2026): the server will close this connection soon. */
export const ServerShutdownEventSchema = v.object({
  e: v.literal('serverShutdown'),
  E: IntegerSchema,
})
export type ServerShutdownEvent = v.InferOutput<typeof ServerShutdownEventSchema>

/** Every message on a `/stream?streams=` connection: `{ stream: 'btcusdt@trade', data: <event> }`. */
export const CombinedStreamFrameSchema = v.object({
  stream: v.string(),
  data: v.unknown(),
})
export type CombinedStreamFrame = v.InferOutput<typeof CombinedStreamFrameSchema>

/** Binance accepts integer, string or null request ids and echoes them back. */
const StreamRequestIdSchema = v.nullable(v.union([v.number(), v.string()]))

/**
 * The answer to a stream request: `null` for SUBSCRIBE / UNSUBSCRIBE, the stream names for
 * LIST_SUBSCRIPTIONS, a boolean for GET_PROPERTY.
 */
export const StreamRequestResultSchema = v.object({
  result: v.nullable(v.union([v.array(v.string()), v.boolean()])),
  id: StreamRequestIdSchema,
})
export type StreamRequestResult = v.InferOutput<typeof StreamRequestResultSchema>

const StreamErrorBodySchema = v.object({ code: v.number(), msg: v.string() })

/**
 * A refused stream request. Binance wraps it as `{ error: { code, msg }, id }`; its documentation's
 * error table shows the bare `{ code, msg }`, so both are accepted.
 */
export const StreamRequestErrorSchema = v.union([
  v.object({ error: StreamErrorBodySchema, id: v.optional(StreamRequestIdSchema) }),
  v.object({ code: v.number(), msg: v.string(), id: v.optional(StreamRequestIdSchema) }),
])
export type StreamRequestError = v.InferOutput<typeof StreamRequestErrorSchema>

/**
 * What the client sends on a stream connection (reference: ws-streams/SUBSCRIBE_request.json).
 * Only tests read it; marked pure so that bundles leave it (and `picklist`, `minValue`) out.
 */
export const StreamRequestSchema = /* @__PURE__ */ (() =>
  v.object({
    method: v.picklist(['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS']),
    params: v.optional(v.array(v.string())),
    id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }))()
export type StreamRequest = v.InferOutput<typeof StreamRequestSchema>
