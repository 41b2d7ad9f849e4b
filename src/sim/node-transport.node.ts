// The Node transport shared by the simulator's Node server and its Vite mount: an IncomingMessage
// becomes a web Request (aborted when the client goes away, so a hung request ends with it), the
// web Response is written back, one `ws` socket is wired to one simulator connection with Binance's
// keep-alive (server pings, a pong deadline), and two timers drive depth windows and market makers.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { RawData, WebSocket, WebSocketServer } from 'ws'
import type { Simulator } from './simulator.ts'

export { endpointsOf, type SimulatorEndpoints } from './endpoints.ts'

export interface KeepAliveOptions {
  /** How often the server pings each socket (Binance: every 20 s). */
  readonly pingIntervalMs: number
  /** A socket that sent no pong for this long is terminated (Binance: one minute). */
  readonly pongTimeoutMs: number
}

export interface ClockOptions {
  readonly tickMs: number
  readonly makerIntervalMs: number
}

/** Far above any Binance request; a bigger body is refused with 413 instead of being buffered. */
const MAX_BODY_BYTES = 1 << 20
/** Connection-level headers that describe the Node request, not the one handed to the simulator. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length'])

class BodyTooLargeError extends Error {}

/** Answers one HTTP request with `simulator.fetch`; `path` is the request target as the simulator sees it. */
export async function serveSimulatorRequest(simulator: Simulator, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  try {
    const webRequest = await toWebRequest(request, response, path)
    const webResponse = await simulator.fetch(webRequest)
    await writeWebResponse(response, webResponse, request.method)
  } catch (error) {
    if (response.headersSent || response.destroyed) {
      response.destroy()
      return
    }
    const tooLarge = error instanceof BodyTooLargeError
    writeJson(response, tooLarge ? 413 : 500, { code: tooLarge ? -1000 : -1001, msg: tooLarge ? 'Request body too large.' : 'Internal error.' })
  }
}

/** A web Request for `request`, with a signal that aborts if the client disconnects before the answer is sent. */
export async function toWebRequest(request: IncomingMessage, response: ServerResponse, path: string): Promise<Request> {
  const controller = new AbortController()
  response.once('close', () => {
    if (!response.writableFinished) controller.abort()
  })
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const method = request.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request)
  return new Request(urlOf(request, path), {
    method,
    headers,
    signal: controller.signal,
    ...(body !== undefined && body.byteLength > 0 ? { body } : {}),
  })
}

/** Writes a web Response (status, headers, body) to a Node response, unless the client already left. */
export async function writeWebResponse(response: ServerResponse, webResponse: Response, method = 'GET'): Promise<void> {
  if (response.destroyed) {
    await webResponse.body?.cancel()
    return
  }
  const body = method === 'HEAD' ? undefined : new Uint8Array(await webResponse.arrayBuffer())
  response.statusCode = webResponse.status
  webResponse.headers.forEach((value, name) => response.setHeader(name, value))
  response.end(body)
}

export function writeJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' })
  response.end(JSON.stringify(body))
}

/** Completes a WebSocket upgrade and hands the socket to the simulator as a connection on `path`. */
export function upgradeToSimulator(
  server: WebSocketServer,
  simulator: Simulator,
  keepAlive: KeepAliveOptions,
  upgrade: { request: IncomingMessage; socket: Duplex; head: Buffer; path: string },
): void {
  server.handleUpgrade(upgrade.request, upgrade.socket, upgrade.head, (socket) => connectSocket(simulator, socket, upgrade.path, keepAlive))
}

/** Wires one open `ws` socket to a simulator connection. */
export function connectSocket(simulator: Simulator, socket: WebSocket, path: string, keepAlive: KeepAliveOptions): void {
  const connection = simulator.connect(path, {
    send: (text) => {
      if (socket.readyState === socket.OPEN) socket.send(text)
    },
    close: (code, reason) => closeSocket(socket, code, reason),
    drop: () => socket.terminate(),
  })
  const stopKeepAlive = keepSocketAlive(socket, keepAlive)
  socket.on('message', (data) => connection.receive(textOf(data)))
  // Every error is followed by 'close'; without a listener `ws` would throw it.
  socket.on('error', () => undefined)
  socket.once('close', () => {
    stopKeepAlive()
    connection.closed()
  })
}

/** Starts the depth-window tick and the market makers; returns the function that stops both. */
export function startSimulatorClock(simulator: Simulator, options: ClockOptions): () => void {
  const ticker = setInterval(() => simulator.tick(), options.tickMs)
  const makers = setInterval(() => simulator.stepMarketMakers(), options.makerIntervalMs)
  return () => {
    clearInterval(ticker)
    clearInterval(makers)
  }
}

/** Ends every socket of a `ws` server at once (no closing handshake) and closes the server. */
export function terminateAll(server: WebSocketServer): void {
  for (const client of server.clients) client.terminate()
  server.close()
}

/** Pings every `pingIntervalMs`; terminates the socket once no pong came for `pongTimeoutMs`. */
function keepSocketAlive(socket: WebSocket, options: KeepAliveOptions): () => void {
  const pinger = setInterval(() => {
    if (socket.readyState === socket.OPEN) socket.ping()
  }, options.pingIntervalMs)
  const deadline = setTimeout(() => socket.terminate(), options.pongTimeoutMs)
  const onPong = () => deadline.refresh()
  socket.on('pong', onPong)
  return () => {
    clearInterval(pinger)
    clearTimeout(deadline)
    socket.off('pong', onPong)
  }
}

function closeSocket(socket: WebSocket, code?: number, reason?: string): void {
  try {
    socket.close(code, reason)
  } catch {
    socket.terminate() // a code `ws` may not send (e.g. 1006): end it without a handshake
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8')
}

function urlOf(request: IncomingMessage, path: string): string {
  const target = path.startsWith('/') ? path : `/${path}`
  try {
    return new URL(`http://${request.headers.host ?? '127.0.0.1'}${target}`).href
  } catch {
    return new URL(`http://127.0.0.1${target}`).href
  }
}

function readBody(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk)
      request.off('data', onData).resume() // drain the rest unread, then answer 413
      reject(new BodyTooLargeError())
    }
    request.on('data', onData)
    request.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    request.once('error', reject)
  })
}
