// The playground's edge-router client against a stub router on 127.0.0.1 that checks every
// signature with node:crypto (never with the client's own code), as the real router will.
import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEdgeClient, EdgeError, signEdgeRequest } from '../../playground/src/edge-client.ts'

const CLIENT_ID = 'playground'
const CLIENT_SECRET = 'edge-test-secret'

interface Seen {
  readonly method: string
  readonly pathWithQuery: string
  readonly body: string
  readonly headers: IncomingMessage['headers']
}

let server: Server
let baseUrl: string
const seen: Seen[] = []

function expectedSignature(timestamp: string, method: string, pathWithQuery: string, body: string): string {
  return createHmac('sha256', CLIENT_SECRET).update(`${timestamp}${method}${pathWithQuery}${body}`).digest('hex')
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      const method = request.method ?? 'GET'
      const pathWithQuery = request.url ?? '/'
      seen.push({ method, pathWithQuery, body, headers: request.headers })
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' })
        response.end(JSON.stringify(payload))
      }
      const url = new URL(pathWithQuery, 'http://127.0.0.1')
      if (url.pathname.startsWith('/v1/book/')) {
        return reply(200, { tradingPair: 'BTC-USDT', updateId: 7, bids: [['100.5', '1']], asks: [['101', '2']] })
      }
      const timestamp = String(request.headers['x-spotwire-timestamp'] ?? '')
      const signature = String(request.headers['x-spotwire-signature'] ?? '')
      if (request.headers['x-spotwire-key'] !== CLIENT_ID || signature !== expectedSignature(timestamp, method, pathWithQuery, body)) {
        return reply(401, { error: { code: 'UNAUTHORIZED', message: 'bad signature' } })
      }
      if (method === 'POST' && url.pathname === '/v1/orders') {
        const order = JSON.parse(body) as Record<string, string>
        if (order['amount'] === '0') return reply(400, { error: { code: 'BAD_REQUEST', message: 'amount must be above zero', exchangeCode: -1013 } })
        return reply(200, { clientOrderId: 'c-1', exchangeOrderId: '42', executedAmount: '0', state: 'OPEN', ...order })
      }
      const id = decodeURIComponent(url.pathname.split('/').at(-1) ?? '')
      const state = method === 'DELETE' ? 'CANCELED' : 'OPEN'
      return reply(200, { clientOrderId: id, exchangeOrderId: '42', tradingPair: url.searchParams.get('tradingPair'), side: 'BUY', orderType: 'LIMIT', amount: '0.01', price: '30000', executedAmount: '0', state })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
})

describe('edge client', () => {
  it('signs a create with timestamp + METHOD + path + body, as hex HMAC-SHA256 of the client secret', async () => {
    const client = createEdgeClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, now: () => 1_700_000_000_000 })
    const order = await client.placeOrder({ tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.01', price: '30000' })
    expect(order).toMatchObject({ clientOrderId: 'c-1', exchangeOrderId: '42', state: 'OPEN', amount: '0.01', price: '30000' })
    const request = seen.at(-1)
    expect(request?.method).toBe('POST')
    expect(request?.pathWithQuery).toBe('/v1/orders')
    expect(request?.headers['x-spotwire-timestamp']).toBe('1700000000000')
    expect(request?.headers['x-spotwire-signature']).toBe(expectedSignature('1700000000000', 'POST', '/v1/orders', request?.body ?? ''))
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.01', price: '30000' })
  })

  it('signs the query string of a status request and a cancel', async () => {
    const client = createEdgeClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    await expect(client.getOrder('BTC-USDT', 'sw 1')).resolves.toMatchObject({ clientOrderId: 'sw 1', state: 'OPEN' })
    expect(seen.at(-1)?.pathWithQuery).toBe('/v1/orders/sw%201?tradingPair=BTC-USDT')
    await expect(client.cancelOrder('BTC-USDT', 'sw-1')).resolves.toMatchObject({ state: 'CANCELED' })
    expect(seen.at(-1)?.method).toBe('DELETE')
  })

  it('keeps a base path prefix in the signed path', async () => {
    const client = createEdgeClient({ baseUrl: `${baseUrl}/edge/`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    // The stub routes by the last path segment, so the prefixed status request is answered and verified.
    await expect(client.getOrder('ETH-BTC', 'x')).resolves.toMatchObject({ tradingPair: 'ETH-BTC' })
    expect(seen.at(-1)?.pathWithQuery).toBe('/edge/v1/orders/x?tradingPair=ETH-BTC')
  })

  it('reports a wrong secret as the router answers it: an EdgeError with status 401', async () => {
    const client = createEdgeClient({ baseUrl, clientId: CLIENT_ID, clientSecret: 'not-the-secret' })
    const failure = await client.getOrder('BTC-USDT', 'x').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(EdgeError)
    expect(failure).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    expect(String((failure as Error).message)).not.toContain('not-the-secret')
  })

  it('keeps the router error body: code, message and exchange code', async () => {
    const client = createEdgeClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    await expect(client.placeOrder({ tradingPair: 'BTC-USDT', side: 'SELL', orderType: 'MARKET', amount: '0' })).rejects.toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
      exchangeCode: -1013,
    })
  })

  it('reads the book unsigned and builds the book socket URL', async () => {
    const client = createEdgeClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
    await expect(client.getBook('BTC-USDT', 5)).resolves.toEqual({ tradingPair: 'BTC-USDT', updateId: 7, bids: [['100.5', '1']], asks: [['101', '2']] })
    expect(seen.at(-1)?.pathWithQuery).toBe('/v1/book/BTC-USDT?depth=5')
    expect(seen.at(-1)?.headers['x-spotwire-signature']).toBeUndefined()
    expect(client.bookSocketUrl('BTC-USDT')).toBe(`${baseUrl.replace('http:', 'ws:')}/v1/book/BTC-USDT/ws`)
  })

  it('signs with WebCrypto exactly as node:crypto does', async () => {
    await expect(signEdgeRequest(CLIENT_SECRET, '1', 'GET', '/v1/orders/a?tradingPair=BTC-USDT', '')).resolves.toBe(
      expectedSignature('1', 'GET', '/v1/orders/a?tradingPair=BTC-USDT', ''),
    )
  })
})
