// The soak's command line: `npm run soak -- --duration 30 --orders 600 --faults 400 --seed 3
// --min-orders 500 --min-faults 300`. Every option has a default; the defaults are the full soak.

export interface SoakOptions {
  /** Seeds the simulator, the order flow and the fault schedule. */
  readonly seed: number
  /** How long orders are placed and faults injected, ms (settling comes after). */
  readonly durationMs: number
  /** Orders to place over the run (spread evenly). */
  readonly orders: number
  /** Faults to inject over the run (spread evenly; not every armed frame fault strikes). */
  readonly faults: number
  /** The run fails unless at least this many orders were placed / faults struck. */
  readonly minOrders: number
  readonly minFaults: number
  /** Longest wait for every order to be final and balances to agree once placing stops, ms. */
  readonly settleMs: number
  /** Print progress every this many ms (0: never). */
  readonly progressMs: number
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  seed: 1,
  durationMs: 120_000,
  orders: 2_400,
  faults: 1_500,
  minOrders: 2_000,
  minFaults: 1_000,
  settleMs: 40_000,
  progressMs: 10_000,
}

const FLAGS: Record<string, { key: keyof SoakOptions; scale: number }> = {
  '--seed': { key: 'seed', scale: 1 },
  '--duration': { key: 'durationMs', scale: 1000 },
  '--orders': { key: 'orders', scale: 1 },
  '--faults': { key: 'faults', scale: 1 },
  '--min-orders': { key: 'minOrders', scale: 1 },
  '--min-faults': { key: 'minFaults', scale: 1 },
  '--settle': { key: 'settleMs', scale: 1000 },
  '--progress': { key: 'progressMs', scale: 1000 },
}

export const SOAK_USAGE = `usage: npm run soak -- [--duration <s>] [--orders <n>] [--faults <n>] [--seed <n>]
                        [--min-orders <n>] [--min-faults <n>] [--settle <s>] [--progress <s>]`

/**
 * Reads `--flag value` / `--flag=value` pairs over the defaults; throws on anything else.
 * @example
 * parseSoakOptions(['--duration', '30', '--orders=600']).durationMs // 30000
 */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options: Record<keyof SoakOptions, number> = { ...DEFAULT_SOAK_OPTIONS }
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? ''
    const [flag = '', inline] = argument.split('=', 2)
    const spec = FLAGS[flag]
    if (!spec) throw new Error(`unknown option ${JSON.stringify(argument)}\n${SOAK_USAGE}`)
    const text = inline ?? argv[(index += 1)]
    const value = Number(text)
    if (text === undefined || !Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number >= 0\n${SOAK_USAGE}`)
    options[spec.key] = Math.round(value * spec.scale)
  }
  if (options.durationMs < 1000) throw new Error('--duration must be at least 1 second')
  return options
}
