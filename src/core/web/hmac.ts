import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * HMAC-SHA256 of a UTF-8 payload, as lowercase hex.
 *
 * Synchronous and pure JavaScript (@noble/hashes), so it runs the same in browsers, workerd, Deno
 * and Node without WebCrypto's async key import on every request.
 *
 * @example
 * hmacSha256Hex('secret', 'symbol=BTCUSDT&timestamp=1') // '…64 hex chars…'
 */
export function hmacSha256Hex(secret: string, payload: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(secret), utf8ToBytes(payload)))
}
