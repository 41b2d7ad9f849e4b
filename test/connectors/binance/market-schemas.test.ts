import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { PayloadValidationError } from '../../../src/core/errors.ts'
import { parsePayload } from '../../../src/connectors/binance/schemas/parse.ts'
import {
  CombinedStreamFrameSchema,
  DepthSnapshotSchema,
  DepthUpdateEventSchema,
  PriceLevelSchema,
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

describe('Binance depthUpdate schema (one pass, no per-level schema)', () => {
  const documented = readReference('ws-streams/depthUpdate_diffDepth.json') as Record<string, unknown>
  const withBids = (b: unknown): unknown => ({ ...documented, b })
  // What the schema replaced: an object schema with a tuple schema per level. It must accept and
  // refuse exactly the same payloads.
  const SafeInteger = v.pipe(v.number(), v.safeInteger())
  const ObjectSchema = v.object({
    e: v.literal('depthUpdate'),
    E: SafeInteger,
    s: v.string(),
    U: SafeInteger,
    u: SafeInteger,
    b: v.array(PriceLevelSchema),
    a: v.array(PriceLevelSchema),
  })

  it('refuses non-string prices and quantities, short levels and text that is not a plain decimal', () => {
    const badLevels: unknown[] = [
      [[1.5, '2']],
      [['1.5', 2]],
      [['1.5']],
      [[]],
      ['1.5'],
      [null],
      [['NaN', '1']],
      [['1', 'Infinity']],
      [['', '1']],
      [['1e3', '1']],
      [['-1', '1']],
      [['1.', '1']],
      [['.5', '1']],
      [[' 1', '1']],
      [['1', '1 ']],
      [['0x10', '1']],
      [['1.2.3', '1']],
      [['١', '1']],
      [['0.001', '1'], ['2', null]],
      'not a list',
      undefined,
    ]
    for (const b of badLevels) {
      expect(v.is(DepthUpdateEventSchema, withBids(b))).toBe(false)
      expect(v.is(DepthUpdateEventSchema, { ...documented, a: b })).toBe(false)
      expect(v.is(ObjectSchema, withBids(b))).toBe(false)
    }
  })

  it('refuses a missing or mistyped field, as the object schema did', () => {
    const { s: _symbol, ...withoutSymbol } = documented
    for (const event of [withoutSymbol, { ...documented, E: 1.5 }, { ...documented, U: '157' }, { ...documented, u: 2 ** 53 }, { ...documented, e: 'trade' }, null, [], 'x']) {
      expect(v.is(DepthUpdateEventSchema, event)).toBe(false)
      expect(v.is(ObjectSchema, event)).toBe(false)
    }
  })

  it('passes the event and its level lists on as received', () => {
    const bids = [['0.0024', '10', 'ignored']]
    const event = { ...documented, b: bids, a: [] }
    const parsed = v.parse(DepthUpdateEventSchema, event)
    expect(parsed).toBe(event)
    expect(parsed.b).toBe(bids)
    expect(v.is(ObjectSchema, event)).toBe(true)
  })

  it('reports a bad level as PayloadValidationError naming where it is, never its value', () => {
    const secretLooking = 'Ab12Cd34Ef56Gh78'
    let caught: unknown
    try {
      parsePayload(DepthUpdateEventSchema, withBids([['1', '2'], ['3', secretLooking]]), 'binance stream btcusdt@depth@100ms')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(PayloadValidationError)
    const error = caught as PayloadValidationError
    expect(error.source).toBe('binance stream btcusdt@depth@100ms')
    expect(error.message).toContain("invalid depthUpdate at 'b[1][1]'")
    expect(error.message).not.toContain(secretLooking)
  })

  it('accepts and refuses exactly what the object schema with tuple levels did (property)', () => {
    const text = fc.oneof(fc.constantFrom('0', '1', '0.00100000', '30000.01', '1.', '.1', '1e3', 'NaN', '', ' 1', '-2', '١'), fc.string({ maxLength: 6 }))
    const item = fc.oneof(text, fc.double(), fc.constant(null), fc.constant(undefined))
    const level = fc.oneof(fc.array(item, { maxLength: 4 }), item)
    const levels = fc.oneof(fc.array(level, { maxLength: 4 }), item)
    const integer = fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 53), text)
    const event = fc.record({ e: fc.constantFrom('depthUpdate', 'trade'), E: integer, s: fc.oneof(text, fc.integer()), U: integer, u: integer, b: levels, a: levels }, { requiredKeys: ['e', 'b', 'a'] })
    fc.assert(
      fc.property(event, (payload) => {
        expect(v.is(DepthUpdateEventSchema, payload)).toBe(v.is(ObjectSchema, payload))
      }),
      { numRuns: 2_000, seed: 20261128 },
    )
  })
})

describe('Binance combined-stream frame schema', () => {
  it('accepts and refuses what an object schema { stream: string, data: unknown } did, and returns the frame itself', () => {
    const ObjectSchema = v.object({ stream: v.string(), data: v.unknown() })
    const frames: unknown[] = [
      { stream: 'btcusdt@trade', data: { e: 'trade' } },
      { stream: 'btcusdt@trade', data: undefined },
      { stream: 'btcusdt@trade', data: null, extra: 1 },
      { stream: 'btcusdt@trade' },
      { stream: 1, data: {} },
      { data: {} },
      [],
      null,
      'btcusdt@trade',
      { result: null, id: 1 },
    ]
    for (const frame of frames) expect(v.is(CombinedStreamFrameSchema, frame)).toBe(v.is(ObjectSchema, frame))
    const frame = { stream: 'btcusdt@trade', data: { e: 'trade' } }
    expect(v.parse(CombinedStreamFrameSchema, frame)).toBe(frame)
  })
})
