// One config for the playground dev server, the library build and every vitest project.
// Each project is one runtime; `npm test` runs node, dom and workerd; `npm run test:browser` runs
// chromium (Debian's package, headless) and page (the playground's dev server driven in that
// Chromium). Deno runs outside vitest (see test/harness/run-tests.ts).
import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { simulatorPlugin } from './src/sim/vite-plugin.node.ts'
import { smokeServersPlugin } from './test/harness/smoke-servers-plugin.ts'
import portable from './test/portable-suites.json' with { type: 'json' }

const LOOPBACK_SETUP = './test/harness/loopback-global-setup.ts'
const RUNTIME_SUFFIXES = ['dom', 'workerd', 'browser', 'page']
/** The portable suites as globs: a listed directory means every test file under it. */
const PORTABLE_SUITES = portable.suites.map((path) => (path.endsWith('.ts') ? path : `${path}/**/*.test.ts`))

/** Chromium's path and flags that work on these machines (see TOOLCHAIN.md). */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

/**
 * The playground imports spotwire the way a user does (`spotwire`, `spotwire/binance`); in the
 * playground these resolve to the sources, so `npm run dev` needs no build first.
 * test/tsconfig.json has the matching `paths` for the typecheck.
 */
const PLAYGROUND_ALIASES = [
  { find: /^spotwire$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  { find: /^spotwire\/binance$/, replacement: fileURLToPath(new URL('./src/connectors/binance/index.ts', import.meta.url)) },
]

export default defineConfig(({ mode }) => ({
  // `npm run dev` serves the playground; tests and builds run from the repository root.
  root: mode === 'test' ? '.' : 'playground',
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  // `npm run dev` also mounts the simulator at /sim (same origin as the page; GET /sim/info gives its
  // URLs and test keys), the embedded default exchange of the playground.
  plugins: mode === 'test' ? [] : [smokeServersPlugin(), simulatorPlugin({ prefix: '/sim' })],
  // The playground only (tests keep resolving as before). `npm run build` also writes the playground
  // as static files to dist-playground/, beside (never inside) the library's dist/.
  ...(mode === 'test'
    ? {}
    : {
        resolve: { alias: PLAYGROUND_ALIASES },
        build: { outDir: '../dist-playground', emptyOutDir: true, target: 'es2022' },
      }),
  test: {
    // `npm run coverage`: line coverage of the exchange-neutral core, gated at 90% in CI.
    coverage: {
      provider: 'v8',
      include: ['src/core/**/*.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: RUNTIME_SUFFIXES.map((suffix) => `test/**/*.${suffix}.test.ts`),
          globalSetup: [LOOPBACK_SETUP],
          // Fails any test that lets a key, secret, signature or listen key reach logs, events or errors.
          setupFiles: ['./test/harness/secret-sentinel.setup.ts'],
        },
      },
      {
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/**/*.dom.test.ts'],
          globalSetup: [LOOPBACK_SETUP],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { cf: false },
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/**/*.workerd.test.ts', ...PORTABLE_SUITES],
          globalSetup: [LOOPBACK_SETUP],
        },
      },
      {
        // The playground's acceptance test: Node starts the dev server (mode 'development', so the
        // playground and /sim are served) and drives Debian's Chromium with playwright-core.
        test: {
          name: 'page',
          environment: 'node',
          include: ['test/**/*.page.test.ts'],
        },
      },
      {
        // Pre-bundle what the suites import, so Vite does not discover a dependency mid-run and
        // reload the page under a running test.
        optimizeDeps: { include: ['big.js', 'valibot', 'ky', 'isows', '@noble/hashes/hmac.js', '@noble/hashes/sha2.js', '@noble/hashes/utils.js'] },
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          globalSetup: [LOOPBACK_SETUP],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: CHROMIUM_LAUNCH }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
}))
