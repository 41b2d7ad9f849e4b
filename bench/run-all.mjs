#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/, each in its own fresh Node process (through
// bench/run.mjs, with --expose-gc for the book's memory figure), one after the other so they do not
// compete for the CPU. Each benchmark prints its own tables and hands its figures back as JSON
// (bench-report.ts, via SPOTWIRE_BENCH_RESULT); this prints one summary table and writes it all to
// bench/results/latest.json (not in git: figures from a shared machine are a record of one run, the
// README holds the ones worth keeping). Targets are reported, never enforced: the exit code is
// non-zero only when a benchmark crashed.
//
//   node bench/run-all.mjs                 # every benchmark
//   node bench/run-all.mjs signing cold-start
import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BENCHMARKS = ['order-book', 'signing', 'cold-start', 'order-tracking', 'simulator', 'edge-order']
const here = dirname(fileURLToPath(import.meta.url))
const root = dirname(here)
const names = process.argv.length > 2 ? process.argv.slice(2) : BENCHMARKS
for (const name of names) {
  if (!existsSync(join(here, `${name}.bench.ts`))) {
    console.error(`no benchmark bench/${name}.bench.ts (known: ${BENCHMARKS.join(', ')})`)
    process.exit(2)
  }
}

// The cold start measures the built package, as users get it.
if (names.includes('cold-start') && !existsSync(join(root, 'dist/connectors/binance/index.js'))) {
  console.log('dist/ is missing: npm run build')
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const started = performance.now()
const scratch = mkdtempSync(join(tmpdir(), 'spotwire-bench-results-'))
const results = []
try {
  for (const name of names) {
    console.log(`\n=== ${name} ${'='.repeat(Math.max(0, 90 - name.length))}`)
    const resultPath = join(scratch, `${name}.json`)
    const benchStarted = performance.now()
    const child = spawnSync(process.execPath, ['--expose-gc', join(here, 'run.mjs'), name], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, SPOTWIRE_BENCH_RESULT: resultPath },
    })
    const seconds = (performance.now() - benchStarted) / 1000
    if (child.status === 0 && existsSync(resultPath)) {
      results.push({ ...JSON.parse(readFileSync(resultPath, 'utf8')), seconds, ok: true })
    } else {
      results.push({ benchmark: name, figures: [], seconds, ok: false, error: `exited ${child.status ?? child.signal}${existsSync(resultPath) ? '' : ', no result'}` })
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
const totalSeconds = (performance.now() - started) / 1000

/** A value with its unit, at a precision that suits it. */
function formatValue(value, unit) {
  if (!Number.isFinite(value)) return String(value)
  const digits = unit === '/s' ? 0 : Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  const text = value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return unit === 'x' ? `${text}x` : unit === '/s' ? `${text}/s` : `${text} ${unit}`
}

const rows = results.flatMap((result) =>
  result.ok
    ? result.figures.map((figure) => ({
        benchmark: result.benchmark,
        measure: figure.measure,
        value: formatValue(figure.value, figure.unit),
        ratio: figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}x`,
        target: figure.target ?? '',
        'met?': figure.met === undefined ? '' : figure.met ? 'yes' : 'NO',
      }))
    : [{ benchmark: result.benchmark, measure: `FAILED: ${result.error}`, value: '', ratio: '', target: '', 'met?': '' }],
)

console.log(`\n=== summary ${'='.repeat(83)}`)
printTable(rows)
const missed = results.flatMap((result) => result.figures.filter((figure) => figure.met === false).map((figure) => `${result.benchmark}: ${figure.measure}`))
console.log(
  `\n${results.length} benchmarks in ${totalSeconds.toFixed(0)} s (${results.map((r) => `${r.benchmark} ${r.seconds.toFixed(0)} s`).join(', ')}); ` +
    `Node ${process.versions.node}, ${cpus().length} CPUs. Targets are reported, never enforced: ${missed.length} missed.`,
)

const outDir = join(here, 'results')
mkdirSync(outDir, { recursive: true })
const outPath = join(outDir, 'latest.json')
const report = {
  date: new Date().toISOString(),
  node: process.versions.node,
  platform: `${process.platform} ${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  totalSeconds,
  results,
}
writeFileSync(outPath, `${JSON.stringify(report, null, 2)}\n`)
console.log(`written: ${outPath.slice(root.length + 1)}`)
if (results.some((result) => !result.ok)) process.exit(1)

/** A plain-text table (console.table quotes strings and adds an index column). */
function printTable(table) {
  if (table.length === 0) return
  const columns = Object.keys(table[0])
  const widths = columns.map((column) => Math.max(column.length, ...table.map((row) => String(row[column]).length)))
  const line = (cells) => cells.map((cell, index) => String(cell).padEnd(widths[index])).join(' | ')
  console.log(line(columns))
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'))
  for (const row of table) console.log(line(columns.map((column) => row[column])))
}
