import { afterEach, describe, expect, it } from 'vitest'
import { REDACTED, forgetSecret, redact, redactValue, registerSecret } from '../../src/core/redact.ts'

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'

describe('redactor', () => {
  afterEach(() => {
    forgetSecret(API_KEY)
    forgetSecret(SECRET)
  })

  it('removes the signature from a signed query and keeps the rest readable', () => {
    expect(redact('POST /api/v3/order?symbol=BTCUSDT&timestamp=1&signature=c8db56825ae71d6d')).toBe(
      `POST /api/v3/order?symbol=BTCUSDT&timestamp=1&signature=${REDACTED}`,
    )
  })

  it('removes api keys, listen keys and secrets by parameter, JSON field and header', () => {
    const text = [
      'listenKey=pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1',
      '{"apiKey":"abc123def","signature":"ffee","listenKey":"lk-1234567","price":"1"}',
      'X-MBX-APIKEY: abcdef123456',
      'apiSecret=hunter22hunter',
    ].join('\n')
    const result = redact(text)
    expect(result).not.toMatch(/pqia91|abc123def|ffee|lk-1234567|abcdef123456|hunter22/)
    expect(result).toContain('"price":"1"')
  })

  it('removes a registered secret wherever it appears, even in free text', () => {
    registerSecret(API_KEY)
    registerSecret(SECRET)
    const result = redact(`key ${API_KEY} failed; secret was ${SECRET}!`)
    expect(result).toBe(`key ${REDACTED} failed; secret was ${REDACTED}!`)
  })

  it('ignores very short values so ordinary words survive', () => {
    registerSecret('abc')
    expect(redact('abc def')).toBe('abc def')
    forgetSecret('abc')
  })

  it('stops redacting a value once it is forgotten', () => {
    registerSecret('rotated-listen-key-1')
    forgetSecret('rotated-listen-key-1')
    expect(redact('rotated-listen-key-1')).toBe('rotated-listen-key-1')
  })

  it('copies payloads with secret fields replaced and nested strings redacted', () => {
    registerSecret(SECRET)
    const payload = { apiKey: API_KEY, nested: [{ signature: 'x', note: `uses ${SECRET}` }], qty: 1 }
    expect(redactValue(payload)).toEqual({
      apiKey: REDACTED,
      nested: [{ signature: REDACTED, note: `uses ${REDACTED}` }],
      qty: 1,
    })
    expect(payload.apiKey).toBe(API_KEY)
  })

  it('cuts payloads nested deeper than it will follow', () => {
    let deep: unknown = 'leaf'
    for (let level = 0; level < 30; level += 1) deep = { child: deep }
    expect(JSON.stringify(redactValue(deep))).toContain('[TOO DEEP]')
    expect(redactValue(null)).toBeNull()
    expect(redactValue(42)).toBe(42)
  })
})
