// Binance's documented examples (reference/binance) through the schemas and into messages.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import {
  diffMessageFromExchange,
  snapshotMessageFromExchange,
  tradeMessageFromExchange,
} from '../../../src/connectors/binance/order-book.ts'
import { DepthSnapshotSchema, DepthUpdateEventSchema, TradeEventSchema } from '../../../src/connectors/binance/schemas/market.ts'
import { findMessageProblem } from '../../../src/core/order-book/order-book-message.ts'
import { OrderBook } from '../../../src/core/order-book/order-book.ts'
import { readReference } from './reference-files.ts'

const snapshotPayload = v.parse(DepthSnapshotSchema, readReference('rest/GET_api_v3_depth.json'))
const depthUpdatePayload = v.parse(DepthUpdateEventSchema, readReference('ws-streams/depthUpdate_diffDepth.json'))
const tradePayload = v.parse(TradeEventSchema, readReference('ws-streams/trade.json'))

describe('Binance order book messages', () => {
  it('snapshot message from exchange: update id is lastUpdateId, levels stay decimal strings', () => {
    const message = snapshotMessageFromExchange(snapshotPayload, 'BNB-BTC', 1_234_567_890_000)
    expect(message).toEqual({
      type: 'snapshot',
      tradingPair: 'BNB-BTC',
      updateId: 1027024,
      bids: [['4.00000000', '431.00000000']],
      asks: [['4.00000200', '12.00000000']],
      timestamp: 1_234_567_890_000,
    })
    expect(findMessageProblem(message)).toBeUndefined()
  })

  it('snapshot rows carry the snapshot update id once applied', () => {
    const message = snapshotMessageFromExchange(snapshotPayload, 'BNB-BTC', 0)
    const book = new OrderBook()
    book.applySnapshot(message.bids, message.asks, message.updateId)
    expect(book.bids()).toEqual([{ price: 4, amount: 431, updateId: 1027024 }])
    expect(book.asks()).toEqual([{ price: 4.000002, amount: 12, updateId: 1027024 }])
  })

  it('diff message from exchange: first update id U, update id u, event time E', () => {
    const message = diffMessageFromExchange(depthUpdatePayload, 'BNB-BTC')
    expect(message).toEqual({
      type: 'diff',
      tradingPair: 'BNB-BTC',
      firstUpdateId: 157,
      updateId: 160,
      bids: [['0.0024', '10']],
      asks: [['0.0026', '100']],
      timestamp: 1672515782136,
    })
    expect(findMessageProblem(message)).toBeUndefined()
    const book = new OrderBook()
    book.applySnapshot([], [], 156)
    book.applyDiffs(message.bids, message.asks, message.updateId)
    expect(book.bestBid).toEqual({ price: 0.0024, amount: 10, updateId: 160 })
  })

  it('trade message from exchange: trade id t, trade time T, the taker sold when the buyer was the maker', () => {
    const message = tradeMessageFromExchange(tradePayload, 'BNB-BTC')
    expect(message).toEqual({
      type: 'trade',
      tradingPair: 'BNB-BTC',
      tradeId: 12345,
      price: '0.001',
      amount: '100',
      side: 'sell',
      timestamp: 1672515782136,
    })
    expect(findMessageProblem(message)).toBeUndefined()
    expect(tradeMessageFromExchange({ ...tradePayload, m: false }, 'BNB-BTC').side).toBe('buy')
  })
})
