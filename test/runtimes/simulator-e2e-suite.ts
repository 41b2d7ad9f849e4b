// The simulator end-to-end scenario, registered by each vitest runtime's test file; the harness's
// global setup starts the simulator on loopback and hands its endpoints over as `inject('simulator')`.
import { expect, inject, it } from 'vitest'
import { EXPECTED_SUMMARY, runSimulatorScenario } from './sim-scenario.ts'

export function defineSimulatorE2e(runtime: string): void {
  it(`runs the Binance connector against the simulator in ${runtime}: gap -> stale -> live = truth, signed order placed and cancelled with events, clean stop`, async () => {
    const { summary, details } = await runSimulatorScenario(inject('simulator'))
    expect(summary, JSON.stringify(details)).toEqual(EXPECTED_SUMMARY)
  }, 60_000)
}
