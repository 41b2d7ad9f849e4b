// One client connection to the public streams: its subscriptions, its framing (raw payloads on
// `/ws`, `{stream,data}` on `/stream` or after SET_PROPERTY combined=true) and the control
// messages of web-socket-streams.md (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY,
// GET_PROPERTY) answered with `{result,id}` or `{error:{code,msg},id}`. Bad requests never close
// the connection; exceeding 5 incoming messages per second does, as Binance documents.
import type { MarketStreams, StreamSubscriber } from './market-streams.ts'
import { parseStreamName } from './stream-names.ts'

/** The transport, whatever it is (Node `ws`, workerd WebSocket, a test array). */
export interface StreamSocket {
  send(text: string): void
  close(code?: number, reason?: string): void
}

export interface StreamSessionLimits {
  /** Binance: "WebSocket connections have a limit of 5 incoming messages per second." */
  readonly incomingMessagesPerSecond: number
  /** Binance: "A single connection can listen to a maximum of 1024 streams." */
  readonly maxStreams: number
}

export const BINANCE_STREAM_LIMITS: StreamSessionLimits = { incomingMessagesPerSecond: 5, maxStreams: 1024 }

/** Close code for a policy violation (RFC 6455 §7.4.1), used when the message rate is exceeded. */
export const CLOSE_POLICY_VIOLATION = 1008

const KNOWN_METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'] as const
type RequestId = number | string | null

/** An error the documents list; `code` and `msg` go on the wire unchanged. */
class StreamRequestError extends Error {
  constructor(readonly code: number, message: string) {
    super(message)
  }
}

export class StreamSession implements StreamSubscriber {
  private readonly subscriptions = new Set<string>()
  private readonly recentMessageTimes: number[] = []
  private isOpen = true

  constructor(
    private readonly socket: StreamSocket,
    private readonly streams: MarketStreams,
    private readonly now: () => number,
    private combined: boolean,
    private readonly limits: StreamSessionLimits = BINANCE_STREAM_LIMITS,
  ) {}

  /** Subscribes the streams named in the connection path; false (and closed) when one is invalid. */
  openWith(streamNames: readonly string[]): boolean {
    try {
      this.subscribe(streamNames)
      return true
    } catch (error) {
      this.close(CLOSE_POLICY_VIOLATION, error instanceof Error ? error.message : 'Invalid request')
      return false
    }
  }

  deliver(streamName: string, payload: object): void {
    if (!this.isOpen) return
    this.socket.send(JSON.stringify(this.combined ? { stream: streamName, data: payload } : payload))
  }

  get isClosed(): boolean {
    return !this.isOpen
  }

  /**
   * Warns the client the server is about to go down (web-socket-streams.md, 2026): a raw
   * `{"e":"serverShutdown","E":…}`, or `{"stream":"!serverShutdown","data":…}` when combined.
   * The connection stays open; the client is expected to reconnect elsewhere in its own time.
   */
  announceShutdown(eventTime: number): void {
    if (!this.isOpen) return
    const payload = { e: 'serverShutdown', E: eventTime }
    this.socket.send(JSON.stringify(this.combined ? { stream: '!serverShutdown', data: payload } : payload))
  }

  receive(text: string): void {
    if (!this.isOpen) return
    if (this.exceedsMessageRate()) {
      this.close(CLOSE_POLICY_VIOLATION, 'Too many messages')
      return
    }
    let id: RequestId = null
    try {
      const request = parseRequest(text)
      id = request.id
      this.reply({ result: this.handle(request.method, request.params), id })
    } catch (error) {
      if (!(error instanceof StreamRequestError)) throw error
      this.reply({ error: { code: error.code, msg: error.message }, id })
    }
  }

  /** The transport closed (either side): drop every subscription so no more frames are built. */
  closed(): void {
    if (!this.isOpen) return
    this.isOpen = false
    for (const streamName of this.subscriptions) this.streams.remove(streamName, this)
    this.subscriptions.clear()
  }

