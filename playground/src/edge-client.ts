// A client for the edge router's HTTP API (DESIGN.md "Edge"): the page places, queries and cancels
// orders through the router, which holds the Binance secret, so the browser never sees it. Every
// `/v1/orders` request is signed with the caller's own client secret:
//   X-Spotwire-Signature = hex HMAC-SHA256(clientSecret, timestamp + METHOD + pathWithQuery + body)
// WebCrypto only (browsers, Workers, Deno and Node 20 all have `crypto.subtle`).

export type EdgeSide = 'BUY' | 'SELL'
export type EdgeOrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET'

export interface EdgeOrderRequest {
  readonly tradingPair: string
  readonly side: EdgeSide
  readonly orderType: EdgeOrderType
  /** Decimal string. */
  readonly amount: string
  /** Decimal string; required for LIMIT and LIMIT_MAKER. */
  readonly price?: string
  readonly clientOrderId?: string
}

/** The router's answer to POST, GET and DELETE on an order. */
export interface EdgeOrder {
  readonly clientOrderId: string
  readonly exchangeOrderId: string | null
  readonly tradingPair: string
  readonly side: EdgeSide
  readonly orderType: EdgeOrderType
  readonly amount: string
  readonly price: string | null
  readonly executedAmount: string
  readonly state: string
}

/** `GET /v1/book/:pair`: levels as `[price, amount]` decimal strings, best first. */
export interface EdgeBook {
  readonly tradingPair: string
  readonly updateId: number
  readonly bids: readonly (readonly [string, string])[]
  readonly asks: readonly (readonly [string, string])[]
}

export interface EdgeClientOptions {
  /** The router's origin, with an optional path prefix: `https://edge.example.com`. */
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch
  /** Default: `Date.now`. The router refuses timestamps outside ±5 s of its clock. */
  readonly now?: () => number
}

/** The router answered with an error body `{ error: { code, message, exchangeCode? } }` (or no JSON). */
export class EdgeError extends Error {
  override name = 'EdgeError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly exchangeCode?: number | string,
  ) {
    super(`edge router ${status} ${code}: ${message}`)
  }
}

export interface EdgeClient {
  placeOrder(order: EdgeOrderRequest): Promise<EdgeOrder>
  getOrder(tradingPair: string, clientOrderId: string): Promise<EdgeOrder>
  cancelOrder(tradingPair: string, clientOrderId: string): Promise<EdgeOrder>
  /** Unauthenticated, like the route. */
  getBook(tradingPair: string, depth?: number): Promise<EdgeBook>
  /** The book's WebSocket URL (`ws:`/`wss:`), for a caller that prefers pushes to polling. */
  bookSocketUrl(tradingPair: string): string
}

const encoder = new TextEncoder()

/**
 * The signature the router expects, as lowercase hex.
 *
 * @example
 * await signEdgeRequest('secret', '1700000000000', 'POST', '/v1/orders', '{"tradingPair":"BTC-USDT"}')
 */
export async function signEdgeRequest(clientSecret: string, timestamp: string, method: string, pathWithQuery: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(clientSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}${method}${pathWithQuery}${body}`))
  return [...new Uint8Array(signature)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * @example
 * const edge = createEdgeClient({ baseUrl: 'http://127.0.0.1:8787', clientId: 'playground', clientSecret })
 * const order = await edge.placeOrder({ tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.01', price: '30000' })
 */
export function createEdgeClient(options: EdgeClientOptions): EdgeClient {
  const base = new URL(options.baseUrl)
  const basePath = base.pathname.replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const now = options.now ?? Date.now

  const urlFor = (path: string, query: Record<string, string> = {}): URL => {
    const url = new URL(`${basePath}${path}`, base.origin)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    return url
  }

  const send = async <T>(method: string, url: URL, body: unknown, signed: boolean): Promise<T> => {
    const text = body === undefined ? '' : JSON.stringify(body)
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' }
    if (signed) {
      // The router signs what it receives: the path as sent, query included, and the exact body bytes.
      const timestamp = String(now())
      headers['X-Spotwire-Key'] = options.clientId
      headers['X-Spotwire-Timestamp'] = timestamp
      headers['X-Spotwire-Signature'] = await signEdgeRequest(options.clientSecret, timestamp, method, `${url.pathname}${url.search}`, text)
    }
    const response = await doFetch(url, { method, headers, ...(body === undefined ? {} : { body: text }) })
    const payload: unknown = await response.json().catch(() => undefined)
    if (!response.ok) throw edgeErrorOf(response.status, payload)
    return payload as T
  }

  const orderUrl = (tradingPair: string, clientOrderId: string) =>
    urlFor(`/v1/orders/${encodeURIComponent(clientOrderId)}`, { tradingPair })

  return {
    placeOrder: (order) => send<EdgeOrder>('POST', urlFor('/v1/orders'), order, true),
    getOrder: (tradingPair, clientOrderId) => send<EdgeOrder>('GET', orderUrl(tradingPair, clientOrderId), undefined, true),
    cancelOrder: (tradingPair, clientOrderId) => send<EdgeOrder>('DELETE', orderUrl(tradingPair, clientOrderId), undefined, true),
    getBook: (tradingPair, depth = 20) =>
      send<EdgeBook>('GET', urlFor(`/v1/book/${encodeURIComponent(tradingPair)}`, { depth: String(depth) }), undefined, false),
    bookSocketUrl: (tradingPair) => {
      const url = urlFor(`/v1/book/${encodeURIComponent(tradingPair)}/ws`)
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
      return url.href
    },
  }
}

function edgeErrorOf(status: number, payload: unknown): EdgeError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; exchangeCode?: unknown } } | undefined)?.error
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${status}`
  const message = typeof error?.message === 'string' ? error.message : 'no error body'
  const exchangeCode = typeof error?.exchangeCode === 'number' || typeof error?.exchangeCode === 'string' ? error.exchangeCode : undefined
  return new EdgeError(status, code, message, exchangeCode)
}
