// Listen-key user data streams (`POST /api/v3/userDataStream`, `/ws/<listenKey>`): Binance's
// retired flow, still served by Binance.US, behind a registry the REST handler is given.
export {
  LISTEN_KEY_LENGTH,
  LISTEN_KEY_VALIDITY_MS,
  createListenKeyRegistry,
  listenKeyOfPath,
  type ListenKeyConnection,
  type ListenKeyRegistry,
  type ListenKeyRegistryOptions,
  type ListenKeySocket,
} from './listen-key-registry.ts'
