// DESIGN.md rule 8: watching a book must not bundle the trading path. Bundles an entry that
// imports only `watchOrderBook`, as a browser app would, and reads what esbuild pulled in.
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname
const GZIP_BUDGET_BYTES = 25 * 1024

/** Paths (relative to the repository) that only trading code lives in. */
const TRADING_PATHS = [
  /^src\/core\/orders\//,
  /^src\/core\/exchange\//,
  /^src\/connectors\/binance\/exchange\.ts$/,
  /^src\/connectors\/binance\/auth\.ts$/,
  /^src\/connectors\/binance\/[^/]*user-stream[^/]*\.ts$/,
  /^src\/connectors\/binance\/schemas\/user-data\.ts$/,
  /^src\/core\/web\/hmac\.ts$/,
  /^node_modules\/@noble\//,
]

describe('watchOrderBook bundle', () => {
  let inputs: string[] = []
  let gzipBytes = 0

  beforeAll(async () => {
    const result = await build({
      stdin: {
        contents: "export { watchOrderBook } from './src/connectors/binance/watch-order-book.ts'",
        resolveDir: ROOT,
        sourcefile: 'watch-entry.ts',
        loader: 'ts',
      },
      absWorkingDir: ROOT,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      minify: true,
      logLevel: 'silent',
    })
    const metafile: Metafile = result.metafile
    inputs = Object.keys(metafile.inputs)
    const output = result.outputFiles[0]
    if (!output) throw new Error('esbuild wrote no output')
    gzipBytes = gzipSync(output.contents).length
    console.info(`watchOrderBook bundle: ${output.contents.length} bytes minified, ${gzipBytes} bytes gzip`)
  })

  it('pulls in the market-data files it needs', () => {
    expect(inputs).toEqual(
      expect.arrayContaining([
        'src/connectors/binance/watch-order-book.ts',
        'src/connectors/binance/api-order-book-data-source.ts',
        'src/connectors/binance/schemas/market.ts',
        'src/core/order-book/order-book-tracker.ts',
        'src/core/web/ws-assistant.ts',
      ]),
    )
  })

  it('pulls in no trading code: no orders, exchange base, auth, signing or user stream', () => {
    const trading = inputs.filter((path) => TRADING_PATHS.some((pattern) => pattern.test(path)))
    expect(trading).toEqual([])
  })

  it(`stays under ${GZIP_BUDGET_BYTES / 1024} KB gzip`, () => {
    expect(gzipBytes).toBeGreaterThan(0)
    expect(gzipBytes).toBeLessThan(GZIP_BUDGET_BYTES)
  })
})
