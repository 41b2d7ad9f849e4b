// Which socket's messages reach the books while the public connection is replaced on purpose
// (Binance cuts every connection at 24 h, and announces `serverShutdown`). The replacement is
// opened first; both sockets then carry the same events with the same update ids, and each pair
// moves to the new socket at the first diff that continues exactly where the old socket left off.
// The book never sees a hole, a duplicate or an overlap, so it stays live through the roll.
//
// Outside a roll it only drops repeats (a diff or trade id already passed on), which a stream
// never sends but a roll's two sockets do.
import type { OrderBookMessage } from '../../core/order-book/order-book-message.ts'

/** The socket a message came from: the one in use, or its replacement during a roll. */
export type StreamRole = 'current' | 'next'

/** Messages held per pair while its switch waits; past this the pair switches anyway. */
const MAX_HELD_PER_PAIR = 500

interface Roll {
  readonly switched: Set<string>
  /** Messages from the replacement, per pair not yet switched, in arrival order. */
  readonly held: Map<string, OrderBookMessage[]>
}

export class StreamHandoff {
  readonly #lastDiffUpdateId = new Map<string, number>()
  readonly #lastTradeId = new Map<string, number>()
  #roll: Roll | undefined

  get rolling(): boolean {
    return this.#roll !== undefined
  }

  /** The replacement socket is open: from now on its messages are held until their pair switches. */
  begin(): void {
    this.#roll = { switched: new Set(), held: new Map() }
  }

  /** The replacement failed: its held messages are dropped and every pair reads the current socket again. */
  cancel(): void {
    this.#roll = undefined
  }

  /**
   * Ends the roll now (the deadline passed or the old socket dropped): every pair not yet switched
   * switches, and its held messages are returned to be delivered. The replacement becomes the
   * current socket. The books' sequence rule judges what follows; a hole makes a resync.
   */
  finish(): OrderBookMessage[] {
    const roll = this.#roll
    if (!roll) return []
    const deliver = [...roll.held.keys()].flatMap((pair) => this.#switch(roll, pair))
    this.#roll = undefined
    return deliver
  }

  /** True when every pair listed reads the replacement (trivially true outside a roll). */
  allSwitched(tradingPairs: Iterable<string>): boolean {
    const roll = this.#roll
    if (!roll) return true
    for (const pair of tradingPairs) if (!roll.switched.has(pair)) return false
    return true
  }

  /** Forgets a pair (it was removed); a pair added again starts afresh. */
  forget(tradingPair: string): void {
    this.#lastDiffUpdateId.delete(tradingPair)
    this.#lastTradeId.delete(tradingPair)
    this.#roll?.held.delete(tradingPair)
    this.#roll?.switched.delete(tradingPair)
  }

  /** The stream restarted after a drop (books resync): ids seen before no longer say anything. */
  reset(): void {
    this.#lastDiffUpdateId.clear()
    this.#lastTradeId.clear()
  }

  /**
   * Returns the messages to deliver now, in order, for one message from `role`'s socket: none
   * (held, a repeat, or from the socket a pair has left), this one, or this one and what was held.
   *
   * @example
   * for (const message of handoff.route(diff, 'current')) tracker.handleMessage(message)
   */
  route(message: OrderBookMessage, role: StreamRole): OrderBookMessage[] {
    const roll = this.#roll
    if (!roll) return role === 'current' && this.admit(message) ? [message] : []
    const pair = message.tradingPair
    if (roll.switched.has(pair)) return role === 'next' ? this.#pass(message) : []
    if (role === 'current') return [...this.#pass(message), ...this.#trySwitch(roll, pair)]
    let held = roll.held.get(pair)
    if (!held) roll.held.set(pair, (held = []))
    held.push(message)
    return held.length > MAX_HELD_PER_PAIR ? this.#switch(roll, pair) : this.#trySwitch(roll, pair)
  }

  /**
   * Outside a roll: true (and its id remembered) unless the message repeats one already passed on.
   * The hot path, so it allocates nothing.
   */
  admit(message: OrderBookMessage): boolean {
    const pair = message.tradingPair
    if (message.type === 'diff') {
      const last = this.#lastDiffUpdateId.get(pair)
      if (last !== undefined && message.updateId <= last) return false
      this.#lastDiffUpdateId.set(pair, message.updateId)
    } else if (message.type === 'trade' && typeof message.tradeId === 'number') {
      const last = this.#lastTradeId.get(pair)
      if (last !== undefined && message.tradeId <= last) return false
      this.#lastTradeId.set(pair, message.tradeId)
    }
    return true
  }

  #pass(message: OrderBookMessage): OrderBookMessage[] {
    return this.admit(message) ? [message] : []
  }

  /** Switches the pair if the replacement holds the diff that directly follows the last one passed on. */
  #trySwitch(roll: Roll, pair: string): OrderBookMessage[] {
    const held = roll.held.get(pair)
    const last = this.#lastDiffUpdateId.get(pair)
    if (!held || last === undefined) return []
    const lastTrade = this.#lastTradeId.get(pair)
    const fresh = held.filter((message) =>
      message.type === 'diff'
        ? message.updateId > last
        : !(message.type === 'trade' && lastTrade !== undefined && typeof message.tradeId === 'number' && message.tradeId <= lastTrade),
    )
    roll.held.set(pair, fresh)
    const nextDiff = fresh.find((message) => message.type === 'diff')
    // A diff that overlaps or jumps ahead of the old socket's last one is no proof: wait for more.
    if (nextDiff?.type !== 'diff' || nextDiff.firstUpdateId !== last + 1) return []
    return this.#switch(roll, pair)
  }

  #switch(roll: Roll, pair: string): OrderBookMessage[] {
    roll.switched.add(pair)
    const held = roll.held.get(pair) ?? []
    roll.held.delete(pair)
    return held.flatMap((message) => this.#pass(message))
  }
}
