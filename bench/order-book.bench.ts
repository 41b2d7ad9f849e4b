// Order book benchmark: how much the connector's real path costs on top of JSON.parse, how much
// reading the top of the book costs, and how much memory a level takes. Run: `npm run bench:book`.
//
// The stream is raw WebSocket text frames, as Binance's combined stream sends them; the real path
// (order-book-bench-source.ts) is the Binance data source's parse + valibot schema check, the
// tracker's update-id continuity check and apply. `OrderBook.applyDiffs` on JSON.parse's output is
// measured too, as the floor of what applying costs.
//
// Side by side in one process, with a warm-up round and alternating order per round (STYLE.md rule
// 10); medians are reported. Targets are printed, never enforced: timings on shared machines are
// noise, and CI does not gate on them.
import { OrderBook } from '../src/core/order-book/order-book.ts'
import { median, reportFigures } from './bench-report.ts'
import { type Phase, runInterleaved } from './interleave.ts'
import { BENCH_PAIR, type BinanceBookPath, binanceBookPath, combinedStreamFrame } from './order-book-bench-source.ts'
import { generateBinanceDepthTraffic } from './order-book-data.ts'

const MESSAGE_COUNT = 200_000
const SNAPSHOT_LEVELS = 1_000
const ROUNDS = 7
const TOP_DEPTH = 20
const CACHED_READS = 1_000_000
const CHURN_READS = 200_000
const STREAM_READ_MESSAGES = 50_000
const TARGET_RATIO = 1.5
const TARGET_READ_NS = 500

const traffic = generateBinanceDepthTraffic({ seed: 20260721, snapshotLevels: SNAPSHOT_LEVELS, messageCount: MESSAGE_COUNT })
const { snapshot, messages } = traffic
const frames = messages.map(combinedStreamFrame)
const bytes = frames.reduce((total, text) => total + text.length, 0)
console.log(
  `${MESSAGE_COUNT.toLocaleString('en')} depthUpdate frames (${(bytes / 1e6).toFixed(1)} MB of JSON), ` +
    `${traffic.levelChanges.toLocaleString('en')} level changes, snapshot ${SNAPSHOT_LEVELS} levels a side`,
)

/** Keeps results observable so the optimizer cannot drop the work. */
let sink = 0

// Each phase keeps its own state and runs over the same chunk of messages, chunk after chunk, in
// alternating order: load on a shared machine then hits every phase alike, which keeps the ratios
// steady even when absolute times are not.
const CHUNK = 5_000

function parseOnly(from: number, to: number): void {
  for (let index = from; index < to; index++) {
    const frame = JSON.parse(frames[index] as string) as { data: { u: number } }
    sink += frame.data.u
  }
}

const book = new OrderBook()
function parseAndApply(from: number, to: number): void {
  for (let index = from; index < to; index++) {
    const { data: message } = JSON.parse(frames[index] as string) as { data: { u: number; b: string[][]; a: string[][] } }
    book.applyDiffs(message.b, message.a, message.u)
    sink += message.u
  }
}

// The real path: frame → parseWsMessage → Binance data source (route, schema, pair) → handoff →
// tracker (continuity, apply, notify). A fresh one each round: the handoff drops repeated ids.
let realPath: BinanceBookPath = binanceBookPath(snapshot)
let updates = 0
let trackerErrors = 0
function parseAndTrack(from: number, to: number): void {
  for (let index = from; index < to; index++) realPath.handleFrame(frames[index] as string)
}
/** Back to the stream's start, outside the timed phases: the snapshot again, a fresh real path. */
function resetStreamPhases(): void {
  updates += realPath.updates()
  trackerErrors += realPath.errors()
  book.applySnapshot(snapshot.bids, snapshot.asks, snapshot.lastUpdateId)
  realPath = binanceBookPath(snapshot)
}

// Reads. (a) Cached: the top did not change since the last read. (b) Rebuilt, hot: a small diff
// changes four of the top levels of each side (as a typical depthUpdate does), then both sides are
// read; measured against the same diffs without reads. (c) Rebuilt, in the stream: the same
// difference over real messages, which adds the cache misses of a stream running in between.
function readTopCached(from: number, to: number): void {
  for (let read = from; read < to; read++) sink += book.bids(TOP_DEPTH).length + book.asks(TOP_DEPTH).length
}

