import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchAbort } from '../../src/core/abort-watch.ts'

describe('watchAbort', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('adds one abort listener to a signal however many waits watch it', () => {
    const controller = new AbortController()
    const added = vi.spyOn(controller.signal, 'addEventListener')
    const unwatches = Array.from({ length: 50 }, () => watchAbort(controller.signal, () => {}))
    expect(added).toHaveBeenCalledTimes(1)
    for (const unwatch of unwatches) unwatch()
    watchAbort(controller.signal, () => {})
    expect(added).toHaveBeenCalledTimes(1)
  })

  it('calls the current watchers once, in the order they started, and not those that stopped', () => {
    const controller = new AbortController()
    const calls: string[] = []
    watchAbort(controller.signal, () => calls.push('first'))
    const unwatchSecond = watchAbort(controller.signal, () => calls.push('second'))
    watchAbort(controller.signal, () => calls.push('third'))
    unwatchSecond()
    controller.abort(new Error('stopped'))
    controller.abort(new Error('again'))
    expect(calls).toEqual(['first', 'third'])
  })

  it('keeps two watches of one callback apart', () => {
    const controller = new AbortController()
    const callback = vi.fn()
    const unwatchOne = watchAbort(controller.signal, callback)
    watchAbort(controller.signal, callback)
    unwatchOne()
    controller.abort()
    expect(callback).toHaveBeenCalledTimes(1)
  })

  it('a watcher that throws does not stop the others; its error is reported asynchronously', () => {
    const reported: Array<() => void> = []
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => void reported.push(task))
    const controller = new AbortController()
    const failure = new Error('watcher failed')
    const after = vi.fn()
    watchAbort(controller.signal, () => {
      throw failure
    })
    watchAbort(controller.signal, after)
    controller.abort()
    expect(after).toHaveBeenCalledTimes(1)
    expect(reported).toHaveLength(1)
    expect(() => reported[0]?.()).toThrow(failure)
  })

  it('watching a signal that already aborted never calls back (callers check aborted first)', () => {
    const first = new AbortController()
    const callback = vi.fn()
    watchAbort(first.signal, callback)
    first.abort()
    watchAbort(first.signal, callback)
    expect(callback).toHaveBeenCalledTimes(1)
  })
})
