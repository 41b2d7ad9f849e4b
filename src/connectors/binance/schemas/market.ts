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
export type PriceLevel = v.InferOutput<typeof PriceLevelSchema>

/** `DECIMAL_TEXT.test(value)` for a string, in one pass without a regex call (it runs ~20 times per diff). */
function isDecimalText(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const length = value.length
  let index = 0
  while (index < length && (value.charCodeAt(index) - 48) >>> 0 <= 9) index++
  if (index === 0 || index === length) return index > 0
  if (value.charCodeAt(index) !== 46) return false // '.'
  const fractionStart = ++index
  while (index < length && (value.charCodeAt(index) - 48) >>> 0 <= 9) index++
  return index === length && index > fractionStart
}

/** Where the first bad level of a list is (`[3][1]`; '' for the list itself), or undefined when all are good. */
function badLevelPath(levels: unknown): string | undefined {
  if (!Array.isArray(levels)) return ''
  for (let index = 0; index < levels.length; index++) {
    const level: unknown = levels[index]
    if (!Array.isArray(level)) return `[${index}]`
    for (let item = 0; item < 2; item++) if (!isDecimalText(level[item])) return `[${index}][${item}]`
  }
  return undefined
}

/** `GET /api/v3/depth`: the book as of `lastUpdateId`. */
export const DepthSnapshotSchema = v.object({
  lastUpdateId: IntegerSchema,
  bids: PriceLevelsSchema,
  asks: PriceLevelsSchema,
})
export type DepthSnapshot = v.InferOutput<typeof DepthSnapshotSchema>

/** `<symbol>@depth` / `<symbol>@depth@100ms`: the levels changed by updates `U` through `u`. */
export interface DepthUpdateEvent {
  readonly e: 'depthUpdate'
  /** Event time, epoch ms. */
  readonly E: number
  readonly s: string
  /** First update id in the event. */
  readonly U: number
  /** Final update id in the event. */
  readonly u: number
  readonly b: PriceLevel[]
  readonly a: PriceLevel[]
}

/** The first field of a depthUpdate event that is wrong (`'U'`, `'b[3][1]'`; '' for the event itself), never its value. */
function badDepthUpdateField(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return ''
  const { e, E, s, U, u, b, a } = event as Record<string, unknown>
  if (e !== 'depthUpdate') return 'e'
  if (!Number.isSafeInteger(E)) return 'E'
  if (typeof s !== 'string') return 's'
  if (!Number.isSafeInteger(U)) return 'U'
  if (!Number.isSafeInteger(u)) return 'u'
  const bid = badLevelPath(b)
  if (bid !== undefined) return `b${bid}`
  const ask = badLevelPath(a)
  return ask === undefined ? undefined : `a${ask}`
}

/**
 * A depthUpdate event. Diffs are the stream's bulk, so this is one check in one pass rather than
 * an object schema with a tuple schema per level: it accepts exactly what
 * `v.object({ e: v.literal('depthUpdate'), E, s: v.string(), U, u, b: v.array(PriceLevelSchema), a })`
 * accepts (E, U, u safe integers; levels arrays whose first two items are decimal strings), and
 * passes the event on as received instead of copying it: other keys and items after a level's
 * quantity stay in place (the order book reads only price and quantity).
 */
export const DepthUpdateEventSchema = v.custom<DepthUpdateEvent>(
  (event) => badDepthUpdateField(event) === undefined,
  (issue) => `invalid depthUpdate at '${badDepthUpdateField(issue.input)}'`,
)

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
export interface CombinedStreamFrame {
  readonly stream: string
  readonly data: unknown
}

/**
 * A combined-stream frame: accepts what `v.object({ stream: v.string(), data: v.unknown() })`
 * accepts (`data` must be present), checked without copying the frame, since every market-data
 * message is one. The event inside is validated by its own schema.
 */
export const CombinedStreamFrameSchema = v.custom<CombinedStreamFrame>(
  (frame) => typeof frame === 'object' && frame !== null && typeof (frame as { stream?: unknown }).stream === 'string' && 'data' in frame,
  'invalid combined-stream frame',
)

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
