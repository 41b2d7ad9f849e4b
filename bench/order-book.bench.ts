// Order book benchmark: how much applying Binance diffs costs on top of JSON.parse, and how much
// reading the top of the book costs. Run: `node bench/run.mjs order-book`.
//
// Side by side in one process, with a warm-up round and alternating order per round (STYLE.md rule
// 10); medians are reported. Targets are printed, never enforced: timings on shared machines are
// noise, and CI does not gate on them.
import { OrderBook } from '../src/core/order-book/order-book.ts'
import { OrderBookTracker } from '../src/core/order-book/order-book-tracker.ts'
import { BenchBinanceDataSource, BENCH_PAIR, snapshotMessage } from './order-book-bench-source.ts'
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
const bytes = messages.reduce((total, text) => total + text.length, 0)
console.log(
  `${MESSAGE_COUNT.toLocaleString('en')} depthUpdate messages (${(bytes / 1e6).toFixed(1)} MB of JSON), ` +
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
    const message = JSON.parse(messages[index] as string) as { u: number }
    sink += message.u
  }
}

const book = new OrderBook()
function parseAndApply(from: number, to: number): void {
  if (from === 0) book.applySnapshot(snapshot.bids, snapshot.asks, snapshot.lastUpdateId)
  for (let index = from; index < to; index++) {
    const message = JSON.parse(messages[index] as string) as { u: number; b: string[][]; a: string[][] }
    book.applyDiffs(message.b, message.a, message.u)
    sink += message.u
  }
}

// The full path a connector takes: data source (route, parse, check) → tracker (sequence, apply, notify).
const dataSource = new BenchBinanceDataSource()
const tracker = new OrderBookTracker({ source: dataSource, tradingPairs: [BENCH_PAIR] })
dataSource.attach(tracker)
let updates = 0
tracker.onUpdate(BENCH_PAIR, () => updates++)
let trackerErrors = 0
tracker.on('error', () => trackerErrors++)
dataSource.on('error', () => trackerErrors++)
function parseAndTrack(from: number, to: number): void {
  // A pushed snapshot resets the book to the stream's start without any timer or fetch.
  if (from === 0) tracker.handleMessage(snapshotMessage(snapshot))
  for (let index = from; index < to; index++) dataSource.handleRawMessage(JSON.parse(messages[index] as string))
}

type Phase = (from: number, to: number) => void
/** Runs `phases` chunk by chunk over [0, total) in alternating order; returns ms per phase. */
function runInterleaved(phases: Phase[], total: number, chunk: number, reverse: boolean): number[] {
  const spent = phases.map(() => 0)
  for (let from = 0, round = 0; from < total; from += chunk, round++) {
    const to = Math.min(total, from + chunk)
    const order = phases.map((_, index) => index)
    if ((round % 2 === 1) !== reverse) order.reverse()
    for (const index of order) {
      const started = performance.now()
      ;(phases[index] as Phase)(from, to)
      spent[index] = (spent[index] as number) + performance.now() - started
    }
  }
  return spent
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

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

// Stream phases: ratio to JSON.parse per round, median over rounds.
const streamTimes: [number[], number[], number[]] = [[], [], []]
const ratios = { apply: [] as number[], track: [] as number[] }
for (let round = 0; round <= ROUNDS; round++) {
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
  { phase: 'JSON.parse only (floor)', ms: parseMedian.toFixed(1), 'µs / message': perMessageUs(parseMedian), 'ratio to parse': '1.00' },
  { phase: 'JSON.parse + OrderBook.applyDiffs', ms: applyMedian.toFixed(1), 'µs / message': perMessageUs(applyMedian), 'ratio to parse': applyRatio.toFixed(2) },
  { phase: 'JSON.parse + data source + tracker', ms: trackMedian.toFixed(1), 'µs / message': perMessageUs(trackMedian), 'ratio to parse': trackRatio.toFixed(2) },
])
console.log(`top-${TOP_DEPTH} reads of both sides, median of ${readRounds} rounds`)
const both = `bids(${TOP_DEPTH}) + asks(${TOP_DEPTH})`
console.table([
  { read: `${both}, top unchanged (cached array)`, 'ns / read': cachedNs.toFixed(1) },
  { read: `${both} after 4 top levels a side changed (rebuilt)`, 'ns / read': churnNs.toFixed(1) },
  { read: `${both} after every stream diff (rebuilt, cache-cold)`, 'ns / read': streamNs.toFixed(1) },
])

const view = tracker.orderBook(BENCH_PAIR)
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
console.log(`target parse + apply <= ${TARGET_RATIO}x JSON.parse: ${verdict(applyRatio <= TARGET_RATIO)} (${applyRatio.toFixed(2)}x; tracker path ${trackRatio.toFixed(2)}x)`)
const readsMet = Math.max(cachedNs, churnNs) <= TARGET_READ_NS
console.log(
  `target top-${TOP_DEPTH} read of both sides <= ${TARGET_READ_NS} ns: ${verdict(readsMet)} ` +
    `(cached ${cachedNs.toFixed(1)} ns, rebuilt ${churnNs.toFixed(1)} ns; in the stream ${streamNs.toFixed(1)} ns)`,
)
