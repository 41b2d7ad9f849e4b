import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { StreamRequestOutbox } from '../../../src/connectors/binance/stream-request-outbox.ts'
import type { StreamRequest } from '../../../src/connectors/binance/schemas/market.ts'

function outbox(send: (request: StreamRequest) => void = () => {}) {
  let id = 0
  return new StreamRequestOutbox({ send, nextId: () => ++id, minIntervalMs: 250 })
}

describe('stream request outbox', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends the first request at once and the next ones one interval apart, merging same-method runs', async () => {
    const sent: StreamRequest[] = []
    const box = outbox((request) => void sent.push(request))
    const settled: string[] = []
    const track = (name: string, promise: Promise<void>) => void promise.then(() => settled.push(name))
    track('a', box.push({ method: 'SUBSCRIBE', params: ['a@trade'] }))
    track('b', box.push({ method: 'SUBSCRIBE', params: ['b@trade', 'a@trade'] }))
    track('c', box.push({ method: 'SUBSCRIBE', params: ['c@trade'] }))
    track('ping', box.push({ method: 'LIST_SUBSCRIPTIONS' }))
    track('d', box.push({ method: 'UNSUBSCRIBE', params: ['a@trade'] }))
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toEqual([{ method: 'SUBSCRIBE', params: ['a@trade'], id: 1 }])
    expect(settled).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(250)
    expect(sent[1]).toEqual({ method: 'SUBSCRIBE', params: ['b@trade', 'a@trade', 'c@trade'], id: 2 })
    await vi.advanceTimersByTimeAsync(250)
    expect(sent[2]).toEqual({ method: 'LIST_SUBSCRIPTIONS', id: 3 })
    await vi.advanceTimersByTimeAsync(250)
    expect(sent[3]).toEqual({ method: 'UNSUBSCRIBE', params: ['a@trade'], id: 4 })
    expect(settled).toEqual(['a', 'b', 'c', 'ping', 'd'])
    await vi.advanceTimersByTimeAsync(250)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('settles a request whose connection is gone: the next connection subscribes from its URL', async () => {
    const box = outbox(() => {
      throw new Error('closed')
    })
    await expect(box.push({ method: 'SUBSCRIBE', params: ['a@trade'] })).resolves.toBeUndefined()
    box.close()
  })

  it('close settles what waits, stops its timer and accepts nothing more', async () => {
    const sent: StreamRequest[] = []
    const box = outbox((request) => void sent.push(request))
    void box.push({ method: 'SUBSCRIBE', params: ['a@trade'] })
    const waiting = box.push({ method: 'LIST_SUBSCRIPTIONS' })
    box.close()
    await expect(waiting).resolves.toBeUndefined()
    await expect(box.push({ method: 'LIST_SUBSCRIPTIONS' })).resolves.toBeUndefined()
    expect(vi.getTimerCount()).toBe(0)
    expect(sent).toHaveLength(1)
  })
})
