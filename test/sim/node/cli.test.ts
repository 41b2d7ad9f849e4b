// `npm run sim` as outside tools use it: a child process whose first stdout line is the JSON.
// Children run detached in their own process group and are stopped by that group's id only.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSimulatorArgs } from '../../../src/sim/cli.node.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const children: ChildProcess[] = []

interface Run {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

function runSim(args: string[], command: readonly string[] = [process.execPath, 'src/sim/run-sim.node.mjs']): Run {
  const [program = process.execPath, ...programArgs] = command
  const child = spawn(program, [...programArgs, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

async function firstLine(run: Run, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (!run.stdout().includes('\n')) {
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`no stdout line; stderr: ${run.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return run.stdout().slice(0, run.stdout().indexOf('\n'))
}

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
  }
})

describe('npm run sim', () => {
  it('prints the endpoints JSON as its first stdout line, serves REST, and exits 0 on SIGTERM', async () => {
    const run = runSim(['--port', '0', '--seed', '3'])
    const info = JSON.parse(await firstLine(run)) as Record<string, string>
    expect(Object.keys(info)).toEqual(['rest', 'ws', 'wsApi', 'apiKey', 'apiSecret'])
    const port = /^http:\/\/127\.0\.0\.1:(\d+)\/api$/.exec(info['rest'] ?? '')?.[1]
    expect(port).toBeDefined()
    expect(info['ws']).toBe(`ws://127.0.0.1:${port}`)
    expect(info['wsApi']).toBe(`ws://127.0.0.1:${port}/ws-api/v3`)
    expect(info['apiKey']).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(info['apiSecret']).toMatch(/^[A-Za-z0-9]{64}$/)
    // stdout and stderr are separate pipes: the human line may arrive a moment after the JSON.
    await expect.poll(() => run.stderr(), { timeout: 5_000 }).toContain('spotwire simulator listening on')

    const response = await fetch(`${info['rest']}/v3/time`)
    expect(response.status).toBe(200)
    expect(await response.json()).toHaveProperty('serverTime')

    process.kill(-(run.child.pid ?? 0), 'SIGTERM')
    expect(await run.exited).toBe(0)
    expect(run.stdout().trim().split('\n')).toHaveLength(1)
  }, 30_000)

  it('runs as `npm run -s sim` with nothing before the JSON, and stops when only npm is sent SIGTERM', async () => {
    const run = runSim(['--', '--port', '0'], ['npm', 'run', '-s', 'sim'])
    const info = JSON.parse(await firstLine(run)) as Record<string, string>
    expect((await fetch(`${info['rest']}/v3/ping`)).status).toBe(200)
    process.kill(run.child.pid ?? 0, 'SIGTERM') // npm alone: it forwards the signal to the simulator
    expect(await run.exited).not.toBeNull()
    await expect.poll(async () => fetch(`${info['rest']}/v3/ping`).then(() => 'up', () => 'down'), { timeout: 5000 }).toBe('down')
  }, 30_000)

  it('derives the same keys from the same seed', async () => {
    const [first, second] = [runSim(['--seed', '5']), runSim(['--seed', '5'])]
    const [a, b] = await Promise.all([firstLine(first), firstLine(second)])
    const keys = (line: string) => {
      const { apiKey, apiSecret } = JSON.parse(line) as Record<string, string>
      return { apiKey, apiSecret }
    }
    expect(keys(a)).toEqual(keys(b))
    for (const run of [first, second]) process.kill(-(run.child.pid ?? 0), 'SIGTERM')
    expect(await Promise.all([first.exited, second.exited])).toEqual([0, 0])
  }, 30_000)

  it('exits 2 with a message on stderr for --port abc', async () => {
    const run = runSim(['--port', 'abc'])
    expect(await run.exited).toBe(2)
    expect(run.stderr()).toMatch(/--port must be an integer/)
    expect(run.stdout()).toBe('')
  }, 30_000)

  it('exits 2 with the usage on stderr for an unknown flag', async () => {
    const run = runSim(['--tick-ms', '5'])
    expect(await run.exited).toBe(2)
    expect(run.stderr()).toMatch(/unknown option '--tick-ms'[\s\S]*usage:[\s\S]*--listen-keys/)
  }, 30_000)

  it('serves listen keys with --listen-keys (and not without)', async () => {
    const [withKeys, without] = [runSim(['--listen-keys', '--seed', '4']), runSim(['--seed', '4'])]
    const [a, b] = (await Promise.all([firstLine(withKeys), firstLine(without)])).map((line) => JSON.parse(line) as Record<string, string>)
    const post = (info: Record<string, string> | undefined) =>
      fetch(`${info?.['rest']}/v3/userDataStream`, { method: 'POST', headers: { 'X-MBX-APIKEY': info?.['apiKey'] ?? '' } })
    const created = await post(a)
    expect(created.status).toBe(200)
    expect(await created.json()).toEqual({ listenKey: expect.stringMatching(/^[A-Za-z0-9]{64}$/) })
    expect((await post(b)).status).toBe(404)
    expect(withKeys.stderr()).toContain('listen keys on')
    for (const run of [withKeys, without]) process.kill(-(run.child.pid ?? 0), 'SIGTERM')
    expect(await Promise.all([withKeys.exited, without.exited])).toEqual([0, 0])
  }, 30_000)
})

describe('simulator command line', () => {
  it('reads --port and --seed, in both spellings, with defaults 0 and 1, and no listen keys', () => {
    expect(parseSimulatorArgs([])).toEqual({ port: 0, seed: 1, listenKeys: false })
    expect(parseSimulatorArgs(['--port', '8081', '--seed=42'])).toEqual({ port: 8081, seed: 42, listenKeys: false })
  })

  it('reads the switch --listen-keys anywhere, and refuses a value for it', () => {
    expect(parseSimulatorArgs(['--listen-keys'])).toEqual({ port: 0, seed: 1, listenKeys: true })
    expect(parseSimulatorArgs(['--seed', '3', '--listen-keys', '--port=0'])).toEqual({ port: 0, seed: 3, listenKeys: true })
    expect(() => parseSimulatorArgs(['--listen-keys=true'])).toThrow(/takes no value/)
  })

  it('refuses ports outside 0..65535, non-integers and a missing value', () => {
    for (const args of [['--port', '65536'], ['--port', '-1'], ['--port', '1.5'], ['--port', ''], ['--port'], ['--seed', 'x']]) {
      expect(() => parseSimulatorArgs(args), args.join(' ')).toThrow()
    }
  })
})
