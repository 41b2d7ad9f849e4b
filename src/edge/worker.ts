// The edge Worker (DESIGN.md "Edge"): the only place the exchange secret lives. Routes:
//   POST /v1/orders, GET|DELETE /v1/orders/:clientOrderId   caller-authenticated order routing
//   GET /v1/book/:tradingPair[?depth=], GET /v1/book/:tradingPair/ws   one BookRoom per pair
//   GET /v1/health                                           liveness, no auth
import { BookRoom, bookRoomRequest } from './book-room.ts'
import type { EdgeEnv } from './env.ts'
import { jsonError } from './http.ts'
import { handleOrderRequest } from './orders/order-routes.ts'
import { RateBudget } from './rate-budget.ts'

export { BookRoom, RateBudget }

const BOOK_PATH = /^\/v1\/book\/([A-Za-z0-9]+-[A-Za-z0-9]+)(\/ws)?$/

/**
 * Browsers call the API from their own origin (the playground, a dashboard): the caller signature,
 * not the origin, is what authenticates, so any origin may ask. The headers a caller signs with must
 * be allowed in the preflight.
 */
const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-Spotwire-Key, X-Spotwire-Timestamp, X-Spotwire-Signature',
  'Access-Control-Expose-Headers': 'Retry-After',
  'Access-Control-Max-Age': '86400',
}

export default {
  async fetch(request: Request, env: EdgeEnv): Promise<Response> {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS })
    const response = await route(request, env)
    // A WebSocket upgrade's 101 carries no CORS (WebSockets are not subject to it) and cannot be rebuilt.
    if (response.status === 101) return response
    const headers = new Headers(response.headers)
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  },
} satisfies ExportedHandler<EdgeEnv>

async function route(request: Request, env: EdgeEnv): Promise<Response> {
  const url = new URL(request.url)
  if (url.pathname === '/v1/health') {
    return request.method === 'GET' ? Response.json({ ok: true }) : jsonError(405, 'METHOD_NOT_ALLOWED', 'Use GET.')
  }
  if (url.pathname === '/v1/orders' || url.pathname.startsWith('/v1/orders/')) return handleOrderRequest(request, env)
  const book = BOOK_PATH.exec(url.pathname)
  if (book) {
    if (request.method !== 'GET') return jsonError(405, 'METHOD_NOT_ALLOWED', 'Use GET.')
    const tradingPair = book[1]!.toUpperCase()
    return bookRoomRequest(env, tradingPair, request, book[2] !== undefined)
  }
  return jsonError(404, 'NOT_FOUND', `No route for ${request.method} ${url.pathname}.`)
}
