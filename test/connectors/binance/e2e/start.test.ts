// start() against the simulator: the rules come from exchangeInfo, the balances are the test
// account's, and the BTC-USDT book is live and equal to the simulator's own book.
import { describe, expect, it } from 'vitest'
import { Big } from '../../../../src/core/decimal.ts'
import { balancesMatchTruth, caughtUpBooks, startE2e } from './sim-e2e-kit.ts'

interface ExchangeInfoFilter {
  readonly filterType: string
  readonly [field: string]: unknown
}

describe('Binance e2e: start', () => {
  it('start: loads the trading rules from exchangeInfo, the balances of the account, and a live book equal to the truth', async () => {
    const rig = await startE2e({ seed: 11 })
    const { exchange, simulator } = rig

    expect(exchange.ready).toBe(true)
    expect(exchange.statusDict).toEqual({
      symbolsMappingInitialized: true,
      orderBooksInitialized: true,
      accountBalance: true,
      tradingRuleInitialized: true,
      userStreamInitialized: true,
    })

    // Trading rules: read exchangeInfo straight from the simulator and compare field by field.
    const info = (await (await fetch(`${rig.urls.rest}/v3/exchangeInfo`)).json()) as {
      symbols: { symbol: string; filters: ExchangeInfoFilter[] }[]
    }
    const filters = info.symbols.find((symbol) => symbol.symbol === 'BTCUSDT')?.filters ?? []
    const filter = (type: string): Readonly<Record<string, unknown>> => filters.find((entry) => entry.filterType === type) ?? {}
    const rule = exchange.tradingRules.get('BTC-USDT')
    expect(rule).toBeDefined()
    const ruleFields = {
      minPriceIncrement: rule?.minPriceIncrement.toFixed(),
      minBaseAmountIncrement: rule?.minBaseAmountIncrement.toFixed(),
      minOrderSize: rule?.minOrderSize.toFixed(),
      maxOrderSize: rule?.maxOrderSize.toFixed(),
      minNotionalSize: rule?.minNotionalSize.toFixed(),
    }
    const infoFields = {
      minPriceIncrement: new Big(String(filter('PRICE_FILTER')['tickSize'])).toFixed(),
      minBaseAmountIncrement: new Big(String(filter('LOT_SIZE')['stepSize'])).toFixed(),
      minOrderSize: new Big(String(filter('LOT_SIZE')['minQty'])).toFixed(),
      maxOrderSize: new Big(String(filter('LOT_SIZE')['maxQty'])).toFixed(),
      minNotionalSize: new Big(String((filter('NOTIONAL')['minNotional'] ?? filter('MIN_NOTIONAL')['minNotional']) as string)).toFixed(),
    }
    expect(ruleFields).toEqual(infoFields)
    expect(ruleFields).toMatchObject({ minPriceIncrement: '0.01', minBaseAmountIncrement: '0.00001', minNotionalSize: '5' })
    expect(exchange.symbolMap.exchangeSymbolFor('BTC-USDT')).toBe('BTCUSDT')

    // Balances: the printed test account, as the simulator holds it.
    expect(await balancesMatchTruth(rig)).toMatchObject({
      BTC: { total: '10', available: '10' },
      ETH: { total: '100', available: '100' },
      USDT: { total: '1000000', available: '1000000' },
    })

    // The book: live, and once the makers stand still and the stream caught up, the truth's.
    simulator.marketMakersRunning = false
    const { connector, truth } = await caughtUpBooks(rig, 'BTC-USDT', 'BTCUSDT', 50)
    expect(truth.bids.length).toBeGreaterThan(0)
    expect(truth.asks.length).toBeGreaterThan(0)
    expect(connector).toEqual(truth)
    const best = exchange.orderBook('BTC-USDT')
    expect(best.bestBid?.price).toBe(truth.bids[0]?.[0])
    expect(best.bestAsk?.price).toBe(truth.asks[0]?.[0])

    expect(rig.events.errorMessages()).toEqual([])
  })
})
