// Helpers for the simulator's Node transport suites: WebSocket clients that collect frames and
// report how they closed, and Binance-style signing done here with node:crypto (independent of src/).
import { createHmac } from 'node:crypto'
import { vi } from 'vitest'
import WebSocket from 'ws'

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex')
}

/** `query` plus its signature, as rest-api.md documents for SIGNED endpoints. */
export function signedQuery(secret: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString()
  return `${query}&signature=${hmacHex(secret, query)}`
}

export interface TestSocket {
  readonly socket: WebSocket
  readonly frames: unknown[]
  readonly pings: number[]
  /** Resolves with the first frame `match` accepts (already received or still to come). */
  next(match: (frame: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  /** Resolves with the close code once the socket is closed. */
  readonly closed: Promise<number>
}

export async function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
  const socket = new WebSocket(url, options)
  const frames: unknown[] = []
  const pings: number[] = []
  const waiters = new Set<() => void>()
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as unknown)
    for (const wake of [...waiters]) wake()
  })
  socket.on('ping', () => pings.push(Date.now()))
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const next: TestSocket['next'] = (match, timeoutMs = 3000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = frames.find((frame) => typeof frame === 'object' && frame !== null && match(frame as Record<string, unknown>))
        if (found === undefined) return false
        waiters.delete(check)
        clearTimeout(timer)
        resolve(found as Record<string, unknown>)
        return true
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 300)}`))
      }, timeoutMs)
      if (!check()) waiters.add(check)
    })
  return { socket, frames, pings, next, closed }
}

/** Resolves after `ms` of real time, for the few checks that are about real timers. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Records the timers created with one of `delays` (pick delays nobody else uses, so Vite's or
 * undici's own timers cannot blur the count) and which of them were cleared. Undo with vi.restoreAllMocks().
 */
export function watchTimers(delays: readonly number[]): { readonly created: Set<unknown>; uncleared(): unknown[] } {
  const created = new Set<unknown>()
  const cleared = new Set<unknown>()
  for (const name of ['setInterval', 'setTimeout'] as const) {
    const original = globalThis[name]
    vi.spyOn(globalThis, name).mockImplementation(((handler: () => void, ms?: number) => {
      const timer = original(handler, ms)
      if (delays.includes(ms ?? -1)) created.add(timer)
      return timer
    }) as typeof original)
  }
  for (const name of ['clearInterval', 'clearTimeout'] as const) {
    const original = globalThis[name]
    vi.spyOn(globalThis, name).mockImplementation((timer) => {
      cleared.add(timer)
      original(timer)
    })
  }
  return { created, uncleared: () => [...created].filter((timer) => !cleared.has(timer)) }
}
