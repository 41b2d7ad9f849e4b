// Runs a TypeScript entry under plain Node 20: esbuild bundles it (and the src/ files it imports)
// into one ESM file in a temporary directory, which is then imported. Shared by bench/run.mjs and
// test/soak/run-soak.mjs. Source maps are inlined and enabled, so stack traces name the .ts files.
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Bundles `entry` (an absolute path to a .ts file) and imports it; resolves with its module.
 * @example
 * await runTypeScript(fileURLToPath(new URL('./signing.bench.ts', import.meta.url)))
 */
export async function runTypeScript(entry, { sourceMaps = false } = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'warning',
    ...(sourceMaps ? { sourcemap: 'inline' } : {}),
    // CommonJS dependencies bundled into ESM (ws, which the simulator's Node server uses) still
    // require() Node's built-ins; give the bundle a real `require` for them.
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  })
  if (sourceMaps) process.setSourceMapsEnabled(true)
  const scratch = mkdtempSync(join(tmpdir(), 'spotwire-run-'))
  const bundled = join(scratch, `${basename(entry, '.ts')}.mjs`)
  writeFileSync(bundled, result.outputFiles[0].contents)
  try {
    return await import(pathToFileURL(bundled).href)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
