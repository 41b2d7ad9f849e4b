// A vitest reporter that counts test outcomes per project (one project = one runtime) and writes them
// as JSON to $SPOTWIRE_COUNTS_FILE for test/harness/run-tests.mjs to print and check.
import { writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'

export interface RuntimeCounts {
  passed: number
  failed: number
  skipped: number
  /** Full names of the failed tests. */
  failures: string[]
}

export default class RuntimeCountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts: Record<string, RuntimeCounts> = {}
    for (const testModule of testModules) {
      // Browser instances are named "<project> (<browser>)"; the runtime is the project.
      const runtime = testModule.project.name.replace(/ \(.*\)$/, '')
      const entry = (counts[runtime] ??= { passed: 0, failed: 0, skipped: 0, failures: [] })
      // A file that fails to load has no tests; count it as a failure so it cannot pass silently.
      if (testModule.state() === 'failed' && testModule.children.size === 0) {
        entry.failed += 1
        entry.failures.push(`${testModule.moduleId} (did not load)`)
      }
      for (const test of testModule.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') entry.passed += 1
        else if (state === 'failed') {
          entry.failed += 1
          entry.failures.push(test.fullName)
        }
        else entry.skipped += 1
      }
    }
    const file = process.env['SPOTWIRE_COUNTS_FILE']
    if (file) writeFileSync(file, JSON.stringify(counts))
  }
}
