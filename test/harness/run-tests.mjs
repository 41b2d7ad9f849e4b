#!/usr/bin/env node
// Runs the test suites of the runtimes named on the command line and prints how many tests ran in
// each. vitest runs node, dom (happy-dom), workerd, browser (Chromium) and page (the playground's
// dev server driven in Chromium by playwright-core); `deno test` runs deno.
// Fails when any test fails, any runtime ran no test, or a runner exits non-zero.
//
//   node test/harness/run-tests.mjs node dom workerd deno     (npm test)
//   node test/harness/run-tests.mjs browser page              (npm run test:browser)
//
// With SPOTWIRE_TEST_COUNTS_DIR set, each runtime's counts are also written there as <runtime>.json
// (.ci/run adds them up at the end).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const VITEST_RUNTIMES = ['node', 'dom', 'workerd', 'browser', 'page']
const KNOWN_RUNTIMES = [...VITEST_RUNTIMES, 'deno']

// `--filter <text>` runs only test files whose path contains <text> (the negative control uses it).
const args = process.argv.slice(2)
const filterAt = args.indexOf('--filter')
const fileFilter = filterAt >= 0 ? args.splice(filterAt, 2)[1] : undefined
const requested = args
const unknown = requested.filter((name) => !KNOWN_RUNTIMES.includes(name))
if (requested.length === 0 || unknown.length > 0) {
  console.error(`usage: run-tests.mjs <${KNOWN_RUNTIMES.join('|')}>...${unknown.length ? ` (unknown: ${unknown})` : ''}`)
  process.exit(2)
}

const children = new Set()
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // Each runner is a process-group leader: stop the group, so its workers go with it.
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {}
    }
    process.exit(130)
  })
}

/** Runs a command in its own process group; echoes its output and returns exit code and stdout. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    })
    children.add(child)
    let stdout = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      process.stdout.write(chunk)
    })
    child.on('close', (code, signal) => {
      children.delete(child)
      resolve({ code: code ?? (signal ? 1 : 0), stdout })
    })
  })
}

function findFiles(directory, pattern) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : findFiles(path, pattern)
    return pattern.test(entry.name) ? [relative(root, path)] : []
  })
}

/** The suites test/portable-suites.json lists, directories expanded to their *.test.ts files. */
function portableSuiteFiles() {
  const { suites } = JSON.parse(readFileSync(join(root, 'test/portable-suites.json'), 'utf8'))
  return suites.flatMap((path) => {
    const absolute = join(root, path)
    if (path.endsWith('.ts')) return existsSync(absolute) ? [path] : []
    return existsSync(absolute) ? findFiles(absolute, /\.test\.ts$/) : []
  })
}

/**
 * The simulator Deno's end-to-end test talks to: `npm run sim` itself (its launcher), on a free
 * loopback port, read from the first line it prints. Under the negative control, a dead port.
 */
