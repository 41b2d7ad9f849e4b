// Side by side in one run (STYLE.md rule 10): every phase works through the same items chunk by
// chunk, and the order of the phases flips every chunk (and every round, with `reverse`), so a
// machine that slows down mid-run slows all of them alike.

/** One measured piece of work over the items [from, to). */
export type Phase = (from: number, to: number) => void
export type AsyncPhase = (from: number, to: number) => void | Promise<void>

/**
 * Runs `phases` chunk by chunk over [0, total) in alternating order; returns ms spent per phase.
 *
 * @example
 * const [baselineMs, spotwireMs] = runInterleaved([parseOnly, parseAndApply], 200_000, 1_000, false)
 */
export function runInterleaved(phases: readonly Phase[], total: number, chunk: number, reverse: boolean): number[] {
  const spent = phases.map(() => 0)
  for (let from = 0, round = 0; from < total; from += chunk, round++) {
    const to = Math.min(total, from + chunk)
    for (const index of phaseOrder(phases.length, round, reverse)) {
      const started = performance.now()
      phases[index]!(from, to)
      spent[index] = spent[index]! + performance.now() - started
    }
  }
  return spent
}

/** `runInterleaved` for phases that wait (events delivered through promises): each is awaited. */
export async function runInterleavedAsync(phases: readonly AsyncPhase[], total: number, chunk: number, reverse: boolean): Promise<number[]> {
  const spent = phases.map(() => 0)
  for (let from = 0, round = 0; from < total; from += chunk, round++) {
    const to = Math.min(total, from + chunk)
    for (const index of phaseOrder(phases.length, round, reverse)) {
      const started = performance.now()
      await phases[index]!(from, to)
      spent[index] = spent[index]! + performance.now() - started
    }
  }
  return spent
}

function phaseOrder(count: number, round: number, reverse: boolean): number[] {
  const order = Array.from({ length: count }, (_, index) => index)
  return (round % 2 === 1) !== reverse ? order.reverse() : order
}
