// A caller of the edge's order API, written from DESIGN.md alone (WebCrypto, nothing from src/):
// X-Spotwire-Signature = hex HMAC-SHA256(client secret, timestamp + METHOD + path-with-query + body).

export interface CallerRequestInit {
  readonly clientId: string
  readonly secret: string
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT'
  /** Path with query, e.g. `/v1/orders/sw-1?tradingPair=BTC-USDT`. */
  readonly path: string
  readonly body?: string
  /** Epoch ms to sign with; default now. */
  readonly timestampMs?: number
}

export const WORKER_ORIGIN = 'https://spotwire.test'

export async function callerSignature(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** A signed request, plus the signature it carries (so tests can look for it where it must not be). */
export async function signedRequest(init: CallerRequestInit): Promise<{ request: Request; signature: string }> {
  const timestamp = String(init.timestampMs ?? Date.now())
  const body = init.body ?? ''
  const signature = await callerSignature(init.secret, `${timestamp}${init.method}${init.path}${body}`)
  const request = new Request(`${WORKER_ORIGIN}${init.path}`, {
    method: init.method,
    headers: {
      'X-Spotwire-Key': init.clientId,
      'X-Spotwire-Timestamp': timestamp,
      'X-Spotwire-Signature': signature,
      ...(body === '' ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === '' ? {} : { body }),
  })
  return { request, signature }
}
