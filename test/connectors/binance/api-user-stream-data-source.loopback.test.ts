// The Binance user stream against one real `ws` server on 127.0.0.1 (any free port): the server
// checks the subscribe signature independently (node:crypto) and sends an event; the data source
// uses the platform's WebSocket (isows) and real timers.
import { createHmac } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { BinanceApiUserStreamDataSource } from '../../../src/connectors/binance/api-user-stream-data-source.ts'
import { API_KEY, API_SECRET, readReference, referenceEvent, refused, subscribed } from './user-stream-helpers.ts'

describe('binance user stream over a real socket', () => {
  it('subscribes with a signature the server verifies and delivers the events it sends', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const verdicts: boolean[] = []
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const request = JSON.parse(String(data)) as { id: string; method: string; params: Record<string, string | number> }
        const { signature, ...signed } = request.params
        const payload = Object.keys(signed).sort().map((key) => `${key}=${signed[key]}`).join('&')
        const valid = createHmac('sha256', API_SECRET).update(payload).digest('hex') === signature
        verdicts.push(valid)
        socket.send(JSON.stringify(valid ? subscribed(request, 3) : refused(request, 400, -1022, 'Signature for this request is not valid.')))
        if (valid) socket.send(JSON.stringify(readReference('user-data/wsapi_envelope_executionReport.json')))
      })
    })
    const stream = new BinanceApiUserStreamDataSource({
      mode: 'wsApiSignature',
      urls: { ws: `ws://127.0.0.1:${port}`, wsApi: `ws://127.0.0.1:${port}/ws-api/v3` },
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    })
    try {
      stream.start()
      const first = await stream[Symbol.asyncIterator]().next()
      expect(verdicts).toEqual([true])
      expect(first.value).toEqual(referenceEvent('executionReport'))
      expect(stream.subscriptionId).toBe(3)
    } finally {
      await stream.stop()
      for (const client of server.clients) client.terminate()
      server.close()
    }
  })
})
