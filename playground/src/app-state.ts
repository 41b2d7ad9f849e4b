// The page's shared state: the running session (one endpoint at a time) and the selected market.
// Panels bind to a session with `withSession` and are unbound when it is replaced.
import { EventEmitter } from 'spotwire'
import type { Session } from './session.ts'

interface AppEvents {
  session: Session | undefined
  market: string
  error: unknown
}

export class AppState {
  #session: Session | undefined
  #market: string
  readonly #events = new EventEmitter<AppEvents>()

  constructor(market: string) {
    this.#market = market
  }

  get session(): Session | undefined {
    return this.#session
  }

  get market(): string {
    return this.#market
  }

  /** Replaces the session; the old one is stopped by the caller. */
  setSession(session: Session | undefined): void {
    this.#session = session
    this.#events.emit('session', session)
  }

  setMarket(market: string): void {
    if (market === this.#market) return
    this.#market = market
    this.#events.emit('market', market)
  }

  onMarket(handler: (market: string) => void): () => void {
    return this.#events.on('market', handler)
  }

  /**
   * Runs `bind` for the current session and each next one; what it returns (an unbind function)
   * runs when the session is replaced.
   */
  withSession(bind: (session: Session) => (() => void) | void): void {
    let unbind: (() => void) | void
    const rebind = (session: Session | undefined) => {
      unbind?.()
      unbind = session ? bind(session) : undefined
    }
    this.#events.on('session', rebind)
    rebind(this.#session)
  }
}
