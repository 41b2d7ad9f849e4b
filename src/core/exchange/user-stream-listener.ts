// The exchange's reader of the user stream: one event at a time, in order, each handed to the
// connector's handler. A failing handler is reported and the next event handled; a stop ends the
// loop at once, even while a handler is still busy.
import { abortable } from './task-group.ts'

/**
 * Reads `events` until they end or `signal` aborts. Resolves then; never rejects.
 *
 * @example
 * await listenToUserStream(stream, (event) => this.handleUserStreamEvent(event), signal, report)
 */
export async function listenToUserStream<Event>(
  events: AsyncIterable<Event>,
  handle: (event: Event) => void | Promise<void>,
  signal: AbortSignal,
  report: (error: unknown) => void,
): Promise<void> {
  for await (const event of events) {
    if (signal.aborted) return
    try {
      await abortable(Promise.resolve().then(() => handle(event)), signal)
    } catch (error) {
      if (signal.aborted) return
      report(error)
    }
  }
}
