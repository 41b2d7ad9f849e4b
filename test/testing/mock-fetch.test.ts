// The kit's MockFetch: routing by method and path, queued and standing answers, request records.
import { describe, expect, it } from 'vitest'
import { MockFetch, queryParam } from '../../src/testing/index.ts'

const BASE = 'https://api.example.test'

describe('MockFetch', () => {
  it('routes by method and exact path, and records method, path, query in order, headers and body', async () => {
    const mock = new MockFetch().route('create', { method: 'POST', path: '/api/order' }, { json: { id: 7 } })
    const response = await mock.fetch(`${BASE}/api/order?b=2&a=1&b=3`, {
      method: 'POST',
      headers: { 'X-Api-Key': 'k' },
      body: 'side=BUY',
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ id: 7 })
    const [request] = mock.requestsOf('create')
    expect(request).toMatchObject({ method: 'POST', path: '/api/order', route: 'create', body: 'side=BUY' })
    expect(request?.query).toEqual([['b', '2'], ['a', '1'], ['b', '3']])
    expect(request?.headers['x-api-key']).toBe('k')
    expect(request && queryParam(request, 'b')).toBe('2')
    expect(mock.lastRequestOf('create')).toBe(request)
  })

  it('matches a RegExp or a predicate, the first matching route winning', async () => {
    const mock = new MockFetch()
      .route('byPredicate', { method: 'GET', path: (_path, request) => request.query.some(([key]) => key === 'special') }, { text: 'p' })
      .route('byPattern', { method: 'GET', path: /^\/v\d\/ticker/ }, { text: 'r' })
    expect(await (await mock.fetch(`${BASE}/v3/ticker?special=1`)).text()).toBe('p')
    expect(await (await mock.fetch(`${BASE}/v3/ticker/price`)).text()).toBe('r')
    expect(mock.requestsOf('byPattern')).toHaveLength(1)
  })

  it('answers queued replies first, in order, then the standing one; a handler sees the request', async () => {
    const mock = new MockFetch().route('ping', { method: 'GET', path: '/ping' }, { json: { ok: true } })
    mock.replyOnce('ping', { status: 500, text: 'down' }).replyOnce('ping', (request) => ({ status: 201, json: { path: request.path } }))
    const statuses: number[] = []
    for (let call = 0; call < 3; call += 1) statuses.push((await mock.fetch(`${BASE}/ping`)).status)
    expect(statuses).toEqual([500, 201, 200])
    mock.reply('ping', new Response('replaced', { status: 202 }))
    expect((await mock.fetch(`${BASE}/ping`)).status).toBe(202)
  })

  it('answers an unmatched request 404 and records it, so a test can assert nothing unexpected was sent', async () => {
    const mock = new MockFetch().route('ping', { method: 'GET', path: '/ping' })
    expect((await mock.fetch(`${BASE}/ping`, { method: 'DELETE' })).status).toBe(404)
    expect((await mock.fetch(`${BASE}/ping`)).status).toBe(404) // a route without an answer
    expect(mock.unmatched.map((request) => `${request.method} ${request.path}`)).toEqual(['DELETE /ping'])
    mock.clearRequests()
    expect(mock.requests).toEqual([])
  })

  it('hangs until the request aborts, and fails like an unreachable host on networkError', async () => {
    const mock = new MockFetch().route('slow', { method: 'GET', path: '/slow' }, { hang: true }).route('down', { method: 'GET', path: '/down' }, { networkError: true })
    const controller = new AbortController()
    const pending = mock.fetch(`${BASE}/slow`, { signal: controller.signal })
    controller.abort(new Error('gave up'))
    await expect(pending).rejects.toThrow('gave up')
    await expect(mock.fetch(`${BASE}/down`)).rejects.toBeInstanceOf(TypeError)
  })

  it('refuses a duplicate route name and an unknown one', () => {
    const mock = new MockFetch().route('ping', { method: 'GET', path: '/ping' })
    expect(() => mock.route('ping', { method: 'GET', path: '/other' })).toThrow('already defined')
    expect(() => mock.requestsOf('pong')).toThrow('no route named pong')
  })
})
