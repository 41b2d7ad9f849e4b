// Secret sentinel for the Node suites (vitest `setupFiles`, so it runs inside every test file's
// module graph): everything the library logs, emits or builds as an error during a test is scanned
// at that moment for API keys, secrets, signatures and listen keys (see secret-scan.ts), and the
// test fails in `afterEach` if anything leaked. Issue 10 asks for this across the suites; the soak
// does the same for its run.
//
// Three capture points, each the single door of its kind in src/:
// - console.*: the library logs nothing itself, but a leak would most likely surface here;
// - EventEmitter#emit (src/core/events.ts): every exchange, tracker and stream event, errors included;
// - the SpotwireError constructor (src/core/errors.ts): every error the library makes, with its
//   cause chain, whether it is thrown, rejected or emitted.
import { afterEach } from 'vitest'
import { SpotwireError } from '../../src/core/errors.ts'
import { EventEmitter } from '../../src/core/events.ts'
import { redact } from '../../src/core/redact.ts'
import { findSecrets, textForScan, type SecretFinding } from './secret-scan.ts'

const leaks: Array<SecretFinding & { readonly where: string }> = []

function scan(where: string, value: unknown): void {
  for (const finding of findSecrets(textForScan(value), redact)) leaks.push({ ...finding, where })
}

for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  const original = console[level].bind(console)
  console[level] = (...args: unknown[]) => {
    scan(`console.${level}`, args)
    original(...args)
  }
}

const originalEmit = EventEmitter.prototype.emit
EventEmitter.prototype.emit = function emitScanned(this: EventEmitter<{ error: unknown }>, name, payload) {
  scan(`event '${String(name)}'`, payload)
  originalEmit.call(this, name, payload)
}

// `super(message, { cause })` in SpotwireError looks up its parent constructor when it runs, so a
// parent put between SpotwireError and Error sees every library error's final message and cause.
// Instances keep Error.prototype in their chain; only the constructor chain gains this step.
function ScannedError(this: unknown, message?: string, options?: { cause?: unknown }): Error {
  const error = Reflect.construct(Error, [message, options], new.target ?? ScannedError) as Error
  scan(`new ${new.target?.name ?? 'Error'}`, error)
  return error
}
Object.setPrototypeOf(ScannedError, Error)
ScannedError.prototype = Error.prototype
Object.setPrototypeOf(SpotwireError, ScannedError)

/** Hands over (and forgets) what leaked so far: for the sentinel's own test. */
export function takeLeaks(): Array<SecretFinding & { readonly where: string }> {
  return leaks.splice(0, leaks.length)
}

afterEach(() => {
  if (leaks.length === 0) return
  const report = leaks.map((leak) => `- ${leak.where} (${leak.rule}): …${leak.excerpt}…`).join('\n')
  leaks.length = 0
  throw new Error(`secret sentinel: this test let secrets reach logs, events or errors:\n${report}`)
})
