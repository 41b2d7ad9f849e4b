// Vitest global setup: starts the loopback servers once per project and hands their URLs to the
// tests (`inject('loopback')`), which may run in Node, happy-dom, workerd or Chromium.
//
// SPOTWIRE_SMOKE_WITHOUT_SERVER=1 hands out a dead loopback port instead: the negative control that
// proves each runtime's smoke test fails when the server it talks to is missing.
import type { TestProject } from 'vitest/node'
import { startLoopbackServers, unusedLoopbackPort } from './loopback-servers.ts'

export interface LoopbackUrls {
  readonly rest: string
  readonly ws: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    loopback: LoopbackUrls
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env['SPOTWIRE_SMOKE_WITHOUT_SERVER'] === '1') {
    const port = await unusedLoopbackPort()
    project.provide('loopback', { rest: `http://127.0.0.1:${port}/api`, ws: `ws://127.0.0.1:${port}` })
    return undefined
  }
  const servers = await startLoopbackServers()
  project.provide('loopback', { rest: servers.restUrl, ws: servers.wsUrl })
  return () => servers.close()
}
