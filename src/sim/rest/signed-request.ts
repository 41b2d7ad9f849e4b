// SIGNED endpoint checks as rest-api.md describes them: the X-MBX-APIKEY header names the key,
// `signature` is the hex HMAC-SHA256 of totalParams (the query string concatenated with the
// request body, without the signature itself) under the key's secret, and `timestamp`/`recvWindow`
// bound when the request may be executed. Written from the docs with @noble/hashes directly so the
// simulator shares no signing code with the connector it is meant to check.
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { REST_ERRORS, RestFailure, illegalCharacters, invalidParameter, mandatoryParameter } from './rest-errors.ts'
import type { ParamReader } from './param-reader.ts'
import type { RawParameterText, RequestParams } from './request-params.ts'

export interface SimulatorCredentials {
  readonly apiKey: string
  readonly apiSecret: string
}

const DEFAULT_RECV_WINDOW = 5000
const MAX_RECV_WINDOW = 60000
/** Binance refuses a timestamp this far or more ahead of its clock. */
const FUTURE_TOLERANCE = 1000
/** Binance's API keys are 64 alphanumeric characters; anything unlike a key is a format error. */
const API_KEY_SHAPE = /^[A-Za-z0-9]{1,128}$/
const SIGNATURE_PAIR = /(^|&)signature=[^&]*/

/**
 * Throws the documented failure when the request is not a valid SIGNED request:
 * -2014 (missing/malformed key, HTTP 401), -2015 (unknown key, HTTP 401), -1102 (no signature or
 * timestamp), -1022 (wrong signature), -1021 (outside recvWindow or >= 1 s ahead).
 */
export function verifySignedRequest(request: Request, params: RequestParams, credentials: SimulatorCredentials, serverTime: number): void {
  verifyApiKey(request, credentials)

  const signature = params.requiredString('signature')
  const expected = bytesToHex(hmac(sha256, utf8ToBytes(credentials.apiSecret), utf8ToBytes(totalParams(params.raw))))
  if (!constantTimeEquals(signature.toLowerCase(), expected)) throw new RestFailure(REST_ERRORS.invalidSignature)

  checkTiming(params, serverTime)
}

/**
 * The X-MBX-APIKEY check alone, all a USER_STREAM endpoint asks for: -2014 when the header is
 * missing or unlike a key, -2015 when it names another key, both HTTP 401.
 */
export function verifyApiKey(request: Request, credentials: SimulatorCredentials): void {
  const apiKey = request.headers.get('x-mbx-apikey')
  if (apiKey === null || !API_KEY_SHAPE.test(apiKey)) throw new RestFailure(REST_ERRORS.apiKeyFormat, 401)
  if (apiKey !== credentials.apiKey) throw new RestFailure(REST_ERRORS.rejectedApiKey, 401)
}

/** The signed text: query then body, each without its `signature=` pair, joined with nothing between. */
export function totalParams(raw: RawParameterText): string {
  return withoutSignature(raw.query) + withoutSignature(raw.body)
}

function withoutSignature(text: string): string {
  return text.replace(SIGNATURE_PAIR, '').replace(/^&/, '')
}

/** Binance's timing security (-1021), shared by the REST and WS API doors. */
export function checkTiming(params: ParamReader, serverTime: number): void {
  const timestampText = params.optionalString('timestamp')
  if (timestampText === undefined) throw new RestFailure(mandatoryParameter('timestamp'))
  if (!/^[0-9]{1,20}$/.test(timestampText)) throw new RestFailure(illegalCharacters('timestamp', '^[0-9]{1,20}$'))
  // Timestamps may be in milliseconds or microseconds (rest-api.md "Timing security").
  const rawTimestamp = Number(timestampText)
  const timestamp = timestampText.length >= 16 ? rawTimestamp / 1000 : rawTimestamp

  const recvWindowText = params.optionalString('recvWindow')
  let recvWindow = DEFAULT_RECV_WINDOW
  if (recvWindowText !== undefined) {
    // Up to three decimals (microsecond precision) are allowed.
    if (!/^[0-9]{1,10}(\.[0-9]{1,3})?$/.test(recvWindowText)) throw new RestFailure(illegalCharacters('recvWindow', '^[0-9]{1,10}(\\.[0-9]{1,3})?$'))
    recvWindow = Number(recvWindowText)
    if (recvWindow > MAX_RECV_WINDOW) throw new RestFailure(invalidParameter('recvWindow'))
  }

  if (timestamp >= serverTime + FUTURE_TOLERANCE) throw new RestFailure(REST_ERRORS.aheadOfServer)
  if (serverTime - timestamp > recvWindow) throw new RestFailure(REST_ERRORS.outsideRecvWindow)
}

/** Compares without an early exit so response times do not reveal how much of a guess was right. */
export function constantTimeEquals(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index)
  return difference === 0
}
