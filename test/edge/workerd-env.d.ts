// What `cloudflare:test`'s `env` holds (wrangler.toml's bindings and vars) and what the harness's
// global setup provides; test/harness/loopback-global-setup.ts declares the latter for the Node
// program, which this folder is not part of.
import type { EdgeEnv } from '../../src/edge/env.ts'
import type { SimulatorEndpoints } from '../../src/sim/endpoints.ts'

declare global {
  namespace Cloudflare {
    interface Env extends EdgeEnv {}
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    simulator: SimulatorEndpoints
    /** A simulator of the edge suites' own, so their faults and paused makers never meet the runtime scenario's. */
    edgeSimulator: SimulatorEndpoints
  }
}
