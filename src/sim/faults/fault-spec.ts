// What a test (in process or over the control endpoint) can ask the simulator to break, as one
// valibot schema: the control endpoint's JSON goes through it, and so do programmatic calls, so a
// typo in a fault is refused the same way in both places.
import * as v from 'valibot'

/**
 * Which outgoing frames a frame fault hits:
 * - `market`: public stream frames (`/ws`, `/stream`), including SUBSCRIBE replies;
 * - `userData`: user data events (WS API `{subscriptionId, event}` frames and listen-key streams);
 * - `wsApi`: WS API replies to requests.
 */
export const FRAME_CHANNELS = ['market', 'userData', 'wsApi'] as const
export type FrameChannel = (typeof FRAME_CHANNELS)[number]

/** Which open sockets `dropSockets` ends: public streams, WS API sessions, listen-key streams. */
export const SOCKET_KINDS = ['market', 'wsApi', 'listenKey'] as const
export type SocketKind = (typeof SOCKET_KINDS)[number]

const Count = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)), 1)
const Milliseconds = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))
const Text = v.pipe(v.string(), v.minLength(1), v.maxLength(200))

/** Frames on `channel`, optionally only those whose event type (`e`) or symbol (`s`) match. */
const FrameMatch = {
  channel: v.picklist(FRAME_CHANNELS),
  event: v.optional(Text),
  symbol: v.optional(Text),
  count: Count,
}

/** REST requests by path (`/api/v3/order`) and HTTP method, or WS API requests by method name. */
const RequestMatch = {
  path: v.optional(Text),
  method: v.optional(v.picklist(['GET', 'POST', 'PUT', 'DELETE'])),
  wsApiMethod: v.optional(Text),
  count: Count,
}

export const FaultSpecSchema = v.variant('kind', [
  /** Ends open sockets at once, without a closing handshake. */
  v.strictObject({ kind: v.literal('dropSockets'), sockets: v.optional(v.picklist([...SOCKET_KINDS, 'all']), 'all') }),
  /** Sends Binance's `serverShutdown` notice on every public stream (sockets stay open). */
  v.strictObject({ kind: v.literal('serverShutdown') }),
  /** Withholds the next depth diffs so clients see `U` jump past their last `u`. */
  v.strictObject({ kind: v.literal('skipSequenceIds'), symbol: v.optional(Text), count: Count }),
  /** Withholds the next matching frames (a lost event). */
  v.strictObject({ kind: v.literal('dropFrames'), ...FrameMatch }),
  v.strictObject({ kind: v.literal('duplicateFrames'), ...FrameMatch }),
  /** Holds each matching frame back until the socket's next frame has gone out. */
  v.strictObject({ kind: v.literal('reorderFrames'), ...FrameMatch }),
  /** Sends a truncated, unparseable frame in place of each matching one. */
  v.strictObject({ kind: v.literal('malformedFrames'), ...FrameMatch }),
  /** Holds matching frames (and everything queued behind them on that socket) for `ms`. */
  v.strictObject({ kind: v.literal('delayFrames'), ...FrameMatch, ms: Milliseconds }),
  /**
   * Answers matching requests with a 5xx: `reject` without running them, `afterExecute` after
   * running them (an order placed but answered "status unknown"), `hang` never answers.
   */
  v.strictObject({
    kind: v.literal('failRequests'),
    ...RequestMatch,
    mode: v.optional(v.picklist(['reject', 'afterExecute', 'hang']), 'reject'),
    status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(500), v.maxValue(599)), 503),
  }),
  /**
   * Answers matching REST requests with 429 (-1003) and `Retry-After: retryAfterSeconds` without
   * running them. Until then the IP is told to wait: any REST request it sends earlier is banned
   * with 418, as Binance bans clients that do not back off.
   */
  v.strictObject({
    kind: v.literal('throttleRequests'),
    path: v.optional(Text),
    method: v.optional(v.picklist(['GET', 'POST', 'PUT', 'DELETE'])),
    count: Count,
    retryAfterSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600)), 1),
  }),
  /** Waits `ms` before handling matching requests. */
  v.strictObject({ kind: v.literal('delayRequests'), ...RequestMatch, ms: Milliseconds }),
  /** Moves the simulator's clock by `ms` (negative: behind) until cleared. */
  v.strictObject({ kind: v.literal('clockSkew'), ms: v.pipe(v.number(), v.integer(), v.minValue(-86_400_000), v.maxValue(86_400_000)) }),
])

/** A fault as callers write it (defaults may be left out). */
export type FaultSpecInput = v.InferInput<typeof FaultSpecSchema>
/** A fault with its defaults filled in. */
export type FaultSpec = v.InferOutput<typeof FaultSpecSchema>
export type FaultKind = FaultSpec['kind']
export type FrameFaultSpec = Extract<FaultSpec, { channel: FrameChannel }>
export type RequestFaultSpec = Extract<FaultSpec, { kind: 'failRequests' | 'delayRequests' | 'throttleRequests' }>

export const FAULT_KINDS: readonly FaultKind[] = FaultSpecSchema.options.map((option) => option.entries.kind.literal)

/** Thrown for a fault description the schema refuses; the control endpoint answers it with 400. */
export class InvalidFaultError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid fault: ${issues.join('; ')}`)
    this.name = 'InvalidFaultError'
  }
}

export function parseFaultSpec(input: unknown): FaultSpec {
  const result = v.safeParse(FaultSpecSchema, input)
  if (result.success) return result.output
  throw new InvalidFaultError(result.issues.map((issue) => `${v.getDotPath(issue) ?? 'fault'}: ${issue.message}`))
}
