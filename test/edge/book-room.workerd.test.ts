// The BookRoom Durable Object inside workerd, streaming from the simulator the harness starts: its
// JSON snapshot equals the simulator's true book; fifty viewers of one room each rebuild the same
// book from a snapshot and numbered updates, through a sequence gap (stale, then a fresh snapshot);
// a viewer that never reads, or vanishes, holds nobody up; an unwatched room stops its stream.
//
// The simulator is shared with the other workerd files, so these tests use ETH-BTC and ETH-USDT
// (the others use BTC-USDT), rooms of their own, and compare with the truth only at the moment a
// viewer's update id equals the simulator's: equal ids mean equal books even if makers are running.
import { env, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { type BookRoom, bookRoomRequest, MAX_DEPTH } from '../../src/edge/book-room.ts'
import { fanOut, SLOW_VIEWER_CLOSE, type ViewerSocket } from '../../src/edge/book-room/fan-out.ts'

type WireLevel = [string, string]
type Message =
  | { type: 'snapshot'; seq: number; tradingPair: string; updateId: number; bids: WireLevel[]; asks: WireLevel[] }
  | { type: 'update'; seq: number; updateId: number; bids: WireLevel[]; asks: WireLevel[] }
  | { type: 'status'; seq: number; status: string }

interface TruthBook {
  readonly lastUpdateId: number
  readonly bids: WireLevel[]
  readonly asks: WireLevel[]
}

const sim = inject('edgeSimulator')
const CONTROL = `${new URL(sim.rest).origin}/__sim`
const PAIR = 'ETH-BTC'
const SYMBOL = 'ETHBTC'
const LEVELS = 20
const WAIT_MS = 20_000

const namespace = env.BOOK_ROOM as DurableObjectNamespace<BookRoom>
const opened: Viewer[] = []

afterEach(async () => {
  for (const viewer of opened.splice(0)) viewer.close()
  await control('POST', '/makers', { running: true })
})

/** A viewer as a browser would be: applies snapshot and updates to its own book, checks `seq`. */
class Viewer {
  readonly bids = new Map<number, number>()
  readonly asks = new Map<number, number>()
  readonly seqs: number[] = []
  readonly statuses: string[] = []
  snapshots = 0
  updateId = 0
  isLive = false
  readonly #socket: WebSocket
  readonly #waiters: (() => void)[] = []

  constructor(socket: WebSocket) {
    this.#socket = socket
    socket.accept()
    socket.addEventListener('message', (event) => {
      this.lastText = String(event.data)
      if (this.lastText !== 'pong') this.#apply(JSON.parse(this.lastText) as Message)
      for (const wake of this.#waiters.splice(0)) wake()
    })
  }

  lastText = ''
  lastMessage: Message | undefined

  send(text: string): void {
    this.#socket.send(text)
  }

  /** Resolves with the next frame's text. */
  nextText(): Promise<string> {
    return new Promise((resolve) => this.#waiters.push(() => resolve(this.lastText)))
  }

  /** The seq numbers this viewer got run on by exactly one. */
  get seqIsConsecutive(): boolean {
    return this.seqs.every((seq, index) => seq === (this.seqs[0] as number) + index)
  }

  top(side: 'bids' | 'asks', depth: number): [number, number][] {
    const levels = [...this[side].entries()].sort((a, b) => (side === 'bids' ? b[0] - a[0] : a[0] - b[0]))
    return levels.slice(0, depth)
  }

  close(): void {
    try {
      this.#socket.close(1000, 'done')
    } catch {
      // already closed
    }
  }

  #apply(message: Message): void {
    this.lastMessage = message
    this.seqs.push(message.seq)
    if (message.type === 'status') {
      this.isLive = false
      this.statuses.push(message.status)
      return
    }
    if (message.type === 'snapshot') {
      this.snapshots++
      this.bids.clear()
      this.asks.clear()
      this.isLive = true
    }
    setLevels(this.bids, message.bids)
    setLevels(this.asks, message.asks)
    this.updateId = message.updateId
  }
}

function setLevels(side: Map<number, number>, levels: readonly WireLevel[]): void {
  for (const [price, amount] of levels) {
    expect(price).toMatch(/^\d+(\.\d+)?$/)
    if (Number(amount) === 0) side.delete(Number(price))
    else side.set(Number(price), Number(amount))
  }
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${CONTROL}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  })
  const parsed: unknown = await response.json()
  if (!response.ok) throw new Error(`control ${method} ${path} answered ${response.status}: ${JSON.stringify(parsed)}`)
  return parsed
}

const truthBook = async (symbol = SYMBOL): Promise<TruthBook> => (await control('GET', `/book?symbol=${symbol}&limit=${LEVELS}`)) as TruthBook
const asNumbers = (levels: readonly WireLevel[]): [number, number][] => levels.map(([price, amount]) => [Number(price), Number(amount)])

