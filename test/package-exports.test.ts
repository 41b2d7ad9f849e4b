// Builds the package the way `npm run build` does and imports every subpath by its public name from
// a plain Node process, as a user of the published package would.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
  exports: Record<string, { types: string; default: string } | string>
  sideEffects: unknown
  type: unknown
  dependencies: Record<string, string>
}

function runInNode(script: string): unknown {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
  return JSON.parse(output) as unknown
}

function importInNode(specifier: string): string[] {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()))`
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
  return JSON.parse(output) as string[]
}

describe('the built package', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' })
  }, 60_000)

  it('is ESM without side effects and depends on exactly the six runtime packages', () => {
    expect(manifest.type).toBe('module')
    expect(manifest.sideEffects).toBe(false)
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@noble/hashes',
      'big.js',
      'isows',
      'ky',
      'valibot',
      'ws',
    ])
  })

  it('maps ., ./binance, ./testing, ./sim and ./sim/node to built JavaScript with types beside it', () => {
    for (const subpath of ['.', './binance', './testing', './sim', './sim/node']) {
      const target = manifest.exports[subpath]
      if (typeof target !== 'object') throw new Error(`${subpath} has no conditional export`)
      expect(existsSync(`${root}/${target.default}`), target.default).toBe(true)
      expect(existsSync(`${root}/${target.types}`), target.types).toBe(true)
    }
  })

  it('imports spotwire and spotwire/binance by name from Node', () => {
    expect(importInNode('spotwire')).toEqual(expect.arrayContaining(['OrderBook', 'ExchangeBase', 'hmacSha256Hex']))
    expect(importInNode('spotwire/binance')).toEqual(expect.arrayContaining(['createBinanceExchange', 'signRestQuery', 'watchOrderBook']))
  })

  it('exports OrderBook from spotwire with the methods of the public API', () => {
    const script = `
      const { OrderBook } = await import('spotwire')
      const book = new OrderBook()
      book.applySnapshot([['100.10', '1.5'], ['100.00', '2']], [['100.20', '3'], ['100.30', '4']], 41)
      book.applyDiffs([['100.10', '0'], ['100.05', '0.25']], [['100.20', '2.5']], 42)
      console.log(JSON.stringify({ bids: book.bids(20), asks: book.asks(1), bestBid: book.bestBid, bestAsk: book.bestAsk, lastUpdateId: book.lastUpdateId }))`
    expect(runInNode(script)).toEqual({
      bids: [
        { price: 100.05, amount: 0.25, updateId: 42 },
        { price: 100, amount: 2, updateId: 41 },
      ],
      asks: [{ price: 100.2, amount: 2.5, updateId: 42 }],
      bestBid: { price: 100.05, amount: 0.25, updateId: 42 },
      bestAsk: { price: 100.2, amount: 2.5, updateId: 42 },
      lastUpdateId: 42,
    })
  })

  it('imports the conformance kit from spotwire/testing without vitest', () => {
    expect(importInNode('spotwire/testing')).toEqual([
      'EXCHANGE_CONFORMANCE_BEHAVIOURS',
      'MockFetch',
      'MockWebSocket',
      'MockWebSocketServer',
      'describeExchangeConformance',
      'queryParam',
    ])
  })

  it('imports the simulator from spotwire/sim and serves it on loopback from spotwire/sim/node', () => {
    expect(importInNode('spotwire/sim')).toEqual(
      expect.arrayContaining(['createSimulator', 'createSimulatorFetchHandler', 'FaultInjector', 'parseFaultSpec', 'MatchingEngine']),
    )
    expect(importInNode('spotwire/sim')).not.toContain('startSimulatorServer')
    const script = `
      const { startSimulatorServer } = await import('spotwire/sim/node')
      const server = await startSimulatorServer({ port: 0, seed: 2 })
      const time = await (await fetch(server.urls.rest + '/v3/time')).json()
      await server.close()
      console.log(JSON.stringify({ rest: server.urls.rest, hasServerTime: typeof time.serverTime === 'number' }))`
    const result = runInNode(script) as { rest: string; hasServerTime: boolean }
    expect(result.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/)
    expect(result.hasServerTime).toBe(true)
  })
})
