// Turns whatever a test run captured (a log line, an event payload, an error with its cause chain)
// into text, and says which secrets that text gives away. The secret sentinel
// (secret-sentinel.setup.ts) runs it on everything the Node suites log, emit and throw.
//
// What counts as a secret, checked at the moment of capture:
// - anything the library's own redactor would still change: a value registered with
//   `registerSecret` (API keys, API secrets, listen keys) or a secret-shaped field left in clear
//   (`signature=…`, `"apiKey":"…"`, an `X-MBX-APIKEY` header); asking the redactor itself means
//   the sentinel can never be laxer than the library claims to be;
// - a bare 64-digit hex run: the shape of an HMAC-SHA256 signature, whatever it is called.

/** One leak: which rule saw it, and a short redacted excerpt of where. */
export interface SecretFinding {
  readonly rule: 'redactor' | 'signatureShape'
  readonly excerpt: string
}

const SIGNATURE_SHAPE = /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/

/** Serializes a captured value for scanning: errors with message, details, own fields and causes. */
export function textForScan(value: unknown): string {
  const parts: string[] = []
  collect(value, parts, new Set(), 0)
  return parts.join('\n')
}

function collect(value: unknown, parts: string[], seen: Set<unknown>, depth: number): void {
  if (value === null || value === undefined) return
  if (typeof value === 'string') {
    parts.push(value)
    return
  }
  if (typeof value !== 'object') {
    if (typeof value !== 'function') parts.push(String(value))
    return
  }
  if (seen.has(value) || depth > 8) return
  seen.add(value)
  if (value instanceof Error) {
    parts.push(value.name, value.message)
    collect(value.cause, parts, seen, depth + 1)
  }
  // Money (big.js) and dates say what they are through toString/toJSON; plain fields are walked.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Error)) {
    parts.push(String((value as { toJSON: () => unknown }).toJSON()))
    return
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      collect(key, parts, seen, depth + 1)
      collect(item, parts, seen, depth + 1)
    }
    return
  }
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value)
  for (const [key, item] of entries) {
    if (typeof key === 'string') parts.push(key)
    collect(item, parts, seen, depth + 1)
  }
}

/**
 * Finds secrets in a captured text. `redact` is the library's redactor (imported by the caller
 * from the same module instance the code under test uses, so registered secrets are shared).
 */
export function findSecrets(text: string, redact: (text: string) => string): SecretFinding[] {
  const findings: SecretFinding[] = []
  const redacted = redact(text)
  if (redacted !== text) findings.push({ rule: 'redactor', excerpt: excerptOfChange(text, redacted) })
  const signature = SIGNATURE_SHAPE.exec(redacted)
  if (signature) {
    const start = Math.max(0, signature.index - 40)
    findings.push({ rule: 'signatureShape', excerpt: `${redacted.slice(start, signature.index)}<64 hex digits>` })
  }
  return findings
}

/** Where the redactor changed the text, shown with the secret already removed. */
function excerptOfChange(text: string, redacted: string): string {
  let index = 0
  while (index < text.length && text[index] === redacted[index]) index += 1
  const start = Math.max(0, index - 40)
  return redacted.slice(start, index + 40)
}
