// The exchange base's small parts on their own: the loop runner, background tasks, the symbol map,
// how a failed request is read, and the status-poll schedule. Imports only vitest and src/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  BadRequestError,
  InvalidInputError,
  IpBannedError,
  NetworkError,
  OrderNotFoundError,
  PayloadValidationError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SocketClosedError,
  TimestampOutsideWindowError,
  UnknownRateLimitError,
} from '../../../src/core/errors.ts'
import { DEFAULT_EXCHANGE_INTERVALS } from '../../../src/core/exchange/exchange-types.ts'
import { backoffDelayMs, runPeriodically } from '../../../src/core/exchange/periodic-task.ts'
import { isDefiniteRejection, withTimeSyncRetry } from '../../../src/core/exchange/request-outcome.ts'
import { StatusPollSchedule } from '../../../src/core/exchange/status-poll-schedule.ts'
import { SymbolMap } from '../../../src/core/exchange/symbol-map.ts'
import { abortable, TaskGroup } from '../../../src/core/exchange/task-group.ts'
import { fakeTimersClock, flush, useFakeClock } from './helpers.ts'

beforeEach(() => useFakeClock())
afterEach(() => vi.useRealTimers())

describe('periodic task', () => {
  it('runs at once, then after every period, until the signal aborts', async () => {
    const controller = new AbortController()
    const runs: number[] = []
    const start = Date.now()
    const loop = runPeriodically({
      run: () => Promise.resolve(void runs.push(Date.now() - start)),
      nextDelayMs: () => 1_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
      signal: controller.signal,
      onError: () => {},
    })
    await vi.advanceTimersByTimeAsync(2_500)
    expect(runs).toEqual([0, 1_000, 2_000])
    controller.abort()
    await loop
    expect(vi.getTimerCount()).toBe(0)
  })

  it('backs off after failures, doubling up to the cap, and resets after a success', async () => {
    const controller = new AbortController()
    const retries: number[] = []
    let failuresLeft = 5
    void runPeriodically({
      run: () => (failuresLeft-- > 0 ? Promise.reject(new Error('down')) : Promise.resolve()),
      nextDelayMs: () => 60_000,
      initialDelayMs: 10,
      backoff: { initialMs: 100, maxMs: 500 },
      signal: controller.signal,
      onError: (_error, retryInMs) => retries.push(retryInMs),
    })
    await vi.advanceTimersByTimeAsync(10 + 100 + 200 + 400 + 500 + 500)
    expect(retries).toEqual([100, 200, 400, 500, 500])
    expect(backoffDelayMs({ initialMs: 500, maxMs: 60_000 }, 3)).toBe(2_000)
    controller.abort()
  })

  it('a loop aborted during a run ends without reporting', async () => {
    const controller = new AbortController()
    const onError = vi.fn()
    const loop = runPeriodically({
      run: (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      nextDelayMs: () => 1_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
      signal: controller.signal,
      onError,
    })
    await flush()
    controller.abort()
    await loop
    expect(onError).not.toHaveBeenCalled()
  })
})

describe('background tasks', () => {
  it('abortable settles with the promise, or with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController()
    await expect(abortable(Promise.resolve(1), controller.signal)).resolves.toBe(1)
    await expect(abortable(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow('no')
    const pending = abortable(new Promise(() => {}), controller.signal)
    controller.abort(new Error('stopped'))
    await expect(pending).rejects.toThrow('stopped')
    // Already aborted: the promise's late failure is still observed (no unhandled rejection).
    await expect(abortable(Promise.reject(new Error('late')), controller.signal)).rejects.toThrow('stopped')
  })

  it('a task group reports failures (even from a throwing reporter) and waits for every task', async () => {
    const group = new TaskGroup()
    const reported: unknown[] = []
    let finished = false
    group.spawn(() => Promise.reject(new Error('task failed')), (error) => reported.push(error))
    group.spawn(
      () => Promise.reject(new Error('again')),
      () => {
        throw new Error('reporter broke')
      },
    )
    group.spawn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100))
      finished = true
    }, () => {})
    expect(group.size).toBe(3)
    const settled = group.settled()
    await vi.advanceTimersByTimeAsync(100)
    await settled
    expect(finished).toBe(true)
    expect(group.size).toBe(0)
    expect((reported[0] as Error).message).toBe('task failed')
  })
})

