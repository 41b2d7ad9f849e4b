import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createSimulatedExchange, defineMarket } from '../../../src/sim/engine/index.ts'
import { createPublicStreamHandler } from '../../../src/sim/streams/index.ts'
import { FakeSocket, START_TIME, startStreams, wireLevels } from './stream-test-kit.ts'

const reference = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../shared/reference/binance/ws-streams/${name}`, import.meta.url)), 'utf8'))

describe('control messages', () => {
  it('answer SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE with their ids, like the reference', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/ws')
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@depth'], id: 1 }))
    expect(socket.take()).toEqual([reference('SUBSCRIBE_response.json')])
    connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }))
    expect(socket.take()).toEqual([{ result: ['btcusdt@trade', 'btcusdt@depth'], id: 3 }])
    connection.receive(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 'a-4' }))
    connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 5 }))
    expect(socket.take()).toEqual([{ result: null, id: 'a-4' }, { result: ['btcusdt@depth'], id: 5 }])
    expect(socket.closes).toEqual([])
  })

  it('lists the streams named in the connection path, raw or combined', () => {
    const rig = startStreams()
    const raw = rig.open('/ws/btcusdt@depth@100ms/ethusdt@trade')
    const combined = rig.open('/stream?streams=ethbtc@depth5/btcusdt@bookTicker')
    raw.connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":1}')
    combined.connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":2}')
    expect(raw.socket.take()).toEqual([{ result: ['btcusdt@depth@100ms', 'ethusdt@trade'], id: 1 }])
    expect(combined.socket.take()).toEqual([{ result: ['ethbtc@depth5', 'btcusdt@bookTicker'], id: 2 }])
  })

  it('answers bad requests with error frames and keeps the connection open', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/ws')
    connection.receive('{not json')
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@depth', 'BTCUSDT@trade'], id: 7 }))
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: ['dogeusdt@trade'], id: 8 }))
    rig.clock.now += 1000
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@depth7'], id: 9 }))
    connection.receive(JSON.stringify({ method: 'PING', id: 10 }))
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: -1.5 }))
    expect(socket.take()).toEqual([
      { error: { code: 3, msg: 'Invalid JSON: expected value' }, id: null },
      { error: { code: 2, msg: 'Invalid request: unknown stream `BTCUSDT@trade`' }, id: 7 },
      { error: { code: 2, msg: 'Invalid request: unknown stream `dogeusdt@trade`' }, id: 8 },
      { error: { code: 2, msg: 'Invalid request: unknown stream `btcusdt@depth7`' }, id: 9 },
      { error: { code: 2, msg: 'Invalid request: unknown variant `PING`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`' }, id: 10 },
      { error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }, id: null },
    ])
    // A rejected SUBSCRIBE subscribes none of its streams, not even the valid ones.
    rig.clock.now += 1000
    connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":11}')
    expect(socket.take()).toEqual([{ result: [], id: 11 }])
    expect(socket.closes).toEqual([])
  })

  it('switches framing with SET_PROPERTY combined and reports it with GET_PROPERTY', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/ws/btcusdt@depth5@100ms')
    rig.advance(100)
    expect(Object.keys(socket.take()[0] ?? {})).toEqual(['lastUpdateId', 'bids', 'asks'])
    connection.receive('{"method":"SET_PROPERTY","params":["combined",true],"id":1}')
    connection.receive('{"method":"GET_PROPERTY","params":["combined"],"id":2}')
    connection.receive('{"method":"SET_PROPERTY","params":["combined","yes"],"id":3}')
    connection.receive('{"method":"GET_PROPERTY","params":["colour"],"id":4}')
    expect(socket.take()).toEqual([
      { result: null, id: 1 },
      { result: true, id: 2 },
      { error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id: 3 },
      { error: { code: 0, msg: 'Unknown property' }, id: 4 },
    ])
    rig.advance(100)
    const book = rig.exchange.engine.book('BTCUSDT', 5)
    expect(socket.take()).toEqual([{ stream: 'btcusdt@depth5@100ms', data: { lastUpdateId: book.lastUpdateId, bids: wireLevels(book.bids), asks: wireLevels(book.asks) } }])
  })
})