type NumberLevels = [number, number][]
const churnDiffs: { bids: NumberLevels; asks: NumberLevels }[] = []
{
  const bestBid = Number(snapshot.bids[0]?.[0])
  const bestAsk = Number(snapshot.asks[0]?.[0])
  for (let step = 0; step < 64; step++) {
    const amount = 1 + (step % 7) / 10
    // Levels at ticks 0, 1 and 3 change amount; the one at tick 2 comes and goes, shifting the rows below.
    const side = (best: number, direction: number): NumberLevels =>
      [0, 1, 2, 3].map((tick) => [best + direction * tick * 0.01, tick === 2 && step % 2 === 1 ? 0 : amount])
    churnDiffs.push({ bids: side(bestBid, -1), asks: side(bestAsk, 1) })
  }
}
const churnBooks = [new OrderBook(), new OrderBook()]
for (const churnBook of churnBooks) churnBook.applySnapshot(snapshot.bids, snapshot.asks, snapshot.lastUpdateId)
function churn(target: OrderBook, readAfterEach: boolean): Phase {
  return (from, to) => {
    for (let index = from; index < to; index++) {
      const diff = churnDiffs[index & 63] as { bids: NumberLevels; asks: NumberLevels }
      target.applyDiffs(diff.bids, diff.asks, snapshot.lastUpdateId + index)
      if (readAfterEach) sink += target.bids(TOP_DEPTH).length + target.asks(TOP_DEPTH).length
    }
  }
}

const parsedForReads = messages
  .slice(0, STREAM_READ_MESSAGES)
  .map((text) => JSON.parse(text) as { u: number; b: string[][]; a: string[][] })
const streamBooks = [new OrderBook(), new OrderBook()]
function applyParsed(target: OrderBook, readAfterEach: boolean): Phase {
  return (from, to) => {
    if (from === 0) target.applySnapshot(snapshot.bids, snapshot.asks, snapshot.lastUpdateId)
    for (let index = from; index < to; index++) {
      const message = parsedForReads[index] as { u: number; b: string[][]; a: string[][] }
      target.applyDiffs(message.b, message.a, message.u)
      if (readAfterEach) sink += target.bids(TOP_DEPTH).length + target.asks(TOP_DEPTH).length
    }
  }
}

// Stream phases: ratio to JSON.parse per round, median over rounds.
const streamTimes: [number[], number[], number[]] = [[], [], []]
const ratios = { apply: [] as number[], track: [] as number[] }
for (let round = 0; round <= ROUNDS; round++) {
  resetStreamPhases()
  const times = runInterleaved([parseOnly, parseAndApply, parseAndTrack], MESSAGE_COUNT, CHUNK, round % 2 === 1)
  const [parseMs, applyMs, trackMs] = times as [number, number, number]
  if (round === 0) continue // warm-up: let the JIT settle
  times.forEach((ms, index) => streamTimes[index]?.push(ms))
  ratios.apply.push(applyMs / parseMs)
  ratios.track.push(trackMs / parseMs)
}

// Read phases are short, so they get more rounds; a rebuilt read costs the median of the per-round
// differences (apply + read) - (apply alone).
const readRounds = ROUNDS * 3
const reads = { cached: [] as number[], churn: [] as number[], stream: [] as number[] }
const [churnWithout, churnWith] = churnBooks as [OrderBook, OrderBook]
const [streamWithout, streamWith] = streamBooks as [OrderBook, OrderBook]
for (let round = 0; round <= readRounds; round++) {
  const reverse = round % 2 === 1
  const [cachedMs] = runInterleaved([readTopCached], CACHED_READS, CACHED_READS, false) as [number]
  const [churnWithoutMs, churnWithMs] = runInterleaved(
    [churn(churnWithout, false), churn(churnWith, true)],
    CHURN_READS,
    1_000,
    reverse,
  ) as [number, number]
  const [streamWithoutMs, streamWithMs] = runInterleaved(
    [applyParsed(streamWithout, false), applyParsed(streamWith, true)],
    STREAM_READ_MESSAGES,
    1_000,
    reverse,
  ) as [number, number]
  if (round === 0) continue
  reads.cached.push((cachedMs * 1e6) / CACHED_READS)
  reads.churn.push(((churnWithMs - churnWithoutMs) * 1e6) / CHURN_READS)
  reads.stream.push(((streamWithMs - streamWithoutMs) * 1e6) / STREAM_READ_MESSAGES)
}

