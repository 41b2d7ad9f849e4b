// Deterministic Binance-shaped order-book traffic for the benchmark: a 1,000-level snapshot and a
// stream of `depthUpdate` messages as JSON text, most changes within a few ticks of the top, some
// removals, and a mid price that drifts (so the book sometimes crosses and gets truncated).

/** mulberry32: a tiny seeded PRNG, so every run measures the same messages. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface BinanceDepthTraffic {
  readonly snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }
  /** `{"e":"depthUpdate","E":…,"s":"BTCUSDT","U":…,"u":…,"b":[…],"a":[…]}` texts, in order. */
  readonly messages: string[]
  readonly levelChanges: number
}

const TICKS_PER_UNIT = 100 // price tick 0.01

function priceText(ticks: number): string {
  const cents = ticks % TICKS_PER_UNIT
  return `${(ticks - cents) / TICKS_PER_UNIT}.${cents < 10 ? '0' : ''}${cents}000000`
}

export function generateBinanceDepthTraffic(options: {
  seed: number
  snapshotLevels: number
  messageCount: number
}): BinanceDepthTraffic {
  const random = seededRandom(options.seed)
  const amountText = (): string => (0.001 + random() * 5).toFixed(8)
  let midTicks = 3_000_000 // 30000.00
  const snapshotId = 1_000_000
  const snapshot = {
    lastUpdateId: snapshotId,
    bids: [] as [string, string][],
    asks: [] as [string, string][],
  }
  for (let level = 0; level < options.snapshotLevels; level++) {
    snapshot.bids.push([priceText(midTicks - 1 - level), amountText()])
    snapshot.asks.push([priceText(midTicks + 1 + level), amountText()])
  }

  // Distance from the top in ticks: mostly a few ticks (exponential, mean 6), 3% anywhere deep.
  const distance = (): number =>
    random() < 0.03
      ? Math.floor(random() * options.snapshotLevels)
      : Math.floor(-Math.log(1 - random()) * 6)
  const level = (ticks: number): [string, string] => [priceText(ticks), random() < 0.15 ? '0.00000000' : amountText()]

  const messages: string[] = []
  let levelChanges = 0
  let lastId = snapshotId
  let eventTime = 1_700_000_000_000
  for (let index = 0; index < options.messageCount; index++) {
    if (random() < 0.1) midTicks += random() < 0.5 ? -1 : 1
    const bidCount = 1 + Math.floor(random() * 8)
    const askCount = 1 + Math.floor(random() * 8)
    const b: [string, string][] = []
    const a: [string, string][] = []
    for (let n = 0; n < bidCount; n++) b.push(level(midTicks - 1 - distance()))
    for (let n = 0; n < askCount; n++) a.push(level(midTicks + 1 + distance()))
    const firstId = lastId + 1
    lastId = firstId + bidCount + askCount - 1
    eventTime += 100
    levelChanges += bidCount + askCount
    messages.push(JSON.stringify({ e: 'depthUpdate', E: eventTime, s: 'BTCUSDT', U: firstId, u: lastId, b, a }))
  }
  return { snapshot, messages, levelChanges }
}
