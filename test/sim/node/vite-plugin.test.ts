// The simulator mounted in a real Vite dev server under /sim, next to Vite's own HMR socket.
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ViteDevServer, createServer } from 'vite'
import WebSocket from 'ws'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { simulatorPlugin, type SimulatorPluginOptions } from '../../../src/sim/vite-plugin.node.ts'
import { openSocket, watchTimers } from './node-test-kit.ts'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  vi.restoreAllMocks()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startVite(options: SimulatorPluginOptions = {}): Promise<{ server: ViteDevServer; origin: string }> {
  const root = mkdtempSync(join(tmpdir(), 'spotwire-vite-'))
  cleanups.push(async () => rmSync(root, { recursive: true, force: true }))
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0 },
    plugins: [simulatorPlugin({ tickMs: 20, ...options })],
  })
  cleanups.push(() => server.close())
  await server.listen()
  const { port } = server.httpServer?.address() as AddressInfo
  return { server, origin: `http://127.0.0.1:${port}` }
}

describe('simulator Vite plugin', () => {
  it('serves REST under /sim with the prefix stripped', async () => {
    const { origin } = await startVite()
    const ping = await fetch(`${origin}/sim/api/v3/ping`)
    expect(ping.status).toBe(200)
    expect(await ping.json()).toEqual({})
    const faults = await fetch(`${origin}/sim/__sim/faults`)
    expect(await faults.json()).toMatchObject({ armed: [], clockSkewMs: 0 })
    expect((await fetch(`${origin}/sim/api/v3/unknown`)).status).toBe(404)
  })

  it('answers GET /sim/info with the JSON npm run sim prints, built from the Host header', async () => {
    const { origin } = await startVite({ seed: 3 })
    const info = (await (await fetch(`${origin}/sim/info`)).json()) as Record<string, string>
    const wsOrigin = origin.replace('http', 'ws')
    expect(Object.keys(info)).toEqual(['rest', 'ws', 'wsApi', 'apiKey', 'apiSecret'])
    expect(info).toMatchObject({ rest: `${origin}/sim/api`, ws: `${wsOrigin}/sim`, wsApi: `${wsOrigin}/sim/ws-api/v3` })
    expect(info['apiKey']).toMatch(/^[A-Za-z0-9]{64}$/)
  })

  it('takes WebSocket upgrades under the prefix: the WS API and public streams', async () => {
    const { origin } = await startVite()
    const wsOrigin = origin.replace('http', 'ws')
    const wsApi = await openSocket(`${wsOrigin}/sim/ws-api/v3`)
    wsApi.socket.send(JSON.stringify({ id: 7, method: 'ping' }))
    expect(await wsApi.next((frame) => frame['id'] === 7)).toMatchObject({ status: 200, result: {} })
    const stream = await openSocket(`${wsOrigin}/sim/stream?streams=btcusdt@depth@100ms`)
    stream.socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }))
    expect(await stream.next((frame) => frame['id'] === 1)).toMatchObject({ result: ['btcusdt@depth@100ms'] })
    wsApi.socket.close()
    stream.socket.close()
  })

  it('listenKeys: true serves listen keys under the prefix; a DELETE ends their socket', async () => {
    const { origin } = await startVite({ listenKeys: true, seed: 3 })
    const { apiKey } = (await (await fetch(`${origin}/sim/info`)).json()) as Record<string, string>
    const headers = { 'X-MBX-APIKEY': apiKey ?? '' }
    const created = await fetch(`${origin}/sim/api/v3/userDataStream`, { method: 'POST', headers })
    expect(created.status).toBe(200)
    const { listenKey } = (await created.json()) as { listenKey: string }
    const stream = await openSocket(`${origin.replace('http', 'ws')}/sim/ws/${listenKey}`)
    const deleted = await fetch(`${origin}/sim/api/v3/userDataStream?listenKey=${listenKey}`, { method: 'DELETE', headers })
    expect(deleted.status).toBe(200)
    expect(await stream.closed).toBe(1000)
  })

  it('serves no listen keys by default', async () => {
    const { origin } = await startVite({ seed: 3 })
    const { apiKey } = (await (await fetch(`${origin}/sim/info`)).json()) as Record<string, string>
    const response = await fetch(`${origin}/sim/api/v3/userDataStream`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey ?? '' } })
    expect(response.status).toBe(404)
  })

  it("leaves other upgrades to Vite: its HMR socket still connects", async () => {
    const { origin } = await startVite()
    const hmr = new WebSocket(`${origin.replace('http', 'ws')}/`, 'vite-hmr')
    const first = await new Promise<string>((resolve, reject) => {
      hmr.once('message', (data) => resolve(String(data)))
      hmr.once('error', reject)
    })
    expect(JSON.parse(first)).toMatchObject({ type: 'connected' })
    hmr.close()
  })

  it('ends its sockets and timers when the dev server closes', async () => {
    // Timers with delays nobody else uses, so Vite's own timers cannot blur the count.
    const delays = { tickMs: 23, makerIntervalMs: 1234, pingIntervalMs: 57, pongTimeoutMs: 4321 }
    const timers = watchTimers(Object.values(delays))
    const { server, origin } = await startVite(delays)
    const wsApi = await openSocket(`${origin.replace('http', 'ws')}/sim/ws-api/v3`)
    expect(timers.created.size).toBe(4) // tick, makers, the socket's pings and its pong deadline
    await server.close()
    expect(await wsApi.closed).toBe(1006)
    expect(timers.uncleared()).toEqual([])
  })

})
