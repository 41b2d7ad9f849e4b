import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { startStreams } from './stream-test-kit.ts'

const REFERENCE = new URL('../../../../shared/reference/binance/ws-streams/', import.meta.url)
const reference = (name: string) => JSON.parse(readFileSync(new URL(name, REFERENCE), 'utf8')) as Record<string, any>
const keysOf = (value: unknown) => Object.keys(value as object).sort()

describe('announceShutdown', () => {
  it('sends {"e":"serverShutdown","E"} on raw connections and {"stream":"!serverShutdown","data"} on combined ones', () => {
    const rig = startStreams()
    const raw = rig.open('/ws/btcusdt@trade')
    const combined = rig.open('/stream?streams=btcusdt@trade')
    rig.clock.now += 500
    rig.handler.announceShutdown()

    const [rawFrame, ...rawRest] = raw.socket.take()
    expect(rawRest).toEqual([])
    expect(keysOf(rawFrame)).toEqual(keysOf(reference('serverShutdown_raw.json')))
    expect(rawFrame).toEqual({ e: 'serverShutdown', E: rig.clock.now })

    const [combinedFrame] = combined.socket.take()
    const combinedReference = reference('serverShutdown_combined.json')
    expect(keysOf(combinedFrame)).toEqual(keysOf(combinedReference))
    expect(keysOf(combinedFrame?.['data'])).toEqual(keysOf(combinedReference['data']))
    expect(combinedFrame).toEqual({ stream: combinedReference['stream'], data: { e: 'serverShutdown', E: rig.clock.now } })
  })

  it('uses the time it is given, follows SET_PROPERTY combined, and reaches sessions with no streams', () => {
    const rig = startStreams()
    const bare = rig.open('/ws')
    bare.connection.receive(JSON.stringify({ method: 'SET_PROPERTY', params: ['combined', true], id: 1 }))
    expect(bare.socket.take()).toEqual([{ result: null, id: 1 }])
    rig.handler.announceShutdown(1_234)
    expect(bare.socket.take()).toEqual([{ stream: '!serverShutdown', data: { e: 'serverShutdown', E: 1_234 } }])
  })

  it('leaves sessions open and serving, and skips closed ones', () => {
    const rig = startStreams()
    const open = rig.open('/ws/btcusdt@trade')
    const gone = rig.open('/ws/btcusdt@trade')
    gone.connection.closed()
    rig.handler.announceShutdown()
    expect(gone.socket.take()).toEqual([])
    expect(open.socket.take()).toHaveLength(1)
    expect(open.socket.closes).toEqual([])

    open.connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }))
    expect(open.socket.take()).toEqual([{ result: ['btcusdt@trade'], id: 2 }])
  })

  it('skips a session the server closed itself for its message rate', () => {
    const rig = startStreams()
    const flooder = rig.open('/ws')
    for (let index = 0; index < 6; index += 1) flooder.connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: index }))
    expect(flooder.socket.closes).toHaveLength(1)
    flooder.socket.take()
    rig.handler.announceShutdown()
    expect(flooder.socket.take()).toEqual([])
  })
})
