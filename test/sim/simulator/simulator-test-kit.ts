// Shared setup for the whole-simulator suites: one simulator on a movable clock, fake sockets that
// record frames and how they ended, and REST/WS API requests signed here with WebCrypto (not with
// src/, so a signing bug there cannot hide here; WebCrypto keeps the suites portable to workerd/Deno).
import { createSimulator, type Simulator, type SimulatorConnection } from '../../../src/sim/index.ts'
import { RecordingSocket } from '../recording-socket.ts'

export const START_TIME = 1_700_000_000_000
export const API_KEY = 'kitKey0123456789kitKey0123456789kitKey0123456789kitKey0123456789'
export const API_SECRET = 'kitSecret0123456789kitSecret0123456789kitSecret0123456789abcdefg'

export { RecordingSocket }

export interface SimulatorRig {
  readonly simulator: Simulator
  readonly clock: { now: number }
  /** Moves the clock and lets the simulator push the windows that closed. */
  advance(milliseconds: number): void
  open(path: string): { socket: RecordingSocket; connection: SimulatorConnection }
  get(path: string): Promise<Response>
  /** A SIGNED REST request with the kit's keys, timestamped by the rig's clock. */
  signed(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string>): Promise<Response>
  /** A signed WS API request frame for `method`. */
  wsApiRequest(id: number | string, method: string, params: Record<string, string>): Promise<string>
}

export function startRig(seed = 5): SimulatorRig {
  const clock = { now: START_TIME }
  const simulator = createSimulator({ seed, now: () => clock.now, credentials: { apiKey: API_KEY, apiSecret: API_SECRET } })
  return {
    simulator,
    clock,
    advance(milliseconds) {
      clock.now += milliseconds
      simulator.tick()
    },
    open(path) {
      const socket = new RecordingSocket()
      return { socket, connection: simulator.connect(path, socket) }
    },
    get(path) {
      return simulator.fetch(new Request(`http://127.0.0.1${path}`))
    },
    async signed(method, path, params) {
      const query = new URLSearchParams({ ...params, timestamp: String(simulator.now()) }).toString()
      const signature = await hmacHex(API_SECRET, query)
      return simulator.fetch(
        new Request(`http://127.0.0.1${path}?${query}&signature=${signature}`, { method, headers: { 'X-MBX-APIKEY': API_KEY } }),
      )
    },
    async wsApiRequest(id, method, params) {
      const all: Record<string, string> = { ...params, apiKey: API_KEY, timestamp: String(simulator.now()) }
      const payload = Object.keys(all)
        .sort()
        .map((key) => `${key}=${all[key]}`)
        .join('&')
      return JSON.stringify({ id, method, params: { ...all, signature: await hmacHex(API_SECRET, payload) } })
    },
  }
}

export async function hmacHex(secret: string, payload: string): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)))
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** A LIMIT buy far below the market: rests on the book and never fills. */
export const RESTING_BUY = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '1000' } as const

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds))
}
