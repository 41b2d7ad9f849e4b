// The simulator's armed faults and how often each kind has struck. The REST door, the socket
// wrappers and the control endpoint ask it what to do with each request or frame; each answer
// consumes one use of the fault that matched and is counted, so a test can assert both that the
// fault happened and how many times.
import {
  FAULT_KINDS,
  type FaultKind,
  type FaultSpec,
  type FrameChannel,
  type FrameFaultSpec,
  type RequestFaultSpec,
  type SocketKind,
  parseFaultSpec,
} from './fault-spec.ts'

export interface ArmedFault {
  readonly id: number
  readonly spec: FaultSpec
  /** Uses left before the fault disarms itself. */
  remaining: number
}

/** What to do with one outgoing frame. */
export type FrameAction =
  | { readonly type: 'send' }
  | { readonly type: 'drop' | 'duplicate' | 'reorder' | 'malformed' }
  | { readonly type: 'delay'; readonly ms: number }

/** What a REST or WS API request is about to hit, if anything. */
export interface RequestMatch {
  readonly path?: string
  readonly method?: string
  readonly wsApiMethod?: string
}

const SEND: FrameAction = { type: 'send' }

/** The frame faults, with `skipSequenceIds` read as "drop the next depth diffs". */
function asFrameFault(spec: FaultSpec): FrameFaultSpec | undefined {
  if (spec.kind === 'skipSequenceIds') {
    return { kind: 'dropFrames', channel: 'market', event: 'depthUpdate', count: spec.count, ...(spec.symbol === undefined ? {} : { symbol: spec.symbol }) }
  }
  return 'channel' in spec ? spec : undefined
}

export class FaultInjector {
  private readonly faults: ArmedFault[] = []
  private readonly struck = new Map<FaultKind, number>(FAULT_KINDS.map((kind) => [kind, 0]))
  private readonly hangs = new Set<() => void>()
  private readonly socketDroppers = new Set<(kinds: SocketKind | 'all') => number>()
  private readonly shutdownAnnouncers = new Set<() => void>()
  private nextId = 1
  private skewMs = 0

  /** True when no fault waits for traffic: callers skip parsing frames and requests then. */
  get idle(): boolean {
    return this.faults.length === 0
  }

  /** Milliseconds added to the simulator's clock (the `clockSkew` fault). */
  get clockSkewMs(): number {
    return this.skewMs
  }

  /**
   * Arms a fault (validated like the control endpoint's body; throws InvalidFaultError).
   * `dropSockets`, `serverShutdown` and `clockSkew` act at once; the others wait for matching traffic.
   * @example
   * simulator.faults.arm({ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute' })
   */
  arm(input: unknown): number {
    const spec = parseFaultSpec(input)
    const id = this.nextId
    this.nextId += 1
    if (spec.kind === 'clockSkew') {
      this.skewMs = spec.ms
      this.count('clockSkew')
      return id
    }
    if (spec.kind === 'serverShutdown') {
      for (const announce of this.shutdownAnnouncers) announce()
      this.count('serverShutdown')
      return id
    }
    if (spec.kind === 'dropSockets') {
      let dropped = 0
      for (const drop of this.socketDroppers) dropped += drop(spec.sockets)
      this.count('dropSockets', dropped)
      return id
    }
    this.faults.push({ id, spec, remaining: spec.count })
    return id
  }

  /** Disarms every fault, resets the clock skew and answers hung requests; returns how many were armed. */
  clear(): number {
    const armed = this.faults.length
    this.faults.length = 0
    this.skewMs = 0
    this.releaseHangs()
    return armed
  }

  /** Faults still waiting for traffic. */
  armed(): readonly Readonly<ArmedFault>[] {
    return this.faults.map((fault) => ({ ...fault }))
  }

  /** How many times each kind struck: frames hit, requests hit, sockets dropped, skews set. */
  counts(): Record<FaultKind, number> {
    return Object.fromEntries(this.struck) as Record<FaultKind, number>
  }

