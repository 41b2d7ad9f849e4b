// An injectable fetch for REST assistant tests: records what was sent, answers with a script.
// Web APIs only, so the suites that use it run in Node, workerd and Deno alike.
import { loadKy } from '../../../../src/core/web/rest-assistant.ts'

// The REST assistant imports ky on its first request; a test on fake timers only turns microtasks
// and cannot wait for a module to load, so every suite with a fake fetch has it loaded up front.
await loadKy()

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
  readonly signal: AbortSignal
}

export type Responder = (request: Request, index: number) => Response | Promise<Response>

export interface FakeFetch {
  readonly fetch: typeof fetch
  readonly requests: RecordedRequest[]
}

/**
 * A fetch that records every request and answers with `respond(request, index)`.
 *
 * @example
 * const { fetch, requests } = fakeFetch(() => jsonResponse(200, { ok: true }))
 */
export function fakeFetch(respond: Responder, onRequest?: (request: RecordedRequest) => void): FakeFetch {
  const requests: RecordedRequest[] = []
  const fetchFunction = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init)
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.clone().text(),
      signal: request.signal,
    }
    requests.push(recorded)
    onRequest?.(recorded)
    return respond(request, requests.length - 1)
  }
  return { fetch: fetchFunction as typeof fetch, requests }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

/** A response that never comes, but rejects like fetch does when the request's signal aborts. */
export function hangingResponse(request: Request): Promise<Response> {
  return new Promise((_resolve, reject) => {
    if (request.signal.aborted) reject(request.signal.reason)
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true })
  })
}

/** Every message in an error's cause chain (message, shortMessage, details included). */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    if (current instanceof Error) {
      texts.push(current.message, String(current.stack ?? ''))
      const extra = current as Error & { shortMessage?: unknown; details?: unknown; exchangeMessage?: unknown }
      for (const field of [extra.shortMessage, extra.details, extra.exchangeMessage]) {
        if (typeof field === 'string') texts.push(field)
      }
      current = current.cause
    } else {
      texts.push(String(current))
      current = undefined
    }
  }
  return texts
}
