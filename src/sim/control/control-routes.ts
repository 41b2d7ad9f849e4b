// The control endpoint under `/__sim/`: how a test that runs in another process or runtime (Deno,
// a browser, workerd) arms faults and reads the ground truth. It is not part of Binance's protocol
// and never under `/api`, so no client of the Binance API can reach it by accident.
//
//   GET    /__sim/faults                      { counts, armed, clockSkewMs }
//   POST   /__sim/faults   <fault JSON>       201 { id }      (400 { error } when invalid)
//   DELETE /__sim/faults                      { cleared }     (also resets clock skew, ends hangs)
//   GET    /__sim/book?symbol=BTCUSDT[&limit] { symbol, lastUpdateId, bids: [[price, qty]], asks }
//   GET    /__sim/orders[?symbol&clientOrderId]  [order]
//   GET    /__sim/fills[?symbol]              [fill]
//   POST   /__sim/makers  { running?, steps? }   { running }  (pause/resume/step the market makers)
//   GET    /__sim/connections                { market, wsApi, listenKey }  (open sockets by kind)
import type Big from 'big.js'
import type { AccountFill, OrderState, PriceLevelView } from '../engine/index.ts'
import { CORS_HEADERS } from '../rest/rest-handler.ts'
import type { FaultInjector } from '../faults/fault-injector.ts'
import { InvalidFaultError, type SocketKind } from '../faults/fault-spec.ts'
import type { GroundTruth } from '../ground-truth.ts'

export const CONTROL_PREFIX = '/__sim/'

export interface ControlTarget {
  readonly faults: FaultInjector
  readonly truth: GroundTruth
  readonly marketMakers: { running: boolean; step(steps: number): void }
  /** Open sockets by kind: a client that stopped cleanly leaves none. */
  openConnections(): Record<SocketKind, number>
}

export async function handleControlRequest(request: Request, target: ControlTarget): Promise<Response> {
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS })
  const url = new URL(request.url)
  const route = `${request.method} ${url.pathname.slice(CONTROL_PREFIX.length - 1)}`
  const query = url.searchParams
  try {
    switch (route) {
      case 'GET /faults':
        return json({ counts: target.faults.counts(), armed: target.faults.armed(), clockSkewMs: target.faults.clockSkewMs })
      case 'POST /faults':
        return json({ id: target.faults.arm(await readJson(request)) }, 201)
      case 'DELETE /faults':
        return json({ cleared: target.faults.clear() })
      case 'GET /book':
        return json(bookJson(target.truth, query))
      case 'GET /orders':
        return json(ordersJson(target.truth, query))
      case 'GET /fills':
        return json(target.truth.fills(query.get('symbol') ?? undefined).map(fillJson))
      case 'GET /connections':
        return json(target.openConnections())
      case 'POST /makers':
        return json(controlMakers(target, await readJson(request)))
      default:
        return json({ error: { message: `No control route ${route}` } }, 404)
    }
  } catch (error) {
    if (error instanceof InvalidFaultError || error instanceof ControlRequestError) {
      return json({ error: { message: error.message } }, 400)
    }
    throw error
  }
}

class ControlRequestError extends Error {}

async function readJson(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.text())
  } catch {
    throw new ControlRequestError('The body must be JSON.')
  }
}

function bookJson(truth: GroundTruth, query: URLSearchParams): object {
  const symbol = query.get('symbol')
  if (symbol === null) throw new ControlRequestError('symbol is required.')
  const limitText = query.get('limit')
  const limit = limitText === null ? undefined : Number(limitText)
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new ControlRequestError('limit must be a positive integer.')
  const book = truth.book(symbol, limit)
  if (!book) throw new ControlRequestError(`Unknown symbol ${symbol}.`)
  return { symbol: book.symbol, lastUpdateId: book.lastUpdateId, bids: book.bids.map(levelJson), asks: book.asks.map(levelJson) }
}

function ordersJson(truth: GroundTruth, query: URLSearchParams): object[] {
  const clientOrderId = query.get('clientOrderId')
  const symbol = query.get('symbol')
  return truth
    .orders()
    .filter((order) => (clientOrderId === null || order.clientOrderId === clientOrderId) && (symbol === null || order.symbol === symbol))
    .map(orderJson)
}

function controlMakers(target: ControlTarget, body: unknown): object {
  if (typeof body !== 'object' || body === null) throw new ControlRequestError('Expected { running?, steps? }.')
  const { running, steps } = body as { running?: unknown; steps?: unknown }
  if (running !== undefined && typeof running !== 'boolean') throw new ControlRequestError('running must be a boolean.')
  if (steps !== undefined && !(Number.isInteger(steps) && (steps as number) >= 0 && (steps as number) <= 10_000)) {
    throw new ControlRequestError('steps must be an integer from 0 to 10000.')
  }
  if (running !== undefined) target.marketMakers.running = running
  if (typeof steps === 'number') target.marketMakers.step(steps)
  return { running: target.marketMakers.running }
}

/** Plain decimal text (never exponent notation), so any client can compare it exactly. */
function text(value: Big): string {
  return value.toFixed()
}

function levelJson(level: PriceLevelView): [string, string] {
  return [text(level.price), text(level.quantity)]
}

function orderJson(order: OrderState): object {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    accountId: order.accountId,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    price: text(order.price),
    origQty: text(order.originalQuantity),
    executedQty: text(order.executedQuantity),
    cummulativeQuoteQty: text(order.cumulativeQuoteQuantity),
    status: order.status,
    time: order.createdAt,
    updateTime: order.updatedAt,
  }
}

function fillJson(fill: AccountFill): object {
  return {
    symbol: fill.symbol,
    tradeId: fill.tradeId,
    orderId: fill.orderId,
    clientOrderId: fill.clientOrderId,
    accountId: fill.accountId,
    price: text(fill.price),
    qty: text(fill.quantity),
    quoteQty: text(fill.quoteQuantity),
    commission: text(fill.commission),
    commissionAsset: fill.commissionAsset,
    time: fill.time,
    isBuyer: fill.isBuyer,
    isMaker: fill.isMaker,
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...CORS_HEADERS, 'Content-Type': 'application/json' } })
}
