// The soak's printed summary and its verdict: violations must be 0 and the run must have reached
// its minimum orders and faults.
import type { SoakResult } from './soak.ts'
import { SOAK_ORDERS_PER_10S, SOAK_REQUEST_WEIGHT_PER_MINUTE } from './soak.ts'

/** Why the run fails (empty: it passed). */
export function failures(result: SoakResult): string[] {
  const reasons: string[] = []
  if (result.violations.length > 0) reasons.push(`${result.violations.length} invariant violations`)
  const faults = totalFaults(result)
  if (result.ordersPlaced < result.options.minOrders) reasons.push(`only ${result.ordersPlaced} orders placed (--min-orders ${result.options.minOrders})`)
  if (faults < result.options.minFaults) reasons.push(`only ${faults} faults struck (--min-faults ${result.options.minFaults})`)
  return reasons
}

export function totalFaults(result: SoakResult): number {
  return Object.values(result.faultsStruck).reduce((sum, count) => sum + count, 0)
}

/** The summary, one fact per line. */
export function formatReport(result: SoakResult): string {
  const lines: string[] = []
  const { options } = result
  lines.push(`soak: seed ${options.seed}, ${options.durationMs / 1000} s of trading BTC-USDT, ETH-USDT, ETH-BTC over loopback`)
  lines.push(`  the soak account has raised limits: ${SOAK_ORDERS_PER_10S} orders / 10 s, request weight ${SOAK_REQUEST_WEIGHT_PER_MINUTE} / min (simulator and connector throttler alike)`)
  lines.push(`  run ${(result.runMs / 1000).toFixed(1)} s, settle ${(result.settleMs / 1000).toFixed(1)} s`)
  lines.push(`faults struck: ${totalFaults(result)}`)
  for (const [kind, count] of Object.entries(result.faultsStruck)) if (count > 0) lines.push(`  ${kind.padEnd(18)} ${count}`)
  lines.push(`orders: ${result.ordersPlaced} placed, ${result.cancelsSent} cancels sent; outcomes ${JSON.stringify(result.ordersByOutcome)}`)
  lines.push(`fills: ${result.fills} reported`)
  lines.push(`live books compared with the simulator: ${result.booksCompared}`)
  lines.push(`secret scan: ${result.capturedCharacters} characters captured, ${result.signaturesSeen} request signatures checked`)
  lines.push(`connector errors and failures: ${JSON.stringify(result.errors)}`)
  lines.push(`violations: ${result.violations.length}`)
  const byInvariant = new Map<string, string[]>()
  for (const violation of result.violations) byInvariant.set(violation.invariant, [...(byInvariant.get(violation.invariant) ?? []), violation.detail])
  for (const [invariant, details] of byInvariant) {
    lines.push(`  ${invariant}: ${details.length}`)
    for (const detail of details.slice(0, 5)) lines.push(`    - ${detail}`)
  }
  const reasons = failures(result)
  lines.push(reasons.length === 0 ? 'PASS' : `FAIL: ${reasons.join('; ')}`)
  return lines.join('\n')
}
