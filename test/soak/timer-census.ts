// Counts the timers the connector leaves behind. The soak runs every call into the exchange inside
// an AsyncLocalStorage scope; timers created in that scope (directly, or later in callbacks that
// inherit it: socket events, promise continuations) are tracked until they fire or are cleared.
// The simulator's and the soak's own timers are created outside it and are not counted.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface TimerCensus {
  /** Runs `work` as the connector: timers it creates are counted. */
  asConnector<Value>(work: () => Value): Value
  /** Timers created as the connector that have neither fired nor been cleared, with where they were made. */
  live(): { readonly count: number; readonly origins: readonly string[] }
  created(): number
  /** Puts the global timer functions back. */
  uninstall(): void
}

/**
 * @example
 * const census = installTimerCensus()
 * const exchange = census.asConnector(() => createBinanceExchange(options))
 * await exchange.stop(); census.live().count // 0
 */
export function installTimerCensus(): TimerCensus {
  const scope = new AsyncLocalStorage<true>()
  const live = new Map<unknown, string>()
  let created = 0
  const original = { setTimeout, setInterval, clearTimeout, clearInterval }
  const origin = () => (new Error().stack ?? '').split('\n').slice(3, 8).join('\n')

  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (scope.getStore() !== true) return original.setTimeout(callback, ms, ...args)
    created += 1
    const handle: unknown = original.setTimeout(
      (...callArgs: unknown[]) => {
        live.delete(handle)
        callback(...callArgs)
      },
      ms,
      ...args,
    )
    live.set(handle, origin())
    return handle
  }) as typeof setTimeout
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = original.setInterval(callback, ms, ...args)
    if (scope.getStore() === true) {
      created += 1
      live.set(handle, origin())
    }
    return handle
  }) as typeof setInterval
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    live.delete(handle)
    original.clearTimeout(handle)
  }) as typeof clearTimeout
  globalThis.clearInterval = ((handle: Parameters<typeof clearInterval>[0]) => {
    live.delete(handle)
    original.clearInterval(handle)
  }) as typeof clearInterval

  return {
    asConnector: (work) => scope.run(true, work),
    live: () => ({ count: live.size, origins: [...live.values()] }),
    created: () => created,
    uninstall() {
      Object.assign(globalThis, original)
    },
  }
}
