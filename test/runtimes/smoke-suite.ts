// The smoke tests, written once and registered by each vitest runtime's test file.
import { describe, expect, inject, it } from 'vitest'
import { signDocumentedVectors, signedRestRoundTrip, webSocketRoundTrip } from './smoke-scenario.ts'

export function defineSmokeSuite(runtime: string): void {
  describe(`smoke in ${runtime}`, () => {
    const vectors = signDocumentedVectors()

    it('reproduces all four documented Binance HMAC vectors', () => {
      expect(vectors.map((vector) => vector.id)).toEqual([
        'rest_hmac_ascii',
        'rest_hmac_non_ascii_percent_encoded',
        'wsapi_hmac_ascii',
        'wsapi_hmac_non_ascii_raw_utf8',
      ])
    })

    for (const vector of vectors) {
      it(`signs ${vector.id} exactly as documented`, () => {
        expect(vector.payload).toBe(vector.expectedPayload)
        expect(vector.signature).toBe(vector.expectedSignature)
      })
    }

    it('sends a signed REST request through ky that the loopback server accepts', async () => {
      const { sentNonce, response } = await signedRestRoundTrip(inject('loopback').rest)
      expect(response).toEqual({ signatureValid: true, nonce: sentNonce })
    })

    it('round-trips a WebSocket message through isows', async () => {
      const { sentId, reply } = await webSocketRoundTrip(inject('loopback').ws)
      expect(reply).toEqual({ id: sentId, result: 'PONG' })
    })
  })
}
