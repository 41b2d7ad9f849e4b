// Where a connection's socket comes from: the WebSocket shape the library uses, the factory type
// (sync, or async for a relay that fetches a token first), the default factory, and how an attempt
// waits for an async one. ws-connection.ts takes the socket from here once it exists.
//
// isows is imported on the first connect, not with this module: under Node 20 it is `ws`, whose
// import alone costs about 100 ms of a process's start, paid by every program that imports a
// connector even when it never opens a socket.
import type { WebSocket as IsowsWebSocket } from 'isows'
import { watchAbort } from '../abort-watch.ts'
import { NetworkError, RequestTimeoutError } from '../errors.ts'
import { sanitizedCause } from './rest-errors.ts'

/** The part of the standard WebSocket the library uses; tests inject fakes of this shape. */
export interface WebSocketLike {
  readonly readyState: number
  binaryType?: string
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: Event) => void): void
}

/**
 * Creates a socket for a URL, at once or asynchronously (a relay that fetches a token first). The
 * signal aborts when the attempt is given up: an async factory should then create no socket (one
 * it still returns is closed). The default is isows' WebSocket (native where the runtime has one).
 */
export type WebSocketFactory = (url: string, signal?: AbortSignal) => WebSocketLike | Promise<WebSocketLike>

/** isows' WebSocket class (the platform's own where the runtime has one). */
type WebSocketClass = typeof IsowsWebSocket

let webSocketClass: Promise<WebSocketClass> | undefined

/** isows' WebSocket, imported once; a failed import is tried again on the next connect. */
function loadWebSocket(): Promise<WebSocketClass> {
  return (webSocketClass ??= import('isows').then(
    (module) => module.WebSocket,
    (error: unknown) => {
      webSocketClass = undefined
      throw error
    },
  ))
}

/** isows' WebSocket, imported on the first call; creates nothing when `signal` aborted meanwhile. */
export const defaultWebSocketFactory: WebSocketFactory = async (url, signal) => {
  const WebSocket = await loadWebSocket()
  signal?.throwIfAborted()
  return new WebSocket(url)
}

/** `wss://host/path` without the query: the only way a socket's URL appears in messages. */
export function describeWsUrl(url: string): string {
  try {
    const { protocol, host, pathname } = new URL(url)
    return `${protocol}//${host}${pathname}`
  } catch {
    return 'the WebSocket'
  }
}

export interface CreateSocketOptions {
  readonly url: string
  /** How long an async factory may take (the opening handshake then gets its own `timeoutMs`). */
  readonly timeoutMs: number
  readonly socketFactory?: WebSocketFactory | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * The attempt's socket: at once from a sync factory (so it gets its listeners in this same turn),
 * or a promise from an async one. Throws / rejects `NetworkError` when the factory fails,
 * `RequestTimeoutError` when an async factory does not deliver within `timeoutMs`, or the signal's
 * reason: a factory that never delivers (a chunk that never loads, a relay that never answers)
 * must not leave the attempt, and the supervisor behind it, waiting forever. A socket delivered
 * after the attempt was given up is closed.
 */
export function createSocket(options: CreateSocketOptions): WebSocketLike | Promise<WebSocketLike> {
  const { url, signal } = options
  const couldNotCreate = (thrown: unknown): NetworkError =>
    new NetworkError(`${describeWsUrl(url)}: could not create the socket`, { cause: sanitizedCause(thrown, [url]) })
  let created: WebSocketLike | Promise<WebSocketLike>
  try {
    created = (options.socketFactory ?? defaultWebSocketFactory)(url, signal)
  } catch (thrown) {
    throw couldNotCreate(thrown)
  }
  if (!(created instanceof Promise)) return created
  return new Promise((resolve, reject) => {
    let givenUp = false
    const giveUp = (error: unknown): void => {
      givenUp = true
      settle()
      reject(error)
    }
    const timer = setTimeout(() => giveUp(new RequestTimeoutError(`${describeWsUrl(url)}: no socket within ${options.timeoutMs} ms`)), options.timeoutMs)
    const unwatch = signal && watchAbort(signal, () => giveUp(signal.reason))
    const settle = (): void => {
      clearTimeout(timer)
      unwatch?.()
    }
    created.then(
      (socket) => {
        if (givenUp) return closeQuietly(socket)
        settle()
        resolve(socket)
      },
      (thrown: unknown) => {
        if (givenUp) return
        settle()
        reject(signal?.aborted ? signal.reason : couldNotCreate(thrown))
      },
    )
  })
}

/** Closes a socket nobody wants any more; a socket that cannot even close is left to the runtime. */
function closeQuietly(socket: WebSocketLike): void {
  try {
    socket.close(1000, 'attempt abandoned')
  } catch {
    // Already closing or closed.
  }
}
