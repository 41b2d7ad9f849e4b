import { describe, expect, it } from 'vitest'
import { RESTING_BUY, type SimulatorRig, sleep, startRig } from './simulator-test-kit.ts'

interface DepthFrame {
  e: string
  U: number
  u: number
}

/** Steps the makers and closes a 100 ms window `rounds` times; returns the depth frames sent. */
function depthRounds(rig: SimulatorRig, socket: { take(): Record<string, unknown>[] }, rounds: number): DepthFrame[] {
  for (let round = 0; round < rounds; round += 1) {
    rig.simulator.stepMarketMakers()
    rig.advance(100)
  }
  return socket.take() as unknown as DepthFrame[]
}

describe('frame faults', () => {
  it('skipSequenceIds withholds the next diff, so U jumps past the previous u; later diffs are continuous again', () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    const before = depthRounds(rig, socket, 2)
    expect(before.length).toBe(2)
    rig.simulator.faults.arm({ kind: 'skipSequenceIds', symbol: 'btcusdt' })
    const after = depthRounds(rig, socket, 3)
    expect(after).toHaveLength(2)
    const [first, second] = after as [DepthFrame, DepthFrame]
    expect(first.U).toBeGreaterThan(before.at(-1)!.u + 1)
    expect(second.U).toBe(first.u + 1)
    expect(rig.simulator.faults.counts().skipSequenceIds).toBe(1)
    expect(rig.simulator.faults.armed()).toEqual([])
  })

  it('a symbol filter leaves other markets alone', () => {
    const rig = startRig()
    const { socket } = rig.open('/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms')
    rig.simulator.faults.arm({ kind: 'skipSequenceIds', symbol: 'ETHUSDT', count: 1 })
    const frames = depthRounds(rig, socket, 1) as unknown as { stream: string }[]
    expect(frames.map((frame) => frame.stream)).toEqual(['btcusdt@depth@100ms'])
    expect(rig.simulator.faults.counts().skipSequenceIds).toBe(1)
  })

  it('duplicateFrames sends the next matching frame twice', () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    rig.simulator.faults.arm({ kind: 'duplicateFrames', channel: 'market', event: 'depthUpdate', count: 1 })
    const frames = depthRounds(rig, socket, 2)
    expect(frames).toHaveLength(3)
    expect(frames[1]).toEqual(frames[0])
    expect(frames[2]!.U).toBe(frames[0]!.u + 1)
    expect(rig.simulator.faults.counts().duplicateFrames).toBe(1)
  })

  it('reorderFrames sends the held frame right after the next one', () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    rig.simulator.faults.arm({ kind: 'reorderFrames', channel: 'market' })
    const frames = depthRounds(rig, socket, 2)
    expect(frames).toHaveLength(2)
    expect(frames[0]!.U).toBe(frames[1]!.u + 1)
  })

  it('malformedFrames sends unparseable text in place of the frame', () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    rig.simulator.faults.arm({ kind: 'malformedFrames', channel: 'market', count: 1 })
    rig.simulator.stepMarketMakers()
    rig.advance(100)
    expect(socket.sent).toHaveLength(1)
    expect(() => JSON.parse(socket.sent[0]!)).toThrow()
    expect(socket.sent[0]!.startsWith('{"e":"depthUpdate"')).toBe(true)
    expect(rig.simulator.faults.counts().malformedFrames).toBe(1)
  })

  it('delayFrames holds the frame and everything behind it, then sends them in order', async () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    rig.simulator.faults.arm({ kind: 'delayFrames', channel: 'market', ms: 30 })
    rig.simulator.stepMarketMakers()
    rig.advance(100)
    rig.simulator.stepMarketMakers()
    rig.advance(100)
    expect(socket.sent).toHaveLength(0)
    await sleep(80)
    const frames = socket.take() as unknown as DepthFrame[]
    expect(frames).toHaveLength(2)
    expect(frames[1]!.U).toBe(frames[0]!.u + 1)
    expect(rig.simulator.faults.counts().delayFrames).toBe(1)
  })

  it('dropFrames on userData loses an executionReport but not the WS API reply', async () => {
    const rig = startRig()
    const { socket, connection } = rig.open('/ws-api/v3')
    connection.receive(await rig.wsApiRequest(1, 'userDataStream.subscribe.signature', {}))
    expect(socket.take()[0]).toMatchObject({ id: 1, status: 200 })
    rig.simulator.faults.arm({ kind: 'dropFrames', channel: 'userData', event: 'executionReport' })
    connection.receive(await rig.wsApiRequest(2, 'order.place', { ...RESTING_BUY, newClientOrderId: 'drop-me' }))
    const frames = socket.take()
    expect(frames[0]).toMatchObject({ id: 2, status: 200 })
    const events = frames.slice(1).map((frame) => (frame['event'] as { e: string }).e)
    expect(events).toEqual(['outboundAccountPosition'])
    expect(rig.simulator.faults.counts().dropFrames).toBe(1)
    expect(rig.simulator.truth.order('drop-me')?.status).toBe('NEW')
  })

  it('frames on other channels pass untouched while a fault waits', async () => {
    const rig = startRig()
    rig.simulator.faults.arm({ kind: 'dropFrames', channel: 'userData', count: 5 })
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    expect(depthRounds(rig, socket, 2)).toHaveLength(2)
    expect(rig.simulator.faults.armed()).toMatchObject([{ spec: { kind: 'dropFrames', channel: 'userData' }, remaining: 5 }])
  })
})

describe('dropSockets', () => {
  it('ends the chosen kind of socket without a closing handshake and counts each one', async () => {
    const rig = startRig()
    const market = rig.open('/ws/btcusdt@trade')
    const wsApi = rig.open('/ws-api/v3')
    rig.simulator.faults.arm({ kind: 'dropSockets', sockets: 'wsApi' })
    expect(wsApi.socket.drops).toBe(1)
    expect(market.socket.drops).toBe(0)
    rig.simulator.faults.arm({ kind: 'dropSockets' })
    expect(market.socket.drops).toBe(1)
    expect(wsApi.socket.drops).toBe(1)
    expect(rig.simulator.faults.counts().dropSockets).toBe(2)
  })

  it('a dropped socket gets no further frames', () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@depth@100ms')
    rig.simulator.faults.arm({ kind: 'dropSockets', sockets: 'market' })
    rig.simulator.stepMarketMakers()
    rig.advance(100)
    expect(socket.sent).toHaveLength(0)
  })

  it('dispose closes every socket with 1001', () => {
    const rig = startRig()
    const { socket } = rig.open('/ws/btcusdt@trade')
    rig.simulator.dispose()
    expect(socket.closes).toEqual([{ code: 1001, reason: 'Simulator stopped' }])
  })
})
