// The `params` object of a WS API request. Values arrive as JSON strings, numbers or booleans; the
// signature covers their text form, and the getters apply the same legal ranges as the REST layer
// (errors.md texts via rest-errors.ts) so both doors refuse the same input the same way.
import { ParamReader } from '../rest/param-reader.ts'
import { RestFailure, mandatoryParameter } from '../rest/rest-errors.ts'

export class WsApiParams extends ParamReader {
  /** Throws -1102 for a parameter whose value is an object, array or null (nothing to sign or read). */
  constructor(params: unknown) {
    const values = new Map<string, string>()
    if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
      throw new RestFailure(mandatoryParameter('params'))
    }
    for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') values.set(name, value)
      else if (typeof value === 'number' || typeof value === 'boolean') values.set(name, String(value))
      else throw new RestFailure(mandatoryParameter(name))
    }
    super(values)
  }

  /** Every parameter in its text form, in the order the client sent them. */
  entries(): [string, string][] {
    return [...this.values.entries()]
  }
}
