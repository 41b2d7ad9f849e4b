// A scripted WebSocket for supervisor tests: the test plays the server (accept, say, drop, fail).
// Built on EventTarget, so it runs wherever the library does.
import type { Clock } from '../../../../src/core/clock.ts'
import type { WebSocketLike } from '../../../../src/core/web/ws-connection.ts'

export class FakeSocket extends EventTarget implements WebSocketLike {
  readyState = 0
  binaryType = 'blob'
  readonly sent: string[] = []
  closedWith: { code: number | undefined; reason: string | undefined } | undefined

  constructor(readonly url: string) {
    super()
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error(`fake socket not open (readyState ${this.readyState})`)
    this.sent.push(data)
  }

  /** A client close: the fake server acknowledges at once. */
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
    if (this.readyState === 3) return
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code: code ?? 1005, reason: reason ?? '' }))
  }

  accept(): void {
    this.readyState = 1
    this.dispatchEvent(new Event('open'))
  }

  say(message: unknown): void {
    const data = typeof message === 'string' || message instanceof ArrayBuffer ? message : JSON.stringify(message)
    this.dispatchEvent(Object.assign(new Event('message'), { data }))
  }

  /** The server goes away. */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason }))
  }

  fail(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message }))
  }

  get sentJson(): unknown[] {
    return this.sent.map((text) => JSON.parse(text) as unknown)
  }
}

/** A factory that records every socket it makes; `autoAccept` opens each on the next microtask. */
export function fakeSocketFactory(options: { autoAccept?: boolean } = {}): {
  readonly sockets: FakeSocket[]
  readonly factory: (url: string) => FakeSocket
  readonly last: () => FakeSocket
} {
  const sockets: FakeSocket[] = []
  return {
    sockets,
    factory: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      if (options.autoAccept) queueMicrotask(() => socket.accept())
      return socket
    },
    last: () => {
      const socket = sockets.at(-1)
      if (!socket) throw new Error('no socket was created')
      return socket
    },
  }
}

/** A clock that follows faked Date, so monotonic time moves with vi.advanceTimersByTime. */
export const fakeTimersClock: Clock = { now: () => Date.now(), monotonic: () => Date.now() }

/** Lets promise chains run to their next timer or I/O wait (turns of the microtask queue only). */
export async function settle(turns = 50): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await Promise.resolve()
}
