// Reads a caller's JSON body strictly, before the schema sees it. JSON.parse alone is lenient in
// two ways an attacker can use: a repeated key keeps only its last value (another parser, a log
// reader or an auditor may keep the first, so what was reviewed is not what is sent), and a
// `__proto__` / `constructor` / `prototype` key becomes an own property that any later spread or
// merge could turn into a prototype. Both are refused here, at any depth, with a 400. The body must
// be an object: valibot's object schemas take an array for one (its indexes as keys).

export type JsonBodyResult = { readonly ok: true; readonly value: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly message: string }

/** Keys that name the prototype chain: never meaningful in an order, dangerous in a merge. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

const NOT_AN_OBJECT: JsonBodyResult = { ok: false, message: '(body): expected a JSON object' }

/**
 * The parsed body, or the first reason it is refused (not a JSON object, a repeated key, a
 * prototype key).
 *
 * @example
 * parseJsonObject('{"amount":"1","amount":"2"}') // { ok: false, message: '(body): the key "amount" appears twice in one object' }
 */
export function parseJsonObject(text: string): JsonBodyResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return NOT_AN_OBJECT
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_AN_OBJECT
  const problem = findKeyProblem(text)
  return problem === undefined ? { ok: true, value: value as Record<string, unknown> } : { ok: false, message: `(body): ${problem}` }
}

/**
 * Walks text that JSON.parse accepted, with an explicit stack (a 16 KiB body of `[` nests 16k
 * deep), and names the first repeated or prototype key. Keys are compared decoded, so
 * `"\u0061mount"` repeats `"amount"`.
 */
function findKeyProblem(text: string): string | undefined {
  /** Per open container: the keys seen so far for an object, null for an array. */
  const open: (Set<string> | null)[] = []
  let expectingKey = false
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]
    if (char === '"') {
      let end = index + 1
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1
      const keys = open[open.length - 1]
      if (expectingKey && keys) {
        const key = JSON.parse(text.slice(index, end + 1)) as string
        if (PROTOTYPE_KEYS.has(key)) return `the key "${key}" is not allowed`
        if (keys.has(key)) return `the key "${key}" appears twice in one object`
        keys.add(key)
      }
      expectingKey = false
      index = end
    } else if (char === '{') {
      open.push(new Set())
      expectingKey = true
    } else if (char === '[') {
      open.push(null)
      expectingKey = false
    } else if (char === '}' || char === ']') {
      open.pop()
    } else if (char === ',') {
      expectingKey = open[open.length - 1] instanceof Set
    }
  }
  return undefined
}
