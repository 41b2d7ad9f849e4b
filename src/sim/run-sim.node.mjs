#!/usr/bin/env node
// `npm run sim` (`exec`, so the signals npm forwards reach this process, not an idle sh in between):
// Node 20 cannot run TypeScript, so esbuild bundles src/sim/cli.node.ts (and the
// simulator it imports) into one ESM file in a temporary directory, which is imported, then removed.
// esbuild writes nothing to stdout: the first stdout line must be the simulator's JSON.
//
//   node src/sim/run-sim.node.mjs [--port <n>] [--seed <n>] [--listen-keys]
import { build, stop as stopEsbuild } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const entry = fileURLToPath(new URL('./cli.node.ts', import.meta.url))
const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  logLevel: 'warning', // esbuild logs to stderr
  // ws loads these native speed-ups only if installed; it works without them.
  external: ['bufferutil', 'utf-8-validate'],
  // ws is CommonJS: its require() calls of Node built-ins need a real require inside an ES module.
  banner: { js: "import { createRequire as __spotwireCreateRequire } from 'node:module'; const require = __spotwireCreateRequire(import.meta.url);" },
})
await stopEsbuild() // its service process would otherwise live as long as the simulator
const scratch = mkdtempSync(join(tmpdir(), 'spotwire-sim-'))
const bundled = join(scratch, 'cli.node.mjs')
writeFileSync(bundled, result.outputFiles[0].contents)
let cli
try {
  cli = await import(pathToFileURL(bundled).href)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
await cli.runSimulatorCli(process.argv.slice(2))