  private handle(method: string, params: readonly unknown[]): unknown {
    switch (method) {
      case 'SUBSCRIBE':
        this.subscribe(streamNamesOf(params))
        return null
      case 'UNSUBSCRIBE':
        for (const streamName of streamNamesOf(params)) {
          if (this.subscriptions.delete(streamName)) this.streams.remove(streamName, this)
        }
        return null
      case 'LIST_SUBSCRIPTIONS':
        return [...this.subscriptions]
      case 'SET_PROPERTY':
        return this.setProperty(params)
      case 'GET_PROPERTY':
        if (params[0] !== 'combined') throw new StreamRequestError(0, 'Unknown property')
        return this.combined
      default:
        throw new StreamRequestError(2, `Invalid request: unknown variant \`${method}\`, expected one of ${KNOWN_METHODS.map((name) => `\`${name}\``).join(', ')}`)
    }
  }

  /** All-or-nothing: one unknown name or going past the stream limit subscribes none of them. */
  private subscribe(streamNames: readonly string[]): void {
    const specs = streamNames.map((streamName) => {
      const spec = parseStreamName(streamName, this.streams.symbols)
      if (!spec) throw new StreamRequestError(2, `Invalid request: unknown stream \`${streamName}\``)
      return { streamName, spec }
    })
    const added = new Set(streamNames.filter((streamName) => !this.subscriptions.has(streamName)))
    if (this.subscriptions.size + added.size > this.limits.maxStreams) {
      throw new StreamRequestError(2, `Invalid request: too many streams (at most ${this.limits.maxStreams} per connection)`)
    }
    for (const { streamName, spec } of specs) {
      if (this.subscriptions.has(streamName)) continue
      this.subscriptions.add(streamName)
      this.streams.add(streamName, spec, this)
    }
  }

  private setProperty(params: readonly unknown[]): null {
    if (params[0] !== 'combined') throw new StreamRequestError(0, 'Unknown property')
    if (typeof params[1] !== 'boolean') throw new StreamRequestError(1, 'Invalid value type: expected Boolean')
    this.combined = params[1]
    return null
  }

  /** Sliding one-second window over this connection's incoming messages, this one included. */
  private exceedsMessageRate(): boolean {
    const now = this.now()
    while (this.recentMessageTimes.length > 0 && (this.recentMessageTimes[0] ?? now) <= now - 1000) this.recentMessageTimes.shift()
    this.recentMessageTimes.push(now)
    return this.recentMessageTimes.length > this.limits.incomingMessagesPerSecond
  }

  private reply(body: object): void {
    this.socket.send(JSON.stringify(body))
  }

  private close(code: number, reason: string): void {
    this.closed()
    this.socket.close(code, reason)
  }
}

interface StreamRequest {
  readonly method: string
  readonly params: readonly unknown[]
  readonly id: RequestId
}

function parseRequest(text: string): StreamRequest {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new StreamRequestError(3, 'Invalid JSON: expected value')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new StreamRequestError(2, 'Invalid request: expected an object')
  const { method, params = [], id = null } = body as Record<string, unknown>
  if (!isRequestId(id)) throw new StreamRequestError(2, 'Invalid request: request ID must be an unsigned integer')
  if (method === undefined) throw new StreamRequestError(2, 'Invalid request: missing field `method`')
  if (typeof method !== 'string') throw new StreamRequestError(2, 'Invalid request: method must be a string')
  if (!Array.isArray(params)) throw new StreamRequestError(2, 'Invalid request: params must be an array')
  return { method, params, id }
}

/** Binance accepts a 64-bit integer, an alphanumeric string of at most 36 characters, or null. */
function isRequestId(id: unknown): id is RequestId {
  if (id === null) return true
  if (typeof id === 'number') return Number.isSafeInteger(id)
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,36}$/.test(id)
}

function streamNamesOf(params: readonly unknown[]): readonly string[] {
  if (!params.every((param): param is string => typeof param === 'string')) {
    throw new StreamRequestError(2, 'Invalid request: stream names must be strings')
  }
  return params
}
