import { describe, expect, it, vi } from 'vitest'
import type { Clock } from '../../src/core/clock.ts'
import { NetworkError, SpotwireError } from '../../src/core/errors.ts'
import { TIME_OFFSET_SAMPLE_LIMIT, TimeSynchronizer, combineOffsets } from '../../src/core/time-synchronizer.ts'

/** A clock whose wall and monotonic readings the test sets independently. */
function manualClock(wallMs: number, monotonicMs: number): Clock & { wallMs: number; monotonicMs: number } {
  return {
    wallMs,
    monotonicMs,
    now() {
      return this.wallMs
    },
    monotonic() {
      return this.monotonicMs
    },
  }
}

/** A provider whose answer the test releases by hand. */
function deferredProvider(): {
  provider: (signal: AbortSignal) => Promise<number>
  calls: AbortSignal[]
  answer: (serverMs: number) => void
  fail: (error: unknown) => void
} {
  const calls: AbortSignal[] = []
  let resolve: (serverMs: number) => void = () => {}
  let reject: (error: unknown) => void = () => {}
  return {
    calls,
    provider: (signal) => {
      calls.push(signal)
      return new Promise<number>((res, rej) => {
        resolve = res
        reject = rej
      })
    },
    answer: (serverMs) => resolve(serverMs),
    fail: (error) => reject(error),
  }
}

