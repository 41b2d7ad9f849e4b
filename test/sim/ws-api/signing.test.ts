import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_KEY, START_TIME, sign, startWsApi } from './ws-api-test-kit.ts'

interface Vector {
  id: string
  apiKey: string
  secretKey: string
  params: Record<string, string | number>
  payload: string
  signature: string
}

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/binance-hmac-vectors.json', import.meta.url), 'utf8')) as Vector[]

function vector(id: string): Vector {
  const found = vectors.find((candidate) => candidate.id === id)
  if (!found) throw new Error(`${id} missing from the fixtures`)
  return found
}

function rigFor(documented: Vector) {
  return startWsApi({ apiKey: documented.apiKey, apiSecret: documented.secretKey, now: Number(documented.params['timestamp']) })
}

describe('WS API signatures', () => {
  it("accept Binance's documented example (wsapi_hmac_ascii): the order is placed", () => {
    const documented = vector('wsapi_hmac_ascii')
    const rig = rigFor(documented)
    const [response] = rig.request('order.place', { ...documented.params, signature: documented.signature }, 'vector')
    expect(response, JSON.stringify(response)).toMatchObject({
      id: 'vector', status: 200, result: { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', price: '52000.00000000', origQty: '0.01000000' },
    })
  })

  it('sign raw UTF-8 with no percent-encoding (wsapi_hmac_non_ascii_raw_utf8): past the signature check, the symbol is refused', () => {
    const documented = vector('wsapi_hmac_non_ascii_raw_utf8')
    const rig = rigFor(documented)
    const [response] = rig.request('order.place', { ...documented.params, signature: documented.signature })
    // -1100 on `symbol` proves the signature and timestamp were accepted: those checks run first.
    expect(response).toMatchObject({ status: 400, error: { code: -1100, msg: expect.stringContaining("parameter 'symbol'") } })

    const tampered = { ...documented.params, quantity: '2.00000000', signature: documented.signature }
    expect(rig.request('order.place', tampered)[0]).toMatchObject({ status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } })
  })

  it('answer -1022 for a wrong secret or a tampered signature', () => {
    const rig = startWsApi()
    const invalid = { status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } }
    expect(rig.signed('userDataStream.subscribe.signature', {}, { secret: 'another-secret' })[0]).toMatchObject(invalid)
    const good = sign({ apiKey: API_KEY, timestamp: START_TIME })
    const flipped = String(good['signature']).replace(/.$/, (last) => (last === '0' ? '1' : '0'))
    expect(rig.request('userDataStream.subscribe.signature', { ...good, signature: flipped })[0]).toMatchObject(invalid)
  })

  it('answer -2015 for an unknown key and -1102 when apiKey or signature is missing', () => {
    const rig = startWsApi()
    expect(rig.signed('userDataStream.subscribe.signature', {}, { apiKey: 'unknownKey0123456789' })[0]).toMatchObject({
      status: 401, error: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
    })
    expect(rig.request('order.status', { symbol: 'BTCUSDT', orderId: 1, timestamp: START_TIME })[0]).toMatchObject({
      status: 400, error: { code: -1102, msg: "Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed." },
    })
    expect(rig.request('order.status', { symbol: 'BTCUSDT', orderId: 1, apiKey: API_KEY, timestamp: START_TIME })[0]).toMatchObject({
      status: 400, error: { code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." },
    })
  })

  it('answer -1021 outside recvWindow (default 5000) and for a timestamp 1 s or more ahead', () => {
    const rig = startWsApi()
    const outside = { status: 400, error: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } }
    expect(rig.signed('userDataStream.subscribe.signature', {}, { timestamp: START_TIME - 5001 })[0]).toMatchObject(outside)
    expect(rig.signed('userDataStream.subscribe.signature', { recvWindow: 2000 }, { timestamp: START_TIME - 2001 })[0]).toMatchObject(outside)
    expect(rig.signed('userDataStream.subscribe.signature', {}, { timestamp: START_TIME + 1000 })[0]).toMatchObject({
      status: 400, error: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
    })
    expect(rig.signed('userDataStream.subscribe.signature', {}, { timestamp: START_TIME - 5000 })[0]).toMatchObject({ status: 200 })
  })
})