const perMessageUs = (ms: number): string => ((ms * 1000) / MESSAGE_COUNT).toFixed(2)
const applyRatio = median(ratios.apply)
const trackRatio = median(ratios.track)
const [parseMedian, applyMedian, trackMedian] = streamTimes.map(median) as [number, number, number]
const cachedNs = median(reads.cached)
const churnNs = Math.max(0, median(reads.churn))
const streamNs = Math.max(0, median(reads.stream))

console.log(`\nmedian of ${ROUNDS} rounds (after a warm-up round), phases interleaved per ${CHUNK.toLocaleString('en')} messages`)
console.table([
  { phase: 'JSON.parse of the frame only (floor)', ms: parseMedian.toFixed(1), 'µs / message': perMessageUs(parseMedian), 'ratio to parse': '1.00' },
  { phase: 'JSON.parse + OrderBook.applyDiffs (no checks)', ms: applyMedian.toFixed(1), 'µs / message': perMessageUs(applyMedian), 'ratio to parse': applyRatio.toFixed(2) },
  { phase: 'real path: parse + schema + continuity + apply', ms: trackMedian.toFixed(1), 'µs / message': perMessageUs(trackMedian), 'ratio to parse': trackRatio.toFixed(2) },
])
console.log(`top-${TOP_DEPTH} reads of both sides, median of ${readRounds} rounds`)
const both = `bids(${TOP_DEPTH}) + asks(${TOP_DEPTH})`
console.table([
  { read: `${both}, top unchanged (cached array)`, 'ns / read': cachedNs.toFixed(1) },
  { read: `${both} after 4 top levels a side changed (rebuilt)`, 'ns / read': churnNs.toFixed(1) },
  { read: `${both} after every stream diff (rebuilt, cache-cold)`, 'ns / read': streamNs.toFixed(1) },
])

updates += realPath.updates()
trackerErrors += realPath.errors()
const view = realPath.tracker.orderBook(BENCH_PAIR)
const sameBook =
  view?.bestBid?.price === book.bestBid?.price &&
  view?.bestAsk?.price === book.bestAsk?.price &&
  streamWith.bestBid?.price === streamWithout.bestBid?.price &&
  churnWith.bestAsk?.price === churnWithout.bestAsk?.price
console.log(
  `checks: tracker ${view?.status}, ${updates.toLocaleString('en')} updates, ${trackerErrors} errors, ` +
    `same top as the bare book: ${sameBook}, best ${book.bestBid?.price} / ${book.bestAsk?.price} (${sink > 0 ? 'ok' : '?'})`,
)
const verdict = (met: boolean): string => (met ? 'met' : 'NOT met')
console.log(
  `target real path (frames → parse, schema, continuity, apply) <= ${TARGET_RATIO}x JSON.parse: ${verdict(trackRatio <= TARGET_RATIO)} ` +
    `(${trackRatio.toFixed(2)}x; JSON.parse + applyDiffs alone ${applyRatio.toFixed(2)}x)`,
)
const readsMet = Math.max(cachedNs, churnNs) <= TARGET_READ_NS
console.log(
  `target top-${TOP_DEPTH} read of both sides <= ${TARGET_READ_NS} ns: ${verdict(readsMet)} ` +
    `(cached ${cachedNs.toFixed(1)} ns, rebuilt ${churnNs.toFixed(1)} ns; in the stream ${streamNs.toFixed(1)} ns)`,
)

