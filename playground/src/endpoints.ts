// Where the page trades: the simulator (default: the one `npm run dev` mounts at /sim, or a pasted
// `npm run sim` line), Binance's spot testnet (keys typed in the page), Binance public data (no keys)
// or the edge router. Keys live in memory, or in sessionStorage when "remember for this tab" is
// ticked; they are never logged, shown back or put in a URL.
import { createBinanceSession } from './binance-session.ts'
import { createEdgeSession } from './edge-session.ts'
import type { Session } from './session.ts'

export type EndpointKind = 'simulator' | 'testnet' | 'public' | 'edge'

export const ENDPOINT_LABELS: Readonly<Record<EndpointKind, string>> = {
  simulator: 'Simulator (embedded, no keys needed)',
  testnet: 'Binance spot testnet (your testnet keys)',
  public: 'Binance public data (books and trades only)',
  edge: 'Edge router (orders signed with a client key)',
}

/** The simulator's markets; Binance lists the same three, so every endpoint offers them. */
export const MARKETS = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'] as const

/** What `GET /sim/info` answers and `npm run sim` prints first. */
export interface SimulatorInfo {
  readonly rest: string
  readonly ws: string
  readonly wsApi: string
  readonly apiKey: string
  readonly apiSecret: string
}

export type EndpointConfig =
  | { readonly kind: 'simulator'; readonly info: SimulatorInfo }
  | { readonly kind: 'testnet'; readonly apiKey: string; readonly apiSecret: string }
  | { readonly kind: 'public' }
  | { readonly kind: 'edge'; readonly baseUrl: string; readonly clientId: string; readonly clientSecret: string }

/**
 * The simulator the dev server mounts at /sim, or undefined when there is none (a static build,
 * `vite preview`, any other host).
 */
export async function fetchMountedSimulator(): Promise<SimulatorInfo | undefined> {
  // Only `npm run dev` mounts it; a static build does not ask (a 404 would show as a console error).
  if (!import.meta.env.DEV) return undefined
  try {
    const response = await fetch(new URL('/sim/info', location.href))
    if (!response.ok) return undefined
    return parseSimulatorInfo(await response.text())
  } catch {
    return undefined // no /sim here: the page asks for a simulator URL instead
  }
}

/** Reads `npm run sim`'s first line (or /sim/info's body); throws with a readable reason. */
export function parseSimulatorInfo(text: string): SimulatorInfo {
  let value: unknown
  try {
    value = JSON.parse(text.trim())
  } catch {
    throw new Error('not JSON: paste the whole first line `npm run sim` prints')
  }
  const info = value as Partial<Record<keyof SimulatorInfo, unknown>>
  for (const field of ['rest', 'ws', 'wsApi', 'apiKey', 'apiSecret'] as const) {
    if (typeof info[field] !== 'string' || info[field] === '') throw new Error(`the simulator JSON has no "${field}"`)
  }
  return info as SimulatorInfo
}

/** The simulator's control endpoint next to its REST root: `…/sim/api` → `…/sim/__sim`. */
export function simulatorControlUrl(rest: string): string {
  return `${rest.replace(/\/api\/?$/, '')}/__sim`
}

export function createSession(config: EndpointConfig): Session {
  const tradingPairs = [...MARKETS]
  switch (config.kind) {
    case 'simulator':
      return createBinanceSession({
        label: 'simulator',
        tradingPairs,
        urls: { rest: config.info.rest, ws: config.info.ws, wsApi: config.info.wsApi },
        credentials: { apiKey: config.info.apiKey, apiSecret: config.info.apiSecret },
        simulatorControlUrl: simulatorControlUrl(config.info.rest),
      })
    case 'testnet':
      return createBinanceSession({
        label: 'Binance spot testnet',
        tradingPairs,
        domain: 'testnet',
        credentials: { apiKey: config.apiKey, apiSecret: config.apiSecret },
      })
    case 'public':
      return createBinanceSession({ label: 'Binance public data', tradingPairs })
    case 'edge':
      return createEdgeSession({ ...config, tradingPairs })
  }
}

// ── Keys ────────────────────────────────────────────────────────────────────────────────────
// Memory by default; sessionStorage (this tab only, gone when it closes) when the user asks.

type StoredKeys = Readonly<Record<string, string>>
const memory = new Map<string, StoredKeys>()
const STORAGE_PREFIX = 'spotwire.playground.keys.'

export const keyStore = {
  save(kind: EndpointKind, keys: StoredKeys, rememberForTab: boolean): void {
    memory.set(kind, keys)
    if (rememberForTab) sessionStorage.setItem(STORAGE_PREFIX + kind, JSON.stringify(keys))
    else sessionStorage.removeItem(STORAGE_PREFIX + kind)
  },
  load(kind: EndpointKind): StoredKeys | undefined {
    const kept = memory.get(kind)
    if (kept) return kept
    const stored = sessionStorage.getItem(STORAGE_PREFIX + kind)
    if (stored === null) return undefined
    try {
      return JSON.parse(stored) as StoredKeys
    } catch {
      sessionStorage.removeItem(STORAGE_PREFIX + kind)
      return undefined
    }
  },
  isRememberedForTab(kind: EndpointKind): boolean {
    return sessionStorage.getItem(STORAGE_PREFIX + kind) !== null
  },
  forget(kind: EndpointKind): void {
    memory.delete(kind)
    sessionStorage.removeItem(STORAGE_PREFIX + kind)
  },
}
