// The order API's request payloads as valibot schemas: the POST body, and the order reference of
// GET/DELETE (`:clientOrderId` plus `?tradingPair=`). A failure names every field at fault.
import * as v from 'valibot'
import { CLIENT_ORDER_ID_PATTERN } from '../../connectors/binance/constants.ts'

/** `BASE-QUOTE` in capitals, as ALLOWED_PAIRS lists it. */
const TradingPairSchema = v.pipe(v.string(), v.regex(/^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/, 'expected BASE-QUOTE in capitals, e.g. "BTC-USDT"'))

/**
 * A decimal string above zero in plain notation: `"0.001"`, `"60000"`. Never an exponent, a sign,
 * spaces, non-ASCII digits or a leading zero (`"010"` reads as 10 here and as 8 to some parsers).
 */
const PositiveDecimalSchema = v.pipe(
  v.string('expected a decimal string, e.g. "0.001"'),
  v.regex(/^(?:0|[1-9]\d{0,19})(?:\.\d{1,20})?$/, 'expected a decimal string, e.g. "0.001"'),
  v.check((text) => /[1-9]/.test(text), 'expected a value above zero'),
)

const ClientOrderIdSchema = v.pipe(v.string(), v.regex(CLIENT_ORDER_ID_PATTERN, 'expected 1-36 characters of [a-zA-Z0-9-_]'))

/** `POST /v1/orders`. Unknown fields are refused, so a misspelt one cannot be silently ignored. */
export const NewOrderRequestSchema = v.pipe(
  v.strictObject({
    tradingPair: TradingPairSchema,
    side: v.picklist(['BUY', 'SELL'], 'expected "BUY" or "SELL"'),
    orderType: v.picklist(['LIMIT', 'LIMIT_MAKER', 'MARKET'], 'expected "LIMIT", "LIMIT_MAKER" or "MARKET"'),
    amount: PositiveDecimalSchema,
    price: v.optional(PositiveDecimalSchema),
    clientOrderId: v.optional(ClientOrderIdSchema),
  }),
  v.forward(
    v.check((order) => order.orderType === 'MARKET' || order.price !== undefined, 'required for LIMIT and LIMIT_MAKER orders'),
    ['price'],
  ),
)
export type NewOrderRequest = v.InferOutput<typeof NewOrderRequestSchema>

/** `GET|DELETE /v1/orders/:clientOrderId?tradingPair=`. */
export const OrderReferenceSchema = v.strictObject({
  clientOrderId: ClientOrderIdSchema,
  tradingPair: TradingPairSchema,
})
export type OrderReferenceRequest = v.InferOutput<typeof OrderReferenceSchema>

export type SchemaResult<Output> = { readonly ok: true; readonly value: Output } | { readonly ok: false; readonly message: string }

/**
 * Validates a payload; a failure's message lists each field and what it expected.
 *
 * @example
 * validateRequest(NewOrderRequestSchema, { side: 'HOLD' })
 * // { ok: false, message: 'Invalid request: tradingPair: …; side: expected "BUY" or "SELL"; …' }
 */
export function validateRequest<const Schema extends v.GenericSchema>(schema: Schema, input: unknown): SchemaResult<v.InferOutput<Schema>> {
  const result = v.safeParse(schema, input)
  if (result.success) return { ok: true, value: result.output }
  const problems = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(body)'}: ${issueText(issue)}`)
  return { ok: false, message: `Invalid request: ${problems.join('; ')}` }
}

/** The issue's own message, except valibot's default for a missing field, which reads better short. */
function issueText(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === 'schema' && issue.input === undefined) return 'required'
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'unknown field'
  return issue.message
}
