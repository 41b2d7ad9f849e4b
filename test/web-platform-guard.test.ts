import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findNodeOnlyUsage, findNodeOnlyUsageInSource } from './harness/web-platform-guard.ts'

const repositoryPath = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url))

describe('web-platform guard', () => {
  it('finds no Node built-in, process or Buffer in src/ outside *.node.ts files', () => {
    expect(findNodeOnlyUsage(repositoryPath('src'))).toEqual([])
  })

  it('fails on a tree that imports Node built-ins or uses Node globals, naming file and line', () => {
    expect(findNodeOnlyUsage(repositoryPath('test/fixtures/node-guard'))).toEqual([
      { file: 'imports-fs.ts', line: 1, reason: "imports the Node built-in 'fs'" },
      { file: 'nested/imports-node-prefix.ts', line: 1, reason: "imports the Node built-in 'node:crypto'" },
      { file: 'nested/imports-node-prefix.ts', line: 4, reason: "imports the Node built-in 'node:http'" },
      { file: 'uses-globals.ts', line: 1, reason: "uses the Node global 'process'" },
      { file: 'uses-globals.ts', line: 2, reason: "uses the Node global 'Buffer'" },
      { file: 'uses-globals.ts', line: 3, reason: "uses the Node global 'process'" },
      { file: 'uses-globals.ts', line: 4, reason: "uses the Node global 'require'" },
    ])
  })

  it('allows Node in adapters named *.node.ts and ignores prose, strings and property names', () => {
    const files = findNodeOnlyUsage(repositoryPath('test/fixtures/node-guard')).map((hit) => hit.file)
    expect(files).not.toContain('server.node.ts')
    expect(files).not.toContain('clean.ts')
  })

  it('catches every bare Node built-in name, not only the common ones', () => {
    for (const name of ['http', 'https', 'net', 'os', 'child_process', 'stream', 'url', 'util', 'worker_threads']) {
      expect(findNodeOnlyUsageInSource(`import x from '${name}'\n`)).toEqual([
        { line: 1, reason: `imports the Node built-in '${name}'` },
      ])
    }
    expect(findNodeOnlyUsageInSource(`export * from 'fs/promises'\n`)).toHaveLength(1)
    expect(findNodeOnlyUsageInSource(`import ky from 'ky'\nimport { WebSocket } from 'isows'\n`)).toEqual([])
  })
})

describe('portable suites', () => {
  it('each listed suite exists and uses no Node API, so it can run in workerd and Deno', async () => {
    const { existsSync, statSync } = await import('node:fs')
    const portable = (await import('./portable-suites.json', { with: { type: 'json' } })).default
    for (const suite of portable.suites) {
      const path = repositoryPath(suite)
      expect(existsSync(path), suite).toBe(true)
      const violations = statSync(path).isDirectory()
        ? findNodeOnlyUsage(path)
        : findNodeOnlyUsageInSource((await import('node:fs')).readFileSync(path, 'utf8'))
      expect(violations, suite).toEqual([])
    }
  })
})
