// The smoke scenario inside Deno (`deno test`). The loopback server is Deno's own (Deno.serve on
// 127.0.0.1 with Deno.upgradeWebSocket) and checks signatures with WebCrypto, independently of src/.
// SPOTWIRE_SMOKE_WITHOUT_SERVER=1 points the tests at a dead port instead: the negative control.
import assert from 'node:assert/strict'
import { SMOKE_API_KEY, SMOKE_API_SECRET } from '../harness/smoke-credentials.ts'
import { signDocumentedVectors, signedRestRoundTrip, webSocketRoundTrip } from './smoke-scenario.ts'

async function hmacHex(secret: string, payload: string): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)))
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname === '/ws') {
    const { socket, response } = Deno.upgradeWebSocket(request)
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { id?: unknown; method?: unknown }
      if (message.method === 'PING') socket.send(JSON.stringify({ id: message.id, result: 'PONG' }))
    }
    return response
  }
  if (url.pathname === '/api/v3/smoke') {
    const query = url.search.slice(1)
    const at = query.lastIndexOf('&signature=')
    const valid =
      request.headers.get('x-mbx-apikey') === SMOKE_API_KEY &&
      at > 0 &&
      query.slice(at + '&signature='.length) === (await hmacHex(SMOKE_API_SECRET, query.slice(0, at)))
    return Response.json(
      valid ? { signatureValid: true, nonce: url.searchParams.get('nonce') } : { code: -1022, msg: 'bad signature' },
      { status: valid ? 200 : 401 },
    )
  }
  return Response.json({ code: -1, msg: 'no such route' }, { status: 404 })
}

function deadPort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 })
  const { port } = listener.addr as Deno.NetAddr
  listener.close()
  return port
}

const withoutServer = Deno.env.get('SPOTWIRE_SMOKE_WITHOUT_SERVER') === '1'

async function withLoopback(run: (urls: { rest: string; ws: string }) => Promise<void>): Promise<void> {
  if (withoutServer) {
    const port = deadPort()
    await run({ rest: `http://127.0.0.1:${port}/api`, ws: `ws://127.0.0.1:${port}` })
    return
  }
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, handle)
  try {
    const { port } = server.addr
    await run({ rest: `http://127.0.0.1:${port}/api`, ws: `ws://127.0.0.1:${port}` })
  } finally {
    await server.shutdown()
  }
}

Deno.test('smoke in Deno: runs inside Deno', () => {
  assert.equal(typeof Deno.version.deno, 'string')
})

const vectors = signDocumentedVectors()

Deno.test('smoke in Deno: reproduces all four documented Binance HMAC vectors', () => {
  assert.deepEqual(
    vectors.map((vector) => vector.id),
    ['rest_hmac_ascii', 'rest_hmac_non_ascii_percent_encoded', 'wsapi_hmac_ascii', 'wsapi_hmac_non_ascii_raw_utf8'],
  )
})

for (const vector of vectors) {
  Deno.test(`smoke in Deno: signs ${vector.id} exactly as documented`, () => {
    assert.equal(vector.payload, vector.expectedPayload)
    assert.equal(vector.signature, vector.expectedSignature)
  })
}

Deno.test('smoke in Deno: sends a signed REST request through ky that the loopback server accepts', async () => {
  await withLoopback(async ({ rest }) => {
    const { sentNonce, response } = await signedRestRoundTrip(rest)
    assert.deepEqual(response, { signatureValid: true, nonce: sentNonce })
  })
})

Deno.test('smoke in Deno: round-trips a WebSocket message through isows', async () => {
  await withLoopback(async ({ ws }) => {
    const { sentId, reply } = await webSocketRoundTrip(ws)
    assert.deepEqual(reply, { id: sentId, result: 'PONG' })
  })
})
