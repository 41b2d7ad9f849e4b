// Feeds the secret scan: console output of the whole process while the soak runs, and every
// signature (and listen key) the simulator receives over REST and the WS API.
import type { Simulator } from '../../src/sim/index.ts'
import type { SecretScan } from './secret-scan.ts'

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const

/** Scans everything written to the console and to stdout/stderr; returns the function that undoes it. */
export function captureConsole(scan: SecretScan): () => void {
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const)
  for (const [name, original] of originals) {
    console[name] = (...args: unknown[]) => {
      scan.scan(args.map((arg) => (typeof arg === 'string' ? arg : safeString(arg))).join(' '), `console.${name}`)
      original.apply(console, args)
    }
  }
  const writes = (['stdout', 'stderr'] as const).map((stream) => {
    const original = process[stream].write
    process[stream].write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      scan.scan(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'), stream)
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof original
    return () => {
      process[stream].write = original
    }
  })
  return () => {
    for (const [name, original] of originals) console[name] = original
    for (const undo of writes) undo()
  }
}

/** Wraps the simulator's doors to note each request's signature and listen key as secrets. */
export function captureSimulatorSecrets(simulator: Simulator, scan: SecretScan, trail?: RequestTrail): void {
  const fetchFromSimulator = simulator.fetch.bind(simulator)
  simulator.fetch = async (request) => {
    const url = new URL(request.url)
    const entry = { at: Date.now(), request: `${request.method} ${url.pathname}`, status: 0, answeredAt: 0 }
    trail?.push(entry)
    noteParams(url.searchParams, scan)
    if (request.method !== 'GET' && request.body !== null) noteParams(new URLSearchParams(await request.clone().text()), scan)
    const response = await fetchFromSimulator(request)
    entry.status = response.status
    entry.answeredAt = Date.now()
    if (url.pathname.endsWith('/userDataStream') && response.ok) {
      const body = (await response.clone().json().catch(() => ({}))) as { listenKey?: unknown }
      if (typeof body.listenKey === 'string') scan.addSecret(body.listenKey, 'a listen key')
    }
    return response
  }
  const connect = simulator.connect.bind(simulator)
  simulator.connect = (path, socket) => {
    const connection = connect(path, socket)
    return {
      receive(text) {
        try {
          const params = (JSON.parse(text) as { params?: Record<string, unknown> }).params
          if (typeof params?.['signature'] === 'string') scan.addSignature(params['signature'])
          if (typeof params?.['listenKey'] === 'string') scan.addSecret(params['listenKey'], 'a listen key')
        } catch {
          // not JSON: nothing to note
        }
        connection.receive(text)
      },
      closed: () => connection.closed(),
    }
  }
}

/** Every REST request the simulator answered (for explaining a rate-limit violation). */
export type RequestTrail = { at: number; request: string; status: number; answeredAt: number }[]

/** The requests around each 429/418, as text: what arrived while the client had been told to wait. */
export function explainRateLimitAnswers(trail: RequestTrail): string[] {
  const lines: string[] = []
  for (const limited of trail.filter((entry) => entry.status === 429 || entry.status === 418)) {
    const around = trail.filter((entry) => entry.at >= limited.at - 50 && entry.at <= limited.answeredAt + 1500)
    lines.push(`${limited.status} for ${limited.request} (arrived ${limited.at}, answered ${limited.answeredAt}):`)
    for (const entry of around) lines.push(`    ${entry.at - limited.answeredAt} ms: ${entry.request} -> ${entry.status}`)
  }
  return lines
}

function noteParams(params: URLSearchParams, scan: SecretScan): void {
  const signature = params.get('signature')
  if (signature !== null) scan.addSignature(signature)
  const listenKey = params.get('listenKey')
  if (listenKey !== null) scan.addSecret(listenKey, 'a listen key')
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' ? JSON.stringify(value) : String(value)
  } catch {
    return String(value)
  }
}
