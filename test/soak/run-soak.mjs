#!/usr/bin/env node
// `npm run soak -- [options]`: bundles test/soak/soak-main.ts with esbuild (bench/run-typescript.mjs)
// and runs it under plain Node 20. See test/soak/soak-options.ts for the options.
import { fileURLToPath } from 'node:url'
import { runTypeScript } from '../../bench/run-typescript.mjs'

await runTypeScript(fileURLToPath(new URL('./soak-main.ts', import.meta.url)), { sourceMaps: true })
// Anything still pending here is a leak the report already named; do not wait for it.
process.exit(process.exitCode ?? 0)
