#!/usr/bin/env node
// Runs a TypeScript benchmark from bench/ under plain Node 20: esbuild bundles
// bench/<name>.bench.ts (and the src/ files it imports) into one ESM file in a temporary directory,
// which is then imported. Bundling also keeps the measured code close to what users ship.
//
//   node bench/run.mjs order-book
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const name = process.argv[2]
if (!name) {
  console.error('usage: node bench/run.mjs <name>   (runs bench/<name>.bench.ts)')
  process.exit(2)
}

const entry = fileURLToPath(new URL(`./${name}.bench.ts`, import.meta.url))
const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM (ws, which the simulator's Node server uses) still
  // require() Node's built-ins; give the bundle a real `require` for them.
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
})
const scratch = mkdtempSync(join(tmpdir(), 'spotwire-bench-'))
const bundled = join(scratch, `${name}.bench.mjs`)
writeFileSync(bundled, result.outputFiles[0].contents)
try {
  await import(pathToFileURL(bundled).href)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
