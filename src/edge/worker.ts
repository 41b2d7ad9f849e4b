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

export default {
  async fetch(request: Request, env: EdgeEnv): Promise<Response> {
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
  },
} satisfies ExportedHandler<EdgeEnv>
