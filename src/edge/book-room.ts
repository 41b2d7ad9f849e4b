// The BookRoom Durable Object (DESIGN.md "Edge"): one exchange stream per trading pair, kept with
// spotwire's own tracker (`watchOrderBook`), served as a JSON snapshot and fanned out to many
// WebSocket viewers (protocol: book-room/viewer-messages.ts).
//
// Decisions, once:
// - The room's configuration (pair, upstream URLs) is persisted, so a room evicted and woken by a
//   viewer's message or its alarm knows what to stream again.
// - Viewers use the hibernation API; the fan-out serializes each message once and never awaits a
//   send (book-room/fan-out.ts). A viewer whose `bufferedAmount` passes MAX_BUFFERED_BYTES is closed
//   with 1013 "try again later"; workerd's server-side sockets have no `bufferedAmount` (checked in
//   the workerd test), so there the runtime queues a slow viewer's frames and nobody else waits.
// - When no viewer is left and no snapshot was asked for IDLE_MS, the alarm stops the stream.
import { DurableObject } from 'cloudflare:workers'
import { DEFAULT_URLS } from '../connectors/binance/constants.ts'
import { BookFeed, type FeedEvent } from './book-room/book-feed.ts'
import { fanOut, type ViewerSocket } from './book-room/fan-out.ts'
import { toWire } from './book-room/levels.ts'
import { eventMessage, snapshotMessage, type ViewerMessage } from './book-room/viewer-messages.ts'
import type { EdgeEnv } from './env.ts'
import { jsonError } from './http.ts'

/** Levels per side the room keeps and publishes; the largest `depth` of the snapshot route. */
export const MAX_DEPTH = 100
export const DEFAULT_DEPTH = 20
/** How long an unwatched room keeps streaming after its last viewer or snapshot request. */
const IDLE_MS = 60_000
/** How long a snapshot request waits for a syncing or stale book before answering 503. */
const LIVE_WAIT_MS = 10_000
/** Bytes queued to one viewer past which it is dropped (1013) rather than buffered further. */
const MAX_BUFFERED_BYTES = 1 << 20
const CONFIG_KEY = 'config'

export interface BookRoomConfig {
  /** `BASE-QUOTE`, e.g. `'ETH-BTC'`. */
  readonly tradingPair: string
  /** Same meaning as `urls.rest` / `urls.ws` of `watchOrderBook`. */
  readonly urls: { readonly rest: string; readonly ws: string }
  /** Default IDLE_MS (tests shorten it). */
  readonly idleMs?: number
}

/** What `describe()` answers: for health checks and tests. */
export interface BookRoomState {
  readonly tradingPair: string | undefined
  readonly streaming: boolean
  readonly status: string
  readonly viewers: number
  readonly seq: number
}

/**
 * Forwards a book request to the pair's room, configuring the room first.
 *
 * @example
 * return bookRoomRequest(env, 'BTC-USDT', request, url.pathname.endsWith('/ws'))
 */
export async function bookRoomRequest(env: EdgeEnv, tradingPair: string, request: Request, isWebSocket: boolean): Promise<Response> {
  if (isWebSocket && request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
    return jsonError(426, 'UPGRADE_REQUIRED', 'This route is a WebSocket: send Upgrade: websocket.')
  }
  const namespace = env.BOOK_ROOM as DurableObjectNamespace<BookRoom>
  const room = namespace.get(namespace.idFromName(tradingPair))
  await room.configure({
    tradingPair,
    urls: { rest: env.BINANCE_REST_URL ?? DEFAULT_URLS.com.rest, ws: env.BINANCE_WS_URL ?? DEFAULT_URLS.com.ws },
  })
  // A snapshot request loses its headers, so an Upgrade on the snapshot route cannot make it a socket.
  return room.fetch(isWebSocket ? request : new Request(request.url))
}

export class BookRoom extends DurableObject<EdgeEnv> {
  #config: BookRoomConfig | undefined
  #feed: BookFeed | undefined
  /** Number of the last message fanned out to every viewer. */
  #seq = 0
  #lastSnapshotAt = 0
  #alarmAt: number | undefined

  constructor(ctx: DurableObjectState, env: EdgeEnv) {
    super(ctx, env)
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'))
    void ctx.blockConcurrencyWhile(async () => {
      this.#config = await ctx.storage.get<BookRoomConfig>(CONFIG_KEY)
      // Viewers outlive an eviction: give them a stream again. `seq` starts over, so they are told
      // to wait for the snapshot that restarts their count.
      if (this.#config && ctx.getWebSockets().length > 0) {
        this.#ensureFeed()
        this.#broadcast({ type: 'status', status: 'syncing' })
      }
    })
  }

  /** Sets the pair and upstream URLs (persisted); a change restarts a running stream. */
  async configure(config: BookRoomConfig): Promise<void> {
    const current = this.#config
    if (current && sameConfig(current, config)) return
    if (current && current.tradingPair !== config.tradingPair) {
      throw new Error(`This room streams ${current.tradingPair}, not ${config.tradingPair}.`)
    }
    const stored: BookRoomConfig = { tradingPair: config.tradingPair, urls: { rest: config.urls.rest, ws: config.urls.ws }, ...(config.idleMs === undefined ? {} : { idleMs: config.idleMs }) }
    await this.ctx.storage.put(CONFIG_KEY, stored)
    this.#config = stored
    if (this.#feed) {
      this.#stopFeed()
      this.#broadcast({ type: 'status', status: 'syncing' })
      this.#ensureFeed()
    }
  }

