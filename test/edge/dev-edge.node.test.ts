// `npm run dev:edge` as a developer uses it: the simulator plus `wrangler dev` on 127.0.0.1, the
// Worker's URL as the first stdout line, a curl-able signed order, and nothing left after SIGTERM.
// The launcher runs detached in its own process group and is stopped by that group's id only.
import { type ChildProcess, spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** The dev caller .dev.vars.example documents and dev-edge.node.mjs configures. */
const DEV_CLIENT = { id: 'dev-client', secret: 'dev-client-secret-change-me' }
let child: ChildProcess | undefined

afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
})

function signedHeaders(method: string, path: string, body: string): Record<string, string> {
  const timestamp = String(Date.now())
  const signature = createHmac('sha256', DEV_CLIENT.secret).update(`${timestamp}${method}${path}${body}`).digest('hex')
  return { 'X-Spotwire-Key': DEV_CLIENT.id, 'X-Spotwire-Timestamp': timestamp, 'X-Spotwire-Signature': signature, 'Content-Type': 'application/json' }
}

describe('npm run dev:edge', () => {
  it('prints the Worker URL first, routes a signed order to the simulator, and stops everything on SIGTERM', async () => {
    child = spawn(process.execPath, ['src/edge/dev-edge.node.mjs'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)))
    const deadline = Date.now() + 60_000
    while (!stdout.includes('\n')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no URL printed; stderr:\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const url = stdout.slice(0, stdout.indexOf('\n'))
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    expect(await (await fetch(`${url}/v1/health`)).json()).toEqual({ ok: true })
    const body = JSON.stringify({ tradingPair: 'BTC-USDT', side: 'BUY', orderType: 'LIMIT', amount: '0.001', price: '20000', clientOrderId: 'dev-edge-1' })
    const placed = await fetch(`${url}/v1/orders`, { method: 'POST', headers: signedHeaders('POST', '/v1/orders', body), body })
    expect(placed.status).toBe(200)
    expect(await placed.json()).toMatchObject({ clientOrderId: 'dev-edge-1', state: 'OPEN' })
    // The exchange secret went to wrangler in a file, not on a command line, and is in no output.
    expect(stderr).not.toMatch(/BINANCE_API_SECRET[:=][A-Za-z0-9]/)

    process.kill(-child.pid!, 'SIGTERM')
    expect(await exited).toBe(0)
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow()
  }, 90_000)
})
