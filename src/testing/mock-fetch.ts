// A scriptable `fetch` for connector tests: requests are routed by method and path to named routes,
// answered from a queue of one-shot replies, else the route's standing reply; every request is
// recorded (unmatched ones too, answered 404) so a test can assert what was, and was not, sent.
// Web APIs only: it runs wherever the library does.

/** How a route recognises a path: the exact pathname, a pattern, or a test of the whole request. */
export type PathMatcher = string | RegExp | ((path: string, request: RecordedRequest) => boolean)

export interface RouteMatcher {
  /** `GET`, `POST`, …; case-insensitive. */
  readonly method: string
  readonly path: PathMatcher
}

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  /** The URL's pathname. */
  readonly path: string
  /** Query parameters in the order sent. */
  readonly query: ReadonlyArray<readonly [string, string]>
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The route that answered; undefined when none matched. */
  readonly route: string | undefined
  readonly signal: AbortSignal
}

/**
 * A reply as data (a fresh `Response` is built per request, so one reply may answer many):
 * `json` is sent as JSON, `text` as is; `hang` never answers (it rejects when the request aborts,
 * as fetch does); `networkError` rejects like an unreachable host.
 */
export interface MockReply {
  readonly status?: number
  readonly json?: unknown
  readonly text?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly hang?: boolean
  readonly networkError?: boolean
}

export type MockReplyHandler = (request: RecordedRequest) => MockReply | Response | Promise<MockReply | Response>
export type MockAnswer = MockReply | Response | MockReplyHandler

interface Route {
  readonly name: string
  readonly matcher: RouteMatcher
  standing: MockAnswer | undefined
  readonly once: MockAnswer[]
}

/** The first value of a query parameter, or undefined. */
export function queryParam(request: RecordedRequest, name: string): string | undefined {
  return request.query.find(([key]) => key === name)?.[1]
}

function matches(matcher: PathMatcher, request: RecordedRequest): boolean {
  if (typeof matcher === 'string') return request.path === matcher
  if (matcher instanceof RegExp) return matcher.test(request.path)
  return matcher(request.path, request)
}

function toResponse(reply: MockReply | Response, signal: AbortSignal): Promise<Response> {
  if (reply instanceof Response) return Promise.resolve(reply)
  if (reply.networkError) return Promise.reject(new TypeError('fetch failed: the mock host is unreachable'))
  if (reply.hang) {
    return new Promise((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason)
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
  }
  const isJson = reply.json !== undefined
  const body = isJson ? JSON.stringify(reply.json) : (reply.text ?? '')
  const headers = { ...(isJson ? { 'content-type': 'application/json' } : {}), ...reply.headers }
  return Promise.resolve(new Response(body, { status: reply.status ?? 200, headers }))
}

/**
 * Routes, queued replies and a record of every request.
 *
 * @example
 * const mock = new MockFetch()
 * mock.route('ping', { method: 'GET', path: '/api/v3/ping' }, { json: {} })
 * mock.replyOnce('ping', { status: 500, text: 'down' })
 * const exchange = createBinanceExchange({ tradingPairs: ['BTC-USDT'], fetch: mock.fetch })
 * mock.requestsOf('ping') // what was sent
 */
export class MockFetch {
  readonly requests: RecordedRequest[] = []
  readonly fetch: typeof fetch
  readonly #routes: Route[] = []

  constructor() {
    this.fetch = ((input: RequestInfo | URL, init?: RequestInit) => this.#handle(input, init)) as typeof fetch
  }

  /** Adds a named route (the first matching route answers); `standing` answers when nothing is queued. */
  route(name: string, matcher: RouteMatcher, standing?: MockAnswer): this {
    if (this.#routes.some((route) => route.name === name)) throw new Error(`MockFetch: route ${name} is already defined`)
    this.#routes.push({ name, matcher, standing, once: [] })
    return this
  }

  /** Replaces the route's standing answer. */
  reply(name: string, answer: MockAnswer): this {
    this.#route(name).standing = answer
    return this
  }

  /** Queues an answer for the route's next request only (queued answers go first, in order). */
  replyOnce(name: string, answer: MockAnswer): this {
    this.#route(name).once.push(answer)
    return this
  }

  requestsOf(name: string): RecordedRequest[] {
    this.#route(name)
    return this.requests.filter((request) => request.route === name)
  }

  lastRequestOf(name: string): RecordedRequest | undefined {
    return this.requestsOf(name).at(-1)
  }

  /** Requests no route matched (each was answered 404). */
  get unmatched(): RecordedRequest[] {
    return this.requests.filter((request) => request.route === undefined)
  }

  /** Forgets the recorded requests (routes and answers stay). */
  clearRequests(): void {
    this.requests.length = 0
  }

  #route(name: string): Route {
    const route = this.#routes.find((candidate) => candidate.name === name)
    if (route === undefined) throw new Error(`MockFetch: no route named ${name}`)
    return route
  }

  async #handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init)
    const url = new URL(request.url)
    const unrouted: RecordedRequest = {
      method: request.method.toUpperCase(),
      url: request.url,
      path: url.pathname,
      query: [...url.searchParams.entries()],
      headers: Object.fromEntries([...request.headers].map(([key, value]) => [key.toLowerCase(), value])),
      body: await request.clone().text(),
      route: undefined,
      signal: request.signal,
    }
    const route = this.#routes.find(
      (candidate) => candidate.matcher.method.toUpperCase() === unrouted.method && matches(candidate.matcher.path, unrouted),
    )
    const recorded: RecordedRequest = { ...unrouted, route: route?.name }
    this.requests.push(recorded)
    const answer = route?.once.shift() ?? route?.standing
    if (answer === undefined) {
      const reason = route === undefined ? 'no route matches' : `route ${route.name} has no answer for`
      return toResponse({ status: 404, text: `MockFetch: ${reason} ${recorded.method} ${recorded.path}` }, request.signal)
    }
    const reply = typeof answer === 'function' ? await answer(recorded) : answer
    return toResponse(reply, request.signal)
  }
}
