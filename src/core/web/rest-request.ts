// The REST request a connector describes, and how it becomes the exact URL, headers and body sent.
import { InvalidInputError } from '../errors.ts'
import {
  encodeQuery,
  type HttpMethod,
  type RequestParamEntries,
  type RequestParamValue,
  type SignedRestParts,
  type UnsignedRestRequest,
} from './auth.ts'

/** Query parameters: ordered entries, or a record whose undefined values are left out. */
export type RestParams = RequestParamEntries | Readonly<Record<string, RequestParamValue | undefined>>

interface RestRequestFields {
  /** Defaults to GET. Only GET is ever retried by the assistant. */
  readonly method?: HttpMethod
  /** Sent in the query string, for every method (exchanges accept signed POST parameters there). */
  readonly params?: RestParams
  /**
   * A string is sent as is; `URLSearchParams` as a form; anything else as JSON. The matching
   * content type is set unless `headers` names one.
   */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Sign the request with the assistant's authenticator (Hummingbot's `is_auth_required`). */
  readonly signed?: boolean
  /** The rate limit this request draws from; required when the assistant has a limiter. */
  readonly limitId?: string
  /** Aborts the request, its rate-limit wait and its retries; rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Bound on the whole round trip (headers and body) of one attempt; the assistant's default otherwise. */
  readonly timeoutMs?: number
}

/** One REST call: a `path` under the assistant's `baseUrl`, or an absolute `url`. */
export type RestRequest = RestRequestFields &
  ({ readonly path: string; readonly url?: never } | { readonly url: string; readonly path?: never })

/** What leaves the process: the final URL (query included), headers and body. */
export interface OutgoingRestRequest {
  readonly method: HttpMethod
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** `METHOD /path`, without host or query: the only description of a request put in messages. */
  readonly description: string
}

/**
 * Resolves a request's URL, parameters, body and headers into the unsigned form an authenticator
 * signs. Throws `InvalidInputError` (nothing sent) for a malformed URL or a body on a GET.
 */
export function prepareRestRequest(request: RestRequest, baseUrl: string | undefined): UnsignedRestRequest {
  const method = request.method ?? 'GET'
  const address = resolveUrl(request, baseUrl)
  const extra = paramEntries(request.params)
  const params: Array<readonly [string, RequestParamValue]> = address.params.length === 0 ? [...extra] : [...address.params, ...extra]
  const { body, contentType } = serializeBody(request.body)
  if (body !== undefined && method === 'GET') {
    throw new InvalidInputError(`GET ${address.pathname} cannot carry a body; send its fields as params`)
  }
  let headers = { ...request.headers }
  if (contentType && headerName(headers, 'content-type') === undefined) headers = { ...headers, 'content-type': contentType }
  return { method, url: address.href, params, query: encodeQuery(params), body, headers }
}

/** Applies an authenticator's signed parts (or none) and returns what is actually sent. */
export function finalizeRestRequest(unsigned: UnsignedRestRequest, signed: SignedRestParts = {}): OutgoingRestRequest {
  const query = signed.query ?? unsigned.query
  return {
    method: unsigned.method,
    url: query === '' ? unsigned.url : `${unsigned.url}?${query}`,
    headers: signed.headers ? mergeHeaders(unsigned.headers, signed.headers) : unsigned.headers,
    body: signed.body ?? unsigned.body,
    description: describeRestRequest(unsigned),
  }
}

/** `METHOD /path`: how messages name a request (never the host, query or body). */
export function describeRestRequest(request: Pick<UnsignedRestRequest, 'method' | 'url'>): string {
  return `${request.method} ${parseUrl(request.url).pathname}`
}

/** What the platform's URL parser makes of a request URL's text, as this file uses it. */
interface ParsedUrl {
  /** The normalized URL without its query. */
  readonly href: string
  readonly pathname: string
  /** The query's parameters, decoded. */
  readonly params: ReadonlyArray<readonly [string, string]>
}

/**
 * Parsed URLs by text, for texts without a query or fragment: a process signs and sends to a handful
 * of base + path texts, and parsing one costs more than the rest of preparing a request. Cleared
 * when full, so a caller cycling through many URLs costs memory for at most this many.
 */
const parsedUrls = /* @__PURE__ */ new Map<string, ParsedUrl>()
const MAX_PARSED_URLS = 256

/** Parses `text` like `new URL(text)` (throwing the same TypeError when it is not a URL), cached. */
function parseUrl(text: string): ParsedUrl {
  const cached = parsedUrls.get(text)
  if (cached !== undefined) return cached
  const address = new URL(text)
  const params = [...address.searchParams]
  address.search = ''
  const parsed: ParsedUrl = { href: address.href, pathname: address.pathname, params }
  if (text.includes('?') || text.includes('#')) return parsed
  if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear()
  parsedUrls.set(text, parsed)
  return parsed
}

function resolveUrl(request: RestRequest, baseUrl: string | undefined): ParsedUrl {
  let text: string
  if (request.url !== undefined) {
    text = request.url
  } else {
    if (baseUrl === undefined) throw new InvalidInputError(`Request path '${request.path}' needs a baseUrl on the assistant`)
    // Joined by hand: `new URL('/v3/x', 'https://h/api')` would drop the base's `/api`.
    text = `${baseUrl.replace(/\/+$/, '')}/${request.path.replace(/^\/+/, '')}`
  }
  try {
    return parseUrl(text)
  } catch {
    // The text (and the platform's error about it) may hold parameters: name only what precedes the query.
    throw new InvalidInputError(`Invalid request URL '${text.split('?')[0] ?? ''}'`)
  }
}

function paramEntries(params: RestParams | undefined): RequestParamEntries {
  if (params === undefined) return []
  if (isEntryList(params)) return params
  const entries: Array<readonly [string, RequestParamValue]> = []
  for (const [key, value] of Object.entries(params)) if (value !== undefined) entries.push([key, value])
  return entries
}

function isEntryList(params: RestParams): params is RequestParamEntries {
  return Array.isArray(params)
}

function serializeBody(body: unknown): { body: string | undefined; contentType: string | undefined } {
  if (body === undefined) return { body: undefined, contentType: undefined }
  if (typeof body === 'string') return { body, contentType: undefined }
  if (body instanceof URLSearchParams) {
    return { body: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }
  }
  return { body: JSON.stringify(body), contentType: 'application/json' }
}

/** The name under which `headers` holds `name` (HTTP header names ignore case), if any. */
function headerName(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase()
  return Object.keys(headers).find((key) => key.toLowerCase() === wanted)
}

function mergeHeaders(
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...base }
  for (const [name, value] of Object.entries(extra)) {
    const existing = headerName(merged, name)
    if (existing !== undefined) delete merged[existing]
    merged[name] = value
  }
  return merged
}
