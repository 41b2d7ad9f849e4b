// The sentinel must be able to fail: each capture point is fed a planted leak, and the sentinel's
// record is checked (then emptied, so this file itself passes).
import Big from 'big.js'
import { afterEach, describe, expect, it } from 'vitest'
import { NetworkError, SpotwireError } from '../../src/core/errors.ts'
import { EventEmitter } from '../../src/core/events.ts'
import { forgetSecret, redact, registerSecret } from '../../src/core/redact.ts'
import { findSecrets, textForScan } from './secret-scan.ts'
import { takeLeaks } from './secret-sentinel.setup.ts'

const PLANTED = 'planted-api-secret-7f3a9c'
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'

describe('secret scan', () => {
  afterEach(() => forgetSecret(PLANTED))

  it('finds a registered secret anywhere in a text, and nothing in a clean one', () => {
    registerSecret(PLANTED)
    expect(findSecrets(`order failed for key ${PLANTED}`, redact).map((f) => f.rule)).toEqual(['redactor'])
    expect(findSecrets('order failed for key [REDACTED]', redact)).toEqual([])
  })

  it('finds secret-shaped fields left in clear, and bare signature-shaped hex', () => {
    expect(findSecrets('GET /api/v3/order?symbol=BTCUSDT&signature=ab12', redact).map((f) => f.rule)).toEqual(['redactor'])
    expect(findSecrets(`HMAC was ${SIGNATURE}`, redact).map((f) => f.rule)).toEqual(['signatureShape'])
    expect(findSecrets(`id ${SIGNATURE}00`, redact)).toEqual([])
  })

  it('serializes errors with their cause chain, nested payloads, maps and decimals', () => {
    const error = new Error('outer', { cause: new Error(`inner ${PLANTED}`) })
    const text = textForScan({ list: [error], map: new Map([['k', 'map-value']]), amount: new Big('1.5') })
    expect(text).toContain(`inner ${PLANTED}`)
    expect(text).toContain('map-value')
    expect(text).toContain('1.5')
  })
})

describe('secret sentinel', () => {
  afterEach(() => forgetSecret(PLANTED))

  it('records a secret logged to the console', () => {
    registerSecret(PLANTED)
    const quiet = console.warn
    console.warn(`leaking ${PLANTED}`)
    expect(quiet).toBe(console.warn)
    expect(takeLeaks().map((leak) => leak.where)).toEqual(['console.warn'])
  })

  it('records a secret carried by an event payload', () => {
    registerSecret(PLANTED)
    const events = new EventEmitter<{ error: unknown; order: { note: string } }>()
    let delivered = ''
    events.on('order', (payload) => (delivered = payload.note))
    events.emit('order', { note: `key=${PLANTED}` })
    expect(delivered).toBe(`key=${PLANTED}`)
    expect(takeLeaks().map((leak) => leak.where)).toEqual(["event 'order'"])
  })

  it('records a library error whose cause carries a signature, and keeps the error class intact', () => {
    const error = new NetworkError('request failed', { cause: new Error(`POST /api/v3/order?signature=${SIGNATURE}`) })
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toBeInstanceOf(SpotwireError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('NetworkError')
    expect(takeLeaks().map((leak) => [leak.where, leak.rule])).toEqual([['new NetworkError', 'redactor']])
  })

  it('records nothing for a clean error, event or log line', () => {
    new SpotwireError('plain failure', { cause: new Error('socket closed') })
    new EventEmitter<{ error: unknown }>().emit('error', new Error('nothing secret'))
    console.info('all quiet')
    expect(takeLeaks()).toEqual([])
  })
})
