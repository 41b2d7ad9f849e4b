// `spotwire/sim`: the local exchange simulator. `createSimulator` is the whole exchange behind a
// fetch handler and a socket handler (Web APIs only); the Node server lives in `spotwire/sim/node`.
export { createSimulator, type Simulator, type SimulatorConnection, type SimulatorOptions } from './simulator.ts'
export type { GroundTruth } from './ground-truth.ts'
export { endpointsOf, type SimulatorEndpoints } from './endpoints.ts'
export { createSimulatorFetchHandler, type SimulatorFetchHandler, type SimulatorFetchHandlerOptions } from './worker-adapter.ts'
export { FaultInjector, type ArmedFault, type FrameAction } from './faults/fault-injector.ts'
export {
  FAULT_KINDS,
  FRAME_CHANNELS,
  SOCKET_KINDS,
  InvalidFaultError,
  parseFaultSpec,
  type FaultKind,
  type FaultSpec,
  type FaultSpecInput,
  type FrameChannel,
  type SocketKind,
} from './faults/fault-spec.ts'
export type { SimulatorSocket } from './faults/faulty-socket.ts'
export { CONTROL_PREFIX } from './control/control-routes.ts'
export type { SimulatorCredentials } from './rest/signed-request.ts'
export { createSimulatorRestHandler, type SimulatorRestHandler, type SimulatorRestHandlerOptions } from './rest/index.ts'
export { createPublicStreamHandler, type PublicStreamHandler } from './streams/index.ts'
export { createWsApiHandler, type WsApiHandler } from './ws-api/ws-api-handler.ts'
export {
  DEFAULT_MARKETS,
  MatchingEngine,
  TEST_ACCOUNT_BALANCES,
  createSimulatedExchange,
  defineMarket,
  type MarketConfig,
  type SimulatedExchange,
} from './engine/index.ts'
