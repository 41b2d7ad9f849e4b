// The playground's acceptance test: the real dev server (`npm run dev`'s config, simulator at /sim)
// driven in Debian's headless Chromium through the page's data-testids only. Runs in the `page`
// vitest project (`npm run test:browser`), never in `npm test`.
import Big from 'big.js'
import { type Browser, chromium, type Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_LAUNCH } from '../../vite.config.ts'
import { balances, bookRows, bookStatus, fillCount, openOrderIds, setControl, waitForBookDepth } from './page-driver.ts'

const CONFIG_FILE = fileURLToPath(new URL('../../vite.config.ts', import.meta.url))
const FIRST_ROWS_WITHIN_MS = 5_000
const ROWS_PER_SIDE = 20
const TICK = new Big('0.01') // BTC-USDT's price tick on the simulator

let server: ViteDevServer | undefined
let browser: Browser | undefined
let page: Page
let pageUrl: string
/** Console errors and uncaught page errors, with where they came from. */
const consoleErrors: string[] = []

beforeAll(async () => {
  // 'development', not 'test': only then does the config serve playground/ and mount the simulator.
  server = await createServer({
    configFile: CONFIG_FILE,
    mode: 'development',
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('the dev server did not report a local URL')
  pageUrl = url
  browser = await chromium.launch(CHROMIUM_LAUNCH)
  // One throwaway load first: Vite compiles modules and pre-bundles dependencies on the first request
  // to a fresh server, which is the dev server's start-up cost, not the page's. The 5 s budget is
  // measured on the next load, as a user opening the page on a running `npm run dev` sees it.
  const warmUp = await browser.newPage()
  await warmUp.goto(pageUrl, { waitUntil: 'load', timeout: 30_000 })
  await warmUp.close()
  page = await browser.newPage()
  // A missing element fails its step in seconds, not after Playwright's default 30 s.
  page.setDefaultTimeout(5_000)
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const { url, lineNumber } = message.location()
    consoleErrors.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.stack ?? error.message}`))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
}, 30_000)

describe('playground in headless Chromium', () => {
  it('loads and shows at least 20 rows per side within 5 s', { timeout: 30_000 }, async () => {
    const loadStarted = Date.now()
    const response = await page.goto(pageUrl, { waitUntil: 'domcontentloaded' })
    expect(response?.status(), `GET ${pageUrl}`).toBe(200)
    const left = FIRST_ROWS_WITHIN_MS - (Date.now() - loadStarted)
    await withContext(waitForBookDepth(page, ROWS_PER_SIDE, left), async () => {
      const [bids, asks] = await Promise.all([bookRows(page, 'bids'), bookRows(page, 'asks')])
      return `${bids.length} bids and ${asks.length} asks, book-status "${await bookStatus(page)}", ${FIRST_ROWS_WITHIN_MS} ms after loading ${pageUrl}`
    })
    const [bids, asks] = await Promise.all([bookRows(page, 'bids'), bookRows(page, 'asks')])
    for (const row of [...bids, ...asks]) {
      expect(row.price, 'every row has a decimal data-price').toMatch(/^\d+(\.\d+)?$/)
      expect(row.amount, 'every row has a decimal data-amount').toMatch(/^\d+(\.\d+)?$/)
    }
    expect(new Big(bids[0]!.price).lt(asks[0]!.price), 'best bid below best ask').toBe(true)
  })

  it('keeps the book changing', { timeout: 20_000 }, async () => {
    const snapshot = async () => JSON.stringify([await bookRows(page, 'bids'), await bookRows(page, 'asks')])
    const first = await snapshot()
    await expect.poll(snapshot, { timeout: 10_000, interval: 100, message: 'the book did not change within 10 s' }).not.toBe(first)
  })

  it('lists a limit order placed in the form in open orders, and removes it on cancel', { timeout: 30_000 }, async () => {
    await page.locator('[data-testid="order-form"]').waitFor({ timeout: 5_000 })
    const before = new Set(await openOrderIds(page))
    const [bestBid] = await bookRows(page, 'bids')
    // About 1% under the best bid, on the tick: it rests instead of filling.
    const price = new Big(bestBid!.price).times('0.99').div(TICK).round(0, Big.roundDown).times(TICK).toFixed(2)
    await setControl(page, 'order-side', 'buy')
    await setControl(page, 'order-type', 'LIMIT')
    await setControl(page, 'order-amount', '0.001')
    await setControl(page, 'order-price', price)
    await page.locator('[data-testid="order-submit"]').click()

    let placed = ''
    await withContext(
      expect.poll(
        async () => {
          placed = (await openOrderIds(page)).find((id) => !before.has(id)) ?? ''
          return placed
        },
        { timeout: 10_000, message: `no new row in open orders after a LIMIT buy 0.001 @ ${price}` },
      ).not.toBe(''),
      () => orderError(page),
    )

    await page.locator(`[data-testid="open-orders"] [data-client-order-id="${placed}"] [data-testid="cancel-order"]`).click()
    await withContext(
      expect
        .poll(async () => (await openOrderIds(page)).includes(placed), { timeout: 10_000, message: `order ${placed} still open after cancel` })
        .toBe(false),
      () => eventLogTail(page),
    )
  })

  it('fills a market buy and moves the balances', { timeout: 30_000 }, async () => {
    await expect.poll(async () => (await balances(page)).size, { timeout: 10_000, message: 'no balances shown' }).toBeGreaterThan(0)
    const fillsBefore = await fillCount(page)
    const balancesBefore = await balances(page)
    const btcBefore = balancesBefore.get('BTC')?.free
    const usdtBefore = balancesBefore.get('USDT')?.free
    expect(btcBefore, 'a BTC balance row').toBeDefined()
    expect(usdtBefore, 'a USDT balance row').toBeDefined()

    await setControl(page, 'order-side', 'buy')
    await setControl(page, 'order-type', 'MARKET')
    await setControl(page, 'order-amount', '0.001')
    await setControl(page, 'order-price', '')
    await page.locator('[data-testid="order-submit"]').click()

    await withContext(
      expect.poll(() => fillCount(page), { timeout: 10_000, message: 'no new fill after a MARKET buy 0.001' }).toBeGreaterThan(fillsBefore),
      async () => `${await orderError(page)}; ${await eventLogTail(page)}`,
    )
    await expect
      .poll(async () => new Big((await balances(page)).get('BTC')?.free ?? '0').gt(btcBefore!), {
        timeout: 10_000,
        message: `BTC free did not rise from ${btcBefore}`,
      })
      .toBe(true)
    await expect
      .poll(async () => new Big((await balances(page)).get('USDT')?.free ?? usdtBefore!).lt(usdtBefore!), {
        timeout: 10_000,
        message: `USDT free did not fall from ${usdtBefore}`,
      })
      .toBe(true)
  })

  it('turns the book stale on an injected sequence gap, then live again', { timeout: 30_000 }, async () => {
    await expect.poll(() => bookStatus(page), { timeout: 5_000, message: 'the book is not live before the fault' }).toBe('live')
    await page.locator('[data-testid="fault-skip-sequence"]').click()
    await withContext(
      expect.poll(() => bookStatus(page), { timeout: 5_000, interval: 50, message: 'the book did not turn stale within 5 s of the gap' }).toBe('stale'),
      () => eventLogTail(page),
    )
    await withContext(
      expect.poll(() => bookStatus(page), { timeout: 15_000, interval: 100, message: 'the book did not turn live within 15 s' }).toBe('live'),
      () => eventLogTail(page),
    )
  })

  it('logs no console errors', () => {
    expect(consoleErrors, `console errors:\n${consoleErrors.join('\n')}`).toEqual([])
  })
})

/** Rethrows a failed wait with what the page showed at that moment (read only on failure). */
async function withContext(wait: Promise<unknown>, context: () => Promise<string>): Promise<void> {
  try {
    await wait
  } catch (error) {
    const shown = await context().catch((reason: unknown) => `page unreadable: ${describeError(reason)}`)
    throw new Error(`${describeError(error)}\n  page: ${shown}`, { cause: error })
  }
}

async function orderError(page: Page): Promise<string> {
  const error = page.locator('[data-testid="order-error"]')
  const text = (await error.count()) > 0 ? (await error.innerText()).trim() : ''
  return text ? `order-error "${text}"` : 'no order-error shown'
}

/** The event log's newest lines (the page lists them newest first). */
async function eventLogTail(page: Page, lines = 8): Promise<string> {
  const entries = await page.locator('[data-testid="event-log"] > *').allInnerTexts()
  return `event log, newest first: ${entries.slice(0, lines).map((entry) => entry.replace(/\s+/g, ' ').trim()).join(' | ') || 'empty'}`
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}