async function waitFor(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A room of its own on the simulator, stopping its stream `idleMs` after it is left alone. */
async function freshRoom(idleMs = 0): Promise<DurableObjectStub<BookRoom>> {
  const room = namespace.get(namespace.idFromName(`test:${crypto.randomUUID()}`))
  await room.configure({ tradingPair: PAIR, urls: { rest: sim.rest, ws: sim.ws }, idleMs })
  return room
}

async function openViewer(room: DurableObjectStub<BookRoom>): Promise<Viewer> {
  const response = await room.fetch('http://book-room/ws', { headers: { Upgrade: 'websocket' } })
  expect(response.status).toBe(101)
  if (!response.webSocket) throw new Error('the 101 response carries no webSocket')
  const viewer = new Viewer(response.webSocket)
  opened.push(viewer)
  return viewer
}

/** Waits until every viewer is live at the simulator's update id, then compares the books. */
async function expectConverged(viewers: readonly Viewer[]): Promise<void> {
  let truth = await truthBook()
  await waitFor('every viewer to reach the simulator update id', async () => {
    truth = await truthBook()
    return viewers.every((viewer) => viewer.isLive && viewer.updateId === truth.lastUpdateId)
  })
  for (const viewer of viewers) {
    expect(viewer.top('bids', LEVELS)).toEqual(asNumbers(truth.bids))
    expect(viewer.top('asks', LEVELS)).toEqual(asNumbers(truth.asks))
    expect(viewer.seqIsConsecutive).toBe(true)
  }
}

/** Closes the viewers and waits for the room's alarm to stop its upstream stream. */
async function leaveRoom(room: DurableObjectStub<BookRoom>, viewers: readonly Viewer[]): Promise<void> {
  for (const viewer of viewers) viewer.close()
  await waitFor('the room to stop streaming', async () => !(await room.describe()).streaming)
}

describe('BookRoom snapshot route', () => {
  it('answers GET /v1/book/:pair with the simulator book, decimal strings, at the requested depth', async () => {
    const edgeEnv = { ...env, BINANCE_REST_URL: sim.rest, BINANCE_WS_URL: sim.ws }
    const get = async (query = ''): Promise<Response> =>
      bookRoomRequest(edgeEnv, 'ETH-USDT', new Request(`http://edge/v1/book/ETH-USDT${query}`), false)
    expect((await get()).status).toBe(200) // the first request waits for the first live book
    await control('POST', '/makers', { running: false })
    let truth = await truthBook('ETHUSDT')
    let book = { tradingPair: '', updateId: -1, bids: [] as WireLevel[], asks: [] as WireLevel[] }
    await waitFor('the room to reach the simulator update id', async () => {
      truth = await truthBook('ETHUSDT')
      book = (await (await get(`?depth=${LEVELS}`)).json()) as typeof book
      return book.updateId === truth.lastUpdateId
    })
    expect(Object.keys(book)).toEqual(['tradingPair', 'updateId', 'bids', 'asks'])
    expect(book.tradingPair).toBe('ETH-USDT')
    expect(asNumbers(book.bids)).toEqual(asNumbers(truth.bids))
    expect(asNumbers(book.asks)).toEqual(asNumbers(truth.asks))
    for (const [price, amount] of [...book.bids, ...book.asks]) {
      expect(price).toMatch(/^\d+(\.\d+)?$/)
      expect(amount).toMatch(/^\d+(\.\d+)?$/)
    }

    const shallow = (await (await get('?depth=3')).json()) as typeof book
    expect(shallow.bids).toEqual(book.bids.slice(0, 3))
    const defaultDepth = (await (await get()).json()) as typeof book
    expect(defaultDepth.bids.length).toBe(Math.min(20, book.bids.length))
    for (const bad of ['?depth=0', `?depth=${MAX_DEPTH + 1}`, '?depth=abc']) {
      const response = await get(bad)
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: { code: 'INVALID_DEPTH' } })
    }
    const notUpgraded = await bookRoomRequest(edgeEnv, 'ETH-USDT', new Request('http://edge/v1/book/ETH-USDT/ws'), true)
    expect(notUpgraded.status).toBe(426)
  })
})

