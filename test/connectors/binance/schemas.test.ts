import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import {
  AccountSchema,
  CancelOrderSchema,
  CreateOrderAckSchema,
  CreateOrderFullSchema,
  CreateOrderResponseSchema,
  CreateOrderResultSchema,
  DecimalStringSchema,
  ErrorBodySchema,
  ExchangeInfoSchema,
  ListenKeyResponseSchema,
  MyTradesSchema,
  OpenOrdersSchema,
  OrderSchema,
  parsePayload,
  PingResponseSchema,
  SymbolFilterSchema,
  SymbolInfoSchema,
  Ticker24hrListSchema,
  Ticker24hrSchema,
  TickerPriceListSchema,
  TickerPriceSchema,
  TimeResponseSchema,
} from '../../../src/connectors/binance/schemas.ts'
import { PayloadValidationError } from '../../../src/core/errors.ts'
import { REDACTED, registerSecret } from '../../../src/core/redact.ts'
import { listReferenceJson, readReference } from './reference-files.ts'

/** Every REST example the connector reads, with the schema that reads it. */
const CHECKED: Readonly<Record<string, v.GenericSchema>> = {
  'DELETE_api_v3_order.json': CancelOrderSchema,
  'DELETE_api_v3_order_error_-1145.json': ErrorBodySchema,
  'DELETE_api_v3_order_error_-2011.json': ErrorBodySchema,
  'GET_api_v3_account.json': AccountSchema,
  // Not requested by the connector, but the same order shape as openOrders: a free cross-check.
  'GET_api_v3_allOrders.json': OpenOrdersSchema,
  'GET_api_v3_exchangeInfo.json': ExchangeInfoSchema,
  'GET_api_v3_myTrades.json': MyTradesSchema,
  'GET_api_v3_openOrders.json': OpenOrdersSchema,
  'GET_api_v3_order.json': OrderSchema,
  'GET_api_v3_ping.json': PingResponseSchema,
  'GET_api_v3_ticker_24hr_FULL_list.json': Ticker24hrListSchema,
  'GET_api_v3_ticker_24hr_FULL_single.json': Ticker24hrSchema,
  'GET_api_v3_ticker_24hr_MINI_single.json': Ticker24hrSchema,
  'GET_api_v3_ticker_price_list.json': TickerPriceListSchema,
  'GET_api_v3_ticker_price_single.json': TickerPriceSchema,
  'GET_api_v3_time.json': TimeResponseSchema,
  'POST_api_v3_order_ACK.json': CreateOrderAckSchema,
  'POST_api_v3_order_FULL.json': CreateOrderFullSchema,
  'POST_api_v3_order_RESULT.json': CreateOrderResultSchema,
  'POST_api_v3_order_cancelReplace_error_-1015.json': ErrorBodySchema,
  'POST_api_v3_order_cancelReplace_error_-2021_newOrderFailed.json': ErrorBodySchema,
  'POST_api_v3_order_cancelReplace_error_-2022_stopOnFailure.json': ErrorBodySchema,
  'POST_api_v3_userDataStream_listenKey__RETIRED.json': ListenKeyResponseSchema,
  'error_payload.json': ErrorBodySchema,
}

/** REST examples of endpoints the connector never calls (or whose schema lives elsewhere). */
const NOT_READ: Readonly<Record<string, string>> = {
  'DELETE_api_v3_openOrders.json': 'cancelAll cancels tracked orders one by one',
  'DELETE_api_v3_orderList.json': 'order lists are not supported',
  'GET_api_v3_account_commission.json': 'fees come from DEFAULT_FEES; the fee refresh is a no-op',
  'GET_api_v3_aggTrades.json': 'public trades come from the trade stream',
  'GET_api_v3_avgPrice.json': 'not used',
  'GET_api_v3_depth.json': 'read by schemas/market.ts (market-data engineer)',
  'GET_api_v3_klines.json': 'not used',
  'GET_api_v3_myFilters.json': 'not used',
  'GET_api_v3_orderList.json': 'order lists are not supported',
  'GET_api_v3_rateLimit_order.json': 'order counts come from X-MBX-ORDER-COUNT headers',
  'GET_api_v3_ticker_bookTicker_list.json': 'not used',
  'GET_api_v3_ticker_bookTicker_single.json': 'not used',
  'GET_api_v3_trades.json': 'public trades come from the trade stream',
  'POST_api_v3_orderList_oco.json': 'order lists are not supported',
  'POST_api_v3_order_cancelReplace_success.json': 'cancel-replace is not used',
  'POST_api_v3_order_test_computeCommissionRates.json': 'test orders are not sent',
  'POST_api_v3_order_test_empty.json': 'test orders are not sent',
}

