// Every Binance wire schema, in one place: REST answers, public market data, private user data,
// and `parsePayload`, the one way a payload enters the connector.
export * from './schemas/market.ts'
export * from './schemas/parse.ts'
export * from './schemas/rest.ts'
export * from './schemas/user-data.ts'
// rest.ts and market.ts both define DecimalStringSchema; naming rest.ts's here settles which the
// index exports. It is the wider one: it also accepts a leading minus (24hr `priceChange`).
export { DecimalStringSchema } from './schemas/rest.ts'
