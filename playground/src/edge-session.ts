// A session through the edge router (DESIGN.md "Edge"): orders go to `/v1/orders` signed with the
// page's client secret (never a Binance secret), the book comes from `GET /v1/book/:pair` polled
// twice a second. The router's API has no balances, fills or public trades: fills are derived from
// each order's `executedAmount` growing, and the page says what it cannot show.
import { Big, EventEmitter } from 'spotwire'
import { createEdgeClient, type EdgeBook, type EdgeClient, type EdgeOrder, EdgeError } from './edge-client.ts'
import type { BookSource, OrderRow, Session, SessionEvents, TradingApi } from './session.ts'
import type { OrderBookStatus } from 'spotwire'

const BOOK_POLL_MS = 500
const ORDER_POLL_MS = 1_000
/** A book not refreshed for this long is shown stale. */
const BOOK_STALE_AFTER_MS = 3_000
const FINAL_STATES = new Set(['FILLED', 'CANCELED', 'CANCELLED', 'FAILED', 'EXPIRED', 'REJECTED'])

export interface EdgeSessionOptions {
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly tradingPairs: readonly string[]
}

/** A polled book, shaped like the library's view. */
class PolledBook implements BookSource {
  status: OrderBookStatus = 'syncing'
  lastUpdateId = 0
  receivedAt = 0
  #bids: { price: number; amount: number }[] = []
  #asks: { price: number; amount: number }[] = []

  apply(book: EdgeBook, now: number): boolean {
    const changed = book.updateId !== this.lastUpdateId
    // Rows hold numbers for drawing only; the ticket never reads prices from here.
    this.#bids = book.bids.map(([price, amount]) => ({ price: Number(price), amount: Number(amount) }))
    this.#asks = book.asks.map(([price, amount]) => ({ price: Number(price), amount: Number(amount) }))
    this.lastUpdateId = book.updateId
    this.receivedAt = now
    return changed
  }

  bids(depth: number) {
    return this.#bids.slice(0, depth)
  }

  asks(depth: number) {
    return this.#asks.slice(0, depth)
  }
}

export function createEdgeSession(options: EdgeSessionOptions): Session {
  const events = new EventEmitter<SessionEvents>()
  const client: EdgeClient = createEdgeClient(options)
  const log = (level: 'info' | 'warn', text: string, source = 'edge') => events.emit('log', { level, source, text })
  const books = new Map(options.tradingPairs.map((pair) => [pair, new PolledBook()]))
  const orders = new Map<string, EdgeOrder>()
  const timers: ReturnType<typeof setInterval>[] = []

  const setStatus = (pair: string, book: PolledBook, status: OrderBookStatus) => {
    if (book.status === status) return
    const previous = book.status
    book.status = status
    events.emit('bookStatus', { tradingPair: pair, status, previous })
    log(status === 'stale' ? 'warn' : 'info', `${pair} book ${previous} → ${status}`, 'book')
  }

  const pollBooks = async () => {
    await Promise.all(
      [...books].map(async ([pair, book]) => {
        try {
          if (book.apply(await client.getBook(pair, 50), Date.now())) events.emit('bookUpdate', { tradingPair: pair, updateId: book.lastUpdateId })
          setStatus(pair, book, 'live')
        } catch (error) {
          if (book.status !== 'syncing' && Date.now() - book.receivedAt > BOOK_STALE_AFTER_MS) setStatus(pair, book, 'stale')
          if (book.status !== 'stale') log('warn', `book ${pair}: ${describe(error)}`)
        }
      }),
    )
  }

  /** Records a new state of an order; a grown executed amount becomes a fill row. */
  const track = (next: EdgeOrder) => {
    const previous = orders.get(next.clientOrderId)
    const executedBefore = new Big(previous?.executedAmount ?? '0')
    const executed = new Big(next.executedAmount)
    if (executed.gt(executedBefore)) {
      events.emit('fill', {
        tradeId: `${next.clientOrderId}#${executed.toFixed()}`,
        clientOrderId: next.clientOrderId,
        tradingPair: next.tradingPair,
        side: next.side,
        price: next.price ?? '(market)',
        amount: executed.minus(executedBefore).toFixed(),
        fee: 'n/a',
        timestamp: Date.now(),
      })
    }
    if (previous?.state !== next.state) log('info', `${next.clientOrderId} ${next.state}`, 'orders')
    orders.set(next.clientOrderId, next)
  }

  const pollOrders = async () => {
    for (const order of [...orders.values()].filter((order) => !FINAL_STATES.has(order.state))) {
      try {
        track(await client.getOrder(order.tradingPair, order.clientOrderId))
      } catch (error) {
        log('warn', `status of ${order.clientOrderId}: ${describe(error)}`)
      }
    }
  }

  const trading: TradingApi = {
    rule: () => undefined,
    ruleNote: 'the edge router checks the trading rule (tick, step, minimums) itself and answers 400 with the reason',
    async place(order) {
      const placed = await client.placeOrder({
        tradingPair: order.tradingPair,
        side: order.side,
        orderType: order.orderType,
        amount: order.amount,
        ...(order.price === undefined ? {} : { price: order.price }),
      })
      track(placed)
      return placed.clientOrderId
    },
    async cancel(tradingPair, clientOrderId) {
      try {
        track(await client.cancelOrder(tradingPair, clientOrderId))
        return true
      } catch (error) {
        log('warn', `cancel of ${clientOrderId}: ${describe(error)}`, 'orders')
        return false
      }
    },
    async cancelAll() {
      const open = [...orders.values()].filter((order) => !FINAL_STATES.has(order.state))
      return Promise.all(
        open.map(async (order) => ({ clientOrderId: order.clientOrderId, success: await trading.cancel(order.tradingPair, order.clientOrderId) })),
      )
    },
    openOrders: () =>
      [...orders.values()]
        .filter((order) => !FINAL_STATES.has(order.state))
        .map(
          (order): OrderRow => ({
            clientOrderId: order.clientOrderId,
            tradingPair: order.tradingPair,
            side: order.side,
            orderType: order.orderType,
            amount: order.amount,
            price: order.price ?? undefined,
            executed: order.executedAmount,
            state: order.state,
          }),
        ),
    balances: () => undefined,
    balancesNote: 'The edge router API has no balances route: the account is the router’s, not the page’s.',
    available: () => undefined,
  }

  return {
    label: `edge router ${options.baseUrl}`,
    tradingPairs: options.tradingPairs,
    events,
    trading,
    tradingDisabledReason: undefined,
    hasTrades: false,
    simulatorControlUrl: undefined,
    async start() {
      log('info', `polling ${options.baseUrl}/v1/book every ${BOOK_POLL_MS} ms; orders signed as ${options.clientId}`)
      await pollBooks()
      timers.push(setInterval(() => void pollBooks(), BOOK_POLL_MS), setInterval(() => void pollOrders(), ORDER_POLL_MS))
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer)
    },
    book: (tradingPair) => books.get(tradingPair) ?? new PolledBook(),
  }
}

function describe(error: unknown): string {
  if (error instanceof EdgeError) return error.message
  if (error instanceof TypeError) return `network error (${error.message})` // fetch's way of saying "no answer"
  return error instanceof Error ? error.message : String(error)
}