describe('connection limits and lifecycle', () => {
  it('closes a connection that sends a 6th message within one second (5 incoming messages/s)', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/ws/btcusdt@depth@100ms')
    for (let id = 1; id <= 5; id += 1) {
      connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }))
      rig.clock.now += 150
    }
    expect(socket.take()).toHaveLength(5)
    connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":6}')
    expect(socket.take()).toEqual([])
    expect(socket.closes).toEqual([{ code: 1008, reason: 'Too many messages' }])
    // Nothing more reaches a closed connection, market data included.
    rig.exchange.marketMakers.step()
    rig.advance(1000)
    connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":7}')
    expect(socket.sent).toHaveLength(5)
  })

  it('allows 5 messages in every second, sliding', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/ws')
    for (let id = 1; id <= 12; id += 1) {
      connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }))
      rig.clock.now += 200
    }
    expect(socket.take()).toHaveLength(12)
    expect(socket.closes).toEqual([])
  })

  it('refuses to go past 1024 streams on one connection, all or nothing', () => {
    // 80 markets × 14 stream names each gives more distinct valid names than the limit.
    const markets = Array.from({ length: 80 }, (_, index) => defineMarket({
      symbol: `C${index}USDT`, baseAsset: `C${index}`, quoteAsset: 'USDT', tickSize: '0.01', maxPrice: '1000000',
      stepSize: '0.001', minQty: '0.001', maxQty: '9000', marketMaxQty: '100', minNotional: '5', initialMidPrice: '100',
    }))
    const suffixes = ['@depth', '@depth@100ms', '@depth@1000ms', '@trade', '@bookTicker']
      .concat(['5', '10', '20'].flatMap((levels) => [`@depth${levels}`, `@depth${levels}@100ms`, `@depth${levels}@1000ms`]))
    const names = markets.flatMap((market) => suffixes.map((suffix) => market.symbol.toLowerCase() + suffix))
    expect(names.length).toBeGreaterThan(1024)
    const exchange = createSimulatedExchange({ seed: 1, markets, now: () => START_TIME })
    const handler = createPublicStreamHandler({ exchange, now: () => START_TIME })
    const socket = new FakeSocket()
    const connection = handler.connect(`/ws/${names.slice(0, 1000).join('/')}`, socket)
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: names.slice(1000, 1025), id: 1 }))
    connection.receive(JSON.stringify({ method: 'SUBSCRIBE', params: names.slice(990, 1024), id: 2 }))
    connection.receive(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }))
    const [tooMany, atLimit, list] = socket.take()
    expect(tooMany).toEqual({ error: { code: 2, msg: 'Invalid request: too many streams (at most 1024 per connection)' }, id: 1 })
    expect(atLimit).toEqual({ result: null, id: 2 })
    expect(list).toEqual({ result: names.slice(0, 1024), id: 3 })
    expect(socket.closes).toEqual([])
    expect(handler.connect(`/ws/${names.slice(0, 1025).join('/')}`, socket) && socket.closes).toEqual([
      { code: 1008, reason: 'Invalid request: too many streams (at most 1024 per connection)' },
    ])
  })

  it('closes at once on an unknown path or an unknown stream in a combined path', () => {
    const rig = startStreams()
    expect(rig.open('/api/v3/depth').socket.closes).toEqual([{ code: 1008, reason: 'Unknown stream path' }])
    expect(rig.open('/stream?streams=btcusdt@nothing').socket.closes).toEqual([{ code: 1008, reason: 'Invalid request: unknown stream `btcusdt@nothing`' }])
  })

  it('opens a raw /ws/<name> connection with only the valid names (ccxt opens /ws/0, then subscribes)', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/ws/0/btcusdt@trade')
    expect(socket.closes).toEqual([])
    connection.receive('{"method":"LIST_SUBSCRIPTIONS","id":1}')
    expect(socket.take()).toEqual([{ result: ['btcusdt@trade'], id: 1 }])
  })

  it('sends nothing after the transport reports the socket closed', () => {
    const rig = startStreams()
    const { socket, connection } = rig.open('/stream?streams=btcusdt@depth@100ms/btcusdt@trade/btcusdt@bookTicker/btcusdt@depth5@100ms')
    rig.exchange.marketMakers.step()
    rig.advance(100)
    expect(socket.take().length).toBeGreaterThan(0)
    connection.closed()
    for (let step = 0; step < 5; step += 1) {
      rig.exchange.marketMakers.step()
      rig.advance(100)
    }
    expect(socket.take()).toEqual([])
  })
})

