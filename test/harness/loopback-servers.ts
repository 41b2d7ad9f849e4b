// Node-side loopback servers for the runtime smoke tests: an HTTP endpoint that checks a
// Binance-style signed query and a WebSocket endpoint that answers PING with PONG.
// The signature is checked with node:crypto, independently of src/, so a signer bug in src/ cannot
// be repeated by the server that judges it.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { SMOKE_API_KEY, SMOKE_API_SECRET } from './smoke-credentials.ts'

export interface LoopbackServers {
  /** Base URL for REST, like `urls.rest`: `http://127.0.0.1:<port>/api`. */
  readonly restUrl: string
  /** Base URL for WebSockets, like `urls.ws`: `ws://127.0.0.1:<port>`. */
  readonly wsUrl: string
  close(): Promise<void>
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, x-mbx-apikey',
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', ...CORS_HEADERS })
  response.end(JSON.stringify(body))
}

function isSignatureValid(query: string): boolean {
  const marker = '&signature='
  const at = query.lastIndexOf(marker)
  if (at < 0) return false
  const payload = query.slice(0, at)
  const given = Buffer.from(query.slice(at + marker.length), 'utf8')
  const expected = Buffer.from(createHmac('sha256', SMOKE_API_SECRET).update(payload).digest('hex'), 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function handleRequest(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === 'OPTIONS') {
    response.writeHead(204, CORS_HEADERS)
    response.end()
    return
  }
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  if (request.method === 'GET' && url.pathname === '/api/v3/smoke') {
    if (request.headers['x-mbx-apikey'] !== SMOKE_API_KEY) {
      sendJson(response, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' })
      return
    }
    if (!isSignatureValid(url.search.slice(1))) {
      sendJson(response, 401, { code: -1022, msg: 'Signature for this request is not valid.' })
      return
    }
    sendJson(response, 200, { signatureValid: true, nonce: url.searchParams.get('nonce') })
    return
  }
  sendJson(response, 404, { code: -1, msg: 'no such route' })
}

/** Starts both servers on one free port of 127.0.0.1. */
export async function startLoopbackServers(): Promise<LoopbackServers> {
  const http = createServer(handleRequest)
  const sockets = new WebSocketServer({ server: http, path: '/ws' })
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: unknown; method?: unknown }
      if (message.method === 'PING') socket.send(JSON.stringify({ id: message.id, result: 'PONG' }))
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    restUrl: `http://127.0.0.1:${port}/api`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate()
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

/** A loopback port that was free a moment ago and has nothing listening on it now. */
export async function unusedLoopbackPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}
