// Binance's documented error codes and exact messages for the failures the engine can produce.
// The texts are facts from errors.md / the API's documented responses and must match byte for byte.

/** A refused request, shaped like Binance's error body so the protocol layer can send it as is. */
export interface EngineRejection {
  readonly code: number
  readonly msg: string
}

export type FilterName = 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'MIN_NOTIONAL' | 'NOTIONAL'

/** `-1013` with the filter-failure message errors.md lists for that filter. */
export function filterFailure(filter: FilterName): EngineRejection {
  return { code: -1013, msg: `Filter failure: ${filter}` }
}

export const REJECTIONS = {
  insufficientBalance: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
  wouldTakeAsMaker: { code: -2010, msg: 'Order would immediately match and take.' },
  duplicateOrder: { code: -2010, msg: 'Duplicate order sent.' },
  unknownOrderOnCancel: { code: -2011, msg: 'Unknown order sent.' },
  orderDoesNotExist: { code: -2013, msg: 'Order does not exist.' },
  invalidSymbol: { code: -1121, msg: 'Invalid symbol.' },
} as const satisfies Record<string, EngineRejection>

/** `-1102` naming the parameter that a order type needs but did not get. */
export function missingParameter(name: string): EngineRejection {
  return { code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` }
}

/** `-1106` naming a parameter that this order type does not take. */
export function parameterNotRequired(name: string): EngineRejection {
  return { code: -1106, msg: `Parameter '${name}' sent when not required.` }
}

/** Thrown by engine internals and caught at the engine's door, where it becomes a result. */
export class RejectedError extends Error {
  constructor(readonly rejection: EngineRejection) {
    super(rejection.msg)
    this.name = 'RejectedError'
  }
}
