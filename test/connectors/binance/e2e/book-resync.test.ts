// A sequence gap on the depth stream: the book notices it, turns stale, resyncs from a new
// snapshot and is live again, equal to the simulator's book.
import { describe, expect, it } from 'vitest'
import { caughtUpBooks, recordBookStatuses, startE2e, waitUntil } from './sim-e2e-kit.ts'

describe('Binance e2e: order book sequence gap', () => {
  it('listen for order book diffs: a skipped update id marks the book stale, then a resync makes it live and equal to the truth', async () => {
    const rig = await startE2e({ seed: 12 })
    const { exchange, simulator } = rig
    simulator.marketMakersRunning = false
    const before = await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 20)
    expect(before.connector).toEqual(before.truth)

    const statuses = recordBookStatuses(exchange, 'BTC-USDT')
    simulator.faults.arm({ kind: 'skipSequenceIds', symbol: 'BTCUSDT' })
    simulator.marketMakersRunning = true
    // Move the book until a BTCUSDT diff has been withheld, then once more so the next diff shows the gap.
    await waitUntil(() => {
      simulator.stepMarketMakers(1)
      return simulator.faults.counts().skipSequenceIds >= 1
    }, 'the simulator to withhold a BTCUSDT depth diff')
    const skippedAt = truthUpdateId(rig)
    await waitUntil(() => {
      if (truthUpdateId(rig) === skippedAt) simulator.stepMarketMakers(1)
      return statuses.seen.includes('stale')
    }, `the book to turn stale after the gap (statuses seen: ${statuses.seen.join(' → ')})`)
    simulator.marketMakersRunning = false

    const after = await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 20)
    statuses.stop()
    expect(simulator.faults.counts().skipSequenceIds).toBeGreaterThanOrEqual(1)
    expect(statuses.seen.slice(0, 2)).toEqual(['live', 'stale'])
    expect(statuses.seen.at(-1)).toBe('live')
    expect(after.connector.lastUpdateId).toBeGreaterThan(before.connector.lastUpdateId)
    expect(after.connector).toEqual(after.truth)
  })
})

function truthUpdateId(rig: Awaited<ReturnType<typeof startE2e>>): number {
  return rig.simulator.truth.book('BTCUSDT', 1)?.lastUpdateId ?? 0
}
