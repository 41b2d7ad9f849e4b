// Paces the requests a client sends on one stream connection. Binance disconnects a client that
// sends more than 5 messages a second, and adding pairs one by one is exactly such a burst, so
// requests leave at most one per interval and queued requests of the same kind are merged into one
// frame (`SUBSCRIBE` with every queued stream).
import type { StreamRequest } from './schemas/market.ts'

/** A request before it gets its id: the id is taken when its frame leaves. */
export interface StreamRequestDraft {
  readonly method: StreamRequest['method']
  readonly params?: readonly string[]
}

export interface StreamRequestOutboxOptions {
  /** Sends one frame now; throws when the connection is gone. */
  readonly send: (request: StreamRequest) => void
  /** Gives each frame its id (Binance echoes it in the answer). */
  readonly nextId: () => number
  /** Least time between two frames. */
  readonly minIntervalMs: number
}

interface QueuedRequest {
  readonly draft: StreamRequestDraft
  readonly settle: () => void
}

const MERGEABLE = new Set<StreamRequest['method']>(['SUBSCRIBE', 'UNSUBSCRIBE'])

export class StreamRequestOutbox {
  readonly #options: StreamRequestOutboxOptions
  readonly #queue: QueuedRequest[] = []
  /** Set while the interval after the last frame runs. */
  #cooldown: ReturnType<typeof setTimeout> | undefined
  #closed = false

  constructor(options: StreamRequestOutboxOptions) {
    this.#options = options
  }

  /**
   * Queues a request; resolves once its frame has left, or once it no longer can (the connection
   * closed): either way the caller has nothing to retry, since a new connection subscribes from
   * the current pairs.
   *
   * @example
   * await outbox.push({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'] })
   */
  push(draft: StreamRequestDraft): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise((resolve) => {
      this.#queue.push({ draft, settle: resolve })
      if (this.#cooldown === undefined) this.#flush()
    })
  }

  /** Drops what is queued (settling it) and stops the timer. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#cooldown)
    this.#cooldown = undefined
    for (const queued of this.#queue.splice(0)) queued.settle()
  }

  #flush(): void {
    this.#cooldown = undefined
    const first = this.#queue.shift()
    if (first === undefined || this.#closed) return
    const batch = [first]
    const method = first.draft.method
    if (MERGEABLE.has(method)) {
      while (this.#queue[0]?.draft.method === method) batch.push(this.#queue.shift() as QueuedRequest)
    }
    const params = batch.flatMap((queued) => queued.draft.params ?? [])
    const request: StreamRequest = MERGEABLE.has(method)
      ? { method, params: [...new Set(params)], id: this.#options.nextId() }
      : { method, id: this.#options.nextId() }
    try {
      this.#options.send(request)
    } catch {
      // The connection is gone; its replacement subscribes from the current pairs.
    }
    for (const queued of batch) queued.settle()
    this.#cooldown = setTimeout(() => this.#flush(), this.#options.minIntervalMs)
  }
}
