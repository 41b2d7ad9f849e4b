#!/usr/bin/env node
// `npm run new-connector -- <name> [--root <dir>]`: writes the recipe's file set for a new exchange
// (src/connectors/<name>/…, test/connectors/<name>/…), registers its `./<name>` subpath export and
// typechecks the result. Plain ESM for Node 20 so it runs without a build step; it is a Node adapter
// (the `.node.` in its name), so the web-platform guard lets it use node:fs and node:child_process.
//
// Exit codes: 0 made and typechecked; 1 made but the typecheck failed (the files stay, so the error
// can be read and fixed); 2 refused (bad name, existing connector, not a spotwire checkout), and
// then nothing was written.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const TEMPLATE_ROOT = join(dirname(fileURLToPath(import.meta.url)), 'templates')
const NAME_PATTERN = /^[a-z][a-z0-9-]*$/
// Subpaths the package already uses for something other than a connector.
const RESERVED_NAMES = new Set(['testing', 'sim', 'core', 'edge', 'index', 'package-json'])
const USAGE = 'usage: npm run new-connector -- <name> [--root <dir>]   (name: lowercase, [a-z][a-z0-9-]*, e.g. kraken or crypto-com)'

class Refusal extends Error {}

/** `crypto-com` → `CryptoCom`: the prefix of every generated class and factory. */
export function pascalCase(name) {
  return name
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')
}

/** Checks a connector name; returns the reason it is refused, or undefined when it is fine. */
export function nameProblem(name) {
  if (typeof name !== 'string' || name === '') return 'a connector name is required'
  if (!NAME_PATTERN.test(name)) return `'${name}' is not a valid connector name: use lowercase letters, digits and '-', starting with a letter`
  if (name.endsWith('-') || name.includes('--')) return `'${name}' is not a valid connector name: '-' must separate words`
  if (RESERVED_NAMES.has(name)) return `'${name}' is reserved for another part of the package`
  return undefined
}

function parseArgs(argv) {
  let name
  let root = process.cwd()
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]
    if (arg === '--root') {
      const value = argv[index + 1]
      if (value === undefined) throw new Refusal('--root needs a directory')
      root = value
      index += 1
    } else if (arg.startsWith('--root=')) {
      root = arg.slice('--root='.length)
    } else if (arg === '--help' || arg === '-h') {
      throw new Refusal(USAGE)
    } else if (arg.startsWith('-')) {
      throw new Refusal(`unknown option ${arg}`)
    } else if (name === undefined) {
      name = arg
    } else {
      throw new Refusal(`one connector name at a time (got '${name}' and '${arg}')`)
    }
  }
  const problem = nameProblem(name)
  if (problem !== undefined) throw new Refusal(problem)
  return { name, root: resolve(root) }
}

/** Every template file under `dir`, as paths relative to TEMPLATE_ROOT, sorted. */
function listTemplates(dir = TEMPLATE_ROOT) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...listTemplates(path))
    else if (entry.name.endsWith('.txt')) found.push(relative(TEMPLATE_ROOT, path))
  }
  return found.sort()
}

/**
 * The files to write: `templates/src/x.ts.txt` → `src/connectors/<name>/x.ts`,
 * `templates/test/x.test.ts.txt` → `test/connectors/<name>/x.test.ts`.
 */
export function renderConnectorFiles(name) {
  const names = { name, Name: pascalCase(name) }
  return listTemplates().map((template) => {
    const [area, ...rest] = template.split(/[\\/]/)
    const file = rest.join('/').replace(/\.txt$/, '')
    const text = readFileSync(join(TEMPLATE_ROOT, template), 'utf8').replace(/\{\{(name|Name)\}\}/g, (_, key) => names[key])
    return { path: `${area}/connectors/${name}/${file}`, text }
  })
}

/** The manifest with `./<name>` added after the last connector subpath (or before `./package.json`). */
export function addSubpathExport(manifestText, name) {
  const manifest = JSON.parse(manifestText)
  const entries = Object.entries(manifest.exports)
  const entry = [`./${name}`, { types: `./dist/connectors/${name}/index.d.ts`, default: `./dist/connectors/${name}/index.js` }]
  const isConnector = ([, target]) => typeof target === 'object' && String(target.default).startsWith('./dist/connectors/')
  const lastConnector = entries.findLastIndex(isConnector)
  const packageJson = entries.findIndex(([key]) => key === './package.json')
  const at = lastConnector >= 0 ? lastConnector + 1 : packageJson >= 0 ? packageJson : entries.length
  entries.splice(at, 0, entry)
  manifest.exports = Object.fromEntries(entries)
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** Everything that must hold before a single file is written; throws a Refusal otherwise. */
function checkTarget(root, name, files) {
  const manifestPath = join(root, 'package.json')
  if (!existsSync(manifestPath) || !existsSync(join(root, 'src', 'core'))) {
    throw new Refusal(`${root} is not a spotwire checkout (no package.json or src/core)`)
  }
  let manifest
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  } catch (error) {
    throw new Refusal(`${manifestPath} is not valid JSON: ${error.message}`)
  }
  if (typeof manifest.exports !== 'object' || manifest.exports === null) throw new Refusal(`${manifestPath} has no exports map`)
  if (Object.hasOwn(manifest.exports, `./${name}`)) throw new Refusal(`the connector '${name}' already exists (package.json exports ./${name})`)
  for (const dir of [`src/connectors/${name}`, `test/connectors/${name}`]) {
    if (existsSync(join(root, dir))) throw new Refusal(`the connector '${name}' already exists (${dir}/)`)
  }
  for (const file of files) {
    if (existsSync(join(root, file.path))) throw new Refusal(`${file.path} already exists`)
  }
}

function typecheck(root) {
  for (const project of ['tsconfig.json', 'test/tsconfig.json']) {
    console.log(`\n$ npx tsc -p ${project}`)
    const result = spawnSync('npx', ['tsc', '-p', project], { cwd: root, stdio: 'inherit' })
    if (result.status !== 0) return false
  }
  return true
}

function main(argv) {
  let args
  let files
  try {
    args = parseArgs(argv)
    files = renderConnectorFiles(args.name)
    checkTarget(args.root, args.name, files)
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    console.error(`new-connector: ${error.message}`)
    if (error.message !== USAGE) console.error(USAGE)
    return 2
  }
  const { name, root } = args
  for (const file of files) {
    const path = join(root, file.path)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, file.text)
  }
  const manifestPath = join(root, 'package.json')
  writeFileSync(manifestPath, addSubpathExport(readFileSync(manifestPath, 'utf8'), name))

  console.log(`new-connector: made the ${pascalCase(name)} connector in ${root}`)
  for (const file of files) console.log(`  ${file.path}`)
  console.log(`  package.json: exports "./${name}" → ./dist/connectors/${name}/index.js`)
  if (!typecheck(root)) {
    console.error(`\nnew-connector: the files were written but do not typecheck (see above); fix them, then rerun the typecheck.`)
    return 1
  }
  console.log(`
new-connector: typecheck passed.
Next: walk the recipe with docs/adding-a-connector.md, starting at src/connectors/${name}/constants.ts.
Each step's tests start as todo entries; run them with
  npx vitest run --project node test/connectors/${name}
and turn each entry into a real test before writing the code it names.`)
  return 0
}

// Run only as a program, so the test can import the pure helpers above.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
