// Cold start benchmark: a fresh Node process that imports the BUILT package (`spotwire/binance`,
// i.e. dist/) and constructs an exchange, against a fresh `node -e ''`. Target: at most 30 ms more.
// Run: `npm run bench:cold-start` (after `npm run build`; `npm run bench` builds when dist/ is missing).
//
// The two kinds of process are started alternately, one at a time, and timed from spawn to exit on
// this side; the difference of the medians is the cost of importing and constructing. Nothing here
// fails on a timing.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { median, reportFigures } from './bench-report.ts'

const RUNS = 15
const TARGET_EXTRA_MS = 30
const root = process.cwd()
const built = join(root, 'dist/connectors/binance/index.js')
if (!existsSync(join(root, 'package.json')) || !existsSync(built)) {
  console.error(`cold-start: ${built} is missing; run it from the repository root after \`npm run build\``)
  process.exit(1)
}

// The package imports itself by name (package.json `exports`), exactly as a user's code would.
const IMPORT_AND_CONSTRUCT =
  "import { createBinanceExchange } from 'spotwire/binance'; " +
  "const exchange = createBinanceExchange({ tradingPairs: ['BTC-USDT'] }); " +
  "if (typeof exchange.start !== 'function') process.exit(3)"

function timeProcess(args: readonly string[]): number {
  const started = performance.now()
  const child = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 })
  const ms = performance.now() - started
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status ?? child.signal}: ${child.stderr.toString()}`)
  return ms
}

const bare = ['-e', '']
const withImport = ['--input-type=module', '-e', IMPORT_AND_CONSTRUCT]
// For attribution only: the two dependencies the package no longer imports up front, but on the
// first connect (isows, which is `ws` under Node 20) and the first request (ky, whose import loads
// Node's fetch implementation). Their cost shows what a program pays once it goes online.
const isowsOnly = ['--input-type=module', '-e', "import 'isows'"]
const kyOnly = ['--input-type=module', '-e', "import 'ky'"]
// One of each first, not counted: the disk cache then holds node and dist/ for all alike.
timeProcess(bare)
timeProcess(withImport)
timeProcess(isowsOnly)
timeProcess(kyOnly)
const times = { bare: [] as number[], withImport: [] as number[], isows: [] as number[], ky: [] as number[], extra: [] as number[] }
for (let run = 0; run < RUNS; run++) {
  const kinds = [bare, withImport, isowsOnly, kyOnly]
  if (run % 2 === 1) kinds.reverse()
  const measured = new Map(kinds.map((args) => [args, timeProcess(args)]))
  const bareMs = measured.get(bare) as number
  const importMs = measured.get(withImport) as number
  times.bare.push(bareMs)
  times.withImport.push(importMs)
  times.isows.push(measured.get(isowsOnly) as number)
  times.ky.push(measured.get(kyOnly) as number)
  times.extra.push(importMs - bareMs)
}

const bareMs = median(times.bare)
const importMs = median(times.withImport)
const extraMs = importMs - bareMs
const pairedExtraMs = median(times.extra)
const isowsMs = median(times.isows)
const kyMs = median(times.ky)

/** The newest modification time of the .ts files under `dir`: dist/ older than this may be stale. */
function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}
const stale = statSync(built).mtimeMs < newestSource(join(root, 'src/connectors/binance'))

console.log(`${RUNS} fresh processes of each kind, Node ${process.versions.node}, alternating; wall time from spawn to exit, medians`)
console.table([
  { process: "node -e ''", 'ms (median)': bareMs.toFixed(1), 'min ms': Math.min(...times.bare).toFixed(1) },
  { process: "import 'spotwire/binance' + createBinanceExchange(…)", 'ms (median)': importMs.toFixed(1), 'min ms': Math.min(...times.withImport).toFixed(1) },
  { process: "import 'isows' alone (loaded on the first connect)", 'ms (median)': isowsMs.toFixed(1), 'min ms': Math.min(...times.isows).toFixed(1) },
  { process: "import 'ky' alone (loaded on the first request)", 'ms (median)': kyMs.toFixed(1), 'min ms': Math.min(...times.ky).toFixed(1) },
])
if (stale) console.log('note: dist/ is older than src/connectors/binance; `npm run build` measures the current code')
const met = extraMs <= TARGET_EXTRA_MS
console.log(
  `target <= +${TARGET_EXTRA_MS} ms over node -e '': ${met ? 'met' : 'NOT met'} ` +
    `(+${extraMs.toFixed(1)} ms, ${(importMs / bareMs).toFixed(2)}x; median of the paired differences +${pairedExtraMs.toFixed(1)} ms)`,
)

reportFigures('cold-start', [
  {
    measure: "fresh node: import spotwire/binance (dist) + createBinanceExchange, minus node -e ''",
    value: extraMs,
    unit: 'ms',
    ratio: importMs / bareMs,
    target: `<= +${TARGET_EXTRA_MS} ms`,
    met,
    note: `node -e '' ${bareMs.toFixed(1)} ms, with the import ${importMs.toFixed(1)} ms (medians of ${RUNS})${stale ? '; dist/ older than src/' : ''}`,
  },
  { measure: "not paid at import: import 'isows' alone (ws under Node 20; on the first connect), minus node -e ''", value: isowsMs - bareMs, unit: 'ms', ratio: isowsMs / bareMs },
  { measure: "not paid at import: import 'ky' alone (loads Node's fetch; on the first request), minus node -e ''", value: kyMs - bareMs, unit: 'ms', ratio: kyMs / bareMs },
])
