// A push/pull queue between a socket's event handlers and an async consumer. Pushes never block;
// a pull waits until an item arrives, the queue ends, or the pull's signal aborts. An ended queue
// answers every pending and later pull with `done`, so nothing waits on it forever.
import { watchAbort } from '../abort-watch.ts'

export class AsyncQueue<Item> implements AsyncIterableIterator<Item> {
  #items: Item[] = []
  /** Index of the next item to hand out; the array is compacted lazily so pulls stay O(1). */
  #head = 0
  readonly #waiters = new Set<(result: IteratorResult<Item, undefined>) => void>()
  #ended = false

  /** Items pushed and not yet pulled. */
  get size(): number {
    return this.#items.length - this.#head
  }

  get ended(): boolean {
    return this.#ended
  }

  /** Adds an item, or hands it straight to a waiting pull. Returns false (and drops it) once ended. */
  push(item: Item): boolean {
    if (this.#ended) return false
    const [waiter] = this.#waiters
    if (waiter) {
      this.#waiters.delete(waiter)
      waiter({ done: false, value: item })
    } else {
      this.#items.push(item)
    }
    return true
  }

  /**
   * The next item; `done` once the queue has ended and holds nothing more. A pull whose signal
   * aborts rejects with the signal's reason and takes no item.
   *
   * @example
   * const { done, value } = await queue.next(controller.signal)
   */
  next(signal?: AbortSignal): Promise<IteratorResult<Item, undefined>> {
    if (this.size > 0) return Promise.resolve({ done: false, value: this.#take() })
    if (this.#ended) return Promise.resolve({ done: true, value: undefined })
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const waiter = (result: IteratorResult<Item, undefined>): void => {
        unwatch?.()
        resolve(result)
      }
      this.#waiters.add(waiter)
      const unwatch =
        signal &&
        watchAbort(signal, () => {
          this.#waiters.delete(waiter)
          reject(signal.reason)
        })
    })
  }

  /**
   * Ends the queue: waiting pulls resolve `done`. Items already queued are still handed out unless
   * `discard` is set (a stopped consumer wants nothing more).
   */
  end(discard = false): void {
    this.#ended = true
    if (discard) {
      this.#items = []
      this.#head = 0
    }
    for (const waiter of this.#waiters) waiter({ done: true, value: undefined })
    this.#waiters.clear()
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Item> {
    return this
  }

  #take(): Item {
    const item = this.#items[this.#head] as Item
    this.#head += 1
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }
}
