// `npm run new-connector`: scaffolds connectors into a temporary copy of the repository (so the real
// tree is never touched), then checks what was made, that it typechecks under the repo's strict
// settings, that its tests all start as todo entries, and that refusals write nothing.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repository = fileURLToPath(new URL('../..', import.meta.url))
const generator = join(repository, 'src/testing/scaffold/new-connector.node.mjs')
const COPIED = ['src', 'test', 'playground', 'package.json', 'tsconfig.json', 'tsconfig.node.json', 'vite.config.ts', 'wrangler.toml']
// tsc twice and a vitest run, each a child process.
const SLOW_MS = 120_000

const SOURCE_FILES = [
  'constants.ts',
  'web-utils.ts',
  'utils.ts',
  'order-book.ts',
  'api-order-book-data-source.ts',
  'api-user-stream-data-source.ts',
  'auth.ts',
  'exchange.ts',
  'schemas.ts',
  'index.ts',
]
const TEST_FILES = [
  'constants.test.ts',
  'web-utils.test.ts',
  'utils.test.ts',
  'order-book.test.ts',
  'api-order-book-data-source.test.ts',
  'auth.test.ts',
  'api-user-stream-data-source.test.ts',
  'exchange.test.ts',
]

interface VitestJsonReport {
  numTotalTests: number
  numTodoTests: number
  numPassedTests: number
  numFailedTests: number
  testResults: Array<{ name: string; assertionResults: Array<{ status: string }> }>
}

/** The parent vitest's variables would make the child think it runs inside a worker. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TEST'))
}

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: SLOW_MS })
}

function scaffold(root: string, ...args: string[]): SpawnSyncReturns<string> {
  return run(process.execPath, [generator, ...args, '--root', root], root)
}

/** Every file under `dir` (relative path → content); {} when it does not exist. */
function snapshotTree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {}
  const files: Record<string, string> = {}
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files[path.slice(dir.length + 1)] = readFileSync(path, 'utf8')
  }
  return files
}