describe('BookRoom viewers', () => {
  it('brings fifty viewers to the simulator book, through a sequence gap, with consecutive seq', { timeout: 90_000 }, async () => {
    const room = await freshRoom()
    const viewers = await Promise.all(Array.from({ length: 50 }, () => openViewer(room)))
    expect((await room.describe()).viewers).toBe(50)
    await waitFor('every viewer to get a live book', () => viewers.every((viewer) => viewer.isLive))

    await control('POST', '/makers', { running: false })
    await control('POST', '/makers', { steps: 3 })
    await expectConverged(viewers)
    expect(viewers.every((viewer) => viewer.seqs.length > 1)).toBe(true)

    // The gap: the room's next ETHBTC diff is withheld, so its tracker resyncs.
    const snapshotsBefore = viewers.map((viewer) => viewer.snapshots)
    await control('POST', '/faults', { kind: 'skipSequenceIds', symbol: SYMBOL })
    // Steps taken at once share one 100 ms depth window, so keep stepping: the diff after the
    // withheld one is what reveals the gap.
    await waitFor('every viewer to get a fresh snapshot', async () => {
      if (viewers.every((viewer, index) => viewer.snapshots > (snapshotsBefore[index] as number))) return true
      await control('POST', '/makers', { steps: 1 })
      await new Promise((resolve) => setTimeout(resolve, 150))
      return false
    })
    for (const viewer of viewers) expect(viewer.statuses).toContain('stale')
    await control('POST', '/makers', { steps: 3 })
    await expectConverged(viewers)
    await leaveRoom(room, viewers)
  })

  it('keeps serving the others while one viewer never reads and another vanishes', { timeout: 60_000 }, async () => {
    const room = await freshRoom()
    // Never accepted: nothing is ever read from it, so whatever the room sends it stays queued.
    const stuck = await room.fetch('http://book-room/ws', { headers: { Upgrade: 'websocket' } })
    expect(stuck.status).toBe(101)
    const vanishing = await openViewer(room)
    const viewers = await Promise.all(Array.from({ length: 5 }, () => openViewer(room)))
    await waitFor('the viewers to get a live book', () => [vanishing, ...viewers].every((viewer) => viewer.isLive))
    vanishing.close()
    for (let round = 0; round < 5; round++) {
      await control('POST', '/makers', { steps: 1 })
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
    await control('POST', '/makers', { running: false })
    await expectConverged(viewers)
    // What the runtime offers for backpressure on the room's side of a viewer socket.
    // A viewer that lost track asks for the book again: it comes at the seq it last saw.
    const asking = viewers[0] as Viewer
    const lastSeq = asking.seqs.at(-1)
    const reply = asking.nextText()
    asking.send('snapshot')
    expect(JSON.parse(await reply)).toMatchObject({ type: 'snapshot', seq: lastSeq, tradingPair: PAIR, updateId: asking.updateId })
    const pong = asking.nextText()
    asking.send('ping')
    expect(await pong).toBe('pong')
    const bufferedAmount = await runInDurableObject(room, (_instance, state) => typeof (state.getWebSockets()[0] as unknown as { bufferedAmount?: unknown }).bufferedAmount)
    // Pins what book-room.ts says: workerd has no `bufferedAmount` on the room's side, so the backlog
    // bound (tested with fake sockets below) is dormant here and the runtime queues for the stuck one.
    expect(bufferedAmount).toBe('undefined')
    stuck.webSocket?.accept()
    stuck.webSocket?.close()
    await leaveRoom(room, viewers)
  })
})

describe('BookRoom when left alone', () => {
  it('stops the upstream stream once the last viewer has gone and no snapshot was asked for', { timeout: 30_000 }, async () => {
    const room = await freshRoom(300)
    const viewer = await openViewer(room)
    await waitFor('a live book', () => viewer.isLive)
    expect(await room.describe()).toMatchObject({ streaming: true, status: 'live', viewers: 1 })
    viewer.close()
    await waitFor('the room to stop streaming', async () => !(await room.describe()).streaming)
    expect(await room.describe()).toMatchObject({ streaming: false, viewers: 0 })

    // A snapshot request starts it again, and it stops again when nobody asks for a while.
    const response = await room.fetch('http://book-room/v1/book/ETH-BTC?depth=5')
    expect(response.status).toBe(200)
    expect(((await response.json()) as { bids: unknown[] }).bids.length).toBeLessThanOrEqual(5)
    expect((await room.describe()).streaming).toBe(true)
    await waitFor('the room to stop streaming again', async () => !(await room.describe()).streaming)
  })
})

describe('BookRoom fan-out', () => {
  /** A socket that records what it got, with a settable backlog; `broken` throws like a closed socket. */
  const fakeSocket = (bufferedAmount?: number, broken = false) => {
    const sent: string[] = []
    const closes: [number | undefined, string | undefined][] = []
    const socket: ViewerSocket = {
      ...(bufferedAmount === undefined ? {} : { bufferedAmount }),
      send(text) {
        if (broken) throw new TypeError('WebSocket is closed')
        sent.push(text)
      },
      close(code, reason) {
        closes.push([code, reason])
      },
    }
    return { socket, sent, closes }
  }

  it('closes a viewer past the backlog bound with 1013 and still sends to the rest, past a broken one', () => {
    const slow = fakeSocket(2_000_000)
    const broken = fakeSocket(0, true)
    const fine = fakeSocket(10)
    const unknown = fakeSocket()
    const dropped = fanOut([slow.socket, broken.socket, fine.socket, unknown.socket], '{"seq":1}', 1 << 20)
    expect(dropped).toBe(1)
    expect(slow.closes).toEqual([[SLOW_VIEWER_CLOSE.code, SLOW_VIEWER_CLOSE.reason]])
    expect(slow.sent).toEqual([])
    expect(fine.sent).toEqual(['{"seq":1}'])
    expect(unknown.sent).toEqual(['{"seq":1}'])
  })
})
