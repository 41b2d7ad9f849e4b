// What the Worker is configured with (DESIGN.md "Edge"): secrets, variables and Durable Object
// bindings. Secrets are read here and nowhere else, and never echoed into a response or a log.

export interface EdgeEnv {
  /** Secret: the exchange account's API key. */
  readonly BINANCE_API_KEY?: string
  /** Secret: the exchange account's API secret. */
  readonly BINANCE_API_SECRET?: string
  /** Same meaning as `urls.rest` of createBinanceExchange (default: Binance's). */
  readonly BINANCE_REST_URL?: string
  /** Same meaning as `urls.ws`. */
  readonly BINANCE_WS_URL?: string
  /** Same meaning as `urls.wsApi`. */
  readonly BINANCE_WS_API_URL?: string
  /** Secret: JSON `{"<client id>": "<client secret>"}` of the callers allowed to route orders. */
  readonly SPOTWIRE_CLIENTS?: string
  /** Comma-separated `BASE-QUOTE` pairs orders may be placed on. */
  readonly ALLOWED_PAIRS?: string
  /** Largest notional (quote currency, decimal string) one order may have. */
  readonly MAX_NOTIONAL?: string
  readonly BOOK_ROOM: DurableObjectNamespace
  readonly RATE_BUDGET: DurableObjectNamespace
}
