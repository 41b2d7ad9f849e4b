// Client order ids: we name every order before it is sent (DESIGN.md rule 4), so the name must
// never repeat. The id is
//
//   prefix + side (B|S) + pair hint (first and last letter of base and quote) + nonce + random
//
// The nonce is a strictly increasing count of microseconds (wall ms × 1000, bumped by one when
// called again within the same microsecond or after the clock stepped back), written in base 36
// with a fixed width: within one generator it alone guarantees uniqueness. The random tail, from
// `crypto.getRandomValues`, keeps two processes (or a restart within the same ms) apart.
// Generated characters are [0-9A-Za-z], accepted by every exchange we target.
import { type Clock, systemClock } from '../clock.ts'
import { InvalidInputError } from '../errors.ts'
import type { TradeType } from './order-state.ts'
import { splitTradingPair } from './trading-pair.ts'

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Binance's documented pattern for `newClientOrderId` (and the loosest the prefix may be). */
export const BINANCE_CLIENT_ORDER_ID_PATTERN = /^[a-zA-Z0-9-_]{1,36}$/
const PREFIX_PATTERN = /^[a-zA-Z0-9-_]*$/
// 10 base-36 digits hold microsecond timestamps until the year 2085; the width only grows after.
const NONCE_WIDTH = 10
const DEFAULT_RANDOM_LENGTH = 12

export interface ClientOrderIdGeneratorOptions {
  /** Put first in every id (a broker tag such as Binance's `x-…`). Letters, digits, `-`, `_`. */
  readonly prefix?: string
  /** The exchange's maximum id length (Binance: 36). The random tail and then the pair hint shrink to fit. */
  readonly maxLength?: number
  /** Random characters when there is room (default 12, about 71 bits). */
  readonly randomLength?: number
  readonly clock?: Clock
}

/**
 * Random [0-9A-Za-z] characters from a pooled buffer (one `getRandomValues` call per 256 bytes);
 * rejection sampling keeps every character equally likely.
 */
class RandomCharacters {
  readonly #pool = new Uint8Array(256)
  #next = this.#pool.length

  take(length: number): string {
    let out = ''
    while (out.length < length) {
      if (this.#next === this.#pool.length) {
        crypto.getRandomValues(this.#pool)
        this.#next = 0
      }
      const byte = this.#pool[this.#next++] ?? 255
      // 248 = 4 × 62: bytes at or above it would favour the first characters.
      if (byte < 248) out += ALPHANUMERIC[byte % 62]
    }
    return out
  }
}

function pairHint(tradingPair: string): string {
  const { baseAsset, quoteAsset } = splitTradingPair(tradingPair)
  const ends = (asset: string): string => {
    const letters = asset.toUpperCase().replace(/[^A-Z0-9]/g, '')
    return letters === '' ? 'XX' : `${letters[0]}${letters[letters.length - 1]}`
  }
  return ends(baseAsset) + ends(quoteAsset)
}

/**
 * Makes unique client order ids for one exchange connection.
 *
 * @example
 * const ids = new ClientOrderIdGenerator({ prefix: 'x-MG43PCSN', maxLength: 36 })
 * ids.next('BUY', 'BTC-USDT') // 'x-MG43PCSNBBCUThokiw6drwg9Gkcu1nDwq7' (36 characters)
 */
export class ClientOrderIdGenerator {
  readonly prefix: string
  readonly maxLength: number | undefined
  readonly #randomLength: number
  readonly #clock: Clock
  readonly #random = new RandomCharacters()
  readonly #hints = new Map<string, string>()
  #lastNonce = 0

  constructor(options: ClientOrderIdGeneratorOptions = {}) {
    this.prefix = options.prefix ?? ''
    this.maxLength = options.maxLength
    this.#randomLength = options.randomLength ?? DEFAULT_RANDOM_LENGTH
    this.#clock = options.clock ?? systemClock
    if (!PREFIX_PATTERN.test(this.prefix)) {
      throw new InvalidInputError(`a client order id prefix may hold letters, digits, '-' and '_' only, got ${JSON.stringify(this.prefix)}`)
    }
    if (!Number.isInteger(this.#randomLength) || this.#randomLength < 0) {
      throw new InvalidInputError(`randomLength must be a whole number >= 0, got ${this.#randomLength}`)
    }
    const required = this.prefix.length + 1 + NONCE_WIDTH
    if (this.maxLength !== undefined && (!Number.isInteger(this.maxLength) || this.maxLength < required)) {
      throw new InvalidInputError(
        `maxLength ${this.maxLength} leaves no room for a unique id: the prefix, side and nonce need ${required} characters`,
      )
    }
  }

  /**
   * A new id for an order; never the same twice from this generator.
   *
   * @example
   * ids.next('SELL', 'ETH-USDT').startsWith('x-MG43PCSNSEHUT') // true
   */
  next(tradeType: TradeType, tradingPair: string): string {
    const head = this.prefix + (tradeType === 'BUY' ? 'B' : 'S')
    let hint = this.#hints.get(tradingPair)
    if (hint === undefined) {
      hint = pairHint(tradingPair)
      this.#hints.set(tradingPair, hint)
    }
    const nonce = this.#nextNonce().toString(36).padStart(NONCE_WIDTH, '0')
    const room = this.maxLength === undefined ? Number.POSITIVE_INFINITY : this.maxLength - head.length - nonce.length
    // The nonce is never cut (uniqueness depends on it); the pair hint goes before the randomness.
    const keptHint = room >= hint.length ? hint : ''
    const randomLength = Math.max(0, Math.min(this.#randomLength, room - keptHint.length))
    return head + keptHint + nonce + this.#random.take(randomLength)
  }

  #nextNonce(): number {
    const nowMicros = Math.floor(this.#clock.now()) * 1000
    this.#lastNonce = Math.max(nowMicros, this.#lastNonce + 1)
    return this.#lastNonce
  }
}
