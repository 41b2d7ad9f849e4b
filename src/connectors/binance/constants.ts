// Binance's facts as data (DESIGN.md rule 6): domains and their URLs, REST paths, and (added by the
// connector's issue) rate limits, order-state and error-code maps. Nothing here runs code.

/** The Binance deployments this connector speaks to. */
export type BinanceDomain = 'com' | 'us' | 'testnet'

/**
 * Base URLs, with the meaning `createBinanceExchange({ urls })` gives them:
 * `rest` gets `/v3/…` appended, `ws` gets `/ws` or `/stream?streams=…`, `wsApi` is used as is.
 */
export interface BinanceUrls {
  readonly rest: string
  readonly ws: string
  readonly wsApi: string
}

export const DEFAULT_URLS = {
  com: {
    rest: 'https://api.binance.com/api',
    ws: 'wss://stream.binance.com:9443',
    wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
  },
  us: {
    rest: 'https://api.binance.us/api',
    ws: 'wss://stream.binance.us:9443',
    wsApi: 'wss://ws-api.binance.us:443/ws-api/v3',
  },
  testnet: {
    rest: 'https://testnet.binance.vision/api',
    ws: 'wss://stream.testnet.binance.vision:9443',
    wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
  },
} as const satisfies Readonly<Record<BinanceDomain, BinanceUrls>>

/**
 * How each domain delivers private user data. binance.com and testnet retired listen keys on
 * 2026-02-20 and deliver user data through the WebSocket API (`userDataStream.subscribe.signature`);
 * Binance.US still offers the listen-key flow.
 */
export const USER_STREAM_MODE = {
  com: 'wsApiSignature',
  us: 'listenKey',
  testnet: 'wsApiSignature',
} as const satisfies Readonly<Record<BinanceDomain, 'wsApiSignature' | 'listenKey'>>

/** REST paths, appended to `urls.rest`. */
export const PATHS = {
  ping: '/v3/ping',
  time: '/v3/time',
  exchangeInfo: '/v3/exchangeInfo',
  depth: '/v3/depth',
  tickerPrice: '/v3/ticker/price',
  ticker24hr: '/v3/ticker/24hr',
  account: '/v3/account',
  order: '/v3/order',
  openOrders: '/v3/openOrders',
  myTrades: '/v3/myTrades',
  userDataStream: '/v3/userDataStream',
} as const

/** Default depth of the REST snapshot that seeds a local book (Binance allows up to 5000). */
export const DEFAULT_SNAPSHOT_DEPTH = 1000
