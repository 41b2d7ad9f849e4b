// Shared setup for the public-stream suites: a seeded exchange and the stream handler on one
// injected clock, and fake sockets that record what the handler sent and how it closed them.
import { createSimulatedExchange, type SimulatedExchange } from '../../../src/sim/engine/index.ts'
import { createPublicStreamHandler, type PublicStreamHandler, type StreamConnection } from '../../../src/sim/streams/index.ts'
import { RecordingSocket } from '../recording-socket.ts'

/** A multiple of 1000 ms, so 100 ms and 1000 ms windows line up with whole steps. */
export const START_TIME = 1_700_000_000_000

export class FakeSocket extends RecordingSocket {}

export interface StreamRig {
  readonly exchange: SimulatedExchange
  readonly handler: PublicStreamHandler
  readonly clock: { now: number }
  /** Moves the clock and lets the handler push whatever windows closed. */
  advance(milliseconds: number): void
  open(path: string): { socket: FakeSocket; connection: StreamConnection }
}

export function startStreams(seed = 11): StreamRig {
  const clock = { now: START_TIME }
  const exchange = createSimulatedExchange({ seed, now: () => clock.now })
  const handler = createPublicStreamHandler({ exchange, now: () => clock.now })
  return {
    exchange,
    handler,
    clock,
    advance(milliseconds) {
      clock.now += milliseconds
      handler.flush(clock.now)
    },
    open(path) {
      const socket = new FakeSocket()
      return { socket, connection: handler.connect(path, socket) }
    },
  }
}

/** `[price, quantity]` pairs as the wire prints them (8 decimals for the default markets). */
export function wireLevels(levels: readonly { price: { toFixed(digits: number): string }; quantity: { toFixed(digits: number): string } }[]): [string, string][] {
  return levels.map((level) => [level.price.toFixed(8), level.quantity.toFixed(8)])
}
