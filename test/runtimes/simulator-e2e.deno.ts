// The simulator end-to-end scenario inside Deno. test/harness/run-tests.mjs starts the simulator
// (`npm run sim`, loopback) before `deno test` and passes the line it printed as SPOTWIRE_SIM.
import assert from 'node:assert/strict'
import { EXPECTED_SUMMARY, runSimulatorScenario, type SimulatorEndpoints } from './sim-scenario.ts'

Deno.test('runs the Binance connector against the simulator in Deno: gap -> stale -> live = truth, signed order placed and cancelled with events, clean stop', async () => {
  const endpoints = Deno.env.get('SPOTWIRE_SIM')
  assert.ok(endpoints, 'SPOTWIRE_SIM is not set: run through test/harness/run-tests.mjs')
  const { summary, details } = await runSimulatorScenario(JSON.parse(endpoints) as SimulatorEndpoints)
  assert.deepEqual(summary, EXPECTED_SUMMARY, JSON.stringify(details))
})
