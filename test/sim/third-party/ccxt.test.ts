// CCXT's Binance client, unchanged, against the simulator: only its base URLs point here. Every
// answer is checked against the simulator's ground truth, not against what the simulator told CCXT.
//
// Options CCXT needs beyond URLs, each because CCXT would otherwise call a Binance product the
// simulator does not emulate (spot only):
// - fetchMarkets.types ['spot']: by default loadMarkets also reads the USDⓈ-M and COIN-M futures
//   exchangeInfo (fapi.binance.com, dapi.binance.com).
// - fetchMargins false: with keys set, loadMarkets also reads the margin pair lists (/sapi/v1/margin/…).
// - fetchCurrencies false: with keys set, loadMarkets reads the wallet's coin list (/sapi/v1/capital/config/getall).
// And two client-side acknowledgements that change nothing on the wire:
// - options.fetchOpenOrders.warnWithoutSymbol false: CCXT refuses openOrders without a symbol until told
//   the caller knows it costs more weight.
// - loadHttpProxyAgent(): CCXT under Node refuses plain ws:// URLs until an http agent is loaded.
import ccxt, { type Exchange, type OrderBook } from 'ccxt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SimulatorServer, startSimulatorServer } from '../../../src/sim/server.node.ts'

const SYMBOL = 'BTC/USDT'

let server: SimulatorServer
let exchange: Exchange

/** Only base URLs differ from CCXT's defaults; see the header for the options. */
function ccxtOptions(url: SimulatorServer['urls'], secret: string, apiKey: string): ConstructorParameters<typeof ccxt.binance>[0] {
  return {
    apiKey,
    secret,
    urls: {
      api: {
        public: `${url.rest}/v3`,
        private: `${url.rest}/v3`,
        v1: `${url.rest}/v1`,
        // CCXT opens `<ws.spot>/<connection number>` and then SUBSCRIBEs, as it does against Binance.
        ws: { spot: `${url.ws}/ws`, 'ws-api': { spot: url.wsApi } },
      },
    },
    options: {
      fetchMarkets: { types: ['spot'] },
      fetchMargins: false,
      fetchCurrencies: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
    },
  }
}

function numbers(levels: readonly { price: { toString(): string }; quantity: { toString(): string } }[]): number[][] {
  return levels.map((level) => [Number(level.price.toString()), Number(level.quantity.toString())])
}

function bookLevels(book: OrderBook): number[][][] {
  return [book.bids.map((level) => [Number(level[0]), Number(level[1])]), book.asks.map((level) => [Number(level[0]), Number(level[1])])]
}

function btcMarketConfig() {
  const config = server.simulator.exchange.engine.marketConfigs().find((market) => market.symbol === 'BTCUSDT')
  if (!config) throw new Error('the simulator lists no BTCUSDT')
  return config
}

beforeAll(async () => {
  server = await startSimulatorServer({ port: 0, seed: 11 })
  exchange = new ccxt.binance(ccxtOptions(server.urls, server.apiSecret, server.apiKey))
})

afterAll(async () => {
  await exchange?.close()
  await server?.close()
})

