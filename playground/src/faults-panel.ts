// Faults (simulator only): ask the simulator, over its control endpoint, to break something, so a
// user can watch the library cope: the book go stale and resync, the stream reconnect, an order
// whose create was answered 5xx be reconciled instead of sent twice.
import type { AppState } from './app-state.ts'
import { el } from './dom.ts'
import type { Session } from './session.ts'

const COUNTS_EVERY_MS = 1_000
/** How long the resync's depth snapshot is held back, so "stale" stays on screen long enough to see. */
const SNAPSHOT_DELAY_MS = 1_500

interface FaultButton {
  readonly testid: string
  readonly label: string
  readonly explanation: string
  /** The fault specs to arm, in order (see src/sim/faults/fault-spec.ts). */
  readonly specs: (symbol: string) => readonly object[]
}

const FAULTS: readonly FaultButton[] = [
  {
    testid: 'fault-skip-sequence',
    label: 'Skip sequence ids',
    explanation:
      `The simulator withholds the next depth diffs, so the next one jumps past the book's update id: the library sees the gap, marks the book stale and fetches a new snapshot. A resync on loopback takes a few ms, too fast to see, so the next snapshot is also delayed ${SNAPSHOT_DELAY_MS} ms.`,
    specs: (symbol) => [
      { kind: 'delayRequests', path: '/api/v3/depth', ms: SNAPSHOT_DELAY_MS },
      { kind: 'skipSequenceIds', symbol },
    ],
  },
  {
    testid: 'fault-drop-socket',
    label: 'Drop market socket',
    explanation: 'The simulator ends the public stream socket without a closing handshake: the library reconnects with backoff, resubscribes and resyncs the books (reconnects +1).',
    specs: () => [{ kind: 'dropSockets', sockets: 'market' }],
  },
  {
    testid: 'fault-fail-create',
    label: 'Fail next create (placed but answered 5xx)',
    explanation:
      'The simulator places the next order but answers its request with a 5xx. The outcome is unknown to the library, so it never re-sends: the order stays tracked and is reconciled by its client order id (user stream or status poll). Place an order after arming this.',
    specs: () => [{ kind: 'failRequests', path: '/api/v3/order', method: 'POST', mode: 'afterExecute' }],
  },
]

export function mountFaultsPanel(state: AppState, root: HTMLElement): void {
  const explanation = el('p', { testid: 'fault-explanation', class: 'note' }, 'Each button arms one fault in the simulator; the event log shows what the library did about it.')
  const counts = el('p', { testid: 'fault-counts', class: 'note' })
  const buttons = FAULTS.map((fault) => {
    const button = el('button', { testid: fault.testid, type: 'button', title: fault.explanation }, fault.label)
    button.addEventListener('click', () => void arm(fault))
    return button
  })
  const clear = el('button', { testid: 'fault-clear', type: 'button' }, 'Clear faults')
  root.append(el('div', { class: 'fault-buttons' }, ...buttons, clear), explanation, counts)

  const log = (level: 'info' | 'warn', text: string) => state.session?.events.emit('log', { level, source: 'faults', text })

  const control = async (session: Session, method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<unknown> => {
    const response = await fetch(`${session.simulatorControlUrl}${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
    })
    const payload: unknown = await response.json().catch(() => undefined)
    if (!response.ok) throw new Error(`simulator ${response.status}: ${(payload as { error?: { message?: string } })?.error?.message ?? 'no reason'}`)
    return payload
  }

  const arm = async (fault: FaultButton) => {
    const session = state.session
    if (!session?.simulatorControlUrl) return
    explanation.textContent = fault.explanation
    const symbol = state.market.replace('-', '')
    try {
      for (const spec of fault.specs(symbol)) await control(session, 'POST', '/faults', spec)
      log('info', `armed: ${fault.label}${fault.testid === 'fault-skip-sequence' ? ` (${state.market})` : ''}`)
      void refreshCounts()
    } catch (error) {
      log('warn', `could not arm "${fault.label}": ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  clear.addEventListener('click', () => {
    const session = state.session
    if (!session?.simulatorControlUrl) return
    control(session, 'DELETE', '/faults').then(
      () => log('info', 'faults cleared'),
      (error: unknown) => log('warn', `could not clear faults: ${String(error)}`),
    )
  })

  const refreshCounts = async () => {
    const session = state.session
    if (!session?.simulatorControlUrl) return
    try {
      const faults = (await control(session, 'GET', '/faults')) as { counts: Record<string, number>; armed: readonly unknown[] }
      const struck = Object.entries(faults.counts).filter(([, count]) => count > 0)
      counts.textContent = `struck so far: ${struck.length ? struck.map(([kind, count]) => `${kind} ${count}`).join(', ') : 'none'} · armed: ${faults.armed.length}`
    } catch {
      counts.textContent = 'fault counts unavailable'
    }
  }

  let timer: ReturnType<typeof setInterval> | undefined
  state.withSession((session) => {
    const available = session.simulatorControlUrl !== undefined
    root.closest('section')?.toggleAttribute('hidden', !available)
    if (!available) return
    void refreshCounts()
    timer = setInterval(() => void refreshCounts(), COUNTS_EVERY_MS)
    return () => clearInterval(timer)
  })
}
