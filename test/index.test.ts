import { describe, expect, it } from 'vitest'
import * as binance from '../src/connectors/binance/index.ts'
import * as core from '../src/index.ts'

// The public surface is a contract (DESIGN.md): a change to these lists must be deliberate.
describe('public exports', () => {
  it('spotwire exports exactly these names', () => {
    expect(Object.keys(core).sort()).toEqual(['hmacSha256Hex'])
  })

  it('spotwire/binance exports exactly these names', () => {
    expect(Object.keys(binance).sort()).toEqual([
      'restSignaturePayload',
      'signRestQuery',
      'signWsApiParams',
      'wsApiSignaturePayload',
    ])
  })
})
