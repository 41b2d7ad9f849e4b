// A request's parameters as Binance reads them: the query string and, for POST/PUT/DELETE, an
// application/x-www-form-urlencoded body. A name in both places takes the query string's value
// (rest-api.md "General information on endpoints"). Getters validate the documented legal ranges.
import { ParamReader } from './param-reader.ts'
import { REST_ERRORS, RestFailure } from './rest-errors.ts'

/** Raw text the signature covers, kept apart from the decoded values. */
export interface RawParameterText {
  readonly query: string
  readonly body: string
}

export class RequestParams extends ParamReader {
  private constructor(
    values: ReadonlyMap<string, string>,
    readonly raw: RawParameterText,
  ) {
    super(values)
  }

  static async read(request: Request, url: URL): Promise<RequestParams> {
    const query = url.search.startsWith('?') ? url.search.slice(1) : url.search
    const contentType = request.headers.get('content-type') ?? ''
    const takesBody = request.method !== 'GET' && request.method !== 'HEAD'
    const body = takesBody && (contentType === '' || contentType.includes('application/x-www-form-urlencoded')) ? await request.text() : ''
    const values = new Map<string, string>()
    for (const source of [body, query]) {
      const seen = new Set<string>()
      for (const [name, value] of new URLSearchParams(source)) {
        if (seen.has(name)) throw new RestFailure(REST_ERRORS.duplicateParameter)
        seen.add(name)
        values.set(name, value)
      }
    }
    return new RequestParams(values, { query, body })
  }
}
