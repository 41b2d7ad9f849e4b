// The playground's edge-router endpoint in headless Chromium: `npm run dev:edge` (the Worker under
// wrangler dev, wired to its own simulator) and the dev server; the page holds only a client key,
// reads the book through the BookRoom and places and cancels an order through /v1/orders.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_LAUNCH } from '../../vite.config.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** The dev caller `npm run dev:edge` configures (.dev.vars.example). */
const DEV_CLIENT = { id: 'dev-client', secret: 'dev-client-secret-change-me' }

let edge: ChildProcess | undefined
let edgeUrl = ''
/** The simulator dev:edge started (it names it on stderr), for the ground truth. */
let simulatorOrigin = ''
let server: ViteDevServer | undefined
let browser: Browser | undefined

beforeAll(async () => {
  edge = spawn(process.execPath, ['src/edge/dev-edge.node.mjs'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  edge.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  edge.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const deadline = Date.now() + 60_000
  while (!stdout.includes('\n')) {
    if (Date.now() > deadline || edge.exitCode !== null) throw new Error(`npm run dev:edge printed no URL:\n${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  edgeUrl = stdout.trim()
  const simulatorRest = /simulator: (http:\/\/127\.0\.0\.1:\d+)\/api/.exec(stderr)?.[1]
  if (!simulatorRest) throw new Error(`npm run dev:edge did not name its simulator:\n${stderr}`)
  simulatorOrigin = simulatorRest
  server = await createServer({ configFile: `${root}/vite.config.ts`, mode: 'development', logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } })
  await server.listen()
  browser = await chromium.launch(CHROMIUM_LAUNCH)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (edge?.pid !== undefined && edge.exitCode === null) process.kill(-edge.pid, 'SIGTERM')
}, 30_000)

describe('playground through the edge router', () => {
  it('shows the BookRoom book and places and cancels an order through /v1/orders, with no console error', { timeout: 60_000 }, async () => {
    const page = await browser!.newPage()
    page.setDefaultTimeout(15_000)
    const errors: string[] = []
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(server!.resolvedUrls!.local[0]!)
    await page.getByTestId('endpoint-select').selectOption('edge')
    await page.getByTestId('edge-base-url').fill(edgeUrl)
    await page.getByTestId('edge-client-id').fill(DEV_CLIENT.id)
    await page.getByTestId('edge-client-secret').fill(DEV_CLIENT.secret)
    await page.getByTestId('endpoint-connect').click()

    await page.waitForFunction(() => document.querySelectorAll('[data-testid="book-bids"] [data-price]').length >= 20)
    await expect.poll(() => page.getByTestId('book-status').innerText(), { timeout: 10_000 }).toBe('live')
    const bestBid = Number(await page.locator('[data-testid="book-bids"] [data-price]').first().getAttribute('data-price'))
    expect(bestBid).toBeGreaterThan(0)

    await page.getByTestId('order-side').selectOption('buy')
    await page.getByTestId('order-type').selectOption('LIMIT')
    await page.getByTestId('order-amount').fill('0.001')
    await page.getByTestId('order-price').fill(String(Math.floor(bestBid * 0.9)))
    await page.getByTestId('order-submit').click()
    const row = page.locator('[data-testid="open-orders"] [data-client-order-id]').first()
    await row.waitFor()
    const clientOrderId = await row.getAttribute('data-client-order-id')
    expect(clientOrderId).toMatch(/\S/)

    // The order really reached the exchange behind the router (which signed it with its own key).
    const truth = async () => ((await (await fetch(`${simulatorOrigin}/__sim/orders?clientOrderId=${clientOrderId}`)).json()) as { status: string }[]).map((order) => order.status)
    expect(await truth()).toEqual(['NEW'])

    await row.getByTestId('cancel-order').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="open-orders"] [data-client-order-id]').length === 0)
    expect(await truth()).toEqual(['CANCELED'])
    expect(await page.content()).not.toContain(DEV_CLIENT.secret)
    expect(errors).toEqual([])
    await page.close()
  })
})