async function startSimulatorForDeno() {
  if (process.env.SPOTWIRE_SMOKE_WITHOUT_SERVER === '1') {
    const probe = createServer()
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address()
    await new Promise((resolve) => probe.close(resolve))
    const endpoints = { rest: `http://127.0.0.1:${port}/api`, ws: `ws://127.0.0.1:${port}`, wsApi: `ws://127.0.0.1:${port}/ws-api/v3`, apiKey: 'none', apiSecret: 'none' }
    return { endpoints: JSON.stringify(endpoints), stop: () => {} }
  }
  const child = spawn(process.execPath, ['src/sim/run-sim.node.mjs', '--port', '0', '--seed', '22'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  children.add(child)
  const stop = () => {
    children.delete(child)
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
  }
  const firstLine = await new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout.on('data', (chunk) => {
      buffered += chunk
      const end = buffered.indexOf('\n')
      if (end >= 0) resolve(buffered.slice(0, end))
    })
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}) before printing its endpoints`)))
  }).catch((error) => {
    stop()
    throw error
  })
  return { endpoints: firstLine, stop }
}

const counts = {}
let runnerFailed = false

const vitestRuntimes = requested.filter((name) => VITEST_RUNTIMES.includes(name))
if (vitestRuntimes.length > 0) {
  const scratch = mkdtempSync(join(tmpdir(), 'spotwire-counts-'))
  const countsFile = join(scratch, 'vitest.json')
  const vitestArgs = ['vitest', 'run', ...vitestRuntimes.flatMap((name) => ['--project', name])]
  vitestArgs.push('--reporter=default', '--reporter=./test/harness/runtime-count-reporter.ts')
  if (fileFilter) vitestArgs.push(fileFilter)
  const { code } = await run('npx', vitestArgs, { SPOTWIRE_COUNTS_FILE: countsFile })
  if (code !== 0) runnerFailed = true
  try {
    Object.assign(counts, JSON.parse(readFileSync(countsFile, 'utf8')))
  } catch {
    runnerFailed = true
  }
  rmSync(scratch, { recursive: true, force: true })
}

if (requested.includes('deno')) {
  // Deno runs its own smoke file plus every portable suite, through the vitest shim that
  // test/deno.json maps 'vitest' to. Types are checked by `npm run typecheck`, not here.
  const files = [...findFiles(join(root, 'test'), /\.deno\.ts$/), ...portableSuiteFiles()].filter(
    (file) => !fileFilter || file.includes(fileFilter),
  )
  const denoArgs = ['deno', 'test', '-A', '--no-lock', '--no-check', '--config', 'test/deno.json', ...files]
  const simulator = await startSimulatorForDeno()
  const { code, stdout } = await run('npx', denoArgs, {
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    SPOTWIRE_SIM: simulator.endpoints,
  }).finally(() => simulator.stop())
  if (code !== 0) runnerFailed = true
  // Deno closes with e.g. "ok | 8 passed | 0 failed (33ms)" or "FAILED | 6 passed | 2 failed | 1 ignored".
  const summary = stdout.match(/\| (\d+) passed(?: \([^)]*\))? \| (\d+) failed(?: \([^)]*\))?(?: \| (\d+) ignored)?/)
  const [, passed = '0', failed = '0', ignored = '0'] = summary ?? []
  // Deno lists each failed test as "<name> => ./file.ts:line:col" after "ERRORS".
  const failures = [...stdout.matchAll(/^(.+?) => \.\/.+:\d+:\d+$/gm)].map((match) => match[1])
  counts.deno = { passed: Number(passed), failed: Number(failed), skipped: Number(ignored), failures: [...new Set(failures)] }
}

console.log('\nTests per runtime:')
let totalPassed = 0
let totalFailed = 0
const problems = []
for (const runtime of requested) {
  const entry = counts[runtime] ?? { passed: 0, failed: 0, skipped: 0, failures: [] }
  totalPassed += entry.passed
  totalFailed += entry.failed
  const ran = entry.passed + entry.failed
  console.log(`  ${runtime.padEnd(8)} ${String(ran).padStart(4)} ran: ${entry.passed} passed, ${entry.failed} failed, ${entry.skipped} skipped`)
  if (ran === 0) problems.push(`${runtime} ran no test`)
  if (entry.failed > 0) problems.push(`${runtime} had ${entry.failed} failing test(s)`)
  if (process.env.SPOTWIRE_TEST_COUNTS_DIR) {
    mkdirSync(process.env.SPOTWIRE_TEST_COUNTS_DIR, { recursive: true })
    writeFileSync(join(process.env.SPOTWIRE_TEST_COUNTS_DIR, `${runtime}.json`), JSON.stringify(entry))
  }
}
if (runnerFailed && problems.length === 0) problems.push('a test runner exited with an error')
for (const problem of problems) console.log(`  problem: ${problem}`)
console.log(`${totalPassed} passed, ${totalFailed} failed`)
process.exit(problems.length > 0 ? 1 : 0)
