import { describe, expect, it } from 'vitest'
import { StreamHandoff } from '../../../src/connectors/binance/stream-handoff.ts'
import type { OrderBookDiffMessage, OrderBookMessage, OrderBookTradeMessage } from '../../../src/core/order-book/order-book-message.ts'

function diff(firstUpdateId: number, updateId: number, tradingPair = 'BTC-USDT'): OrderBookDiffMessage {
  return { type: 'diff', tradingPair, firstUpdateId, updateId, bids: [], asks: [], timestamp: 0 }
}

function trade(tradeId: number | string, tradingPair = 'BTC-USDT'): OrderBookTradeMessage {
  return { type: 'trade', tradingPair, tradeId, price: '1', amount: '1', side: 'buy', timestamp: 0 }
}

function ids(messages: readonly OrderBookMessage[]): string[] {
  return messages.map((message) =>
    message.type === 'diff' ? `${message.firstUpdateId}-${message.updateId}` : message.type === 'trade' ? `t${message.tradeId}` : 'snapshot',
  )
}

describe('stream handoff', () => {
  it('outside a roll passes everything from the current socket once, and nothing from another', () => {
    const handoff = new StreamHandoff()
    expect(handoff.rolling).toBe(false)
    expect(handoff.allSwitched(['BTC-USDT'])).toBe(true)
    expect(ids(handoff.route(diff(1, 2), 'current'))).toEqual(['1-2'])
    expect(ids(handoff.route(diff(1, 2), 'current'))).toEqual([])
    expect(ids(handoff.route(trade(7), 'current'))).toEqual(['t7'])
    expect(ids(handoff.route(trade(7), 'current'))).toEqual([])
    expect(ids(handoff.route(trade('x'), 'current'))).toEqual(['tx']) // ids that are not numbers are not compared
    expect(ids(handoff.route(diff(3, 4), 'next'))).toEqual([])
  })

  it('moves a pair to the replacement at the diff continuing the last one passed on', () => {
    const handoff = new StreamHandoff()
    handoff.route(diff(1, 2), 'current')
    handoff.begin()
    expect(ids(handoff.route(diff(1, 2), 'next'))).toEqual([]) // passed on already
    expect(ids(handoff.route(trade(9), 'next'))).toEqual([])
    expect(ids(handoff.route(diff(3, 4), 'current'))).toEqual(['3-4'])
    expect(ids(handoff.route(trade(9), 'current'))).toEqual(['t9'])
    expect(ids(handoff.route(trade(10), 'next'))).toEqual([])
    expect(ids(handoff.route(diff(3, 4), 'next'))).toEqual([])
    expect(handoff.allSwitched(['BTC-USDT'])).toBe(false)
    // 5-6 follows 3-4: the pair switches and the held trade 10 (not 9, passed on already) goes too.
    expect(ids(handoff.route(diff(5, 6), 'next'))).toEqual(['t10', '5-6'])
    expect(handoff.allSwitched(['BTC-USDT'])).toBe(true)
    expect(ids(handoff.route(diff(5, 6), 'current'))).toEqual([])
    expect(ids(handoff.route(diff(7, 8), 'next'))).toEqual(['7-8'])
    expect(handoff.finish()).toEqual([])
    expect(handoff.rolling).toBe(false)
    expect(ids(handoff.route(diff(9, 10), 'current'))).toEqual(['9-10'])
  })

  it('switches at once when the replacement is first with the continuing diff', () => {
    const handoff = new StreamHandoff()
    handoff.route(diff(1, 2), 'current')
    handoff.begin()
    expect(ids(handoff.route(diff(3, 4), 'next'))).toEqual(['3-4'])
    expect(ids(handoff.route(diff(3, 4), 'current'))).toEqual([])
  })

  it('switches when the old socket catches up with what the replacement holds', () => {
    const handoff = new StreamHandoff()
    handoff.route(diff(1, 2), 'current')
    handoff.begin()
    expect(ids(handoff.route(diff(5, 6), 'next'))).toEqual([]) // ahead of the old socket
    expect(ids(handoff.route(diff(7, 8), 'next'))).toEqual([])
    expect(ids(handoff.route(diff(3, 4), 'current'))).toEqual(['3-4', '5-6', '7-8'])
    expect(handoff.allSwitched(['BTC-USDT'])).toBe(true)
  })

  it('waits while the replacement batches overlap the old socket, then forces the rest at finish', () => {
    const handoff = new StreamHandoff()
    handoff.route(diff(1, 2), 'current')
    handoff.begin()
    expect(ids(handoff.route(diff(2, 5), 'next'))).toEqual([]) // overlaps 1-2: no proof
    expect(ids(handoff.route(diff(3, 4), 'current'))).toEqual(['3-4'])
    expect(ids(handoff.route(diff(7, 8), 'next'))).toEqual([]) // jumps ahead of 4
    expect(ids(handoff.finish())).toEqual(['2-5', '7-8'])
    expect(handoff.rolling).toBe(false)
  })

  it('holds everything for a pair the old socket never gave a diff for, until finish', () => {
    const handoff = new StreamHandoff()
    handoff.begin()
    expect(ids(handoff.route(diff(3, 4, 'ETH-USDT'), 'next'))).toEqual([])
    expect(handoff.allSwitched(['ETH-USDT'])).toBe(false)
    expect(handoff.allSwitched([])).toBe(true)
    expect(ids(handoff.finish())).toEqual(['3-4'])
    expect(handoff.finish()).toEqual([])
  })

  it('switches a pair whose held messages overflow, and forgets removed pairs', () => {
    const handoff = new StreamHandoff()
    handoff.begin()
    let delivered: OrderBookMessage[] = []
    for (let id = 1; id <= 501 && delivered.length === 0; id += 1) delivered = handoff.route(trade(id), 'next')
    expect(delivered).toHaveLength(501)
    handoff.route(diff(1, 2, 'ETH-USDT'), 'next')
    handoff.forget('ETH-USDT')
    handoff.forget('BTC-USDT')
    expect(handoff.finish()).toEqual([])
    expect(ids(handoff.route(trade(1), 'current'))).toEqual(['t1'])
  })

  it('cancel drops what the replacement held and reads the current socket again', () => {
    const handoff = new StreamHandoff()
    handoff.route(diff(1, 2), 'current')
    handoff.begin()
    handoff.route(diff(5, 6), 'next')
    handoff.cancel()
    expect(ids(handoff.route(diff(3, 4), 'current'))).toEqual(['3-4'])
    handoff.reset()
    expect(ids(handoff.route(diff(1, 2), 'current'))).toEqual(['1-2'])
  })
})
