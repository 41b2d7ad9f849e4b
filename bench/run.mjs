#!/usr/bin/env node
// Runs a TypeScript benchmark from bench/ under plain Node 20: esbuild bundles
// bench/<name>.bench.ts (and the src/ files it imports) into one ESM file in a temporary directory,
// which is then imported. Bundling also keeps the measured code close to what users ship.
//
//   node bench/run.mjs order-book
import { fileURLToPath } from 'node:url'
import { runTypeScript } from './run-typescript.mjs'

const name = process.argv[2]
if (!name) {
  console.error('usage: node bench/run.mjs <name>   (runs bench/<name>.bench.ts)')
  process.exit(2)
}

await runTypeScript(fileURLToPath(new URL(`./${name}.bench.ts`, import.meta.url)))
