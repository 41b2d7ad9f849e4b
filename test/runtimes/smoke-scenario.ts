// The smoke scenario every runtime runs: the real src/ signer against Binance's documented vectors,
// a signed REST call through src/'s RestAssistant (ky) and a WebSocket round trip through src/'s
// WsAssistant (isows), both to loopback servers the harness starts. Web APIs only, so the same file
// runs in Node, happy-dom, workerd, Deno and Chromium.
import { restSignaturePayload, signRestQuery, wsApiSignaturePayload } from '../../src/connectors/binance/auth.ts'
import type { RestAuthenticator } from '../../src/core/web/auth.ts'
import { hmacSha256Hex } from '../../src/core/web/hmac.ts'
import { RestAssistant } from '../../src/core/web/rest-assistant.ts'
import { WsAssistant } from '../../src/core/web/ws-assistant.ts'
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

/** Binance-style signing for the smoke call: timestamp appended, HMAC of the query last, key in a header. */
const smokeAuthenticator: RestAuthenticator = {
  authenticateRest: (request) => ({
    query: signRestQuery(SMOKE_API_SECRET, [...request.params, ['timestamp', Date.now()]]),
    headers: { 'X-MBX-APIKEY': SMOKE_API_KEY },
  }),
}

/** Sends a signed GET through the REST assistant to the loopback server, which checks the signature itself. */
export async function signedRestRoundTrip(restUrl: string): Promise<RestRoundTrip> {
  const sentNonce = crypto.randomUUID()
  const rest = new RestAssistant({ baseUrl: restUrl, auth: smokeAuthenticator, timeoutMs: 5_000, retry: { limit: 0 } })
  const response = (await rest.request({
    path: '/v3/smoke',
    params: [
      ['symbol', 'BTCUSDT'],
      ['nonce', sentNonce],
    ],
    signed: true,
  })) as RestRoundTrip['response']
  return { sentNonce, response }
}

export interface SocketRoundTrip {
  readonly sentId: string
  readonly reply: { id?: unknown; result?: unknown }
}

/** Opens a supervised socket, sends PING and waits for the matching PONG (or fails after 5 s). */
export async function webSocketRoundTrip(wsUrl: string): Promise<SocketRoundTrip> {
  const sentId = crypto.randomUUID()
  const socket = new WsAssistant({ url: `${wsUrl}/ws`, signal: AbortSignal.timeout(5_000), connectTimeoutMs: 2_000 })
  void socket.send({ id: sentId, method: 'PING' }).catch(() => {})
  for await (const reply of socket) {
    // Leaving the loop closes the socket.
    return { sentId, reply: reply as SocketRoundTrip['reply'] }
  }
  throw new Error(`no PONG from ${wsUrl} within 5 s`)
}
