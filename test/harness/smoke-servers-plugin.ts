// A Vite plugin for `npm run dev`: starts the smoke loopback servers next to the dev server and
// lets the page import their URLs from `virtual:loopback-urls`, so the page can run the same smoke
// scenario the Chromium tests run. Replaced by the simulator when the playground issue lands.
import type { Plugin } from 'vite'
import { type LoopbackServers, startLoopbackServers } from './loopback-servers.ts'

const VIRTUAL_ID = 'virtual:loopback-urls'
const RESOLVED_ID = `\0${VIRTUAL_ID}`

export function smokeServersPlugin(): Plugin {
  let servers: LoopbackServers | undefined
  return {
    name: 'spotwire:smoke-servers',
    apply: 'serve',
    async configureServer(server) {
      servers = await startLoopbackServers()
      server.httpServer?.once('close', () => void servers?.close())
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined
      if (!servers) throw new Error('the smoke servers are not running (only `vite serve` starts them)')
      return `export const rest = ${JSON.stringify(servers.restUrl)}\nexport const ws = ${JSON.stringify(servers.wsUrl)}\n`
    },
  }
}
