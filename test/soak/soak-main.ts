// `npm run soak`: parses the options, runs the soak, prints the report, exits 1 on any violation or
// unmet minimum (2 on bad options). For digging into a failure: SOAK_VIOLATIONS_FILE=<path> writes
// every violation and error sample, SOAK_TRAIL_FILE=<path> every REST request as sent and as
// received, SOAK_DEBUG=1 prints the connector's throttler and in-flight state after settling.
import { runSoak } from './soak.ts'
import { parseSoakOptions } from './soak-options.ts'
import { failures, formatReport } from './soak-report.ts'

const argv = (globalThis as { soakArgv?: readonly string[] }).soakArgv ?? process.argv.slice(2)
let options
try {
  options = parseSoakOptions(argv)
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const result = await runSoak(options, { log: (line) => console.log(`[soak] ${line}`) })
console.log(formatReport(result))
// SOAK_VIOLATIONS_FILE=path writes every violation (the report shows the first few of each kind).
const detailsFile = process.env['SOAK_VIOLATIONS_FILE']
if (detailsFile !== undefined && detailsFile !== '') {
  const { writeFileSync } = await import('node:fs')
  const errorLines = Object.entries(result.errorSamples).flatMap(([name, samples]) => samples.map((sample) => `error sample ${name}: ${sample}`))
  writeFileSync(detailsFile, [...result.violations.map((violation) => `${violation.invariant}: ${violation.detail}`), ...errorLines].join('\n'))
}
process.exitCode = failures(result).length === 0 ? 0 : 1
