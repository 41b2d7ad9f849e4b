// SIGNED WS API requests as web-socket-api.md describes them: `apiKey` names the key inside params,
// and `signature` is the hex HMAC-SHA256, under the key's secret, of every other parameter (apiKey
// included) sorted by name and joined as `name=value&…` in raw UTF-8, with no percent-encoding —
// unlike REST. Written with @noble/hashes directly so the simulator shares no signing code with
// the connector it checks.
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { REST_ERRORS, RestFailure } from '../rest/rest-errors.ts'
import { type SimulatorCredentials, checkTiming, constantTimeEquals } from '../rest/signed-request.ts'
import type { WsApiParams } from './ws-params.ts'

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
