import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sleep, systemClock } from '../../src/core/clock.ts'

describe('clock', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('reads wall time from Date.now and monotonic time from performance.now', () => {
    vi.setSystemTime(1_700_000_000_000)
    expect(systemClock.now()).toBe(1_700_000_000_000)
    expect(typeof systemClock.monotonic()).toBe('number')
  })

  it('sleep resolves after the delay and leaves no timer behind', async () => {
    let done = false
    const sleeping = sleep(500).then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(499)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await sleeping
    expect(done).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('sleep rejects with the abort reason and clears its timer when aborted', async () => {
    const controller = new AbortController()
    const sleeping = sleep(10_000, controller.signal)
    const reason = new Error('stopped')
    controller.abort(reason)
    await expect(sleeping).rejects.toBe(reason)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('sleep rejects at once on an already aborted signal', async () => {
    const controller = new AbortController()
    controller.abort(new Error('already'))
    await expect(sleep(10, controller.signal)).rejects.toThrow('already')
    expect(vi.getTimerCount()).toBe(0)
  })
})
