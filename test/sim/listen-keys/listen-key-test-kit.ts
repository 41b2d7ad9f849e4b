// Shared setup for the listen-key suites: one seeded exchange, its listen-key registry and the REST
// handler serving the userDataStream routes on that registry, all on one movable clock, plus fake
// sockets that record every frame and close.
import { DEFAULT_MARKETS, createSimulatedExchange } from '../../../src/sim/engine/index.ts'
import { createListenKeyRegistry, type ListenKeyRegistry } from '../../../src/sim/listen-keys/index.ts'
import { createSimulatorRestHandler } from '../../../src/sim/rest/index.ts'
import { API_KEY, API_SECRET, LTCBTC, START_TIME, call, type Simulator } from '../rest/rest-test-kit.ts'
import { RecordingSocket } from '../recording-socket.ts'

export const MINUTE = 60_000
export const STREAM_PATH = '/api/v3/userDataStream'

// `any` frames keep the suites' field reads short.
export class FakeSocket extends RecordingSocket<Record<string, any>> {}

export interface ListenKeyRig extends Simulator {
  readonly listenKeys: ListenKeyRegistry
}

export function startListenKeys(options: { seed?: number } = {}): ListenKeyRig {
  const clock = { now: START_TIME }
  const now = () => clock.now
  const exchange = createSimulatedExchange({ seed: 3, now, markets: [...DEFAULT_MARKETS, LTCBTC] })
  const listenKeys = createListenKeyRegistry({ exchange, now, ...(options.seed === undefined ? {} : { seed: options.seed }) })
  const handle = createSimulatorRestHandler({ exchange, credentials: { apiKey: API_KEY, apiSecret: API_SECRET }, now, listenKeys })
  return { exchange, handle, clock, listenKeys }
}

/** A USER_STREAM request: the API key header and the parameters in the query string, no signature. */
export function userStream(simulator: Simulator, method: string, params: Record<string, string> = {}, headers: Record<string, string> = { 'X-MBX-APIKEY': API_KEY }) {
  const query = new URLSearchParams(params).toString()
  return call(simulator, new Request(`http://127.0.0.1${STREAM_PATH}${query === '' ? '' : `?${query}`}`, { method, headers }))
}

/** POSTs for a listen key and returns it. */
export async function openListenKey(simulator: Simulator): Promise<string> {
  const { body } = await userStream(simulator, 'POST')
  return (body as { listenKey: string }).listenKey
}

export const usedWeight = (headers: Headers): number => Number(headers.get('X-MBX-USED-WEIGHT-1M'))
