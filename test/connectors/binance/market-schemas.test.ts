import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import {
  CombinedStreamFrameSchema,
  DepthSnapshotSchema,
  DepthUpdateEventSchema,
  ServerShutdownEventSchema,
  StreamRequestErrorSchema,
  StreamRequestResultSchema,
  StreamRequestSchema,
  TradeEventSchema,
} from '../../../src/connectors/binance/schemas/market.ts'
import { readReference } from './reference-files.ts'

describe('Binance market-data schemas', () => {
  it("accept Binance's documented examples", () => {
    expect(v.is(DepthSnapshotSchema, readReference('rest/GET_api_v3_depth.json'))).toBe(true)
    expect(v.is(DepthUpdateEventSchema, readReference('ws-streams/depthUpdate_diffDepth.json'))).toBe(true)
    expect(v.is(TradeEventSchema, readReference('ws-streams/trade.json'))).toBe(true)
    expect(v.is(StreamRequestSchema, readReference('ws-streams/SUBSCRIBE_request.json'))).toBe(true)
    expect(v.is(StreamRequestResultSchema, readReference('ws-streams/SUBSCRIBE_response.json'))).toBe(true)
    expect(v.is(ServerShutdownEventSchema, readReference('ws-streams/serverShutdown_raw.json'))).toBe(true)
    const combined = v.parse(CombinedStreamFrameSchema, readReference('ws-streams/serverShutdown_combined.json'))
    expect(combined.stream).toBe('!serverShutdown')
    expect(v.is(ServerShutdownEventSchema, combined.data)).toBe(true)
  })

  it('keep prices and quantities as strings and refuse numbers or non-decimals', () => {
    const snapshot = v.parse(DepthSnapshotSchema, { lastUpdateId: 1, bids: [['1.50', '2', 'extra']], asks: [] })
    expect(snapshot.bids).toEqual([['1.50', '2']])
    expect(v.is(DepthSnapshotSchema, { lastUpdateId: 1, bids: [[1.5, 2]], asks: [] })).toBe(false)
    expect(v.is(DepthSnapshotSchema, { lastUpdateId: 1, bids: [['1e3', '2']], asks: [] })).toBe(false)
    expect(v.is(DepthSnapshotSchema, { lastUpdateId: 1.5, bids: [], asks: [] })).toBe(false)
    const trade = readReference('ws-streams/trade.json') as Record<string, unknown>
    expect(v.is(TradeEventSchema, { ...trade, q: 100 })).toBe(false)
    expect(v.is(TradeEventSchema, { ...trade, m: 'true' })).toBe(false)
  })

  it('need every update id of a diff', () => {
    const event = readReference('ws-streams/depthUpdate_diffDepth.json') as Record<string, unknown>
    const { u: _final, ...withoutFinal } = event
    expect(v.is(DepthUpdateEventSchema, withoutFinal)).toBe(false)
    expect(v.is(DepthUpdateEventSchema, { ...event, e: 'depthUpdateX' })).toBe(false)
  })

  it('tell request answers from refusals, in both documented shapes', () => {
    expect(v.is(StreamRequestResultSchema, { result: ['btcusdt@trade'], id: 3 })).toBe(true)
    expect(v.is(StreamRequestResultSchema, { result: true, id: 'x' })).toBe(true)
    expect(v.is(StreamRequestResultSchema, { id: 3 })).toBe(false)
    expect(v.is(StreamRequestErrorSchema, { error: { code: 2, msg: 'Invalid request' }, id: null })).toBe(true)
    expect(v.is(StreamRequestErrorSchema, { code: 0, msg: 'Unknown property', id: 1 })).toBe(true)
    expect(v.is(StreamRequestErrorSchema, { result: null, id: 1 })).toBe(false)
  })
})
