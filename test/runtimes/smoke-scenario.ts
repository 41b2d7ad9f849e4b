// The smoke scenario every runtime runs: the real src/ signer against Binance's documented vectors,
// a signed REST call through ky and a WebSocket round trip through isows, both to loopback servers
// the harness starts. Web APIs only, so the same file runs in Node, happy-dom, workerd, Deno and
// Chromium.
import { WebSocket } from 'isows'
import ky from 'ky'
import { restSignaturePayload, signRestQuery, wsApiSignaturePayload } from '../../src/connectors/binance/auth.ts'
import { hmacSha256Hex } from '../../src/core/web/hmac.ts'
import vectors from '../fixtures/binance-hmac-vectors.json' with { type: 'json' }
import { SMOKE_API_KEY, SMOKE_API_SECRET } from '../harness/smoke-credentials.ts'

export interface VectorResult {
  readonly id: string
  readonly expectedPayload: string
  readonly payload: string
  readonly expectedSignature: string
  readonly signature: string
}

/** Rebuilds each documented HMAC vector's payload from its parameters and signs it with src/. */
export function signDocumentedVectors(): VectorResult[] {
  return vectors.map((vector) => {
    const payload = Array.isArray(vector.params)
      ? restSignaturePayload(vector.params as [string, string][])
      : wsApiSignaturePayload(vector.params as Record<string, string | number>)
    return {
      id: vector.id,
      expectedPayload: vector.payload,
      payload,
      expectedSignature: vector.signature,
      signature: hmacSha256Hex(vector.secretKey, payload),
    }
  })
}

export interface RestRoundTrip {
  readonly sentNonce: string
  readonly response: { signatureValid?: unknown; nonce?: unknown }
}

/** Sends a signed GET through ky to the loopback server, which checks the signature itself. */
export async function signedRestRoundTrip(restUrl: string): Promise<RestRoundTrip> {
  const sentNonce = crypto.randomUUID()
  const query = signRestQuery(SMOKE_API_SECRET, [
    ['symbol', 'BTCUSDT'],
    ['nonce', sentNonce],
    ['timestamp', Date.now()],
  ])
  const response = await ky
    .get(`${restUrl}/v3/smoke?${query}`, {
      headers: { 'X-MBX-APIKEY': SMOKE_API_KEY },
      retry: 0,
      timeout: 5_000,
    })
    .json<RestRoundTrip['response']>()
  return { sentNonce, response }
}

export interface SocketRoundTrip {
  readonly sentId: string
  readonly reply: { id?: unknown; result?: unknown }
}

/** Opens a socket through isows, sends PING and waits for the matching PONG (or fails in 5 s). */
export function webSocketRoundTrip(wsUrl: string): Promise<SocketRoundTrip> {
  const sentId = crypto.randomUUID()
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/ws`)
    const timer = setTimeout(() => {
      socket.close()
      reject(new Error('no PONG within 5 s'))
    }, 5_000)
    const finish = (outcome: () => void): void => {
      clearTimeout(timer)
      socket.close()
      outcome()
    }
    socket.addEventListener('open', () => socket.send(JSON.stringify({ id: sentId, method: 'PING' })))
    socket.addEventListener('message', (event) => {
      finish(() => resolve({ sentId, reply: JSON.parse(String(event.data)) as SocketRoundTrip['reply'] }))
    })
    socket.addEventListener('error', () => finish(() => reject(new Error(`socket to ${wsUrl} failed`))))
  })
}
