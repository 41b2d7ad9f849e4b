// Where a served simulator is: `urls` exactly as `createBinanceExchange` means them, plus the test
// keys. `npm run sim` prints this object as its first line; the Vite mount answers it at /info.
import type { SimulatorCredentials } from './rest/signed-request.ts'

/** What `npm run sim` prints and `GET <prefix>/info` answers: `urls` for `createBinanceExchange` plus the test keys. */
export interface SimulatorEndpoints {
  readonly rest: string
  readonly ws: string
  readonly wsApi: string
  readonly apiKey: string
  readonly apiSecret: string
}

/**
 * The endpoints for a simulator served at `origin` (`http://127.0.0.1:8080`) under `prefix` (`''` or `/sim`).
 * @example
 * endpointsOf('http://127.0.0.1:8080', '', simulator.credentials).wsApi // 'ws://127.0.0.1:8080/ws-api/v3'
 */
export function endpointsOf(origin: string, prefix: string, credentials: SimulatorCredentials): SimulatorEndpoints {
  const httpBase = `${origin}${prefix}`
  const wsBase = httpBase.replace(/^http/, 'ws')
  return { rest: `${httpBase}/api`, ws: wsBase, wsApi: `${wsBase}/ws-api/v3`, apiKey: credentials.apiKey, apiSecret: credentials.apiSecret }
}
