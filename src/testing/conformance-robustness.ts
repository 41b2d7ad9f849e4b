// What spotwire adds to the recipe's suite: books that go stale on a gap and resync, creates that
// fail ambiguously and are never re-sent, a stop that leaves nothing running, secrets that never leak.
import { STATUS_POLL_MS } from './conformance-context.ts'
import type { Behaviour } from './conformance-market.ts'

export const ROBUSTNESS_BEHAVIOURS: readonly Behaviour[] = [
  [
    'order book gap: a diff that skips update ids marks the book stale, and a new snapshot makes it live again',
    async (ctx) => {
      await ctx.start()
      const book = ctx.exchange.orderBook(ctx.hooks.tradingPair)
      ctx.test.expect(book.status).toBe('live')
      ctx.publicStream().feed(ctx.hooks.streams.bookDiff(101, 102, [], []))
      await ctx.settle()
      ctx.test.expect(book.lastUpdateId).toBe(102)
      const snapshotsBefore = ctx.requestsOf('orderBookSnapshot').length
      ctx.mock.reply('orderBookSnapshot', ctx.hooks.responses.orderBookSnapshot(500))
      ctx.publicStream().feed(ctx.hooks.streams.bookDiff(200, 201, [], [])) // 103..199 never came
      await ctx.settle()
      ctx.test.expect(book.status === 'stale' || ctx.requestsOf('orderBookSnapshot').length > snapshotsBefore).toBe(true)
      await ctx.advance(10_000)
      ctx.test.expect(ctx.requestsOf('orderBookSnapshot').length).toBeGreaterThan(snapshotsBefore)
      ctx.test.expect([book.status, book.lastUpdateId]).toEqual(['live', 500])
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'ambiguous create (HTTP 503): never re-sent, still tracked, reconciled by the next status poll',
    async (ctx) => {
      await ctx.start()
      ctx.mock.reply('createOrder', { status: 503, text: 'Service Unavailable' })
      const order = await ctx.placeOpen('BUY')
      ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.state).toBe('PENDING_CREATE')
      ctx.test.expect(ctx.eventsNamed('orderFailure')).toEqual([])
      await ctx.advance(STATUS_POLL_MS)
      await ctx.advance(STATUS_POLL_MS)
      ctx.test.expect(ctx.requestsOf('createOrder')).toHaveLength(1)
      ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.state).toBe('OPEN')
      ctx.test.expect(ctx.exchange.inFlightOrders.get(order.clientOrderId)?.exchangeOrderId).toBe(order.exchangeOrderId)
      await ctx.stopAndCheckClean()
    },
  ],
  [
    'stop: after a session with an open order, no timer, socket or pending request is left running',
    async (ctx) => {
      await ctx.start()
      await ctx.placeOpen('BUY')
      ctx.mock.reply('orderStatus', { hang: true })
      await ctx.advance(STATUS_POLL_MS)
      const liveBefore = ctx.server.liveSockets.length
      ctx.test.expect(liveBefore).toBeGreaterThan(0)
      await ctx.stopAndCheckClean()
      ctx.test.expect(ctx.mock.requests.every((request) => request.signal.aborted || request.route !== 'orderStatus' || false)).toBe(true)
      const requestsAtStop = ctx.mock.requests.length
      await ctx.advance(60_000)
      ctx.test.expect(ctx.mock.requests.length).toBe(requestsAtStop)
    },
  ],
  [
    'secrets: neither the API key, the secret nor a signature appears in any event or error',
    async (ctx) => {
      await ctx.start()
      const filled = await ctx.placeOpen('BUY')
      ctx.feedUserStream(ctx.hooks.streams.orderFilled(filled, ctx.fill(filled)))
      ctx.mock.reply('createOrder', ctx.hooks.responses.refusal())
      await ctx.placeOpen('SELL')
      ctx.mock.reply('createOrder', { status: 503, text: `upstream echoed ${ctx.hooks.apiKey}` })
      await ctx.placeOpen('SELL')
      ctx.feedUserStream(ctx.hooks.streams.malformedEvent())
      await ctx.advance(STATUS_POLL_MS)
      await ctx.stopAndCheckClean()
      const secrets = [
        ctx.hooks.apiKey,
        ctx.hooks.apiSecret,
        ...(ctx.hooks.secrets ?? []),
        ...ctx.mock.requests.flatMap((request) => ctx.hooks.secretsInRequest?.(request) ?? []),
      ]
      const texts = ctx.events.flatMap(({ payload }) => textsOf(payload)).join('\n')
      ctx.test.expect(ctx.errors.length).toBeGreaterThan(0)
      for (const secret of secrets) ctx.test.expect(texts.includes(secret), `a secret (${secret.slice(0, 4)}…) leaked`).toBe(false)
    },
  ],
]

/** Every text a payload carries: an error's message, stack and causes, or the value as JSON. */
function textsOf(value: unknown, depth = 0): string[] {
  if (depth > 8 || value === undefined || value === null) return []
  if (value instanceof Error) {
    const own = Object.values(value as unknown as Record<string, unknown>).map((field) => (typeof field === 'string' ? field : safeJson(field)))
    return [value.message, String(value.stack), ...own, ...textsOf(value.cause, depth + 1)]
  }
  return [safeJson(value)]
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
