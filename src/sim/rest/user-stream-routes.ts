// The listen-key endpoints (USER_STREAM security: the X-MBX-APIKEY header, no signature), served
// only when the simulator is given a listen-key registry. Binance retired them on 2026-02-20;
// Binance.US still serves them, and the connector uses them there.
import type { ListenKeyRegistry } from '../listen-keys/listen-key-registry.ts'
import { REST_ERRORS, RestFailure } from './rest-errors.ts'
import { type Route, type RouteContext, fixedWeight } from './route-context.ts'

export const USER_DATA_STREAM_PATH = '/api/v3/userDataStream'
/** Weight 2 for each of POST, PUT and DELETE, as the last rest-api.md that listed them says (older docs said 1). */
const USER_STREAM_WEIGHT = fixedWeight(2)

/** The three routes, acting on `registry` for the test account the API key stands for. */
export function userStreamRoutes(registry: ListenKeyRegistry): readonly Route[] {
  /** PUT and DELETE name a key that must exist and not have expired, else -1125 (HTTP 400). */
  const withLiveKey = (act: (listenKey: string, now: number) => boolean) => (context: RouteContext): object => {
    const listenKey = context.params.requiredString('listenKey')
    if (!act(listenKey, context.now)) throw new RestFailure(REST_ERRORS.unknownListenKey)
    return {}
  }
  return [
    {
      method: 'POST', path: USER_DATA_STREAM_PATH, auth: 'apiKey', weight: USER_STREAM_WEIGHT,
      handle: (context) => ({ listenKey: registry.open(context.now) }),
    },
    {
      method: 'PUT', path: USER_DATA_STREAM_PATH, auth: 'apiKey', weight: USER_STREAM_WEIGHT,
      handle: withLiveKey((listenKey, now) => registry.keepAlive(listenKey, now)),
    },
    {
      method: 'DELETE', path: USER_DATA_STREAM_PATH, auth: 'apiKey', weight: USER_STREAM_WEIGHT,
      handle: withLiveKey((listenKey, now) => registry.close(listenKey, now)),
    },
  ]
}
