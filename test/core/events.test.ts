import { describe, expect, it, vi } from 'vitest'
import { EventEmitter } from '../../src/core/events.ts'

interface TestEvents {
  tick: number
  error: unknown
}

describe('event emitter', () => {
  it('calls handlers in registration order with the payload', () => {
    const emitter = new EventEmitter<TestEvents>()
    const seen: string[] = []
    emitter.on('tick', (value) => seen.push(`a${value}`))
    emitter.on('tick', (value) => seen.push(`b${value}`))
    emitter.emit('tick', 1)
    expect(seen).toEqual(['a1', 'b1'])
  })

  it('removes a handler with the returned function or off()', () => {
    const emitter = new EventEmitter<TestEvents>()
    const handler = vi.fn()
    const off = emitter.on('tick', handler)
    off()
    emitter.emit('tick', 1)
    const second = vi.fn()
    emitter.on('tick', second)
    emitter.off('tick', second)
    emitter.emit('tick', 2)
    expect(handler).not.toHaveBeenCalled()
    expect(second).not.toHaveBeenCalled()
    expect(emitter.listenerCount('tick')).toBe(0)
  })

  it('runs a once handler a single time', () => {
    const emitter = new EventEmitter<TestEvents>()
    const handler = vi.fn()
    emitter.once('tick', handler)
    emitter.emit('tick', 1)
    emitter.emit('tick', 2)
    expect(handler).toHaveBeenCalledTimes(1)
    expect(handler).toHaveBeenCalledWith(1)
  })

  it('routes a throwing handler to the error event and still calls the others', () => {
    const emitter = new EventEmitter<TestEvents>()
    const failure = new Error('handler bug')
    const errors: unknown[] = []
    const after = vi.fn()
    emitter.on('error', (error) => errors.push(error))
    emitter.on('tick', () => {
      throw failure
    })
    emitter.on('tick', after)
    expect(() => emitter.emit('tick', 1)).not.toThrow()
    expect(errors).toEqual([failure])
    expect(after).toHaveBeenCalledWith(1)
  })

  it('drops an error thrown by an error handler instead of looping', () => {
    const emitter = new EventEmitter<TestEvents>()
    emitter.on('error', () => {
      throw new Error('error handler bug')
    })
    emitter.on('tick', () => {
      throw new Error('first')
    })
    expect(() => emitter.emit('tick', 1)).not.toThrow()
  })

  it('emits nothing and throws nothing without handlers, and can drop all handlers', () => {
    const emitter = new EventEmitter<TestEvents>()
    expect(() => emitter.emit('tick', 1)).not.toThrow()
    const handler = vi.fn()
    emitter.on('tick', handler)
    emitter.removeAllListeners()
    emitter.emit('tick', 1)
    expect(handler).not.toHaveBeenCalled()
  })
})
