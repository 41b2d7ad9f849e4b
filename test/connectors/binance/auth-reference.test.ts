// Node only: checks that the portable auth suite's fixture is still a faithful copy of every HMAC
// vector in the shared reference, including the documented signed request and header.
import { describe, expect, it } from 'vitest'
import vectors from '../../fixtures/binance-hmac-vectors.json' with { type: 'json' }
import { readReference } from './reference-files.ts'

interface ReferenceVector {
  readonly id: string
  readonly algorithm: string
  readonly apiKey?: string
  readonly secretKey?: string
  readonly params?: unknown
  readonly payload: string
  readonly signature?: string
  readonly request?: string
  readonly header?: Record<string, string>
}

const reference = readReference('signing/binance_signing_vectors.json') as ReferenceVector[]
const referenceHmac = reference.filter((vector) => vector.algorithm.startsWith('HMAC'))

describe('binance auth: the HMAC fixture matches the reference', () => {
  it('auth: every HMAC vector of the reference is in the fixture, unchanged', () => {
    expect(referenceHmac.length).toBeGreaterThanOrEqual(4)
    expect(vectors.map((vector) => vector.id)).toEqual(referenceHmac.map((vector) => vector.id))
    for (const vector of referenceHmac) {
      const copy = vectors.find((candidate) => candidate.id === vector.id)
      expect(copy, vector.id).toMatchObject({
        apiKey: vector.apiKey,
        secretKey: vector.secretKey,
        params: vector.params,
        payload: vector.payload,
        signature: vector.signature,
      })
    }
  })

  it('auth: the documented signed request is the payload with the signature appended last', () => {
    const rest = referenceHmac.find((vector) => vector.id === 'rest_hmac_ascii')
    expect(rest?.request).toBe(`POST https://api.binance.com/api/v3/order?${rest?.payload}&signature=${rest?.signature}`)
    expect(rest?.header).toEqual({ 'X-MBX-APIKEY': rest?.apiKey })
  })
})