  describe(): BookRoomState {
    return {
      tradingPair: this.#config?.tradingPair,
      streaming: this.#feed !== undefined,
      status: this.#feed?.status ?? 'stopped',
      viewers: this.#openViewers().length,
      seq: this.#seq,
    }
  }

  override async fetch(request: Request): Promise<Response> {
    const config = this.#config
    if (!config) return jsonError(503, 'ROOM_NOT_CONFIGURED', 'The book room has no trading pair yet.')
    if (request.headers.get('Upgrade')?.toLowerCase() === 'websocket') return this.#acceptViewer(config)
    const depthText = new URL(request.url).searchParams.get('depth')
    const depth = depthText === null ? DEFAULT_DEPTH : Number(depthText)
    if (!(Number.isInteger(depth) && depth >= 1 && depth <= MAX_DEPTH)) {
      return jsonError(400, 'INVALID_DEPTH', `depth must be an integer from 1 to ${MAX_DEPTH}.`)
    }
    this.#lastSnapshotAt = Date.now()
    const feed = this.#ensureFeed()
    this.#scheduleIdleCheck()
    const book = await feed.whenLive(LIVE_WAIT_MS)
    if (!book) {
      return jsonError(503, 'BOOK_UNAVAILABLE', `The ${config.tradingPair} book is ${feed.status}; try again shortly.`, { headers: { 'Retry-After': '1' } })
    }
    return Response.json({
      tradingPair: config.tradingPair,
      updateId: book.updateId,
      bids: book.bids.slice(0, depth).map(toWire),
      asks: book.asks.slice(0, depth).map(toWire),
    })
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    // "snapshot": the viewer lost track (a seq hole, its own restart) and wants the book again.
    if (message === 'snapshot' && this.#config) this.#send(ws, JSON.stringify(this.#greeting(this.#config)))
  }

  override webSocketClose(ws: WebSocket): void {
    this.#forget(ws)
  }

  override webSocketError(ws: WebSocket): void {
    this.#forget(ws)
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = undefined
    if (!this.#feed || this.#openViewers().length > 0) return // the last viewer to leave schedules again
    const idleUntil = this.#lastSnapshotAt + this.#idleMs()
    if (Date.now() < idleUntil) this.#scheduleIdleCheck()
    else this.#stopFeed()
  }

  #acceptViewer(config: BookRoomConfig): Response {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket]
    this.ctx.acceptWebSocket(server)
    this.#ensureFeed()
    this.#send(server, JSON.stringify(this.#greeting(config)))
    return new Response(null, { status: 101, webSocket: client })
  }

  /** A viewer's first message: the book at the current seq, or where the sync stands. */
  #greeting(config: BookRoomConfig): ViewerMessage {
    const book = this.#feed?.published
    if (book) return snapshotMessage(this.#seq, config.tradingPair, book)
    return { type: 'status', seq: this.#seq, status: this.#feed?.status ?? 'syncing' }
  }

  #ensureFeed(): BookFeed {
    if (this.#feed) return this.#feed
    const config = this.#config as BookRoomConfig
    const feed = new BookFeed({
      tradingPair: config.tradingPair,
      urls: config.urls,
      depth: MAX_DEPTH,
      onEvent: (event) => this.#broadcast(event),
    })
    this.#feed = feed
    return feed
  }

  #stopFeed(): void {
    this.#feed?.stop()
    this.#feed = undefined
  }

  /** Numbers the event and hands it to every viewer without waiting for any of them. */
  #broadcast(event: FeedEvent): void {
    this.#seq += 1
    const text = JSON.stringify(eventMessage(this.#seq, this.#config?.tradingPair ?? '', event))
    // workers-types leave `bufferedAmount` out of WebSocket; fanOut reads it where it exists.
    fanOut(this.ctx.getWebSockets() as ViewerSocket[], text, MAX_BUFFERED_BYTES)
  }

  #send(ws: WebSocket, text: string): void {
    fanOut([ws as ViewerSocket], text, MAX_BUFFERED_BYTES)
  }

  #forget(ws: WebSocket): void {
    try {
      ws.close(1000, 'Bye.')
    } catch {
      // Already closed.
    }
    if (this.#openViewers(ws).length === 0) this.#scheduleIdleCheck()
  }

  #openViewers(except?: WebSocket): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws !== except && ws.readyState === WebSocket.OPEN)
  }

  #scheduleIdleCheck(): void {
    if (!this.#feed || this.#alarmAt !== undefined) return
    const at = Math.max(Date.now(), this.#lastSnapshotAt) + this.#idleMs()
    this.#alarmAt = at
    void this.ctx.storage.setAlarm(at)
  }

  #idleMs(): number {
    return this.#config?.idleMs ?? IDLE_MS
  }
}

function sameConfig(a: BookRoomConfig, b: BookRoomConfig): boolean {
  return a.tradingPair === b.tradingPair && a.urls.rest === b.urls.rest && a.urls.ws === b.urls.ws && a.idleMs === b.idleMs
}
