// `npm run sim`: starts the simulator on 127.0.0.1 and prints, as the first line on stdout, one JSON
// object with the URLs and the test keys (outside tools read it), then serves until SIGINT/SIGTERM.
// Everything meant for people goes to stderr. src/sim/run-sim.node.mjs bundles and calls this.
import { startSimulatorServer } from './server.node.ts'

const USAGE = `usage: npm run sim -- [--port <n>] [--seed <n>] [--listen-keys]
  --port <n>      port to listen on, 127.0.0.1 only (0, the default, picks any free port)
  --seed <n>      seeds markets, market makers and the test keys (default 1)
  --listen-keys   also serve Binance.US's listen-key user data streams
                  (/api/v3/userDataStream and /ws/<listenKey>; off by default, as on binance.com)`

export interface SimulatorCliOptions {
  readonly port: number
  readonly seed: number
  /** `--listen-keys`: serve the listen-key user data streams Binance.US still uses. */
  readonly listenKeys: boolean
}

/** Exit code 2: the command line was wrong (as most Unix tools do). */
export class UsageError extends Error {}

/**
 * Reads `--port <n>` / `--port=<n>`, `--seed <n>` and the switch `--listen-keys`; throws UsageError for anything else.
 * @example
 * parseSimulatorArgs(['--port', '0', '--seed', '3', '--listen-keys']) // { port: 0, seed: 3, listenKeys: true }
 */
export function parseSimulatorArgs(args: readonly string[]): SimulatorCliOptions {
  const values: { port: number; seed: number; listenKeys: boolean } = { port: 0, seed: 1, listenKeys: false }
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? ''
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    if (flag === '--listen-keys') {
      if (inline !== undefined) throw new UsageError('--listen-keys takes no value')
      values.listenKeys = true
      continue
    }
    if (flag !== '--port' && flag !== '--seed') throw new UsageError(`unknown option '${arg}'`)
    const text = inline ?? args[(index += 1)]
    if (text === undefined) throw new UsageError(`${flag} needs a value`)
    if (flag === '--port') values.port = integerIn(text, flag, 0, 65_535)
    else values.seed = integerIn(text, flag, 0, 0xffff_ffff)
  }
  return values
}

/**
 * Runs the CLI in this process: prints the endpoints JSON, serves until SIGINT/SIGTERM, exits 0.
 * Bad arguments print the usage to stderr and set exit code 2; a failed start sets exit code 1.
 */
export async function runSimulatorCli(args: readonly string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stderr.write(`${USAGE}\n`)
    return
  }
  let options: SimulatorCliOptions
  try {
    options = parseSimulatorArgs(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`spotwire sim: ${error.message}\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  let server: Awaited<ReturnType<typeof startSimulatorServer>>
  try {
    server = await startSimulatorServer({ port: options.port, seed: options.seed, listenKeys: options.listenKeys })
  } catch (error) {
    process.stderr.write(`spotwire sim: could not start: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
    return
  }
  // Handlers first: a reader may send SIGTERM the moment it sees the line below.
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return process.exit(0) // asked twice: do not wait for the close
    stopping = true
    process.stderr.write(`spotwire simulator: ${signal}, stopping\n`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`spotwire sim: close failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  process.stdout.write(`${JSON.stringify(server.endpoints)}\n`)
  process.stderr.write(`spotwire simulator listening on ${server.urls.rest} (ws ${server.urls.ws}, seed ${options.seed}${options.listenKeys ? ', listen keys on' : ''}); Ctrl-C stops it\n`)
}

function integerIn(text: string, flag: string, min: number, max: number): number {
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${text}'`)
  }
  return value
}
