// The web-platform guard: finds code in a source tree that would tie it to Node (DESIGN.md rule 1).
// A file named `*.node.ts` is a Node adapter and may use Node; every other file may not import a Node
// built-in (`node:*`, `fs`, `crypto`, `http`, …) nor touch `process` or `Buffer`.
// Comments and string contents are blanked before looking, so prose that mentions `process` does
// not trip it while code that uses it does.
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'

export interface GuardViolation {
  /** Path relative to the scanned root, with `/` separators. */
  readonly file: string
  readonly line: number
  readonly reason: string
}

const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')))
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/
const NODE_ADAPTER_FILE = /\.node\.[cm]?[jt]sx?$/

/** Replaces comments and the contents of string and template literals with spaces (keeping lines). */
export function blankCommentsAndStrings(source: string): string {
  let out = ''
  let index = 0
  const templateDepths: number[] = [] // brace depth at which each open `${` returns to its template
  let braceDepth = 0
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ')
  const readQuoted = (quote: string): void => {
    let end = index + 1
    while (end < source.length && source[end] !== quote && source[end] !== '\n') {
      end += source[end] === '\\' ? 2 : 1
    }
    out += quote + blank(source.slice(index + 1, end)) + (source[end] === quote ? quote : '')
    index = source[end] === quote ? end + 1 : end
  }
  const readTemplateRest = (): void => {
    // index is just after a backtick or after the `}` that closed a `${`
    let end = index
    while (end < source.length && source[end] !== '`' && !(source[end] === '$' && source[end + 1] === '{')) {
      end += source[end] === '\\' ? 2 : 1
    }
    out += blank(source.slice(index, end))
    if (source[end] === '`') {
      out += '`'
      index = end + 1
    } else {
      out += '${'
      templateDepths.push(braceDepth)
      braceDepth += 1
      index = end + 2
    }
  }
  while (index < source.length) {
    const char = source[index]
    const next = source[index + 1]
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index)
      const stop = end < 0 ? source.length : end
      out += blank(source.slice(index, stop))
      index = stop
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2)
      const stop = end < 0 ? source.length : end + 2
      out += blank(source.slice(index, stop))
      index = stop
    } else if (char === '"' || char === "'") {
      readQuoted(char)
    } else if (char === '`') {
      out += '`'
      index += 1
      readTemplateRest()
    } else if (char === '{') {
      braceDepth += 1
      out += char
      index += 1
    } else if (char === '}') {
      braceDepth -= 1
      index += 1
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop()
        out += '}'
        readTemplateRest()
      } else {
        out += '}'
      }
    } else {
      out += char
      index += 1
    }
  }
  return out
}

function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true
  return NODE_BUILTINS.has(specifier.split('/')[0] ?? specifier)
}

const MODULE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\1/g
const NODE_GLOBAL = /(?<![.\w$])(?:(?:globalThis|window|self|global)\s*\.\s*)?\b(process|Buffer|require)\b(?!\s*:)/g

/** Finds Node-only usage in one file's source text. */
export function findNodeOnlyUsageInSource(source: string): Array<{ line: number; reason: string }> {
  const found: Array<{ line: number; reason: string }> = []
  const lineOf = (offset: number): number => source.slice(0, offset).split('\n').length
  for (const match of source.matchAll(MODULE_SPECIFIER)) {
    const specifier = match[2] ?? ''
    if (isNodeBuiltin(specifier)) {
      found.push({ line: lineOf(match.index), reason: `imports the Node built-in '${specifier}'` })
    }
  }
  // Specifiers were read from the original text; globals are read with strings and comments blanked.
  const code = blankCommentsAndStrings(source)
  for (const match of code.matchAll(NODE_GLOBAL)) {
    const name = match[1] ?? ''
    found.push({ line: lineOf(match.index), reason: `uses the Node global '${name}'` })
  }
  return found.sort((a, b) => a.line - b.line)
}

function listSourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return listSourceFiles(path)
    return entry.isFile() && SOURCE_FILE.test(entry.name) ? [path] : []
  })
}

/** Scans every source file under `root` except Node adapters (`*.node.ts`). */
export function findNodeOnlyUsage(root: string): GuardViolation[] {
  return listSourceFiles(root)
    .filter((path) => !NODE_ADAPTER_FILE.test(path))
    .flatMap((path) => {
      const file = relative(root, path).split('\\').join('/')
      return findNodeOnlyUsageInSource(readFileSync(path, 'utf8')).map((hit) => ({ file, ...hit }))
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
}