describe('symbol map', () => {
  it('maps exchange symbols to trading pairs and back', () => {
    const symbols = new SymbolMap([
      { exchangeSymbol: 'BTCUSDT', tradingPair: 'BTC-USDT' },
      { exchangeSymbol: 'ETHBTC', tradingPair: 'ETH-BTC' },
    ])
    expect(symbols.size).toBe(2)
    expect(symbols.tradingPairs).toEqual(['BTC-USDT', 'ETH-BTC'])
    expect(symbols.exchangeSymbolFor('ETH-BTC')).toBe('ETHBTC')
    expect(symbols.tradingPairFor('BTCUSDT')).toBe('BTC-USDT')
    expect(symbols.tradingPairFor('XRPUSDT')).toBeUndefined()
  })

  it('refuses a malformed pair or a listing given twice', () => {
    expect(() => new SymbolMap([{ exchangeSymbol: 'BTCUSDT', tradingPair: 'BTCUSDT' }])).toThrow(InvalidInputError)
    expect(
      () =>
        new SymbolMap([
          { exchangeSymbol: 'BTCUSDT', tradingPair: 'BTC-USDT' },
          { exchangeSymbol: 'BTCUSDT', tradingPair: 'XBT-USDT' },
        ]),
    ).toThrow(/twice/)
  })
})

describe('reading a failed request', () => {
  it('definite refusals: the exchange said no, refused for limits, or nothing was sent', () => {
    const definite = [
      new BadRequestError('bad'),
      new OrderNotFoundError('unknown'),
      new TimestampOutsideWindowError('late'),
      new RateLimitedError('429'),
      new IpBannedError('418', { bannedUntil: Date.now() + 1_000 }),
      new InvalidInputError('no keys'),
      new UnknownRateLimitError('/v3/nope'),
    ]
    for (const error of definite) expect(isDefiniteRejection(error)).toBe(true)
  })

  it('unknown outcomes: timeouts, dropped connections, 5xx, unreadable answers, anything else', () => {
    const unknown = [
      new RequestTimeoutError('timeout'),
      new ServerError('502'),
      new NetworkError('reset'),
      new SocketClosedError('closed'),
      new PayloadValidationError('POST /v3/order', { odd: true }),
      new TypeError('connector bug'),
      'a string',
    ]
    for (const error of unknown) expect(isDefiniteRejection(error)).toBe(false)
  })

  it('a time-sync refusal is retried once after a resync; other errors are not', async () => {
    const resync = vi.fn(() => Promise.resolve())
    const retry = { isTimeSyncError: (error: unknown) => error instanceof TimestampOutsideWindowError, resync }
    let attempts = 0
    await expect(
      withTimeSyncRetry(() => (++attempts === 1 ? Promise.reject(new TimestampOutsideWindowError('-1021')) : Promise.resolve('ok')), retry),
    ).resolves.toBe('ok')
    expect(resync).toHaveBeenCalledTimes(1)
    await expect(withTimeSyncRetry(() => Promise.reject(new ServerError('500')), retry)).rejects.toBeInstanceOf(ServerError)
    expect(resync).toHaveBeenCalledTimes(1)
  })
})

describe('status poll schedule', () => {
  it('long interval while the stream speaks; short when silent, down or never heard from', () => {
    let stream: { isConnected: boolean; lastReceivedAt: number } | undefined
    const schedule = new StatusPollSchedule(DEFAULT_EXCHANGE_INTERVALS, fakeTimersClock, () => stream)
    expect(schedule.intervalMs).toBe(5_000)
    stream = { isConnected: true, lastReceivedAt: 0 }
    expect(schedule.isStreamAlive).toBe(false)
    stream = { isConnected: true, lastReceivedAt: Date.now() }
    expect(schedule.intervalMs).toBe(120_000)
    vi.advanceTimersByTime(60_001)
    expect(schedule.intervalMs).toBe(5_000)
    stream = { isConnected: false, lastReceivedAt: Date.now() }
    expect(schedule.isStreamAlive).toBe(false)
  })

  it('is due at once, then after the interval; a failure makes it due again', () => {
    const schedule = new StatusPollSchedule(DEFAULT_EXCHANGE_INTERVALS, fakeTimersClock, () => undefined)
    expect(schedule.isDue).toBe(true)
    schedule.markPolled()
    expect(schedule.isDue).toBe(false)
    expect(schedule.nextCheckMs()).toBe(5_000)
    vi.advanceTimersByTime(4_000)
    expect(schedule.nextCheckMs()).toBe(1_000)
    schedule.markFailed()
    expect(schedule.isDue).toBe(true)
    expect(schedule.nextCheckMs()).toBe(1)
  })
})