describe('binance schemas: the reference REST examples', () => {
  const files = listReferenceJson('rest')

  it('the reference folder is there and every example in it is either read or explained', () => {
    expect(files.length).toBeGreaterThan(30)
    const unaccounted = files.filter((file) => !(file in CHECKED) && !(file in NOT_READ))
    expect(unaccounted).toEqual([])
    for (const file of [...Object.keys(CHECKED), ...Object.keys(NOT_READ)]) expect(files, file).toContain(file)
  })

  it.each(Object.entries(CHECKED))('%s passes its schema', (file, schema) => {
    const result = v.safeParse(schema, readReference(`rest/${file}`))
    expect(result.issues?.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`)).toBeUndefined()
  })

  it('every symbol of the reference exchangeInfo passes the symbol schema', () => {
    const info = parsePayload(ExchangeInfoSchema, readReference('rest/GET_api_v3_exchangeInfo.json'), 'test')
    expect(info.symbols.length).toBeGreaterThan(0)
    for (const symbol of info.symbols) {
      expect(parsePayload(SymbolInfoSchema, symbol, 'test')).toMatchObject({ symbol: 'ETHBTC', permissionSets: [['SPOT', 'MARGIN']] })
    }
  })

  it('every reference filter passes the filter schema, known types with their fields', () => {
    const files = listReferenceJson('filters')
    expect(files.length).toBeGreaterThanOrEqual(20)
    for (const file of files) {
      const filter = readReference(`filters/${file}`) as { filterType: string }
      expect(parsePayload(SymbolFilterSchema, filter, file).filterType, file).toBe(filter.filterType)
    }
    expect(parsePayload(SymbolFilterSchema, readReference('filters/LOT_SIZE.json'), 'LOT_SIZE')).toEqual({
      filterType: 'LOT_SIZE',
      minQty: '0.00100000',
      maxQty: '100000.00000000',
      stepSize: '0.00100000',
    })
  })

  it('a create answer of any response type is read by the combined schema, richest shape first', () => {
    const full = parsePayload(CreateOrderResponseSchema, readReference('rest/POST_api_v3_order_FULL.json'), 'FULL')
    expect('fills' in full && full.fills).toHaveLength(5)
    const result = parsePayload(CreateOrderResponseSchema, readReference('rest/POST_api_v3_order_RESULT.json'), 'RESULT')
    expect(result).toMatchObject({ status: 'FILLED', executedQty: '10.00000000' })
    const ack = parsePayload(CreateOrderResponseSchema, readReference('rest/POST_api_v3_order_ACK.json'), 'ACK')
    expect(ack).toEqual({ symbol: 'BTCUSDT', orderId: 28, orderListId: -1, clientOrderId: '6gCrw2kRUAF9CvJDGP16IP', transactTime: 1507725176595 })
  })

  it('decimals stay exact strings', () => {
    const account = parsePayload(AccountSchema, readReference('rest/GET_api_v3_account.json'), 'account')
    expect(account.balances[0]).toEqual({ asset: 'BTC', free: '4723846.89208129', locked: '0.00000000' })
  })
})

describe('binance schemas: malformed payloads', () => {
  it('parse payload: a malformed payload is a PayloadValidationError naming its source and the wrong fields', () => {
    const error = (() => {
      try {
        parsePayload(AccountSchema, { balances: [{ asset: 'BTC', free: 4.5, locked: '0' }] }, 'GET /v3/account')
      } catch (thrown) {
        return thrown
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error).toMatchObject({ source: 'GET /v3/account', payload: { balances: [{ asset: 'BTC', free: 4.5, locked: '0' }] } })
    expect((error as PayloadValidationError).details).toContain('balances.0.free')
  })

  it('parse payload: the attached payload is redacted and the details never quote received values', () => {
    const listenKey = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1'
    const secretValue = 'schemas-test-secret-4c1f'
    registerSecret(secretValue)
    let caught: unknown
    try {
      parsePayload(ListenKeyResponseSchema, { listenKey: 42, note: `key ${secretValue}`, apiKey: 'abcdef123456' }, 'POST /v3/userDataStream')
    } catch (thrown) {
      caught = thrown
    }
    expect(caught).toBeInstanceOf(PayloadValidationError)
    const error = caught as PayloadValidationError
    expect(error.payload).toEqual({ listenKey: REDACTED, note: `key ${REDACTED}`, apiKey: REDACTED })
    expect(error.message).not.toContain(secretValue)
    expect(error.message).not.toContain(listenKey)
    expect(error.details).not.toContain('42')
  })

  it('many issues are summarised rather than all listed', () => {
    const broken = Object.fromEntries(['price', 'origQty', 'executedQty', 'cummulativeQuoteQty', 'timeInForce', 'type'].map((key) => [key, 1]))
    let details = ''
    try {
      parsePayload(OrderSchema, broken, 'GET /v3/order')
    } catch (thrown) {
      details = (thrown as PayloadValidationError).details ?? ''
    }
    expect(details).toMatch(/…and \d+ more$/)
  })

  it('rejects amounts that are numbers or use exponents, unknown order statuses and broken known filters', () => {
    expect(v.is(DecimalStringSchema, '0.00000001')).toBe(true)
    expect(v.is(DecimalStringSchema, '-94.99999800')).toBe(true)
    for (const bad of ['1e-8', '', '.5', '1.', 0.1, 'NaN']) expect(v.is(DecimalStringSchema, bad), String(bad)).toBe(false)
    const order = readReference('rest/GET_api_v3_order.json') as Record<string, unknown>
    expect(v.is(OrderSchema, { ...order, status: 'PENDING_SOMETHING' })).toBe(false)
    expect(v.is(SymbolFilterSchema, { filterType: 'LOT_SIZE', minQty: '0.1', maxQty: '10' })).toBe(false)
    expect(v.is(SymbolFilterSchema, { filterType: 'FILTER_ADDED_IN_2027', anything: [1, 2] })).toBe(true)
    expect(v.is(ErrorBodySchema, { code: '-1121', msg: 'Invalid symbol.' })).toBe(false)
  })
})
