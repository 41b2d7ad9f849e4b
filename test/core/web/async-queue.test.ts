import { describe, expect, it } from 'vitest'
import { AsyncQueue } from '../../../src/core/web/async-queue.ts'

describe('async queue', () => {
  it('hands out pushed items in order, and hands a push straight to a waiting pull', async () => {
    const queue = new AsyncQueue<number>()
    queue.push(1)
    queue.push(2)
    expect(queue.size).toBe(2)
    expect(await queue.next()).toEqual({ done: false, value: 1 })
    expect(await queue.next()).toEqual({ done: false, value: 2 })
    const waiting = queue.next()
    queue.push(3)
    expect(await waiting).toEqual({ done: false, value: 3 })
    expect(queue.size).toBe(0)
  })

  it('rejects an aborted pull with the reason and gives its item to the next pull instead', async () => {
    const queue = new AsyncQueue<string>()
    const controller = new AbortController()
    const abandoned = queue.next(controller.signal)
    const reason = new Error('gave up')
    controller.abort(reason)
    await expect(abandoned).rejects.toBe(reason)
    queue.push('kept')
    expect(await queue.next()).toEqual({ done: false, value: 'kept' })
    await expect(queue.next(controller.signal)).rejects.toBe(reason)
  })

  it('ends waiting pulls, still hands out buffered items unless discarding, and refuses pushes after the end', async () => {
    const graceful = new AsyncQueue<number>()
    const waiting = new AsyncQueue<number>()
    const pending = waiting.next()
    waiting.end()
    expect(await pending).toEqual({ done: true, value: undefined })
    graceful.push(1)
    graceful.end()
    expect(graceful.ended).toBe(true)
    expect(graceful.push(2)).toBe(false)
    expect(await graceful.next()).toEqual({ done: false, value: 1 })
    expect(await graceful.next()).toEqual({ done: true, value: undefined })
    const discarding = new AsyncQueue<number>()
    discarding.push(1)
    discarding.end(true)
    expect(await discarding.next()).toEqual({ done: true, value: undefined })
  })

  it('iterates with for-await and keeps order across its internal compaction', async () => {
    const queue = new AsyncQueue<number>()
    for (let index = 0; index < 3_000; index += 1) queue.push(index)
    const seen: number[] = []
    for await (const item of queue) {
      seen.push(item)
      if (seen.length === 2_000) {
        queue.push(3_000)
        queue.end()
      }
    }
    expect(seen).toHaveLength(3_001)
    expect(seen.every((item, index) => item === index)).toBe(true)
  })
})
