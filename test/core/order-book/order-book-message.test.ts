import { describe, expect, it } from 'vitest'
import { findMessageProblem, type OrderBookMessage } from '../../../src/core/order-book/order-book-message.ts'

const snapshot: OrderBookMessage = {
  type: 'snapshot',
  tradingPair: 'BTC-USDT',
  updateId: 1027024,
  bids: [['4.00000000', '431.00000000']],
  asks: [['4.00000200', '12.00000000']],
  timestamp: 1,
}
const diff: OrderBookMessage = {
  type: 'diff',
  tradingPair: 'BNB-BTC',
  firstUpdateId: 157,
  updateId: 160,
  bids: [['0.0024', '10']],
  asks: [['0.0026', '100']],
  timestamp: 1672515782136,
}
const trade: OrderBookMessage = {
  type: 'trade',
  tradingPair: 'BNB-BTC',
  tradeId: 12345,
  price: '0.001',
  amount: '100',
  side: 'sell',
  timestamp: 1672515782136,
}

/** The message with some fields replaced, typed loosely on purpose (it is malformed). */
function broken(message: OrderBookMessage, fields: Record<string, unknown>): OrderBookMessage {
  return { ...message, ...fields } as unknown as OrderBookMessage
}

describe('findMessageProblem', () => {
  it('accepts well-formed snapshot, diff and trade messages', () => {
    expect(findMessageProblem(snapshot)).toBeUndefined()
    expect(findMessageProblem(diff)).toBeUndefined()
    expect(findMessageProblem(trade)).toBeUndefined()
  })

  it('names what is wrong with a malformed message', () => {
    const cases: [OrderBookMessage, string][] = [
      [null as unknown as OrderBookMessage, 'the message is not an object'],
      [broken(diff, { tradingPair: '' }), 'tradingPair is missing'],
      [broken(diff, { timestamp: Number.NaN }), 'timestamp is not a finite number'],
      [broken(snapshot, { updateId: '1' }), 'updateId is not an integer'],
      [broken(snapshot, { asks: {} }), 'asks is not an array'],
      [broken(diff, { updateId: 1.5 }), 'updateId is not an integer'],
      [broken(diff, { firstUpdateId: undefined }), 'firstUpdateId is not an integer'],
      [broken(diff, { firstUpdateId: 161 }), 'firstUpdateId is after updateId'],
      [broken(diff, { bids: 'x' }), 'bids is not an array'],
      [broken(trade, { tradeId: undefined }), 'tradeId is missing'],
      [broken(trade, { price: '-1' }), 'price is not a positive decimal string'],
      [broken(trade, { amount: '0' }), 'amount is not a positive decimal string'],
      [broken(trade, { side: 'BUY' }), "side is neither 'buy' nor 'sell'"],
      [broken(trade, { type: 'ticker' }), 'unknown message type "ticker"'],
    ]
    for (const [message, problem] of cases) expect(findMessageProblem(message)).toBe(problem)
  })
})
