// The simulator's REST API (`/api/v3/*`) as a runtime-neutral fetch handler.
export { createSimulatorRestHandler, type SimulatorRestHandler, type SimulatorRestHandlerOptions } from './rest-handler.ts'
export type { RateLimitOptions } from './rate-limits.ts'
export type { SimulatorCredentials } from './signed-request.ts'
export { totalParams } from './signed-request.ts'
