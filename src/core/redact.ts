// The one redactor (DESIGN.md rule 7): every error message, logged line and attached payload passes
// through it, so API keys, secrets, signatures and listen keys never leave the process in text.
//
// It works two ways: by shape (a `signature=` query parameter, an `X-MBX-APIKEY` header, a JSON
// field named like a secret) and by value (every secret registered with `registerSecret`, wherever
// it appears). The value list is module state on purpose: an error built deep inside a socket
// handler must be redacted without threading a redactor through every call.

export const REDACTED = '[REDACTED]'

const registeredSecrets: Set<string> = /*#__PURE__*/ new Set<string>()

/** Field and parameter names whose values are always secret. */
const SECRET_NAME = /^(?:api[-_]?key|api[-_]?secret|secret(?:[-_]?key)?|signature|listen[-_]?key|x-mbx-apikey|passphrase|password|x-spotwire-signature|authorization)$/i

const SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  // query or form parameters: signature=…, apiKey=…, listenKey=…
  [/((?:^|[?&\s"'])(?:signature|api[-_]?key|api[-_]?secret|listen[-_]?key|secret(?:[-_]?key)?|passphrase)=)[^&\s"']+/gi, `$1${REDACTED}`],
  // JSON fields: "signature":"…"
  [/("(?:signature|api[-_]?key|api[-_]?secret|listen[-_]?key|secret(?:[-_]?key)?|passphrase)"\s*:\s*")[^"]*(")/gi, `$1${REDACTED}$2`],
  // header lines: X-MBX-APIKEY: …
  [/((?:x-mbx-apikey|x-spotwire-signature|authorization)\s*[:=]\s*)[^\s,;"']+/gi, `$1${REDACTED}`],
]

/**
 * Registers a secret value (API key, API secret, listen key) so that it is removed from every
 * redacted text from now on. Values shorter than 6 characters are ignored: redacting them would
 * mangle ordinary words without protecting anything.
 *
 * @example
 * registerSecret(apiSecret)
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registeredSecrets.add(value)
}

/** Forgets a secret that is no longer in use (a rotated listen key). */
export function forgetSecret(value: string): void {
  registeredSecrets.delete(value)
}

/**
 * Removes secrets from a text, by shape and by registered value.
 *
 * @example
 * redact('GET /api/v3/order?symbol=BTCUSDT&signature=ab12') // 'GET /api/v3/order?symbol=BTCUSDT&signature=[REDACTED]'
 */
export function redact(text: string): string {
  let result = text
  for (const secret of registeredSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED)
  }
  for (const [pattern, replacement] of SHAPES) result = result.replace(pattern, replacement)
  return result
}

/**
 * Returns a copy of a value (payload, headers, params) with secret fields replaced and every string
 * redacted. Cycles and depth beyond 20 are cut rather than followed.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 20) return '[TOO DEEP]'
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1))
  const copy: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_NAME.test(key) ? REDACTED : redactValue(field, depth + 1)
  }
  return copy
}
