// A tiny soak (a few seconds, ~50 orders, a few dozen faults) with violations planted before the
// final checks: the checkers must catch them, and nothing else may turn up.
import Big from 'big.js'
import { describe, expect, it } from 'vitest'
import { bookDifference } from './book-reference.ts'
import { SecretScan, serializeCaptured } from './secret-scan.ts'
import { runSoak } from './soak.ts'
import { DEFAULT_SOAK_OPTIONS, parseSoakOptions } from './soak-options.ts'
import { failures } from './soak-report.ts'

describe('soak', () => {
  it('a tiny soak passes on its own and its checkers catch a planted duplicate fill and a planted book mismatch', { timeout: 90_000 }, async () => {
    const result = await runSoak(
      { ...DEFAULT_SOAK_OPTIONS, seed: 3, durationMs: 4_000, orders: 50, faults: 30, minOrders: 50, minFaults: 10, settleMs: 30_000, progressMs: 0 },
      {
        beforeFinalChecks({ recorder, simulator }) {
          const fill = { clientOrderId: 'planted', tradingPair: 'BTC-USDT', tradeId: '987654321', price: new Big('1'), amount: new Big('1') }
          recorder.recordEvent('orderFilled', fill)
          recorder.recordEvent('orderFilled', fill)
          const truth = simulator.truth.book('BTCUSDT')
          if (!truth) throw new Error('no BTCUSDT book')
          const rows = (levels: typeof truth.bids) => levels.map((level) => [Number(level.price.toFixed()), Number(level.quantity.toFixed())] as const)
          const bids = rows(truth.bids)
          const [best, ...rest] = bids
          if (!best) throw new Error('an empty book')
          recorder.checkLiveBook('BTC-USDT', truth.lastUpdateId, { bids: [[best[0], best[1] + 1], ...rest], asks: rows(truth.asks) })
        },
      },
    )
    const planted = result.violations.filter((violation) => violation.detail.includes('987654321') || violation.detail.startsWith('BTC-USDT at '))
    expect(planted.map((violation) => violation.invariant).sort()).toEqual(['each fill reported exactly once', 'live book equals the simulator at its update id'])
    expect(result.violations.filter((violation) => !planted.includes(violation))).toEqual([])
    expect(result.ordersPlaced).toBe(50)
    expect(failures(result)).toEqual(['2 invariant violations'])
  })
})

describe('soak checkers', () => {
  it('bookDifference names the first differing level', () => {
    expect(bookDifference({ bids: [[10, 1]], asks: [[11, 2]] }, { bids: [[10, 1]], asks: [[11, 2]] })).toBeUndefined()
    expect(bookDifference({ bids: [[10, 1]], asks: [] }, { bids: [[10, 1]], asks: [[11, 2]] })).toContain('asks[0]')
  })

  it('the secret scan finds a signature inside an error cause and the API key anywhere', () => {
    const scan = new SecretScan()
    const signature = 'ab'.repeat(32)
    scan.addSecret('K'.repeat(64), 'the API key')
    scan.scan(serializeCaptured(new Error('request failed', { cause: new Error(`GET /api/v3/order?signature=${signature}`) })), 'event error')
    scan.scan('clean text', 'stdout')
    expect(scan.findings()).toEqual([])
    scan.addSignature(signature)
    scan.scan(`X-MBX-APIKEY: ${'K'.repeat(64)}`, 'stdout')
    expect(scan.findings()).toEqual(['the API key in stdout', 'a request signature in event error'])
  })

  it('reads the command line', () => {
    expect(parseSoakOptions(['--duration', '30', '--orders=600', '--min-faults', '300'])).toMatchObject({ durationMs: 30_000, orders: 600, minFaults: 300 })
    expect(() => parseSoakOptions(['--bogus'])).toThrow(/unknown option/)
  })
})
