#!/usr/bin/env node
// The negative control for the runtime smoke and simulator tests: runs every runtime with its
// loopback servers removed (SPOTWIRE_SMOKE_WITHOUT_SERVER=1) and passes only if, in each runtime,
// exactly the tests that need a server fail. A smoke test that passed without its server would be doing no work.
// Only the smoke files (test/runtimes/) run: the other suites need no loopback server.
//
//   node test/harness/negative-control.mjs [runtime...]     (default: all five)
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const runtimes = process.argv.length > 2 ? process.argv.slice(2) : ['node', 'dom', 'workerd', 'deno', 'browser']
const NEEDS_SERVER = [
  /sends a signed REST request through ky/,
  /round-trips a WebSocket message through isows/,
  /runs the Binance connector against the simulator/,
]
/** Runtimes without the simulator end-to-end test (happy-dom is for unit-level DOM checks only). */
const WITHOUT_SIMULATOR_TEST = new Set(['dom'])

const countsDirectory = mkdtempSync(join(tmpdir(), 'spotwire-negative-'))
const exitCode = await new Promise((resolve) => {
  const child = spawn(process.execPath, ['test/harness/run-tests.mjs', '--filter', 'test/runtimes/', ...runtimes], {
    cwd: root,
    env: { ...process.env, SPOTWIRE_SMOKE_WITHOUT_SERVER: '1', SPOTWIRE_TEST_COUNTS_DIR: countsDirectory },
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  })
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
    process.exit(130)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  child.on('close', (code) => resolve(code))
})

const problems = []
console.log('Negative control (loopback servers removed):')
for (const runtime of runtimes) {
  let entry
  try {
    entry = JSON.parse(readFileSync(join(countsDirectory, `${runtime}.json`), 'utf8'))
  } catch {
    problems.push(`${runtime}: no result`)
    continue
  }
  const unexpected = entry.failures.filter((name) => !NEEDS_SERVER.some((pattern) => pattern.test(name)))
  const expected = WITHOUT_SIMULATOR_TEST.has(runtime) ? NEEDS_SERVER.slice(0, 2) : NEEDS_SERVER
  const missing = expected.filter((pattern) => !entry.failures.some((name) => pattern.test(name)))
  if (missing.length > 0) problems.push(`${runtime}: passed without its server: ${missing.join(', ')}`)
  if (unexpected.length > 0) problems.push(`${runtime}: unrelated failures: ${unexpected.join('; ')}`)
  console.log(`  ${runtime.padEnd(8)} ${entry.failed} failed without the server (${entry.passed} others passed)`)
}
rmSync(countsDirectory, { recursive: true, force: true })
if (exitCode === 0) problems.push('the suites passed although their servers were missing')
for (const problem of problems) console.log(`  problem: ${problem}`)
console.log(problems.length === 0 ? 'negative control holds: every runtime fails without its loopback server' : 'negative control FAILED')
process.exit(problems.length === 0 ? 0 : 1)
