import { describe, expect, it } from 'vitest'
import { bestQuotes, keysOf, readReference, startWsApi } from './ws-api-test-kit.ts'

const LIMIT_BUY = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.001' }

describe('order.place', () => {
  it('answers ACK, RESULT and FULL with the reference keys and the ORDERS + REQUEST_WEIGHT rateLimits', () => {
    const rig = startWsApi()
    const { ask } = bestQuotes(rig.exchange)
    for (const [responseType, params] of [['ACK', LIMIT_BUY], ['RESULT', LIMIT_BUY], ['FULL', { ...LIMIT_BUY, price: ask }]] as const) {
      const reference = readReference(`ws-api/order.place_${responseType}.json`)
      const [response] = rig.signed('order.place', { ...params, newOrderRespType: responseType }, {})
      expect(keysOf(response)).toEqual(keysOf(reference))
      // FULL in the reference shows an order without selfTradePreventionMode; RESULT shows it.
      const expectedKeys = responseType === 'FULL' ? [...keysOf(reference.result), 'selfTradePreventionMode'].sort() : keysOf(reference.result)
      expect(keysOf(response?.result)).toEqual(expectedKeys)
      expect(response?.rateLimits?.map((limit) => [limit.rateLimitType, limit.interval, limit.intervalNum, limit.limit]))
        .toEqual(reference.rateLimits?.map((limit) => [limit.rateLimitType, limit.interval, limit.intervalNum, limit.limit]))
    }
    const [fourth] = rig.signed('order.place', { ...LIMIT_BUY, newOrderRespType: 'ACK' })
    expect(fourth?.rateLimits?.map((limit) => limit.count)).toEqual([4, 4, 4])
  })

  it('answers -1013 filter failures and -2010 insufficient balance as {id, status 400, error, rateLimits}', () => {
    const rig = startWsApi()
    const [lotSize] = rig.signed('order.place', { ...LIMIT_BUY, quantity: '0.000001' })
    expect(lotSize).toMatchObject({ status: 400, error: { code: -1013, msg: 'Filter failure: LOT_SIZE' } })
    const [poor] = rig.signed('order.place', { ...LIMIT_BUY, quantity: '100' })
    const reference = readReference('ws-api/response_error_-2010_with_rateLimits.json')
    expect(keysOf(poor)).toEqual(keysOf(reference))
    expect(poor).toMatchObject({ status: 400, error: reference.error })
    expect(keysOf(poor?.error)).toEqual(['code', 'msg'])
    expect(rig.signed('order.place', { ...LIMIT_BUY, side: 'LONG' })[0]).toMatchObject({ status: 400, error: { code: -1117, msg: 'Invalid side.' } })
  })
})

describe('order.status and order.cancel', () => {
  it('find an order by orderId or origClientOrderId and cancel it once', () => {
    const rig = startWsApi()
    const [placed] = rig.signed('order.place', { ...LIMIT_BUY, newClientOrderId: 'resting-1' })
    const orderId = placed?.result.orderId as number
    const [byId] = rig.signed('order.status', { symbol: 'BTCUSDT', orderId })
    expect(byId).toMatchObject({ status: 200, result: { orderId, clientOrderId: 'resting-1', status: 'NEW', isWorking: true } })
    expect(byId?.rateLimits).toEqual([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 5 }])
    expect(rig.signed('order.status', { symbol: 'BTCUSDT', origClientOrderId: 'resting-1' })[0]).toMatchObject({ result: { orderId } })

    const [canceled] = rig.signed('order.cancel', { symbol: 'BTCUSDT', orderId, newClientOrderId: 'cancel-1' })
    expect(canceled).toMatchObject({ status: 200, result: { orderId, origClientOrderId: 'resting-1', clientOrderId: 'cancel-1', status: 'CANCELED' } })
    expect(rig.signed('order.cancel', { symbol: 'BTCUSDT', orderId })[0]).toMatchObject({ status: 400, error: { code: -2011, msg: 'Unknown order sent.' } })
  })

  it('answer -2013 for an unknown order, -1102 without an order reference and -1121 for an unknown symbol', () => {
    const rig = startWsApi()
    expect(rig.signed('order.status', { symbol: 'BTCUSDT', orderId: 999999 })[0]).toMatchObject({ status: 400, error: { code: -2013, msg: 'Order does not exist.' } })
    expect(rig.signed('order.status', { symbol: 'BTCUSDT' })[0]).toMatchObject({ status: 400, error: { code: -1102 } })
    expect(rig.signed('order.cancel', { symbol: 'NOPE', orderId: 1 })[0]).toMatchObject({ status: 400, error: { code: -1121, msg: 'Invalid symbol.' } })
  })
})