describe('time synchronizer', () => {
  it('returns the wall clock while it has no sample', () => {
    const clock = manualClock(1_700_000_000_000, 5_000)
    const synchronizer = new TimeSynchronizer({ clock })
    expect(synchronizer.now()).toBe(1_700_000_000_000)
    expect(synchronizer.offsetMs).toBe(0)
    expect(synchronizer.isInitialized).toBe(false)
    clock.wallMs += 250
    expect(synchronizer.now()).toBe(1_700_000_000_250)
  })

  it('takes the sample at the midpoint of the round trip, measured on the monotonic clock', async () => {
    const clock = manualClock(1_700_000_000_000, 10_000)
    const synchronizer = new TimeSynchronizer({ clock })
    const result = await synchronizer.update(async () => {
      // 200 ms round trip; the server stamped its answer half-way, at local wall 1_700_000_000_100.
      clock.monotonicMs += 200
      clock.wallMs += 200
      return 1_700_000_000_100 + 3_000
    })
    expect(result).toEqual({ ok: true, sampled: true, offsetMs: 3_000, roundTripMs: 200 })
    expect(synchronizer.offsetMs).toBe(3_000)
    expect(synchronizer.samples).toEqual([3_000])
    expect(synchronizer.isInitialized).toBe(true)
    // Right after the answer the server clock reads its answer plus half the round trip.
    expect(synchronizer.now()).toBe(1_700_000_000_200 + 3_000)
  })

  it('keeps following the monotonic clock when the wall clock jumps after sampling', async () => {
    const clock = manualClock(1_700_000_000_000, 0)
    const synchronizer = new TimeSynchronizer({ clock })
    await synchronizer.update(async () => 1_700_000_000_000 - 40)
    clock.wallMs -= 3_600_000 // someone set the system clock back an hour
    clock.monotonicMs += 1_000
    expect(synchronizer.now()).toBe(1_700_000_001_000 - 40)
  })

  it('lets newer samples weigh more than older ones', () => {
    const clock = manualClock(0, 0)
    const newestHigh = new TimeSynchronizer({ clock })
    const oldestHigh = new TimeSynchronizer({ clock })
    for (const sample of [0, 0, 0, 0, 100]) newestHigh.addSample(sample)
    for (const sample of [100, 0, 0, 0, 0]) oldestHigh.addSample(sample)
    // mean(median 0, weighted (100·9)/25 = 36) = 18 versus mean(0, (100·1)/25 = 4) = 2
    expect(newestHigh.offsetMs).toBe(18)
    expect(oldestHigh.offsetMs).toBe(2)
    expect(newestHigh.now()).toBe(18)
  })

  it('combines samples as the mean of the median and the 1,3,5,… weighted average', () => {
    expect(combineOffsets([])).toBe(0)
    expect(combineOffsets([42])).toBe(42)
    // median (10+20)/2 = 15, weighted (10·1 + 20·3)/4 = 17.5
    expect(combineOffsets([10, 20])).toBe(16.25)
    // median 11, weighted (10 + 36 + 55)/9
    expect(combineOffsets([10, 12, 11])).toBeCloseTo((11 + 101 / 9) / 2, 10)
    // one old slow round trip barely moves it (a plain mean would say 204)
    expect(combineOffsets([1_000, 5, 5, 5, 5])).toBeCloseTo((5 + 1_120 / 25) / 2, 10)
  })

  it(`keeps only the last ${TIME_OFFSET_SAMPLE_LIMIT} samples`, () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    for (let sample = 1; sample <= 7; sample += 1) synchronizer.addSample(sample * 10)
    expect(TIME_OFFSET_SAMPLE_LIMIT).toBe(5)
    expect(synchronizer.samples).toEqual([30, 40, 50, 60, 70])
    expect(synchronizer.offsetMs).toBe(combineOffsets([30, 40, 50, 60, 70]))
  })

  it('reads addSample as how far the server runs ahead of the wall clock', () => {
    const clock = manualClock(1_700_000_000_000, 77)
    const synchronizer = new TimeSynchronizer({ clock })
    synchronizer.addSample(0)
    expect(synchronizer.now()).toBe(1_700_000_000_000)
    synchronizer.clear()
    synchronizer.addSample(-1_500)
    expect(synchronizer.now()).toBe(1_700_000_000_000 - 1_500)
    expect(() => synchronizer.addSample(Number.NaN)).toThrow(SpotwireError)
  })

  it('resync(): a burst of refused requests forgets the samples and shares one fresh sample', async () => {
    const clock = manualClock(1_000_000, 0)
    const sync = new TimeSynchronizer({ clock })
    sync.addSample(0)
    const fresh = deferredProvider()
    const first = sync.resync(fresh.provider)
    const second = sync.resync(fresh.provider)
    // Signed requests stamped meanwhile wait for the same sample instead of using the wall clock.
    const signing = sync.updateIfUninitialized(fresh.provider)
    expect(sync.isInitialized).toBe(false)
    expect(fresh.calls).toHaveLength(1)
    fresh.answer(1_000_000 - 7_000)
    await expect(first).resolves.toMatchObject({ ok: true, sampled: true, offsetMs: -7_000 })
    await expect(second).resolves.toMatchObject({ ok: true, offsetMs: -7_000 })
    await expect(signing).resolves.toMatchObject({ ok: true })
    expect(sync.samples).toEqual([-7_000])
    // Once answered, a later refusal starts a new resync.
    const again = deferredProvider()
    const third = sync.resync(again.provider)
    expect(again.calls).toHaveLength(1)
    again.answer(1_000_000)
    await expect(third).resolves.toMatchObject({ ok: true, offsetMs: 0 })
  })

  it('a sample that was on its way when resync() cleared the samples is not kept: it measured the refused clock', async () => {
    const clock = manualClock(1_000_000, 0)
    const sync = new TimeSynchronizer({ clock })
    sync.addSample(0)
    const periodic = deferredProvider()
    const before = sync.update(periodic.provider)
    const fresh = deferredProvider()
    const resynced = sync.resync(fresh.provider)
    fresh.answer(1_000_000 - 7_000)
    await expect(resynced).resolves.toMatchObject({ ok: true, offsetMs: -7_000 })
    // The periodic sample answers late, from before the server's clock moved.
    periodic.answer(1_000_000)
    await expect(before).resolves.toMatchObject({ ok: true, sampled: false, offsetMs: -7_000 })
    expect(sync.samples).toEqual([-7_000])
    expect(sync.now()).toBe(1_000_000 - 7_000)
  })

  it('clear() forgets the samples, returns to the wall clock and re-anchors on the next sample', () => {
    const clock = manualClock(1_700_000_000_000, 0)
    const synchronizer = new TimeSynchronizer({ clock })
    synchronizer.addSample(500)
    synchronizer.clear()
    expect(synchronizer.isInitialized).toBe(false)
    expect(synchronizer.samples).toEqual([])
    clock.wallMs = 1_800_000_000_000 // the wall clock was corrected while unsynchronized
    expect(synchronizer.now()).toBe(1_800_000_000_000)
    synchronizer.addSample(500)
    expect(synchronizer.now()).toBe(1_800_000_000_500)
  })

  it('reports a provider error instead of throwing it, and keeps no sample', async () => {
    const clock = manualClock(1_700_000_000_000, 0)
    const onError = vi.fn()
    const synchronizer = new TimeSynchronizer({ clock, onError })
    const failure = new NetworkError('connection reset')
    const result = await synchronizer.update(() => Promise.reject(failure))
    expect(result).toEqual({ ok: false, error: failure })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError).toHaveBeenCalledWith(failure)
    expect(synchronizer.isInitialized).toBe(false)
    expect(synchronizer.now()).toBe(1_700_000_000_000)
  })

  it('reports a provider that throws synchronously, throws a non-Error, or answers no number', async () => {
    const errors: Error[] = []
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0), onError: (error) => errors.push(error) })
    const throwing = (): Promise<number> => {
      throw new Error('sync boom')
    }
    expect((await synchronizer.update(throwing)).ok).toBe(false)
    expect((await synchronizer.update(() => Promise.reject('a string'))).ok).toBe(false)
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1700000000000']) {
      const result = await synchronizer.update(() => Promise.resolve(bad as number))
      expect(result.ok).toBe(false)
    }
    expect(errors.map((error) => error.message)).toEqual([
      'sync boom',
      'a string',
      'The server time provider returned NaN instead of epoch ms',
      'The server time provider returned Infinity instead of epoch ms',
      'The server time provider returned 1700000000000 instead of epoch ms',
    ])
    expect(errors[1]).toBeInstanceOf(SpotwireError)
    expect(synchronizer.isInitialized).toBe(false)
  })

  it('still reports the failure when the error handler itself throws', async () => {
    const synchronizer = new TimeSynchronizer({
      clock: manualClock(0, 0),
      onError: () => {
        throw new Error('handler broke')
      },
    })
    const result = await synchronizer.update(() => Promise.reject(new Error('down')))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toBe('down')
  })

  it('updateIfUninitialized: concurrent callers share one provider call', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(1_000, 0) })
    const deferred = deferredProvider()
    const first = synchronizer.updateIfUninitialized(deferred.provider)
    const second = synchronizer.updateIfUninitialized(deferred.provider)
    const third = synchronizer.updateIfUninitialized(deferred.provider)
    expect(deferred.calls).toHaveLength(1)
    deferred.answer(1_250)
    const results = await Promise.all([first, second, third])
    expect(results[0]).toEqual({ ok: true, sampled: true, offsetMs: 250, roundTripMs: 0 })
    expect(results[1]).toBe(results[0])
    expect(results[2]).toBe(results[0])
    expect(synchronizer.samples).toEqual([250])
  })

  it('updateIfUninitialized does not call the provider once a sample exists', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    synchronizer.addSample(80)
    const provider = vi.fn(() => Promise.resolve(999))
    expect(await synchronizer.updateIfUninitialized(provider)).toEqual({ ok: true, sampled: false, offsetMs: 80 })
    expect(provider).not.toHaveBeenCalled()
  })

  it('updateIfUninitialized after a failed sample tries again', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    const provider = vi.fn<() => Promise<number>>().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(30)
    expect((await synchronizer.updateIfUninitialized(provider)).ok).toBe(false)
    expect((await synchronizer.updateIfUninitialized(provider)).ok).toBe(true)
    expect(provider).toHaveBeenCalledTimes(2)
    expect(synchronizer.offsetMs).toBe(30)
  })

  it('updateIfUninitialized joins an update already in flight', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    const deferred = deferredProvider()
    const forced = synchronizer.update(deferred.provider)
    const joined = synchronizer.updateIfUninitialized(deferred.provider)
    expect(deferred.calls).toHaveLength(1)
    deferred.answer(10)
    expect(await joined).toBe(await forced)
  })

  it('update always samples, even when initialized (resync after a timestamp error)', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    const provider = vi.fn(() => Promise.resolve(100))
    await synchronizer.update(provider)
    await synchronizer.update(provider)
    expect(provider).toHaveBeenCalledTimes(2)
    expect(synchronizer.samples).toEqual([100, 100])
  })

  it('rejects at once on an already aborted signal without calling the provider', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    const provider = vi.fn(() => Promise.resolve(1))
    const controller = new AbortController()
    const reason = new Error('gone')
    controller.abort(reason)
    await expect(synchronizer.update(provider, { signal: controller.signal })).rejects.toBe(reason)
    await expect(synchronizer.updateIfUninitialized(provider, { signal: controller.signal })).rejects.toBe(reason)
    expect(provider).not.toHaveBeenCalled()
  })

  it('aborting an update rejects with the reason, cancels the provider and keeps no late answer', async () => {
    const onError = vi.fn()
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0), onError })
    const deferred = deferredProvider()
    const controller = new AbortController()
    const updating = synchronizer.update(deferred.provider, { signal: controller.signal })
    const reason = new Error('stopping')
    controller.abort(reason)
    await expect(updating).rejects.toBe(reason)
    expect(deferred.calls[0]?.aborted).toBe(true)
    deferred.answer(5_000) // the provider ignored the signal and answered anyway
    await Promise.resolve()
    expect(synchronizer.isInitialized).toBe(false)
    expect(onError).not.toHaveBeenCalled()
  })

  it('a provider that rejects because it was aborted is not reported as an error', async () => {
    const onError = vi.fn()
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0), onError })
    const controller = new AbortController()
    let providerSettled: Promise<unknown> = Promise.resolve()
    const updating = synchronizer.update((signal) => {
      const answer = new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted fetch'))))
      providerSettled = answer.catch(() => undefined)
      return answer
    }, { signal: controller.signal })
    controller.abort(new Error('bye'))
    await expect(updating).rejects.toThrow('bye')
    await providerSettled
    await Promise.resolve()
    expect(onError).not.toHaveBeenCalled()
  })

  it('one sharing caller aborting does not cancel the call for the others', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    const deferred = deferredProvider()
    const controller = new AbortController()
    const leaving = synchronizer.updateIfUninitialized(deferred.provider, { signal: controller.signal })
    const staying = synchronizer.updateIfUninitialized(deferred.provider, { signal: new AbortController().signal })
    controller.abort(new Error('leaving'))
    await expect(leaving).rejects.toThrow('leaving')
    expect(deferred.calls[0]?.aborted).toBe(false)
    deferred.answer(64)
    expect(await staying).toMatchObject({ ok: true, sampled: true, offsetMs: 64 })
  })

  it('when every sharing caller aborted, the next caller starts a fresh call instead of joining a hung one', async () => {
    const synchronizer = new TimeSynchronizer({ clock: manualClock(0, 0) })
    const hung = deferredProvider()
    const controller = new AbortController()
    const first = synchronizer.updateIfUninitialized(hung.provider, { signal: controller.signal })
    controller.abort(new Error('timeout'))
    await expect(first).rejects.toThrow('timeout')
    const fresh = vi.fn(() => Promise.resolve(7))
    expect(await synchronizer.updateIfUninitialized(fresh)).toMatchObject({ ok: true, offsetMs: 7 })
    expect(fresh).toHaveBeenCalledTimes(1)
  })

  it('sets no timer of its own', async () => {
    vi.useFakeTimers()
    try {
      const synchronizer = new TimeSynchronizer({ clock: { now: () => Date.now(), monotonic: () => Date.now() } })
      await synchronizer.update(() => Promise.resolve(Date.now() + 20))
      await synchronizer.updateIfUninitialized(() => Promise.resolve(0))
      expect(vi.getTimerCount()).toBe(0)
      expect(synchronizer.now()).toBe(Date.now() + 20)
      vi.setSystemTime(1_700_000_000_000)
      expect(new TimeSynchronizer().now()).toBe(1_700_000_000_000) // the system clock by default
    } finally {
      vi.useRealTimers()
    }
  })
})
