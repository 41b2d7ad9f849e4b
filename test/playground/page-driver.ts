// Reads and drives the playground through its data-testids only (DESIGN.md, "Playground hooks"), so
// the page test states what a user sees and does, not how the page is built.
import type { Page } from 'playwright-core'

export interface BookRow {
  readonly price: string
  readonly amount: string
}

export interface Balance {
  readonly free: string
  readonly locked: string
}

const byTestId = (testid: string) => `[data-testid="${testid}"]`

/** The ladder's rows (elements carrying `data-price`), best first as the page shows them. */
export function bookRows(page: Page, side: 'bids' | 'asks'): Promise<BookRow[]> {
  return page.$$eval(`${byTestId(`book-${side}`)} [data-price]`, (rows) =>
    rows.map((row) => ({ price: row.getAttribute('data-price') ?? '', amount: row.getAttribute('data-amount') ?? '' })),
  )
}

/** Waits until both sides show at least `rows` rows; rejects after `timeoutMs`. */
export async function waitForBookDepth(page: Page, rows: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    ({ rows, bids, asks }) =>
      document.querySelectorAll(`${bids} [data-price]`).length >= rows &&
      document.querySelectorAll(`${asks} [data-price]`).length >= rows,
    { rows, bids: byTestId('book-bids'), asks: byTestId('book-asks') },
    { timeout: Math.max(1, timeoutMs), polling: 50 },
  )
}

export function bookStatus(page: Page): Promise<string> {
  return page.locator(byTestId('book-status')).innerText().then((text) => text.trim())
}

/** The client order ids of the rows in open orders. */
export function openOrderIds(page: Page): Promise<string[]> {
  return page.$$eval(`${byTestId('open-orders')} [data-client-order-id]`, (rows) =>
    rows.map((row) => row.getAttribute('data-client-order-id') ?? ''),
  )
}

/** How many fills the fills panel lists (its table rows with cells). */
export function fillCount(page: Page): Promise<number> {
  return page.locator(`${byTestId('fills')} tr:has(td)`).count()
}

/** Balances by asset, as the rows' `data-free` / `data-locked` say. */
export async function balances(page: Page): Promise<Map<string, Balance>> {
  const rows = await page.$$eval(`${byTestId('balances')} [data-asset]`, (elements) =>
    elements.map((row) => [
      row.getAttribute('data-asset') ?? '',
      { free: row.getAttribute('data-free') ?? '', locked: row.getAttribute('data-locked') ?? '' },
    ] as const),
  )
  return new Map(rows)
}

/** Sets a control of the order form: a `<select>` by option value, an input by typing. */
export async function setControl(page: Page, testid: string, value: string): Promise<void> {
  const control = page.locator(byTestId(testid))
  if ((await control.evaluate((element) => element.tagName)) === 'SELECT') await control.selectOption(value)
  else await control.fill(value)
}
