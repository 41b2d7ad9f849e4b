// Test doubles for Binance market data: frames as the combined stream sends them, a REST depth
// endpoint the test answers by hand (so diffs can be buffered before the snapshot arrives), and a
// data source wired to fake sockets and an OrderBookTracker.
import { vi } from 'vitest'
import {
  BinanceOrderBookDataSource,
  type BinanceOrderBookDataSourceOptions,
} from '../../../src/connectors/binance/api-order-book-data-source.ts'
import { OrderBookTracker } from '../../../src/core/order-book/order-book-tracker.ts'
import type { OrderBookStatus } from '../../../src/core/order-book/order-book-view.ts'
import { RestAssistant } from '../../../src/core/web/rest-assistant.ts'
import { jsonResponse } from '../../core/web/helpers/fake-fetch.ts'
import { type FakeSocket, fakeSocketFactory, fakeTimersClock } from '../../core/web/helpers/fake-socket.ts'

export const WS_BASE = 'wss://stream.example.test:9443'
export const REST_BASE = 'https://api.example.test/api'

type Level = [string, string]

/** A `<symbol>@depth@100ms` frame on the combined stream. */
export function depthFrame(symbol: string, firstUpdateId: number, updateId: number, bids: Level[] = [], asks: Level[] = []) {
  return {
    stream: `${symbol.toLowerCase()}@depth@100ms`,
    data: { e: 'depthUpdate', E: 1_700_000_000_000 + updateId, s: symbol, U: firstUpdateId, u: updateId, b: bids, a: asks },
  }
}

/** A `<symbol>@trade` frame on the combined stream. */
export function tradeFrame(symbol: string, tradeId: number, price = '0.001', quantity = '100', buyerIsMaker = true) {
  return {
    stream: `${symbol.toLowerCase()}@trade`,
    data: { e: 'trade', E: 1_700_000_000_000, s: symbol, t: tradeId, p: price, q: quantity, T: 1_699_999_999_999, m: buyerIsMaker, M: true },
  }
}

export function depthSnapshot(lastUpdateId: number, bids: Level[] = [['100', '1']], asks: Level[] = [['101', '1']]) {
  return { lastUpdateId, bids, asks }
}

export interface DepthRequest {
  readonly url: URL
  readonly answered: boolean
  respond(status: number, body: unknown): void
}

/** A fetch whose depth requests wait until the test answers them, or until their signal aborts. */
export function scriptedDepthEndpoint() {
  const requests: DepthRequest[] = []
  const fetchFunction = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init)
    return new Promise((resolve, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true })
      const entry = {
        url: new URL(request.url),
        answered: false,
        respond(status: number, body: unknown) {
          entry.answered = true
          resolve(jsonResponse(status, body))
        },
      }
      requests.push(entry)
    })
  }
  return {
    fetch: fetchFunction as typeof fetch,
    requests,
    /** The oldest request not answered yet; throws when there is none. */
    pending(): DepthRequest {
      const request = requests.find((candidate) => !candidate.answered)
      if (!request) throw new Error('no depth request is waiting')
      return request
    },
    pendingCount(): number {
      return requests.filter((candidate) => !candidate.answered).length
    },
  }
}

/** Lets promise chains (a fetch answered, a socket opened) run to their next timer. */
export async function flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0)
  for (let turn = 0; turn < 100; turn += 1) await Promise.resolve()
}

export const SYMBOLS: Readonly<Record<string, string>> = { BNBBTC: 'BNB-BTC', ETHUSDT: 'ETH-USDT', BTCUSDT: 'BTC-USDT' }

/**
 * A Binance data source on fake sockets and a scripted depth endpoint, attached to a tracker.
 * Nothing runs until `listen()`.
 */
export function binanceMarket(overrides: Partial<BinanceOrderBookDataSourceOptions> = {}) {
  const sockets = fakeSocketFactory()
  const depth = scriptedDepthEndpoint()
  const rest = new RestAssistant({ baseUrl: REST_BASE, fetch: depth.fetch, retry: { limit: 0 } })
  const errors: Error[] = []
  const tradingPairs = overrides.tradingPairs ?? ['BNB-BTC']
  const source = new BinanceOrderBookDataSource({
    rest,
    wsUrl: WS_BASE,
    toExchangeSymbol: (pair) => {
      if (!Object.values(SYMBOLS).includes(pair)) throw new Error(`no symbol for ${pair}`)
      return pair.replace('-', '')
    },
    toTradingPair: (symbol) => SYMBOLS[symbol],
    socketFactory: sockets.factory,
    clock: fakeTimersClock,
    onError: (error) => void errors.push(error),
    backoff: { initialDelayMs: 1_000, maxDelayMs: 1_000 },
    ...overrides,
    tradingPairs,
  })
  const tracker = new OrderBookTracker({ source, tradingPairs, retryDelayMs: () => 1_000 })
  tracker.on('error', (error) => void errors.push(error))
  source.attach(tracker)
  const statuses: OrderBookStatus[] = []
  tracker.on('status', (change) => void statuses.push(change.status))
  const controller = new AbortController()
  return {
    source,
    tracker,
    sockets,
    depth,
    errors,
    statuses,
    controller,
    /** Starts the tracker and the stream, and accepts the first socket. */
    async listen(): Promise<FakeSocket> {
      tracker.start()
      void source.listenForSubscriptions(controller.signal)
      await flush()
      const socket = sockets.last()
      socket.accept()
      await flush()
      return socket
    },
    stop(): void {
      controller.abort()
      tracker.stop()
    },
  }
}
