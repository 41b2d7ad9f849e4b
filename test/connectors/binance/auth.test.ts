import { describe, expect, it } from 'vitest'
import {
  BinanceAuth,
  restSignaturePayload,
  signRestQuery,
  signWsApiParams,
  wsApiSignaturePayload,
} from '../../../src/connectors/binance/auth.ts'
import { InvalidInputError, SpotwireError } from '../../../src/core/errors.ts'
import { encodeQuery, type UnsignedRestRequest } from '../../../src/core/web/auth.ts'
import { createHmacSha256Hex, hmacSha256Hex } from '../../../src/core/web/hmac.ts'
import vectors from '../../fixtures/binance-hmac-vectors.json' with { type: 'json' }

const [restAscii, , wsApiAscii] = vectors
if (!restAscii || !wsApiAscii) throw new Error('the HMAC vector fixture is incomplete')

describe('binance auth', () => {
  it('appends the documented signature to the REST query, last', () => {
    const query = signRestQuery(restAscii.secretKey, restAscii.params as [string, string][])
    expect(query).toBe(`${restAscii.payload}&signature=${restAscii.signature}`)
  })

  it('keeps REST parameters in the order given rather than sorting them', () => {
    expect(restSignaturePayload([['timestamp', 2], ['symbol', 'BTCUSDT']])).toBe('timestamp=2&symbol=BTCUSDT')
  })

  it('percent-encodes reserved characters in REST values so the signed string is the sent query', () => {
    expect(restSignaturePayload([['symbols', '["BTCUSDT","ETHUSDT"]'], ['note', 'a&b=c d']])).toBe(
      'symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D&note=a%26b%3Dc%20d',
    )
  })

  it('signs WS API parameters sorted by name with apiKey included and returns them with the signature', () => {
    const params = wsApiAscii.params as Record<string, string | number>
    const signed = signWsApiParams(wsApiAscii.secretKey, params)
    expect(signed).toEqual({ ...params, signature: wsApiAscii.signature })
  })

  it('leaves an existing signature parameter out of the WS API payload', () => {
    expect(wsApiSignaturePayload({ b: 2, a: 1, signature: 'old' })).toBe('a=1&b=2')
  })

  it('computes HMAC-SHA256 as lowercase hex (RFC 4231 test case 2)', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('a keyed signer gives what hmacSha256Hex gives, call after call, for any payload', () => {
    // Keys shorter than, equal to and longer than SHA-256's 64-byte block (a longer key is hashed first).
    for (const secret of ['Jefe', 'k'.repeat(64), 's'.repeat(65), 'ключ-🔑']) {
      const sign = createHmacSha256Hex(secret)
      const payloads = ['', 'symbol=BTCUSDT&timestamp=1', 'note=é ü 中文 🚀', 'x'.repeat(2_000), 'symbol=BTCUSDT&timestamp=1']
      for (const payload of payloads) expect(sign(payload)).toBe(hmacSha256Hex(secret, payload))
    }
    expect(createHmacSha256Hex('Jefe')('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('percent-encodes exactly as encodeURIComponent does, characters it keeps included', () => {
    const values = ['BTCUSDT', '0.001', 'sw-B_1.x~', "a!b*c'd(e)", 'a b&c=d/e?f#g+h%', 'é🚀', '']
    expect(restSignaturePayload(values.map((value, index) => [`k${index}`, value]))).toBe(
      values.map((value, index) => `k${index}=${encodeURIComponent(value)}`).join('&'),
    )
    expect(restSignaturePayload([['limit', 5], ['flag', true]])).toBe('limit=5&flag=true')
  })
})

// ---------------------------------------------------------------------------------------------
// BinanceAuth, and every HMAC vector of the shared reference.

interface HmacVector {
  readonly id: string
  readonly algorithm: string
  readonly apiKey: string
  readonly secretKey: string
  readonly params: Array<[string, string]> | Record<string, string | number>
  readonly payload: string
  readonly signature: string
}

// The fixture is a copy of every HMAC vector in reference/binance/signing (auth-reference.test.ts
// checks that it still is), so this suite needs no file system and runs in every runtime.
const hmacVectors = vectors as HmacVector[]

function unsignedRequest(overrides: Partial<UnsignedRestRequest> = {}): UnsignedRestRequest {
  const params = overrides.params ?? []
  return {
    method: 'GET',
    url: 'https://api.binance.com/api/v3/account',
    params,
    query: encodeQuery(params),
    body: undefined,
    headers: {},
    ...overrides,
  }
}

describe('binance auth: HMAC vectors', () => {
  it('the fixture holds the four documented HMAC vectors', () => {
    expect(hmacVectors.map((vector) => vector.id)).toEqual([
      'rest_hmac_ascii',
      'rest_hmac_non_ascii_percent_encoded',
      'wsapi_hmac_ascii',
      'wsapi_hmac_non_ascii_raw_utf8',
    ])
  })

  it.each(hmacVectors.map((vector) => [vector.id, vector] as const))('reproduces vector %s', (_id, vector) => {
    if (Array.isArray(vector.params)) {
      expect(restSignaturePayload(vector.params)).toBe(vector.payload)
      expect(signRestQuery(vector.secretKey, vector.params)).toBe(`${vector.payload}&signature=${vector.signature}`)
    } else {
      expect(wsApiSignaturePayload(vector.params)).toBe(vector.payload)
      expect(signWsApiParams(vector.secretKey, vector.params).signature).toBe(vector.signature)
    }
    expect(hmacSha256Hex(vector.secretKey, vector.payload)).toBe(vector.signature)
  })

  it('auth: rest authenticate reproduces the documented signed request exactly', () => {
    const vector = hmacVectors.find((candidate) => candidate.id === 'rest_hmac_ascii')
    if (!vector || !Array.isArray(vector.params)) throw new Error('rest_hmac_ascii is missing from the fixture')
    const callerParams = vector.params.filter(([key]) => key !== 'recvWindow' && key !== 'timestamp')
    const auth = new BinanceAuth({ apiKey: vector.apiKey, apiSecret: vector.secretKey, now: () => 1499827319559 })
    const signed = auth.authenticateRest(
      unsignedRequest({ method: 'POST', url: 'https://api.binance.com/api/v3/order', params: callerParams }),
    )
    // The documented request: POST https://api.binance.com/api/v3/order?<payload>&signature=<signature>
    expect(signed.query).toBe(`${vector.payload}&signature=${vector.signature}`)
    expect(signed.headers).toEqual({ 'X-MBX-APIKEY': vector.apiKey })
  })

  it('auth: ws api signing reproduces the documented signature', () => {
    const vector = hmacVectors.find((candidate) => candidate.id === 'wsapi_hmac_ascii')
    if (!vector || Array.isArray(vector.params)) throw new Error('wsapi_hmac_ascii is missing from the fixture')
    const { apiKey: _apiKey, timestamp, recvWindow, ...requestParams } = vector.params
    const auth = new BinanceAuth({ apiKey: vector.apiKey, apiSecret: vector.secretKey, now: () => Number(timestamp), recvWindowMs: Number(recvWindow) })
    expect(auth.signWsPayload(requestParams)).toEqual({ ...vector.params, signature: vector.signature })
  })
})

describe('binance auth: REST signing', () => {
  const apiKey = 'rest-key-0d3c9a7e51b2'
  const apiSecret = 'rest-secret-6f1e8b4a2c90'

  it('auth: rest authenticate adds recvWindow and timestamp after the caller parameters and signature last', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 1_700_000_000_123.7 })
    const signed = auth.authenticateRest(unsignedRequest({ params: [['symbol', 'BTCUSDT'], ['limit', 5]] }))
    const payload = 'symbol=BTCUSDT&limit=5&recvWindow=5000&timestamp=1700000000123'
    expect(signed.query).toBe(`${payload}&signature=${hmacSha256Hex(apiSecret, payload)}`)
    expect(signed.headers).toEqual({ 'X-MBX-APIKEY': apiKey })
    expect(signed.body).toBeUndefined()
  })

  it('auth: the timestamp comes from the injected clock on every call', () => {
    let now = 1_000
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => now })
    expect(auth.authenticateRest(unsignedRequest()).query).toContain('timestamp=1000&')
    now = 2_500
    expect(auth.authenticateRest(unsignedRequest()).query).toContain('timestamp=2500&')
  })

  it('auth: a configured recvWindow is sent and out-of-range ones are refused', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 1, recvWindowMs: 60_000 })
    expect(auth.authenticateRest(unsignedRequest()).query).toMatch(/^recvWindow=60000&timestamp=1&signature=[0-9a-f]{64}$/)
    expect(() => new BinanceAuth({ apiKey, apiSecret, now: () => 1, recvWindowMs: 60_001 })).toThrow(InvalidInputError)
    expect(() => new BinanceAuth({ apiKey, apiSecret, now: () => 1, recvWindowMs: 0 })).toThrow(InvalidInputError)
    expect(() => new BinanceAuth({ apiKey: '', apiSecret, now: () => 1 })).toThrow(InvalidInputError)
  })

  it('auth: a re-signed request drops its old timestamp and signature instead of repeating them', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 7 })
    const signed = auth.authenticateRest(
      unsignedRequest({ params: [['symbol', 'BTCUSDT'], ['timestamp', 1], ['signature', 'stale'], ['recvWindow', 10]] }),
    )
    expect(signed.query?.startsWith('symbol=BTCUSDT&recvWindow=5000&timestamp=7&signature=')).toBe(true)
  })

  it('auth: signs the text it sends when the caller query needs percent-encoding', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 11 })
    const params: Array<[string, string]> = [['symbols', '["BTCUSDT","ETHUSDT"]'], ['note', 'é a&b']]
    const signed = auth.authenticateRest(unsignedRequest({ params }))
    expect(signed.query).toBe(signRestQuery(apiSecret, [...params, ['recvWindow', '5000'], ['timestamp', '11']]))
  })

  it('auth: form mode sends signed POST parameters as a url-encoded body and an empty query', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 9, signedBodyAs: 'form' })
    const signed = auth.authenticateRest(unsignedRequest({ method: 'POST', params: [['symbol', 'BTCUSDT']] }))
    expect(signed.query).toBe('')
    expect(signed.body).toMatch(/^symbol=BTCUSDT&recvWindow=5000&timestamp=9&signature=[0-9a-f]{64}$/)
    expect(signed.headers).toEqual({ 'X-MBX-APIKEY': apiKey, 'content-type': 'application/x-www-form-urlencoded' })
    // GETs always carry their parameters in the query.
    expect(auth.authenticateRest(unsignedRequest({ params: [['symbol', 'BTCUSDT']] })).body).toBeUndefined()
  })
})

describe('binance auth: WS API and secrets', () => {
  const apiKey = 'ws-key-93be0f2d7a16'
  const apiSecret = 'ws-secret-2c5d81e07f4a'

  it('auth: ws payload signing adds apiKey, recvWindow and timestamp and signs them sorted', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 1747385641636 })
    const params = auth.signWsPayload({})
    const payload = `apiKey=${apiKey}&recvWindow=5000&timestamp=1747385641636`
    expect(params).toEqual({ apiKey, recvWindow: 5000, timestamp: 1747385641636, signature: hmacSha256Hex(apiSecret, payload) })
  })

  it('auth: secrets never appear in an error message or in JSON', () => {
    const auth = new BinanceAuth({ apiKey, apiSecret, now: () => 1 })
    const error = new SpotwireError(`request failed with key ${apiKey} signed by ${apiSecret}`, { details: `X-MBX-APIKEY: ${apiKey}` })
    expect(error.message).not.toContain(apiKey)
    expect(error.message).not.toContain(apiSecret)
    expect(JSON.stringify(auth)).not.toContain(apiKey)
    expect(JSON.stringify(auth)).not.toContain(apiSecret)
    expect(auth.apiKey).toBe(apiKey)
  })
})
