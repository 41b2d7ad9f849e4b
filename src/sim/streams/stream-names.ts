// Public market-data stream names as Binance documents them (web-socket-streams.md): always a
// lowercase symbol, then `@depth`, `@depth@100ms`, `@depth<5|10|20>[@100ms]`, `@trade` or
// `@bookTicker`. Parsing yields a typed description so nothing downstream re-reads the string.

/** How often a windowed stream is pushed: 100 ms for `@100ms` variants, 1000 ms otherwise. */
export type StreamCadenceMs = 100 | 1000

export const STREAM_CADENCES: readonly StreamCadenceMs[] = [100, 1000]

export type PartialDepthLevels = 5 | 10 | 20

export type StreamSpec =
  | { readonly kind: 'diffDepth'; readonly symbol: string; readonly cadenceMs: StreamCadenceMs }
  | { readonly kind: 'partialDepth'; readonly symbol: string; readonly levels: PartialDepthLevels; readonly cadenceMs: StreamCadenceMs }
  | { readonly kind: 'trade'; readonly symbol: string }
  | { readonly kind: 'bookTicker'; readonly symbol: string }

// Binance also accepts an explicit `@1000ms` suffix on depth streams; it means the default cadence.
const STREAM_PATTERN = /^([a-z0-9]+)@(?:(depth)(5|10|20)?(?:@(100|1000)ms)?|(trade)|(bookTicker))$/

/**
 * Parses a stream name; `undefined` for anything unknown, including symbols the exchange doesn't
 * list and upper-case symbols (Binance's stream names are lowercase only).
 *
 * @example
 * parseStreamName('btcusdt@depth5@100ms', new Set(['BTCUSDT']))
 * // → { kind: 'partialDepth', symbol: 'BTCUSDT', levels: 5, cadenceMs: 100 }
 */
export function parseStreamName(name: string, exchangeSymbols: ReadonlySet<string>): StreamSpec | undefined {
  const match = STREAM_PATTERN.exec(name)
  if (!match) return undefined
  const [, lowerSymbol = '', depth, levels, cadence, trade, bookTicker] = match
  const symbol = lowerSymbol.toUpperCase()
  if (!exchangeSymbols.has(symbol)) return undefined
  if (trade) return { kind: 'trade', symbol }
  if (bookTicker) return { kind: 'bookTicker', symbol }
  if (!depth) return undefined
  const cadenceMs: StreamCadenceMs = cadence === '100' ? 100 : 1000
  if (levels) return { kind: 'partialDepth', symbol, levels: Number(levels) as PartialDepthLevels, cadenceMs }
  return { kind: 'diffDepth', symbol, cadenceMs }
}

/** The connection's mode and initial streams, from the path the client opened. */
export type ConnectionPath =
  | { readonly ok: true; readonly combined: boolean; readonly streams: readonly string[] }
  | { readonly ok: false }

/**
 * Reads `/ws`, `/ws/<stream>[/<stream>…]` (raw payloads) and `/stream?streams=<a>/<b>` (payloads
 * wrapped in `{stream,data}`). Accepts a full URL too, so adapters can pass `request.url` as is.
 */
export function parseConnectionPath(pathOrUrl: string): ConnectionPath {
  const url = new URL(pathOrUrl, 'ws://simulator.invalid')
  const splitStreams = (list: string): string[] => list.split('/').filter((name) => name.length > 0)
  if (url.pathname === '/ws' || url.pathname === '/ws/') return { ok: true, combined: false, streams: [] }
  if (url.pathname.startsWith('/ws/')) return { ok: true, combined: false, streams: splitStreams(url.pathname.slice('/ws/'.length)) }
  if (url.pathname === '/stream' || url.pathname === '/stream/') {
    return { ok: true, combined: true, streams: splitStreams(url.searchParams.get('streams') ?? '') }
  }
  return { ok: false }
}
