// A small typed event emitter. Handlers run synchronously in registration order; a handler that
// throws never breaks the code that emitted (an order tracker must keep tracking): its error is
// passed to the `error` event, or dropped if that handler throws too.

export type EventHandler<Payload> = (payload: Payload) => void

export class EventEmitter<Events extends { error: unknown }> {
  readonly #handlers = new Map<keyof Events, Set<EventHandler<never>>>()

  /**
   * Adds a handler and returns a function that removes it.
   *
   * @example
   * const off = exchange.on('orderFilled', (fill) => console.log(fill.amount.toFixed()))
   */
  on<Name extends keyof Events>(name: Name, handler: EventHandler<Events[Name]>): () => void {
    let handlers = this.#handlers.get(name)
    if (!handlers) {
      handlers = new Set()
      this.#handlers.set(name, handlers)
    }
    handlers.add(handler as EventHandler<never>)
    return () => this.off(name, handler)
  }

  /** Adds a handler that runs for the next event only. */
  once<Name extends keyof Events>(name: Name, handler: EventHandler<Events[Name]>): () => void {
    const off = this.on(name, (payload) => {
      off()
      handler(payload)
    })
    return off
  }

  off<Name extends keyof Events>(name: Name, handler: EventHandler<Events[Name]>): void {
    this.#handlers.get(name)?.delete(handler as EventHandler<never>)
  }

  /** Number of handlers for an event (tests and leak checks). */
  listenerCount(name: keyof Events): number {
    return this.#handlers.get(name)?.size ?? 0
  }

  emit<Name extends keyof Events>(name: Name, payload: Events[Name]): void {
    const handlers = this.#handlers.get(name)
    if (!handlers) return
    for (const handler of [...handlers]) {
      try {
        ;(handler as EventHandler<Events[Name]>)(payload)
      } catch (error) {
        if (name !== 'error') this.emit('error', error as Events['error'])
      }
    }
  }

  removeAllListeners(): void {
    this.#handlers.clear()
  }
}