describe('npm run new-connector', () => {
  let root: string
  let originalManifest: string
  let first: SpawnSyncReturns<string>

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'spotwire-scaffold-'))
    for (const name of COPIED) cpSync(join(repository, name), join(root, name), { recursive: true })
    symlinkSync(join(repository, 'node_modules'), join(root, 'node_modules'), 'dir')
    originalManifest = readFileSync(join(root, 'package.json'), 'utf8')
    first = scaffold(root, 'testex')
  }, SLOW_MS)

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('writes the recipe file set and typechecks it at once (exit 0)', () => {
    expect(first.status, `${first.stdout}\n${first.stderr}`).toBe(0)
    for (const file of SOURCE_FILES) expect(existsSync(join(root, 'src/connectors/testex', file)), file).toBe(true)
    for (const file of TEST_FILES) expect(existsSync(join(root, 'test/connectors/testex', file)), file).toBe(true)
    expect(first.stdout).toContain('typecheck passed')
    expect(first.stdout).toContain('npx vitest run --project node test/connectors/testex')
  })

  it('names the connector in classes, the factory and the stubs that say which recipe step is next', () => {
    const exchange = readFileSync(join(root, 'src/connectors/testex/exchange.ts'), 'utf8')
    expect(exchange).toContain('export class TestexExchange extends ExchangeBase<TestexUserStreamEvent>')
    expect(exchange).toContain("'testex: placeOrder has not been written yet (recipe step: Exchange > _place_order)'")
    expect(readFileSync(join(root, 'src/connectors/testex/index.ts'), 'utf8')).toContain('export function createTestexExchange(')
    const constants = readFileSync(join(root, 'src/connectors/testex/constants.ts'), 'utf8')
    expect(constants).toContain('satisfies readonly RateLimit[]')
    expect(constants).toContain('satisfies Readonly<Record<TestexOrderStatus, OrderState>>')
    for (const [file, text] of Object.entries(snapshotTree(join(root, 'src/connectors/testex')))) {
      expect(text, file).not.toMatch(/\{\{|TODO|FIXME|not implemented/)
    }
  })

  it('wires the conformance kit into the exchange test', () => {
    const test = readFileSync(join(root, 'test/connectors/testex/exchange.test.ts'), 'utf8')
    expect(test).toContain("import { EXCHANGE_CONFORMANCE_BEHAVIOURS } from '../../../src/testing/index.ts'")
    expect(test).toContain('for (const behaviour of EXCHANGE_CONFORMANCE_BEHAVIOURS) it.todo(behaviour)')
    expect(test).toContain('describeExchangeConformance(')
  })

  it('registers the ./testex subpath export after the last connector, keeping the file 2-space JSON', () => {
    const text = readFileSync(join(root, 'package.json'), 'utf8')
    const manifest = JSON.parse(text) as { exports: Record<string, unknown> }
    expect(manifest.exports['./testex']).toEqual({
      types: './dist/connectors/testex/index.d.ts',
      default: './dist/connectors/testex/index.js',
    })
    expect(Object.keys(manifest.exports)).toEqual(['.', './binance', './testex', './testing', './sim', './sim/node', './package.json'])
    expect(text).toBe(`${JSON.stringify(manifest, null, 2)}\n`)
    const { ['./testex']: _added, ...others } = manifest.exports
    expect(others).toEqual((JSON.parse(originalManifest) as { exports: Record<string, unknown> }).exports)
  })

  it('its tests all start as todo entries: none pass, none fail', () => {
    const report = join(root, 'vitest-report.json')
    const vitest = run('npx', ['vitest', 'run', '--project', 'node', 'test/connectors/testex', '--reporter=json', `--outputFile=${report}`], root)
    expect(vitest.status, `${vitest.stdout}\n${vitest.stderr}`).toBe(0)
    const result = JSON.parse(readFileSync(report, 'utf8')) as VitestJsonReport
    expect(result.testResults).toHaveLength(TEST_FILES.length)
    for (const file of result.testResults) {
      expect(file.assertionResults.length, file.name).toBeGreaterThan(0)
      expect(new Set(file.assertionResults.map((test) => test.status)), file.name).toEqual(new Set(['todo']))
    }
    expect(result.numTodoTests).toBeGreaterThan(0)
    expect(result.numTodoTests).toBe(result.numTotalTests)
    expect(result.numPassedTests).toBe(0)
    expect(result.numFailedTests).toBe(0)
  }, SLOW_MS)

  it('refuses the same name again with exit 2 and changes nothing', () => {
    const before = { manifest: readFileSync(join(root, 'package.json'), 'utf8'), src: snapshotTree(join(root, 'src/connectors')), test: snapshotTree(join(root, 'test/connectors')) }
    const again = scaffold(root, 'testex')
    expect(again.status).toBe(2)
    expect(again.stderr).toContain("the connector 'testex' already exists")
    expect({ manifest: readFileSync(join(root, 'package.json'), 'utf8'), src: snapshotTree(join(root, 'src/connectors')), test: snapshotTree(join(root, 'test/connectors')) }).toEqual(before)
  })

  it('refuses bad names, existing connectors and a missing name with exit 2, writing nothing', () => {
    const before = { manifest: readFileSync(join(root, 'package.json'), 'utf8'), connectors: readdirSync(join(root, 'src/connectors')).sort() }
    for (const args of [['Kraken'], ['crypto_com'], ['1exchange'], ['bad-'], ['testing'], ['binance'], []]) {
      const refused = scaffold(root, ...args)
      expect(refused.status, args.join(' ')).toBe(2)
      expect(refused.stderr, args.join(' ')).toMatch(/^new-connector: /)
    }
    expect({ manifest: readFileSync(join(root, 'package.json'), 'utf8'), connectors: readdirSync(join(root, 'src/connectors')).sort() }).toEqual(before)
  })

  it('spells a hyphenated name in PascalCase and still typechecks', () => {
    const made = scaffold(root, 'crypto-ex')
    expect(made.status, `${made.stdout}\n${made.stderr}`).toBe(0)
    expect(readFileSync(join(root, 'src/connectors/crypto-ex/index.ts'), 'utf8')).toContain('export function createCryptoExExchange(')
  }, SLOW_MS)
})
