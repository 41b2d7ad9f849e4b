// Vitest global setup: starts the loopback servers once per project and hands their URLs to the
// tests (`inject('loopback')`, `inject('simulator')`), which may run in Node, happy-dom, workerd or
// Chromium. The simulator is the real one (`startSimulatorServer`, the server `npm run sim` runs).
//
// SPOTWIRE_SMOKE_WITHOUT_SERVER=1 hands out a dead loopback port instead: the negative control that
// proves each runtime's smoke and simulator tests fail when the server they talk to is missing.
import type { TestProject } from 'vitest/node'
import { startSimulatorServer } from '../../src/sim/server.node.ts'
import type { SimulatorEndpoints } from '../../src/sim/endpoints.ts'
import { startLoopbackServers, unusedLoopbackPort } from './loopback-servers.ts'

export interface LoopbackUrls {
  readonly rest: string
  readonly ws: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    loopback: LoopbackUrls
    simulator: SimulatorEndpoints
    /** A second simulator for the edge suites (test/edge), so suites that inject faults or pause makers never share one. */
    edgeSimulator: SimulatorEndpoints
  }
}

/** Endpoints on a port nothing listens on: every request is refused. */
export function deadEndpoints(port: number): SimulatorEndpoints {
  return { rest: `http://127.0.0.1:${port}/api`, ws: `ws://127.0.0.1:${port}`, wsApi: `ws://127.0.0.1:${port}/ws-api/v3`, apiKey: 'none', apiSecret: 'none' }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env['SPOTWIRE_SMOKE_WITHOUT_SERVER'] === '1') {
    const port = await unusedLoopbackPort()
    project.provide('loopback', { rest: `http://127.0.0.1:${port}/api`, ws: `ws://127.0.0.1:${port}` })
    project.provide('simulator', deadEndpoints(port))
    project.provide('edgeSimulator', deadEndpoints(port))
    return undefined
  }
  const servers = await startLoopbackServers()
  const simulator = await startSimulatorServer({ port: 0, seed: 21 })
  const edgeSimulator = await startSimulatorServer({ port: 0, seed: 23 })
  project.provide('loopback', { rest: servers.restUrl, ws: servers.wsUrl })
  project.provide('simulator', simulator.endpoints)
  project.provide('edgeSimulator', edgeSimulator.endpoints)
  return async () => {
    await edgeSimulator.close()
    await simulator.close()
    await servers.close()
  }
}
