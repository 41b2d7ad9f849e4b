// The strict JSON reader in front of the order schema: objects only, no repeated keys, no keys
// that name the prototype chain, at any depth.
import { describe, expect, it } from 'vitest'
import { parseJsonObject } from '../../../src/edge/orders/json-body.ts'

describe('parseJsonObject', () => {
  it('returns the object of a well-formed body, keys in strings and arrays of objects included', () => {
    const text = '{"a":"{\\"a\\":1,\\"a\\":2}","b":[{"a":1},{"a":2}],"c":{"d":[1,[2,{"e":null}]]},"__x":"__proto__"}'
    expect(parseJsonObject(text)).toEqual({ ok: true, value: JSON.parse(text) })
  })

  it('refuses what is not a JSON object', () => {
    for (const text of ['', '{', '[]', '[{"a":1}]', '"x"', 'null', '1', 'true']) {
      expect(parseJsonObject(text), text).toEqual({ ok: false, message: '(body): expected a JSON object' })
    }
  })

  it('refuses a key repeated in one object, compared decoded, at any depth', () => {
    expect(parseJsonObject('{"a":1,"a":2}')).toEqual({ ok: false, message: '(body): the key "a" appears twice in one object' })
    expect(parseJsonObject('{"amount":"1","\\u0061mount":"2"}')).toMatchObject({ ok: false, message: expect.stringContaining('"amount" appears twice') })
    expect(parseJsonObject('{"x":[{"b":1,"b":1}]}')).toMatchObject({ ok: false, message: expect.stringContaining('"b" appears twice') })
    // The same key in sibling objects is not a repeat.
    expect(parseJsonObject('{"x":{"a":1},"y":{"a":1}}').ok).toBe(true)
  })

  it('refuses __proto__, constructor and prototype keys anywhere, and alters no prototype', () => {
    for (const text of ['{"__proto__":{"isAdmin":true}}', '{"a":{"b":{"__proto__":{"isAdmin":true}}}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"a":[{"prototype":1}]}', '{"\\u005f_proto__":{}}']) {
      expect(parseJsonObject(text).ok, text).toBe(false)
    }
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined()
  })

  it('walks deep nesting without recursion', () => {
    const deep = `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
    expect(parseJsonObject(deep).ok).toBe(true)
  })
})
