// Binance's documented REST error codes and texts (errors.md) for what the REST layer itself
// refuses, plus the HTTP status Binance answers each with. Engine rejections already carry their
// own documented {code, msg} and pass through unchanged.

export interface BinanceError {
  readonly code: number
  readonly msg: string
}

/** A refusal on its way to the wire: the body plus the HTTP status and any extra headers. */
export class RestFailure extends Error {
  constructor(
    readonly error: BinanceError,
    readonly status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(error.msg)
    this.name = 'RestFailure'
  }
}

export const REST_ERRORS = {
  unknown: { code: -1000, msg: 'An unknown error occurred while processing the request.' },
  apiKeyFormat: { code: -2014, msg: 'API-key format invalid.' },
  rejectedApiKey: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
  invalidSignature: { code: -1022, msg: 'Signature for this request is not valid.' },
  outsideRecvWindow: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
  aheadOfServer: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
  invalidSymbol: { code: -1121, msg: 'Invalid symbol.' },
  invalidSide: { code: -1117, msg: 'Invalid side.' },
  invalidOrderType: { code: -1116, msg: 'Invalid orderType.' },
  invalidTimeInForce: { code: -1115, msg: 'Invalid timeInForce.' },
  duplicateParameter: { code: -1101, msg: 'Duplicate values for a parameter detected.' },
  unknownListenKey: { code: -1125, msg: 'This listenKey does not exist.' },
} as const satisfies Record<string, BinanceError>

export function mandatoryParameter(name: string): BinanceError {
  return { code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` }
}

export function illegalCharacters(name: string, legalRange: string): BinanceError {
  return { code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '${legalRange}'.` }
}

export function invalidParameter(name: string): BinanceError {
  return { code: -1130, msg: `Data sent for parameter '${name}' is not valid.` }
}

export function tooMuchWeight(limit: number, interval: string): BinanceError {
  return {
    code: -1003,
    msg: `Too much request weight used; current limit is ${limit} request weight per ${interval}. Please use WebSocket Streams for live updates to avoid polling the API.`,
  }
}

export function bannedUntil(epochMilliseconds: number): BinanceError {
  return {
    code: -1003,
    msg: `Way too much request weight used; IP banned until ${epochMilliseconds}. Please use WebSocket Streams for live updates to avoid bans.`,
  }
}

export function tooManyOrders(limit: number, interval: string): BinanceError {
  return { code: -1015, msg: `Too many new orders; current limit is ${limit} orders per ${interval}.` }
}
