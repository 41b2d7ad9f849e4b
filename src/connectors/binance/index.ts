// The Binance connector's only public door (`spotwire/binance`).
export {
  restSignaturePayload,
  signRestQuery,
  signWsApiParams,
  wsApiSignaturePayload,
  type BinanceParamValue,
} from './auth.ts'
