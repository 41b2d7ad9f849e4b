// A Binance.US listen key's life: created with POST, kept alive with PUT (a key lapses 60 minutes
// after its last refresh), closed with DELETE. The key is a bearer credential for the account's
// private stream, so it is registered with the redactor while in use and never put in a message;
// a replaced key stays registered until the connection that used it is gone.
import type { Clock } from '../../core/clock.ts'
import type { RestAssistant } from '../../core/web/rest-assistant.ts'
import { forgetSecret, registerSecret } from '../../core/redact.ts'
import { LIMIT_IDS, PATHS } from './constants.ts'
import { parsePayload } from './schemas/parse.ts'
import { ListenKeyAcknowledgementSchema, ListenKeyResponseSchema } from './schemas/user-data.ts'

/** Binance lets a listen key lapse this long after its creation or last keep-alive. */
export const LISTEN_KEY_VALIDITY_MS = 60 * 60_000
/** Bound on the DELETE sent while stopping: a stop must not wait on a slow exchange for long. */
const CLOSE_TIMEOUT_MS = 5_000

export interface ListenKeyOptions {
  /** An assistant whose `baseUrl` is `urls.rest`; the key needs no signature, only the API key header. */
  readonly rest: RestAssistant
  readonly apiKey: string
  readonly clock: Clock
  /** The rate limit these requests draw from. Default `LIMIT_IDS.userDataStream`. */
  readonly limitId?: string
}

/**
 * Holds the current listen key and the requests that manage it.
 *
 * @example
 * const keys = new ListenKey({ rest, apiKey, clock })
 * const url = `${urls.ws}/ws/${await keys.obtain(signal)}`
 */
export class ListenKey {
  readonly #options: ListenKeyOptions
  readonly #retired = new Set<string>()
  #current: string | undefined
  #refreshedAt = 0
  #creating: Promise<string> | undefined
  #closing: Promise<void> | undefined

  constructor(options: ListenKeyOptions) {
    this.#options = options
  }

  /** The key in use, if any. */
  get current(): string | undefined {
    return this.#current
  }

  /** True when the key has gone a full validity period without a refresh (a sleeping machine, a long outage). */
  get mayHaveLapsed(): boolean {
    return this.#current !== undefined && this.#options.clock.monotonic() - this.#refreshedAt >= LISTEN_KEY_VALIDITY_MS
  }

  /** The current key, or a new one (one POST however many callers ask at once). */
  obtain(signal: AbortSignal): Promise<string> {
    if (this.#current !== undefined) return Promise.resolve(this.#current)
    this.#creating ??= this.#create(signal).finally(() => {
      this.#creating = undefined
    })
    return this.#creating
  }

  /** Refreshes the current key (PUT). Rejects when the exchange refuses it or cannot be reached. */
  async keepAlive(signal: AbortSignal): Promise<void> {
    const key = this.#current
    if (key === undefined) return
    const body = await this.#request('PUT', key, { signal })
    parsePayload(ListenKeyAcknowledgementSchema, body, `binance PUT ${PATHS.userDataStream}`)
    if (this.#current === key) this.#refreshedAt = this.#options.clock.monotonic()
  }

  /**
   * One keep-alive round: refreshes the key; when that fails (or there is no key) makes a new one.
   * Resolves true when the key changed, so the connection using the old one must be replaced.
   */
  async refreshOrReplace(signal: AbortSignal, onRefreshFailed: (error: unknown) => void): Promise<boolean> {
    const key = this.#current
    if (key !== undefined) {
      try {
        await this.keepAlive(signal)
        return false
      } catch (error) {
        if (signal.aborted) throw error
        onRefreshFailed(error)
        this.retire(key)
      }
    }
    await this.obtain(signal)
    return true
  }

  /** Refreshes a key that may be dead; when the exchange refuses, the key is dropped (`obtain` makes a new one). */
  async verify(signal: AbortSignal, onRefused: (error: unknown) => void): Promise<void> {
    const key = this.#current
    try {
      await this.keepAlive(signal)
    } catch (error) {
      if (signal.aborted) throw error
      onRefused(error)
      this.retire(key)
    }
  }

  /** Stops using `key` (default: the current one); it stays redacted until `forgetRetired`. */
  retire(key: string | undefined = this.#current): void {
    if (key === undefined) return
    if (this.#current === key) this.#current = undefined
    this.#retired.add(key)
  }

  /** Unregisters the keys no connection uses any more. */
  forgetRetired(): void {
    // Binance.US may hand out the same key again; a key in use again stays redacted.
    for (const key of this.#retired) if (key !== this.#current) forgetSecret(key)
    this.#retired.clear()
  }

  /**
   * Closes the current key on the exchange (DELETE) and forgets every key. Never rejects: a key
   * that could not be closed lapses by itself within the hour; `onError` hears about it.
   */
  close(onError: (error: unknown) => void): Promise<void> {
    const key = this.#current
    if (key === undefined) {
      if (this.#closing) return this.#closing
      this.forgetRetired()
      return Promise.resolve()
    }
    this.retire(key)
    const closing = this.#request('DELETE', key, { timeoutMs: CLOSE_TIMEOUT_MS })
      .then((body) => void parsePayload(ListenKeyAcknowledgementSchema, body, `binance DELETE ${PATHS.userDataStream}`))
      .catch(onError)
      .finally(() => {
        this.forgetRetired()
        if (this.#closing === closing) this.#closing = undefined
      })
    this.#closing = closing
    return closing
  }

  async #create(signal: AbortSignal): Promise<string> {
    const body = await this.#request('POST', undefined, { signal })
    const { listenKey } = parsePayload(ListenKeyResponseSchema, body, `binance POST ${PATHS.userDataStream}`)
    registerSecret(listenKey)
    this.#retired.delete(listenKey) // issued again: in use, not retired
    if (signal.aborted) {
      // Stopped while the key was being created: nobody will use or close it; it lapses unused.
      this.#retired.add(listenKey)
      throw signal.reason
    }
    this.#current = listenKey
    this.#refreshedAt = this.#options.clock.monotonic()
    return listenKey
  }

  #request(
    method: 'POST' | 'PUT' | 'DELETE',
    key: string | undefined,
    extra: { readonly signal?: AbortSignal; readonly timeoutMs?: number },
  ): Promise<unknown> {
    return this.#options.rest.request({
      method,
      path: PATHS.userDataStream,
      ...(key === undefined ? {} : { params: { listenKey: key } }),
      headers: { 'X-MBX-APIKEY': this.#options.apiKey },
      limitId: this.#options.limitId ?? LIMIT_IDS.userDataStream,
      ...extra,
    })
  }
}