// Memory per level: what a book retains once built, over its level count: V8 heap plus ArrayBuffer
// backing stores (a side's Float64Arrays live outside the heap), read after `global.gc` (the runner
// starts Node with --expose-gc), around building books from parsed REST depth JSON. The JSON texts
// are alive at both readings and the parsed arrays are garbage at the second, so only the books
// differ. Row objects made by reads (bids(20), …) come on top, for the levels read.
const gc = (globalThis as { gc?: () => void }).gc
function settledHeap(): number {
  gc?.()
  gc?.()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}
function depthJson(levelsPerSide: number, offset: number): string {
  const level = (ticks: number): string => `["${(ticks / 100).toFixed(8)}","${(1 + (ticks % 97) / 100).toFixed(8)}"]`
  const bids = Array.from({ length: levelsPerSide }, (_, index) => level(3_000_000 - 1 - index - offset))
  const asks = Array.from({ length: levelsPerSide }, (_, index) => level(3_000_000 + 1 + index + offset))
  return `{"lastUpdateId":1000,"bids":[${bids.join(',')}],"asks":[${asks.join(',')}]}`
}
/** Bytes per level of `bookCount` books of `levelsPerSide` levels a side. */
function bytesPerLevel(levelsPerSide: number, bookCount: number): number {
  const texts = Array.from({ length: bookCount }, (_, index) => depthJson(levelsPerSide, index))
  const before = settledHeap()
  const books = texts.map((text) => {
    const depth = JSON.parse(text) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }
    const built = new OrderBook()
    built.applySnapshot(depth.bids, depth.asks, depth.lastUpdateId)
    return built
  })
  const after = settledHeap()
  sink += books.reduce((total, built) => total + (built.bestBid?.price ?? 0), 0) + texts.length
  return (after - before) / (levelsPerSide * 2 * bookCount)
}
const memory = [
  { levels: 1_000, books: 200, perLevel: bytesPerLevel(1_000, 200) },
  { levels: 100_000, books: 4, perLevel: bytesPerLevel(100_000, 4) },
]
console.log(
  `memory per level (${gc ? 'heap + ArrayBuffers after global.gc' : 'heap + ArrayBuffers WITHOUT gc: run with node --expose-gc for a steady figure'}): ` +
    memory.map((m) => `${m.perLevel.toFixed(1)} B with ${m.levels.toLocaleString('en')} levels a side (${m.books} books)`).join(', '),
)

reportFigures('order-book', [
  {
    measure: 'raw frames → parse + schema + continuity + apply (real path), vs JSON.parse alone',
    value: trackRatio,
    unit: 'x',
    ratio: trackRatio,
    target: `<= ${TARGET_RATIO}x`,
    met: trackRatio <= TARGET_RATIO,
    note: `${perMessageUs(trackMedian)} µs/frame vs ${perMessageUs(parseMedian)} µs/frame for JSON.parse (${MESSAGE_COUNT.toLocaleString('en')} frames)`,
  },
  { measure: 'JSON.parse + OrderBook.applyDiffs (no schema or continuity check), vs JSON.parse alone', value: applyRatio, unit: 'x', ratio: applyRatio },
  { measure: `top-${TOP_DEPTH} read of both sides, top unchanged (cached)`, value: cachedNs, unit: 'ns', target: `<= ${TARGET_READ_NS} ns`, met: cachedNs <= TARGET_READ_NS },
  { measure: `top-${TOP_DEPTH} read of both sides after 4 top levels a side changed (rebuilt)`, value: churnNs, unit: 'ns', target: `<= ${TARGET_READ_NS} ns`, met: churnNs <= TARGET_READ_NS },
  { measure: `top-${TOP_DEPTH} read of both sides after every stream diff (rebuilt, cache-cold)`, value: streamNs, unit: 'ns', target: `<= ${TARGET_READ_NS} ns`, met: streamNs <= TARGET_READ_NS },
  ...memory.map((m) => ({
    measure: `memory per level, ${m.levels.toLocaleString('en')} levels a side`,
    value: m.perLevel,
    unit: 'B',
    note: gc ? `V8 heap + ArrayBuffers after global.gc, ${m.books} books` : 'heap + ArrayBuffers without gc (no --expose-gc): rough',
  })),
])