  /** Decides the fate of one outgoing frame. Frames are only parsed while a filter needs it. */
  frameAction(channel: FrameChannel, text: string): FrameAction {
    if (this.faults.length === 0) return SEND
    let parsed: FrameFields | undefined
    for (const fault of this.faults) {
      const frameFault = asFrameFault(fault.spec)
      if (!frameFault || frameFault.channel !== channel) continue
      if (frameFault.event !== undefined || frameFault.symbol !== undefined) {
        parsed ??= frameFields(text)
        if (frameFault.event !== undefined && parsed.event !== frameFault.event) continue
        if (frameFault.symbol !== undefined && parsed.symbol !== frameFault.symbol.toUpperCase()) continue
      }
      this.use(fault)
      switch (frameFault.kind) {
        case 'dropFrames':
          return { type: 'drop' }
        case 'duplicateFrames':
          return { type: 'duplicate' }
        case 'reorderFrames':
          return { type: 'reorder' }
        case 'malformedFrames':
          return { type: 'malformed' }
        case 'delayFrames':
          return { type: 'delay', ms: frameFault.ms }
      }
    }
    return SEND
  }

  /** The request fault a REST or WS API request hits (consumed and counted), if any. */
  requestFault(request: RequestMatch): RequestFaultSpec | undefined {
    for (const fault of this.faults) {
      const { spec } = fault
      if (spec.kind !== 'failRequests' && spec.kind !== 'delayRequests' && spec.kind !== 'throttleRequests') continue
      if (!requestMatches(spec, request)) continue
      this.use(fault)
      return spec
    }
    return undefined
  }

  /** Resolves when the hang is released: by `clear()`, by `signal` aborting, or by `releaseHangs()`. */
  hang(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        this.hangs.delete(release)
        resolve()
      }
      this.hangs.add(release)
      signal?.addEventListener('abort', release, { once: true })
    })
  }

  releaseHangs(): void {
    for (const release of [...this.hangs]) release()
  }

  /** The simulator registers how to end its sockets; returns an unregister function. */
  onDropSockets(dropper: (kinds: SocketKind | 'all') => number): () => void {
    this.socketDroppers.add(dropper)
    return () => this.socketDroppers.delete(dropper)
  }

  /** The simulator registers how to announce a shutdown; returns an unregister function. */
  onServerShutdown(announce: () => void): () => void {
    this.shutdownAnnouncers.add(announce)
    return () => this.shutdownAnnouncers.delete(announce)
  }

  private use(fault: ArmedFault): void {
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1)
    this.count(fault.spec.kind)
  }

  private count(kind: FaultKind, times = 1): void {
    this.struck.set(kind, (this.struck.get(kind) ?? 0) + times)
  }
}

function requestMatches(spec: RequestFaultSpec, request: RequestMatch): boolean {
  if ('wsApiMethod' in spec && spec.wsApiMethod !== undefined) return spec.wsApiMethod === request.wsApiMethod
  if (request.path === undefined) return false
  if (spec.path !== undefined && spec.path !== request.path) return false
  return spec.method === undefined || spec.method === request.method
}

interface FrameFields {
  readonly event: string | undefined
  readonly symbol: string | undefined
}

/** The event type and symbol of a raw (`{e,s}`), combined (`{data}`) or WS API (`{event}`) frame. */
function frameFields(text: string): FrameFields {
  try {
    const frame = JSON.parse(text) as Record<string, unknown>
    const payload = (isObject(frame['data']) ? frame['data'] : isObject(frame['event']) ? frame['event'] : frame) as Record<string, unknown>
    const event = payload['e']
    const symbol = payload['s']
    return { event: typeof event === 'string' ? event : undefined, symbol: typeof symbol === 'string' ? symbol : undefined }
  } catch {
    return { event: undefined, symbol: undefined }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
