// Many short waits watch one long-lived signal: a throttler admission, a fill latch, an abortable
// exchange call or a backoff sleep all end early when the exchange stops. If each added its own
// 'abort' listener, a busy exchange (dozens of orders in flight) would make Node print "Possible
// EventTarget memory leak detected" past ten at once, although every listener is removed when its
// wait ends. One listener per signal, handing the abort to whoever watches at that moment, keeps a
// trading program's output clean and costs the same.

const watchersBySignal: WeakMap<AbortSignal, Set<() => void>> = /*#__PURE__*/ new WeakMap()

/**
 * Calls `onAbort` once when `signal` aborts (watchers run in the order they started watching) and
 * returns a function that stops watching. A watcher that throws is reported the way a throwing
 * event listener is (asynchronously) and the others still run.
 *
 * @example
 * const unwatch = watchAbort(signal, () => reject(signal.reason))
 * // … later, when the wait ended another way:
 * unwatch()
 */
export function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let watchers = watchersBySignal.get(signal)
  if (watchers === undefined) {
    const created = new Set<() => void>()
    watchers = created
    watchersBySignal.set(signal, created)
    signal.addEventListener(
      'abort',
      () => {
        watchersBySignal.delete(signal)
        for (const watcher of [...created]) {
          try {
            watcher()
          } catch (error) {
            queueMicrotask(() => {
              throw error
            })
          }
        }
        created.clear()
      },
      { once: true },
    )
  }
  // A function may watch twice (two waits sharing a callback): wrap so each watch is its own entry.
  const entry = (): void => onAbort()
  watchers.add(entry)
  const current = watchers
  return () => void current.delete(entry)
}
