// The event log: the connector's events and errors as the page saw them, newest first. Expected
// trouble (a refused order, a failed cancel, a stale book, a dropped socket, a 5xx) lands here as a
// warning and never on console.error; text passes the library's redactor before it is shown.
import { redact } from 'spotwire'
import type { AppState } from './app-state.ts'
import { clockTime, el } from './dom.ts'
import type { LogEntry } from './session.ts'

const MAX_ENTRIES = 300

export interface EventLog {
  add(entry: LogEntry): void
}

export function mountEventLog(state: AppState, root: HTMLElement): EventLog {
  const list = el('ol', { testid: 'event-log', class: 'event-log' })
  const clear = el('button', { type: 'button', testid: 'event-log-clear' }, 'Clear')
  clear.addEventListener('click', () => list.replaceChildren())
  root.append(el('div', { class: 'panel-actions' }, clear), list)

  const add = (entry: LogEntry) => {
    const item = el(
      'li',
      { class: `log ${entry.level}`, 'data-level': entry.level, 'data-source': entry.source },
      el('time', {}, clockTime(Date.now())),
      el('span', { class: 'source' }, entry.source),
      el('span', { class: 'text' }, redact(entry.text)),
    )
    list.prepend(item)
    while (list.children.length > MAX_ENTRIES) list.lastElementChild?.remove()
  }
  state.withSession((session) => session.events.on('log', add))
  return { add }
}
