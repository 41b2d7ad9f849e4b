#!/usr/bin/env node
// `npm run dev:edge`: the edge Worker under `wrangler dev` on 127.0.0.1, wired to a local simulator
// (`npm run sim`, started here) unless BINANCE_REST_URL / BINANCE_WS_URL / BINANCE_WS_API_URL are
// set, in which case those (and BINANCE_API_KEY / BINANCE_API_SECRET) are used instead.
// Prints the Worker's URL as its first stdout line; everything else goes to stderr.
// Ctrl-C (or SIGTERM) stops wrangler and the simulator it started, by their process groups.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** The dev caller `.dev.vars.example` documents; override with SPOTWIRE_CLIENTS. */
const DEV_CLIENTS = '{"dev-client":"dev-client-secret-change-me"}'
const children = []
/** Secrets go to wrangler in a file only this user can read, never on a command line `ps` shows. */
const scratch = mkdtempSync(join(tmpdir(), 'spotwire-dev-edge-'))

function stopAll(code) {
  rmSync(scratch, { recursive: true, force: true })
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
  }
  process.exit(code)
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

function start(command, args, env = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  children.push(child)
  child.stderr.pipe(process.stderr)
  return child
}

/** Resolves with the first stdout line matching `pattern` (its match), or rejects when the process exits first. */
function waitForLine(child, pattern, echo) {
  return new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout.on('data', (chunk) => {
      if (echo) process.stderr.write(chunk)
      buffered += chunk
      const match = buffered.match(pattern)
      if (match) resolve(match)
    })
    child.on('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}) before it was ready`)))
  })
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

try {
  let exchange
  if (process.env.BINANCE_REST_URL) {
    exchange = {
      rest: process.env.BINANCE_REST_URL,
      ws: process.env.BINANCE_WS_URL ?? '',
      wsApi: process.env.BINANCE_WS_API_URL ?? '',
      apiKey: process.env.BINANCE_API_KEY ?? '',
      apiSecret: process.env.BINANCE_API_SECRET ?? '',
    }
  } else {
    const simulator = start(process.execPath, ['src/sim/run-sim.node.mjs', '--port', '0'])
    const [line] = await waitForLine(simulator, /^\{.*\}$/m, false)
    exchange = JSON.parse(line)
    process.stderr.write(`simulator: ${exchange.rest}\n`)
  }
  const port = await freePort()
  const vars = {
    BINANCE_REST_URL: exchange.rest,
    BINANCE_WS_URL: exchange.ws,
    BINANCE_WS_API_URL: exchange.wsApi,
    BINANCE_API_KEY: exchange.apiKey,
    BINANCE_API_SECRET: exchange.apiSecret,
    SPOTWIRE_CLIENTS: process.env.SPOTWIRE_CLIENTS ?? DEV_CLIENTS,
  }
  const envFile = join(scratch, 'dev.vars')
  // Single quotes: the value is taken literally (a JSON value like SPOTWIRE_CLIENTS has double quotes).
  const lines = Object.entries(vars).filter(([, value]) => value !== '').map(([name, value]) => `${name}='${value}'`)
  writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 })
  const wrangler = start('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--env-file', envFile], {
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
  })
  await waitForLine(wrangler, /Ready on (http:\/\/\S+)/, true)
  process.stdout.write(`http://127.0.0.1:${port}\n`)
  process.stderr.write(`edge worker ready; dev caller: ${Object.keys(JSON.parse(vars.SPOTWIRE_CLIENTS)).join(', ')} (see .dev.vars.example)\n`)
} catch (error) {
  process.stderr.write(`dev:edge failed: ${error instanceof Error ? error.message : String(error)}\n`)
  stopAll(1)
}
