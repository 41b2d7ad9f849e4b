// SIGNED WS API requests as web-socket-api.md describes them: `apiKey` names the key inside params,
// and `signature` is the hex HMAC-SHA256, under the key's secret, of every other parameter (apiKey
// included) sorted by name and joined as `name=value&…` in raw UTF-8, with no percent-encoding —
// unlike REST. Written with @noble/hashes directly so the simulator shares no signing code with
// the connector it checks.
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { REST_ERRORS, RestFailure, illegalCharacters, invalidParameter, mandatoryParameter } from '../rest/rest-errors.ts'
import type { SimulatorCredentials } from '../rest/signed-request.ts'
import type { WsApiParams } from './ws-params.ts'

const DEFAULT_RECV_WINDOW = 5000
const MAX_RECV_WINDOW = 60000
/** Binance refuses a timestamp this far or more ahead of its clock. */
const FUTURE_TOLERANCE = 1000

/** The text a WS API signature covers. */
export function wsApiSignaturePayload(params: WsApiParams): string {
  return params
    .entries()
    .filter(([name]) => name !== 'signature')
    // Plain code-unit order: Binance sorts by parameter name, and names are ASCII.
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}

/**
 * Throws the documented failure when `params` is not a valid SIGNED request: -1102 (no apiKey,
 * signature or timestamp), -2015 (unknown key), -1022 (wrong signature), -1021 (outside recvWindow
 * or 1 s or more ahead).
 */
export function verifyWsApiSignature(params: WsApiParams, credentials: SimulatorCredentials, serverTime: number): void {
  const apiKey = params.requiredString('apiKey')
  if (apiKey !== credentials.apiKey) throw new RestFailure(REST_ERRORS.rejectedApiKey, 401)
  const signature = params.requiredString('signature')
  const expected = bytesToHex(hmac(sha256, utf8ToBytes(credentials.apiSecret), utf8ToBytes(wsApiSignaturePayload(params))))
  if (!constantTimeEquals(signature.toLowerCase(), expected)) throw new RestFailure(REST_ERRORS.invalidSignature)
  checkTiming(params, serverTime)
}

function checkTiming(params: WsApiParams, serverTime: number): void {
  const timestampText = params.optionalString('timestamp')
  if (timestampText === undefined) throw new RestFailure(mandatoryParameter('timestamp'))
  if (!/^[0-9]{1,20}$/.test(timestampText)) throw new RestFailure(illegalCharacters('timestamp', '^[0-9]{1,20}$'))
  // Timestamps may be in milliseconds or microseconds (web-socket-api.md "Timing security").
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
function constantTimeEquals(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index)
  return difference === 0
}
