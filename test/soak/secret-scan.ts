// Looks for secrets in everything the soak captured: console output, every event payload and error
// (serialized with message, details and cause chain). Secrets are the API key and secret, every
// signature the simulator received (REST `signature` parameters and WS API request signatures) and
// listen keys. Signatures are only known once the simulator saw them, so captured text keeps its
// 64-hex tokens for the final comparison; the fixed secrets are checked as text arrives.

const HEX_64 = /\b[0-9a-fA-F]{64}\b/g

export class SecretScan {
  readonly #fixed = new Set<string>()
  readonly #signatures = new Set<string>()
  readonly #capturedTokens = new Map<string, string>()
  readonly #findings: string[] = []
  #scannedCharacters = 0

  /** A secret that must never appear (API key, API secret, a listen key). */
  addSecret(secret: string, name: string): void {
    if (secret.length >= 8) this.#fixed.add(`${name}\u0000${secret}`)
  }

  /** A signature the simulator received. */
  addSignature(signature: string): void {
    this.#signatures.add(signature.toLowerCase())
  }

  get signaturesSeen(): number {
    return this.#signatures.size
  }

  get scannedCharacters(): number {
    return this.#scannedCharacters
  }

  /** Scans one piece of captured text; `where` names it in a finding. */
  scan(text: string, where: string): void {
    this.#scannedCharacters += text.length
    for (const entry of this.#fixed) {
      const [name, secret] = entry.split('\u0000') as [string, string]
      if (text.includes(secret)) this.#findings.push(`${name} in ${where}`)
    }
    for (const token of text.match(HEX_64) ?? []) {
      const lower = token.toLowerCase()
      if (!this.#capturedTokens.has(lower)) this.#capturedTokens.set(lower, where)
    }
  }

  /** Every leak found: fixed secrets as they were captured, signatures matched now. */
  findings(): string[] {
    const signatureLeaks = [...this.#capturedTokens].filter(([token]) => this.#signatures.has(token)).map(([, where]) => `a request signature in ${where}`)
    return [...this.#findings, ...signatureLeaks]
  }
}

/**
 * JSON of any captured value, with errors spelled out (name, message, own properties such as
 * details and code, and the cause chain) and decimals as text.
 * @example
 * serializeCaptured(new Error('x', { cause: new Error('y') })) // '{"name":"Error","message":"x",…,"cause":{…}}'
 */
export function serializeCaptured(value: unknown): string {
  const seen = new WeakSet<object>()
  const plain = (input: unknown, depth: number): unknown => {
    if (typeof input === 'bigint') return String(input)
    if (typeof input !== 'object' || input === null) return input
    if (seen.has(input) || depth > 8) return '[seen]'
    seen.add(input)
    if (input instanceof Error) {
      const result: Record<string, unknown> = { name: input.name, message: input.message, stack: input.stack }
      for (const key of Object.getOwnPropertyNames(input)) result[key] = plain((input as unknown as Record<string, unknown>)[key], depth + 1)
      if (input.cause !== undefined && !('cause' in result)) result['cause'] = plain(input.cause, depth + 1)
      return result
    }
    if (input.constructor?.name === 'Big') return String(input)
    if (input instanceof Map) return [...input].map((entry) => plain(entry, depth + 1))
    if (Array.isArray(input)) return input.map((item) => plain(item, depth + 1))
    const result: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(input)) result[key] = plain(item, depth + 1)
    return result
  }
  return JSON.stringify(plain(value, 0)) ?? String(value)
}
