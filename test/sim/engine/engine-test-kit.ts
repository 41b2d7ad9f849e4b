// Shared setup for the engine suites: an engine on the default markets with a fixed clock, funded
// accounts, and terse order builders that keep the tests readable as sentences.
import Big from 'big.js'
import { expect } from 'vitest'
import {
  type EngineEvent,
  MatchingEngine,
  type OrderState,
  type PlaceOrderRequest,
  type PlaceOrderResult,
} from '../../../src/sim/engine/index.ts'

export const FIXED_TIME = 1_700_000_000_000

export function engineWithAccounts(...accountIds: string[]): { engine: MatchingEngine; events: EngineEvent[] } {
  const engine = new MatchingEngine({ seed: 7, now: () => FIXED_TIME })
  for (const accountId of accountIds) engine.deposit(accountId, { BTC: '10', ETH: '100', USDT: '1000000' })
  const events: EngineEvent[] = []
  engine.subscribe((event) => events.push(event))
  return { engine, events }
}

type OrderExtras = Partial<Omit<PlaceOrderRequest, 'accountId' | 'side' | 'price' | 'quantity'>>

/** A BTCUSDT LIMIT order request (GTC unless `extras` says otherwise). */
export function limitOrder(accountId: string, side: 'BUY' | 'SELL', price: string, quantity: string, extras: OrderExtras = {}): PlaceOrderRequest {
  return { accountId, symbol: 'BTCUSDT', side, type: 'LIMIT', price: new Big(price), quantity: new Big(quantity), ...extras }
}

export function placed(result: PlaceOrderResult): { order: OrderState; fills: PlaceOrderResult extends infer R ? R extends { ok: true; fills: infer F } ? F : never : never } {
  if (!result.ok) throw new Error(`expected the order to be accepted, got ${JSON.stringify(result.rejection)}`)
  return { order: result.order, fills: result.fills }
}

/** Decimals as plain strings, so expectations read like the wire. */
export function plain(value: Big): string {
  return value.toFixed()
}

export function balanceOf(engine: MatchingEngine, accountId: string, asset: string): { free: string; locked: string } {
  const balance = engine.ledger.balance(accountId, asset)
  return { free: plain(balance.free), locked: plain(balance.locked) }
}

export function expectRejected(result: PlaceOrderResult, code: number, msg: string): void {
  expect(result).toEqual({ ok: false, rejection: { code, msg } })
}