describe('CCXT binance against the simulator', () => {
  it('loads the markets with the precision and limits of the simulator filters', async () => {
    const markets = await exchange.loadMarkets()
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT'])
    const config = btcMarketConfig()
    const market = markets[SYMBOL]!
    expect(market).toMatchObject({ id: 'BTCUSDT', base: 'BTC', quote: 'USDT', spot: true, active: true })
    expect(market.precision).toMatchObject({ price: Number(config.priceFilter.tickSize), amount: Number(config.lotSize.stepSize) })
    expect(market.limits.price).toEqual({ min: Number(config.priceFilter.minPrice), max: Number(config.priceFilter.maxPrice) })
    expect(market.limits.amount).toEqual({ min: Number(config.lotSize.minQty), max: Number(config.lotSize.maxQty) })
    expect(market.limits.cost?.min).toBe(Number(config.notional.minNotional))
    expect(market.limits.market).toEqual({ min: Number(config.marketLotSize.minQty), max: Number(config.marketLotSize.maxQty) })
    expect(market.taker).toBe(Number(config.takerFeeRate))
  })

  it('reads the server time', async () => {
    const before = server.simulator.now()
    const time = await exchange.fetchTime()
    expect(time).toBeGreaterThanOrEqual(before)
    expect(time).toBeLessThanOrEqual(server.simulator.now())
  })

  it('reads the order book as the truth has it while the makers pause', async () => {
    server.simulator.marketMakersRunning = false
    try {
      const book = await exchange.fetchOrderBook(SYMBOL, 5)
      const truth = server.simulator.truth.book('BTCUSDT', 5)!
      expect(book.nonce).toBe(truth.lastUpdateId)
      expect(bookLevels(book)).toEqual([numbers(truth.bids), numbers(truth.asks)])
    } finally {
      server.simulator.marketMakersRunning = true
    }
  })

  it('reads the balances of the test account', async () => {
    const balance = await exchange.fetchBalance()
    expect(balance['BTC']).toMatchObject({ free: 10, used: 0, total: 10 })
    expect(balance['ETH']).toMatchObject({ free: 100, used: 0, total: 100 })
    expect(balance['USDT']).toMatchObject({ free: 1_000_000, used: 0, total: 1_000_000 })
  })

  it('places a limit buy below the market, finds it open, cancels it', async () => {
    const { bid } = await exchange.fetchTicker(SYMBOL)
    const price = Math.floor((bid ?? 60_000) * 0.9)
    const placed = await exchange.createOrder(SYMBOL, 'limit', 'buy', 0.01, price)
    const id = placed.id!
    expect(placed).toMatchObject({ symbol: SYMBOL, type: 'limit', side: 'buy', price, amount: 0.01, status: 'open' })
    const truth = server.simulator.truth.order(placed.clientOrderId!, 'BTCUSDT')
    expect(truth).toMatchObject({ orderId: Number(placed.id), status: 'NEW', timeInForce: 'GTC' })

    expect(await exchange.fetchOrder(id, SYMBOL)).toMatchObject({ id: placed.id, status: 'open', filled: 0, remaining: 0.01 })
    expect((await exchange.fetchOpenOrders(SYMBOL)).map((order) => order.id)).toContain(placed.id)
    expect((await exchange.fetchOpenOrders()).map((order) => order.id)).toContain(placed.id)

    const canceled = await exchange.cancelOrder(id, SYMBOL)
    expect(canceled).toMatchObject({ id: placed.id, status: 'canceled' })
    expect(await exchange.fetchOrder(id, SYMBOL)).toMatchObject({ status: 'canceled' })
    expect(server.simulator.truth.order(placed.clientOrderId!, 'BTCUSDT')?.status).toBe('CANCELED')
    expect((await exchange.fetchOrders(SYMBOL)).find((order) => order.id === placed.id)).toMatchObject({ status: 'canceled' })
  })

  it('places a market buy whose fills fetchMyTrades reports as the truth has them', async () => {
    const order = await exchange.createOrder(SYMBOL, 'market', 'buy', 0.01)
    expect(order).toMatchObject({ status: 'closed', filled: 0.01 })
    const truthFills = server.simulator.truth.fills('BTCUSDT')
      .filter((fill) => fill.accountId === server.simulator.exchange.testAccountId && fill.orderId === Number(order.id))
    expect(truthFills.length).toBeGreaterThan(0)
    const myTrades = (await exchange.fetchMyTrades(SYMBOL)).filter((trade) => trade.order === order.id)
    expect(myTrades.map((trade) => ({ id: trade.id, price: trade.price, amount: trade.amount, fee: trade.fee, side: trade.side, takerOrMaker: trade.takerOrMaker })))
      .toEqual(truthFills.map((fill) => ({
        id: String(fill.tradeId),
        price: Number(fill.price),
        amount: Number(fill.quantity),
        fee: { currency: fill.commissionAsset, cost: Number(fill.commission) },
        side: 'buy',
        takerOrMaker: 'taker',
      })))
  })

  it('reads public trades (aggTrades), tickers and candles that agree with the engine trades', async () => {
    const engineTrades = server.simulator.exchange.engine.trades('BTCUSDT')
    expect(engineTrades.length).toBeGreaterThan(0)
    const trades = await exchange.fetchTrades(SYMBOL, undefined, 1000)
    const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0)
    // Aggregation merges same-order, same-price trades, never loses quantity.
    expect(total(trades.map((trade) => trade.amount!))).toBeCloseTo(total(engineTrades.map((trade) => Number(trade.quantity))), 8)
    expect(trades.at(-1)?.price).toBe(Number(engineTrades.at(-1)!.price))

    const ticker = await exchange.fetchTicker(SYMBOL)
    expect(ticker).toMatchObject({ symbol: SYMBOL, last: Number(server.simulator.exchange.engine.trades('BTCUSDT').at(-1)!.price) })
    expect(ticker.bid).toBeLessThan(ticker.ask!)
    const tickers = await exchange.fetchTickers()
    expect(Object.keys(tickers).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT'])
    expect(Object.keys(await exchange.fetchTickers(['BTC/USDT', 'ETH/USDT'])).sort()).toEqual(['BTC/USDT', 'ETH/USDT'])

    const candles = await exchange.fetchOHLCV(SYMBOL, '1m')
    expect(candles.length).toBeGreaterThan(0)
    expect(candles.at(-1)?.[4]).toBe(Number(server.simulator.exchange.engine.trades('BTCUSDT').at(-1)!.price))
  })

  it('maps the simulator -1013 filter failures to CCXT InvalidOrder and BadRequest', async () => {
    // CCXT rounds prices to the tick itself, so the off-tick price goes in as a raw parameter.
    await expect(exchange.createOrder(SYMBOL, 'limit', 'buy', 0.01, 50_000, { price: '50000.005' })).rejects.toThrow(ccxt.InvalidOrder)
    await expect(exchange.createOrder(SYMBOL, 'limit', 'buy', 0.01, 50_000, { price: '50000.005' })).rejects.toThrow(/-1013.*PRICE_FILTER/)
    // 0.0001 BTC at 40,000 USDT is 4 USDT, under the 5 USDT NOTIONAL minimum.
    await expect(exchange.createOrder(SYMBOL, 'limit', 'buy', 0.0001, 40_000)).rejects.toThrow(ccxt.BadRequest)
    await expect(exchange.createOrder(SYMBOL, 'limit', 'buy', 0.0001, 40_000)).rejects.toThrow(/-1013.*NOTIONAL/)
  })

  it('maps a wrong secret (-1022) to CCXT AuthenticationError', async () => {
    const impostor = new ccxt.binance(ccxtOptions(server.urls, 'not-the-secret', server.apiKey))
    impostor.markets = exchange.markets
    impostor.markets_by_id = exchange.markets_by_id
    await expect(impostor.fetchBalance()).rejects.toThrow(ccxt.AuthenticationError)
    await expect(impostor.fetchBalance()).rejects.toThrow(/-1022/)
  })

  it('watches the order book (ccxt.pro) into the truth once the makers pause', async () => {
    const watcher = new ccxt.pro.binance(ccxtOptions(server.urls, server.apiSecret, server.apiKey))
    try {
      await watcher.loadHttpProxyAgent()
      await watcher.watchOrderBook(SYMBOL)
      server.simulator.marketMakersRunning = false
      // One more book change after the pause, so the watcher has an update to deliver.
      const { bid } = await exchange.fetchTicker(SYMBOL)
      const resting = await exchange.createOrder(SYMBOL, 'limit', 'buy', 0.02, Math.floor((bid ?? 60_000) * 0.95))
      const truth = server.simulator.truth.book('BTCUSDT', 5000)!
      let book = await watcher.watchOrderBook(SYMBOL)
      const deadline = Date.now() + 5000
      while (book.nonce !== truth.lastUpdateId && Date.now() < deadline) book = await watcher.watchOrderBook(SYMBOL)
      expect(book.nonce).toBe(truth.lastUpdateId)
      expect(bookLevels(book)).toEqual([numbers(truth.bids), numbers(truth.asks)])
      expect(book.bids.some((level) => level[0] === resting.price)).toBe(true)
      await exchange.cancelOrder(resting.id!, SYMBOL)
    } finally {
      server.simulator.marketMakersRunning = true
      await watcher.close()
    }
  })
})
