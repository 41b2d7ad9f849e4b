import { describe, expect, it } from 'vitest'
import { toDecimal } from '../../../src/core/decimal.ts'
import { InvalidInputError } from '../../../src/core/errors.ts'
import { TradeFee } from '../../../src/core/orders/fees.ts'
import {
  isFinalOrderState,
  isLimitOrderType,
  isOrderState,
  isOrderStateTransitionAllowed,
  ORDER_STATE_CODES,
  OrderState,
  orderStateFromCode,
  tradeUpdateFromJSON,
  type TradeUpdateJSON,
  tradeUpdateToJSON,
} from '../../../src/core/orders/order-state.ts'
import { splitTradingPair } from '../../../src/core/orders/trading-pair.ts'
import { tradeUpdate } from './helpers.ts'

const ALL_STATES = Object.values(OrderState)
const FINAL_STATES = ['CANCELED', 'FILLED', 'FAILED'] as const
const OPEN_STATES = ['PENDING_CREATE', 'OPEN', 'PARTIALLY_FILLED', 'PENDING_CANCEL'] as const

describe('order state', () => {
  it('keeps the recipe integer codes for serialisation, one per state', () => {
    expect(ORDER_STATE_CODES).toEqual({
      PENDING_CREATE: 0,
      OPEN: 1,
      PENDING_CANCEL: 2,
      CANCELED: 3,
      PARTIALLY_FILLED: 4,
      FILLED: 5,
      FAILED: 6,
    })
    for (const state of ALL_STATES) expect(orderStateFromCode(ORDER_STATE_CODES[state])).toBe(state)
  })

  it('rejects an unknown integer code', () => {
    expect(() => orderStateFromCode(9)).toThrow(InvalidInputError)
  })

  it('recognises its own state names only', () => {
    expect(isOrderState('FILLED')).toBe(true)
    expect(isOrderState('COMPLETED')).toBe(false)
    expect(isOrderState('toString')).toBe(false)
    expect(isOrderState(5)).toBe(false)
  })

  it('calls CANCELED, FILLED and FAILED final and nothing else', () => {
    for (const state of FINAL_STATES) expect(isFinalOrderState(state)).toBe(true)
    for (const state of OPEN_STATES) expect(isFinalOrderState(state)).toBe(false)
  })

  it('never leaves a final state, whatever the update says', () => {
    for (const from of FINAL_STATES) {
      for (const to of ALL_STATES) expect(isOrderStateTransitionAllowed(from, to), `${from} -> ${to}`).toBe(false)
    }
  })

  it('lets any open state end in any final state', () => {
    for (const from of OPEN_STATES) {
      for (const to of FINAL_STATES) expect(isOrderStateTransitionAllowed(from, to), `${from} -> ${to}`).toBe(true)
    }
  })

  it('moves open states forward only, so a stale poll cannot undo progress', () => {
    expect(isOrderStateTransitionAllowed('PENDING_CREATE', 'OPEN')).toBe(true)
    expect(isOrderStateTransitionAllowed('OPEN', 'PARTIALLY_FILLED')).toBe(true)
    expect(isOrderStateTransitionAllowed('PARTIALLY_FILLED', 'PENDING_CANCEL')).toBe(true)
    expect(isOrderStateTransitionAllowed('PARTIALLY_FILLED', 'OPEN')).toBe(false)
    expect(isOrderStateTransitionAllowed('PENDING_CANCEL', 'OPEN')).toBe(false)
    expect(isOrderStateTransitionAllowed('OPEN', 'PENDING_CREATE')).toBe(false)
    expect(isOrderStateTransitionAllowed('OPEN', 'OPEN')).toBe(false)
  })

  it('treats LIMIT and LIMIT_MAKER as limit types', () => {
    expect(isLimitOrderType('LIMIT')).toBe(true)
    expect(isLimitOrderType('LIMIT_MAKER')).toBe(true)
    expect(isLimitOrderType('MARKET')).toBe(false)
  })
})

describe('trade update JSON', () => {
  it('round-trips a fill with exact decimal strings and its fee', () => {
    const fill = tradeUpdate('T1', '0.00000001', '12345.6789')
    const json = JSON.parse(JSON.stringify(tradeUpdateToJSON(fill))) as TradeUpdateJSON
    expect(json.fillBaseAmount).toBe('0.00000001')
    expect(json.fillPrice).toBe('12345.6789')
    const back = tradeUpdateFromJSON(json)
    expect(back.fillBaseAmount.eq(fill.fillBaseAmount)).toBe(true)
    expect(back.fillQuoteAmount.eq(fill.fillQuoteAmount)).toBe(true)
    expect(back.fee.equals(fill.fee)).toBe(true)
    expect(back.clientOrderId).toBe('OID1')
    expect(back.exchangeOrderId).toBe('EX1')
    expect(back.isTaker).toBe(true)
  })

  it('leaves absent ids absent after a round trip', () => {
    const fill = {
      tradeId: 'T2',
      tradingPair: 'BTC-USDT',
      fillTimestamp: 1,
      fillPrice: toDecimal('1'),
      fillBaseAmount: toDecimal('1'),
      fillQuoteAmount: toDecimal('1'),
      fee: new TradeFee('deductedFromReturns'),
      isTaker: false,
    }
    const back = tradeUpdateFromJSON(tradeUpdateToJSON(fill))
    expect('clientOrderId' in back).toBe(false)
    expect('exchangeOrderId' in back).toBe(false)
    expect(back.isTaker).toBe(false)
  })

  it('rejects a malformed saved fill', () => {
    const good = tradeUpdateToJSON(tradeUpdate('T1', '1'))
    expect(() => tradeUpdateFromJSON(null as unknown as TradeUpdateJSON)).toThrow(InvalidInputError)
    expect(() => tradeUpdateFromJSON({ ...good, tradeId: 7 } as unknown as TradeUpdateJSON)).toThrow(InvalidInputError)
    expect(() => tradeUpdateFromJSON({ ...good, fillTimestamp: 'x' } as unknown as TradeUpdateJSON)).toThrow(InvalidInputError)
    expect(() => tradeUpdateFromJSON({ ...good, fillPrice: '1e' })).toThrow(InvalidInputError)
  })
})

describe('trading pair', () => {
  it('splits BASE-QUOTE at the first dash', () => {
    expect(splitTradingPair('BTC-USDT')).toEqual({ baseAsset: 'BTC', quoteAsset: 'USDT' })
  })

  it('rejects a pair without both sides', () => {
    for (const pair of ['BTCUSDT', '-USDT', 'BTC-', '']) expect(() => splitTradingPair(pair), pair).toThrow(InvalidInputError)
  })
})
