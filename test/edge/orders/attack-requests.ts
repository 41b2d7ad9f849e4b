// How the attack suite builds requests (test/edge/orders/attacks.workerd.test.ts): signed by a
// caller of its own clients, or deliberately mis-signed, over an order that is valid unless changed.
import { callerSignature, WORKER_ORIGIN } from './order-api-caller.ts'

/** One client per concern, so the replay memory and per-client limit of one never touch another. */
export const CLIENTS = {
  attacker: 'attacker-secret-0123456789abcdef',
  replayer: 'replayer-secret-0123456789abcdef',
  flooder: 'flooder-secret-0123456789abcdef',
} as const
export type ClientId = keyof typeof CLIENTS

/** Client order ids of attacks start with this; the simulator must never hold one. */
export const ATTACK_ID_PREFIX = 'atk-'
let attackIds = 0
export const attackId = () => `${ATTACK_ID_PREFIX}${(attackIds += 1)}`
/** How many attack client order ids were handed out. */
export const attackIdsIssued = () => attackIds

/** Timestamps rise by at least 1 ms per signed request, so two equal attacks never share a signature. */
let lastTimestampMs = 0
export function nextTimestamp(): number {
  lastTimestampMs = Math.max(Date.now(), lastTimestampMs + 1)
  return lastTimestampMs
}

export interface SignOptions {
  readonly client?: ClientId
  readonly secret?: string
  readonly clientId?: string
  readonly method?: string
  /** Path with query as sent. */
  readonly path?: string
  /** What is signed, when it differs from what is sent. */
  readonly signedMethod?: string
  readonly signedPath?: string
  readonly signedBody?: string
  /** The timestamp header as sent (and signed); default now. */
  readonly timestamp?: string
  readonly headers?: Record<string, string>
}

export async function signed(body: string | undefined, options: SignOptions = {}): Promise<Request> {
  const client = options.client ?? 'attacker'
  const method = options.method ?? (body === undefined ? 'GET' : 'POST')
  const path = options.path ?? '/v1/orders'
  const timestamp = options.timestamp ?? String(nextTimestamp())
  const signedText = `${timestamp}${options.signedMethod ?? method}${options.signedPath ?? path}${options.signedBody ?? body ?? ''}`
  const signature = await callerSignature(options.secret ?? CLIENTS[client], signedText)
  return new Request(`${WORKER_ORIGIN}${path}`, {
    method,
    headers: {
      'X-Spotwire-Key': options.clientId ?? client,
      'X-Spotwire-Timestamp': timestamp,
      'X-Spotwire-Signature': signature,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body }),
  })
}

/** A valid LIMIT order (resting far under the market), with `changes` applied; null removes a field. */
export function order(changes: Record<string, unknown> = {}): string {
  const base: Record<string, unknown> = { tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price: '30000.00', clientOrderId: attackId() }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete base[key]
    else base[key] = value
  }
  return JSON.stringify(base)
}

/** A valid order's JSON text with `fragment` spliced in as its first member (for keys JSON.stringify cannot write twice). */
export function orderWith(fragment: string): string {
  return `{${fragment},${order().slice(1)}`
}

export const ref = (clientOrderId: string, query = 'tradingPair=BTC-USDT') => `/v1/orders/${clientOrderId}${query === '' ? '' : `?${query}`}`
export const unsigned = (path: string, init: RequestInit = {}) => new Request(`${WORKER_ORIGIN}${path}`, init)
export const KIB16 = 16 * 1024

/** A body made of a stream without a length (what a chunked upload arrives as). */
export function streamedBody(chunkBytes: number, chunks: number, counter: { pulled: number }): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(chunkBytes))
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulled += 1
      if (counter.pulled > chunks) controller.close()
      else controller.enqueue(chunk)
    },
  })
}
