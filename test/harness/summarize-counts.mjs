#!/usr/bin/env node
// Prints the per-runtime test counts that run-tests.mjs wrote to a directory, and their total.
// Fails when any runtime ran no test or had a failure.   usage: summarize-counts.mjs <directory>
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const directory = process.argv[2]
if (!directory) {
  console.error('usage: summarize-counts.mjs <directory>')
  process.exit(2)
}
let passed = 0
let failed = 0
let empty = 0
console.log('Tests per environment:')
for (const file of readdirSync(directory).filter((name) => name.endsWith('.json')).sort()) {
  const entry = JSON.parse(readFileSync(join(directory, file), 'utf8'))
  const runtime = file.replace(/\.json$/, '')
  passed += entry.passed
  failed += entry.failed
  if (entry.passed + entry.failed === 0) empty += 1
  console.log(`  ${runtime.padEnd(8)} ${entry.passed + entry.failed} ran: ${entry.passed} passed, ${entry.failed} failed`)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 || empty > 0 || passed === 0 ? 1 : 0)
