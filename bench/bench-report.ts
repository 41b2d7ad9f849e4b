// The structured result every benchmark hands to `npm run bench` (bench/run-all.mjs): a list of
// figures, written as JSON to the path in SPOTWIRE_BENCH_RESULT when the orchestrator sets it.
// Run alone (`npm run bench:book`, …), a benchmark only prints its own tables.
import { writeFileSync } from 'node:fs'

export interface BenchFigure {
  /** What was measured, e.g. `frames → parse + schema + tracker, vs JSON.parse alone`. */
  readonly measure: string
  readonly value: number
  /** `x`, `µs`, `ns`, `ms`, `B`, `/s`, … */
  readonly unit: string
  /** The same work relative to the benchmark's side-by-side baseline, when there is one. */
  readonly ratio?: number
  /** The target in words (`<= 1.5x`), when the issue sets one. */
  readonly target?: string
  /** Whether the target was met; absent when there is no target. Nothing fails on it. */
  readonly met?: boolean
  /** Anything a reader needs to read the figure right (what the ratio compares, a caveat). */
  readonly note?: string
}

export interface BenchResult {
  readonly benchmark: string
  readonly node: string
  readonly figures: readonly BenchFigure[]
}

/**
 * Hands the figures to the orchestrator (when it asked for them).
 *
 * @example
 * reportFigures('signing', [{ measure: 'signed order request', value: 6.1, unit: 'µs', target: '<= 10 µs', met: true }])
 */
export function reportFigures(benchmark: string, figures: readonly BenchFigure[]): void {
  const path = process.env['SPOTWIRE_BENCH_RESULT']
  if (!path) return
  const result: BenchResult = { benchmark, node: process.versions.node, figures }
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
}

/** The median of `values` (the middle one, or the mean of the two middle ones). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
