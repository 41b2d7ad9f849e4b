// Mutated real payloads for the property-based fuzz suites (issue 10): start from a documented
// Binance example and change it the ways a broken or hostile peer would: drop a field, change a
// type, put a huge / negative / NaN-like / exponent value in, nest deeply, add `__proto__` and
// `constructor` keys, swap arrays and objects, truncate the JSON text, splice in random bytes.
// Every run is seeded (FUZZ_SEED), so a failure replays exactly.
import fc from 'fast-check'
import { expect } from 'vitest'
import { SpotwireError } from '../../src/core/errors.ts'

/** One seed for every fuzz suite: a failure prints its path, and `seed` + `path` replay it. */
export const FUZZ_SEED = 20261128

/** Values that have broken parsers before: NaN-like, infinite, exponent, huge, negative, empty, prototype names. */
const NASTY_VALUES: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '-0.00000001',
  '1e-7',
  '1E+400',
  '1e999999999',
  '0x1f',
  ' 1.5',
  '1.5 ',
  '1.',
  '.5',
  '1,5',
  '٣',
  '9'.repeat(400),
  `0.${'0'.repeat(300)}1`,
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  {},
  [],
  [[]],
  [null],
  { length: 2 },
]

/** Keys that name the prototype chain, and keys Binance never sends. */
const EXTRA_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'zz', '']

type Path = readonly (string | number)[]

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], out))
  else if (isObject(value)) for (const key of Object.keys(value)) pathsOf(value[key], [...prefix, key], out)
  return out
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A copy of `root` where the node at `path` is replaced by `change(node)` (undefined result: removed). */
function updateAt(root: unknown, path: Path, change: (node: unknown) => { value: unknown } | undefined): unknown {
  if (path.length === 0) return change(root)?.value
  const [head, ...rest] = path
  if (Array.isArray(root)) {
    const copy = [...root]
    const index = head as number
    if (rest.length === 0) {
      const result = change(copy[index])
      if (result === undefined) copy.splice(index, 1)
      else copy[index] = result.value
    } else copy[index] = updateAt(copy[index], rest, change)
    return copy
  }
  if (isObject(root)) {
    const copy: Record<string, unknown> = { ...root }
    const key = head as string
    if (rest.length === 0) {
      const result = change(copy[key])
      if (result === undefined) delete copy[key]
      else copy[key] = result.value
    } else copy[key] = updateAt(copy[key], rest, change)
    return copy
  }
  return root
}

/** An object with an own `__proto__` (or other) key, the way JSON.parse makes one. */
function withOwnKey(node: unknown, key: string, value: unknown): unknown {
  if (!isObject(node)) return node
  const text = JSON.stringify({ ...node, [key === '__proto__' ? '__proto_placeholder__' : key]: value })
  return JSON.parse(key === '__proto__' ? text.replace('"__proto_placeholder__"', '"__proto__"') : text) as unknown
}

function nest(value: unknown, depth: number): unknown {
  let nested = value
  for (let level = 0; level < depth; level++) nested = level % 2 === 0 ? [nested] : { data: nested }
  return nested
}

function swapShape(node: unknown): unknown {
  if (Array.isArray(node)) return Object.fromEntries(node.entries())
  if (isObject(node)) return Object.values(node)
  if (typeof node === 'string') return Number(node)
  if (typeof node === 'number') return String(node)
  return node
}

type Mutation = (value: unknown) => unknown

/** One structural mutation of `base`, at a node chosen by the generator. */
function mutationOf(base: unknown): fc.Arbitrary<Mutation> {
  const paths = pathsOf(base)
  const path = fc.constantFrom(...paths)
  const nasty = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NASTY_VALUES) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) })
  const innerPaths = paths.filter((p) => p.length > 0)
  return fc.oneof(
    // Drop a field (or an array element); the root itself becomes undefined.
    (innerPaths.length > 0 ? fc.constantFrom(...innerPaths) : path).map((p): Mutation => (value) => updateAt(value, p, () => undefined)),
    // Replace a value by a nasty one.
    fc.tuple(path, nasty).map(([p, replacement]): Mutation => (value) => updateAt(value, p, () => ({ value: replacement }))),
    // Change its type: array <-> object, string <-> number.
    path.map((p): Mutation => (value) => updateAt(value, p, (node) => ({ value: swapShape(node) }))),
    // Nest it deeply.
    fc.tuple(path, fc.constantFrom(2, 50, 2_000)).map(([p, depth]): Mutation => (value) => updateAt(value, p, (node) => ({ value: nest(node, depth) }))),
    // Add a key: a prototype name, or one Binance never sends.
    fc.tuple(path, fc.constantFrom(...EXTRA_KEYS), nasty).map(
      ([p, key, extra]): Mutation => (value) => updateAt(value, p, (node) => ({ value: withOwnKey(node, key, key === '__proto__' ? { polluted: 'yes' } : extra) })),
    ),
  )
}

/** `base` after one to three structural mutations. */
export function mutatedValue(base: unknown): fc.Arbitrary<unknown> {
  return fc.array(mutationOf(base), { minLength: 1, maxLength: 3 }).map((mutations) => mutations.reduce((value, mutate) => mutate(value), structuredClone(base)))
}

/** `base` as JSON text, truncated or with random bytes spliced in, then read the way a socket frame is. */
export function mutatedText(base: unknown): fc.Arbitrary<unknown> {
  const text = JSON.stringify(base)
  return fc
    .oneof(
      fc.nat({ max: text.length }).map((cut) => text.slice(0, cut)),
      fc.tuple(fc.nat({ max: text.length }), fc.string({ unit: 'binary', maxLength: 8 })).map(([at, bytes]) => text.slice(0, at) + bytes + text.slice(at)),
      fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 8 })).map(([at, count]) => text.slice(0, at) + text.slice(at + count)),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => new TextDecoder().decode(bytes)),
    )
    .map((frame) => {
      try {
        return JSON.parse(frame) as unknown
      } catch {
        return frame
      }
    })
}

/** A mutated value of `base` (mostly structural, some text-level), or any JSON at all. */
export function mutatedPayload(base: unknown): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: mutatedValue(base) }, { weight: 2, arbitrary: mutatedText(base) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) })
}

/** A mutated payload of any of `bases`. */
export function mutatedPayloadOf(bases: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(...bases.map((base) => mutatedPayload(base)))
}

/** The fast-check parameters every fuzz property uses: the fixed seed and a run count. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true }
}

/** Nothing a payload did reached Object.prototype. */
export function expectPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES)
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort()

/**
 * Runs `parse` and returns what it returned, or undefined when it threw a typed error (an
 * instance of `allowed`, SpotwireError by default). Anything else thrown fails the property.
 */
export function typedOutcome<Result>(parse: () => Result, allowed: abstract new (...args: never[]) => Error = SpotwireError): { ok: true; value: Result } | { ok: false; error: Error } {
  try {
    return { ok: true, value: parse() }
  } catch (error) {
    if (!(error instanceof allowed)) {
      throw new Error(`threw ${(error as Error)?.name ?? typeof error} instead of a typed error: ${(error as Error)?.message ?? String(error)}`, { cause: error })
    }
    return { ok: false, error }
  } finally {
    expectPrototypeUntouched()
  }
}

/**
 * A reported error is typed all the way down: a handler that wraps a stray TypeError in a
 * PayloadValidationError still hides a parser bug, so every cause in the chain must be typed too.
 */
export function expectTypedChain(error: unknown): void {
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    expect(current, `cause at depth ${depth}: ${String(current)}`).toBeInstanceOf(SpotwireError)
    current = (current as Error).cause
  }
}
