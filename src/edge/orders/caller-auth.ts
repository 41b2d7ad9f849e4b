// Who is calling: every `/v1/orders` request carries `X-Spotwire-Key` (client id),
// `X-Spotwire-Timestamp` (epoch ms) and `X-Spotwire-Signature` = hex HMAC-SHA256(client secret,
// `timestamp + METHOD + path-with-query + body`) (DESIGN.md "Edge").
//
// Replay memory is per isolate: a signature is remembered until its timestamp leaves the ±5 s
// window, after which the timestamp check refuses it anyway. Two isolates of the fleet do not share
// this memory, so the same request sent to two of them within 5 s passes both. A fleet-wide guard
// needs one Durable Object (per client id, say) that records signatures; the RATE_BUDGET object
// speaks the throttler-store protocol only, so it is not reused for this.
import { registerSecret } from '../../core/redact.ts'
import { hmacSha256Hex } from '../../core/web/hmac.ts'
import { CALLER_HEADERS, ORDER_API_LIMITS, ORDER_ERROR_CODES } from './order-constants.ts'

/** Client id → client secret. */
export type CallerClients = ReadonlyMap<string, string>

/** What a caller signed: the exact request line and body as received. */
export interface SignedCallerRequest {
  readonly method: string
  /** `url.pathname + url.search`, exactly as received. */
  readonly pathWithQuery: string
  readonly headers: Headers
  readonly body: string
}

export type CallerCheck =
  | { readonly ok: true; readonly clientId: string }
  | { readonly ok: false; readonly code: string; readonly message: string }

/**
 * The text a caller signs.
 *
 * @example
 * callerSignaturePayload('1700000000000', 'POST', '/v1/orders', '{"tradingPair":"BTC-USDT",…}')
 * // '1700000000000POST/v1/orders{"tradingPair":"BTC-USDT",…}'
 */
export function callerSignaturePayload(timestamp: string, method: string, pathWithQuery: string, body: string): string {
  return `${timestamp}${method.toUpperCase()}${pathWithQuery}${body}`
}

/** Equal strings, compared in time that depends on their length only (never on where they differ). */
export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length
  const length = Math.max(a.length, b.length)
  for (let index = 0; index < length; index += 1) {
    difference |= (a.charCodeAt(index) | 0) ^ (b.charCodeAt(index) | 0)
  }
  return difference === 0
}

let parsedClients: { readonly source: string; readonly clients: CallerClients } | undefined

/**
 * Reads `SPOTWIRE_CLIENTS` (`{"<client id>": "<client secret>"}`), or undefined when it is missing
 * or malformed. Secrets are registered with the redactor, so no error text can carry them.
 *
 * @example
 * parseCallerClients('{"alice":"s3cret-alice"}')?.get('alice') // 's3cret-alice'
 */
export function parseCallerClients(source: string | undefined): CallerClients | undefined {
  if (source === undefined) return undefined
  if (parsedClients?.source === source) return parsedClients.clients
  let raw: unknown
  try {
    raw = JSON.parse(source)
  } catch {
    return undefined
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined
  const clients = new Map<string, string>()
  for (const [clientId, secret] of Object.entries(raw)) {
    if (typeof secret !== 'string' || secret === '' || clientId === '') return undefined
    registerSecret(secret)
    clients.set(clientId, secret)
  }
  parsedClients = { source, clients }
  return clients
}

/**
 * Signatures already accepted, each kept until its timestamp is outside the auth window.
 *
 * @example
 * const guard = new ReplayGuard()
 * guard.remember(signature, timestampMs + 5000, nowMs) // true the first time, false for a replay
 */
export class ReplayGuard {
  readonly #expiresAt = new Map<string, number>()

  /** Records `signature` until `expiresAtMs`; false when it was already recorded (a replay). */
  remember(signature: string, expiresAtMs: number, nowMs: number): boolean {
    this.#forgetExpired(nowMs)
    if (this.#expiresAt.has(signature)) return false
    this.#expiresAt.set(signature, expiresAtMs)
    return true
  }

  /** Signatures currently remembered (diagnostics and tests). */
  get size(): number {
    return this.#expiresAt.size
  }

  #forgetExpired(nowMs: number): void {
    // Insertion order is close to expiry order; a late entry among them only waits a little longer.
    for (const [signature, expiresAtMs] of this.#expiresAt) {
      if (expiresAtMs >= nowMs) break
      this.#expiresAt.delete(signature)
    }
  }
}

const TIMESTAMP_PATTERN = /^\d{1,16}$/
const SIGNATURE_PATTERN = /^[0-9a-fA-F]{64}$/
/** Stands in for an unknown client's secret, so an unknown key costs the same HMAC as a known one. */
const DECOY_SECRET = 'spotwire-decoy-secret-for-unknown-client-ids'

/**
 * Checks a caller's headers and signature. A valid signature is remembered by `replayGuard`, and
 * the same signature again is refused.
 *
 * @example
 * const check = authenticateCaller(signed, clients, replayGuard, Date.now())
 * if (!check.ok) return jsonError(401, check.code, check.message)
 */
export function authenticateCaller(request: SignedCallerRequest, clients: CallerClients, replayGuard: ReplayGuard, nowMs: number): CallerCheck {
  const clientId = request.headers.get(CALLER_HEADERS.key)
  const timestamp = request.headers.get(CALLER_HEADERS.timestamp)
  const signature = request.headers.get(CALLER_HEADERS.signature)
  if (!clientId || !timestamp || !signature) {
    return refuse(ORDER_ERROR_CODES.authMissing, `Send ${CALLER_HEADERS.key}, ${CALLER_HEADERS.timestamp} and ${CALLER_HEADERS.signature} with every order request.`)
  }
  const timestampMs = TIMESTAMP_PATTERN.test(timestamp) ? Number(timestamp) : Number.NaN
  const windowMs = ORDER_API_LIMITS.authWindowMs
  if (!(Math.abs(nowMs - timestampMs) <= windowMs)) {
    return refuse(ORDER_ERROR_CODES.authTimestamp, `${CALLER_HEADERS.timestamp} must be epoch milliseconds within ±${windowMs / 1000} s of the server's clock.`)
  }
  const secret = clients.get(clientId)
  const expected = hmacSha256Hex(secret ?? DECOY_SECRET, callerSignaturePayload(timestamp, request.method, request.pathWithQuery, request.body))
  const provided = SIGNATURE_PATTERN.test(signature) ? signature.toLowerCase() : ''
  const matches = constantTimeEqual(expected, provided)
  if (secret === undefined || !matches) {
    return refuse(ORDER_ERROR_CODES.authInvalid, 'Unknown client key or bad signature.')
  }
  if (!replayGuard.remember(provided, timestampMs + windowMs, nowMs)) {
    return refuse(ORDER_ERROR_CODES.authReplayed, 'This signature was already used; sign every request anew.')
  }
  return { ok: true, clientId }
}

function refuse(code: string, message: string): CallerCheck {
  return { ok: false, code, message }
}
