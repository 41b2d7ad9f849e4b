import { describe, expect, it } from 'vitest'
import {
  restSignaturePayload,
  signRestQuery,
  signWsApiParams,
  wsApiSignaturePayload,
} from '../../../src/connectors/binance/auth.ts'
import { hmacSha256Hex } from '../../../src/core/web/hmac.ts'
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
})
