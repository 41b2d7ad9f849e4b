// Wraps one client socket so the frame faults happen on the way out: a frame can be withheld,
// sent twice, swapped with the next one, truncated or held back. Order is kept otherwise: once a
// frame is delayed, everything after it on the same socket waits behind it.
import type { FaultInjector } from './fault-injector.ts'
import type { FrameChannel } from './fault-spec.ts'

/** The transport an adapter hands the simulator for one connection. */
export interface SimulatorSocket {
  send(text: string): void
  close(code?: number, reason?: string): void
  /** Ends the connection without a closing handshake (the `dropSockets` fault). Without it the socket is closed with 1011. */
  drop?(): void
}

/** A held (reordered) frame goes out on its own if no other frame follows within this time. */
const REORDER_RELEASE_MS = 1000

export class FaultySocket implements SimulatorSocket {
  private readonly delayed: string[] = []
  private delayTimer: ReturnType<typeof setTimeout> | undefined
  private held: string | undefined
  private heldTimer: ReturnType<typeof setTimeout> | undefined
  private isOpen = true

  constructor(
    private readonly inner: SimulatorSocket,
    private readonly injector: FaultInjector,
    private readonly channelOf: (text: string) => FrameChannel,
  ) {}

  send(text: string): void {
    if (!this.isOpen) return
    // Every frame passes here: with no fault armed, skip classifying it.
    if (this.injector.idle) return this.deliver(text)
    const action = this.injector.frameAction(this.channelOf(text), text)
    switch (action.type) {
      case 'send':
        return this.deliver(text)
      case 'drop':
        return
      case 'duplicate':
        this.deliver(text)
        return this.deliver(text)
      case 'malformed':
        return this.deliver(text.slice(0, Math.max(1, Math.floor(text.length / 2))))
      case 'reorder':
        return this.hold(text)
      case 'delay':
        this.delayed.push(text)
        this.delayTimer ??= setTimeout(() => this.releaseDelayed(), action.ms)
        return
    }
  }

  close(code?: number, reason?: string): void {
    this.stop()
    this.inner.close(code, reason)
  }

  drop(): void {
    this.stop()
    if (this.inner.drop) this.inner.drop()
    else this.inner.close(1011, 'Dropped by fault injection')
  }

  /** The connection ended (either side): pending frames are gone with it. */
  stop(): void {
    this.isOpen = false
    clearTimeout(this.delayTimer)
    clearTimeout(this.heldTimer)
    this.delayed.length = 0
    this.held = undefined
  }

  private deliver(text: string): void {
    if (this.delayTimer !== undefined) {
      this.delayed.push(text)
      return
    }
    this.inner.send(text)
    this.releaseHeld()
  }

  private hold(text: string): void {
    this.releaseHeld()
    this.held = text
    this.heldTimer = setTimeout(() => this.releaseHeld(), REORDER_RELEASE_MS)
  }

  private releaseHeld(): void {
    const held = this.held
    if (held === undefined) return
    this.held = undefined
    clearTimeout(this.heldTimer)
    this.heldTimer = undefined
    this.deliver(held)
  }

  private releaseDelayed(): void {
    this.delayTimer = undefined
    const frames = this.delayed.splice(0)
    for (const frame of frames) if (this.isOpen) this.deliver(frame)
  }
}
