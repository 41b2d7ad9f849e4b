// Runs the smoke scenario in the page and lists each check's outcome.
import { rest, ws } from 'virtual:loopback-urls'
import {
  signDocumentedVectors,
  signedRestRoundTrip,
  webSocketRoundTrip,
} from '../test/runtimes/smoke-scenario.ts'

interface Check {
  readonly name: string
  run(): Promise<void> | void
}

function expectEqual(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

const checks: Check[] = [
  ...signDocumentedVectors().map((vector) => ({
    name: `signs ${vector.id} as documented`,
    run: () => expectEqual([vector.payload, vector.signature], [vector.expectedPayload, vector.expectedSignature]),
  })),
  {
    name: 'signed REST call through ky accepted by the loopback server',
    run: async () => {
      const { sentNonce, response } = await signedRestRoundTrip(rest)
      expectEqual(response, { signatureValid: true, nonce: sentNonce })
    },
  },
  {
    name: 'WebSocket round trip through isows',
    run: async () => {
      const { sentId, reply } = await webSocketRoundTrip(ws)
      expectEqual(reply, { id: sentId, result: 'PONG' })
    },
  },
]

const list = document.querySelector<HTMLOListElement>('[data-testid="smoke-results"]')
const summary = document.querySelector<HTMLParagraphElement>('[data-testid="smoke-summary"]')
let failed = 0
for (const check of checks) {
  const item = document.createElement('li')
  item.textContent = check.name
  try {
    await check.run()
    item.className = 'pass'
  } catch (error) {
    failed += 1
    item.className = 'fail'
    const detail = document.createElement('small')
    detail.textContent = error instanceof Error ? error.message : String(error)
    item.append(detail)
  }
  list?.append(item)
}
if (summary) summary.textContent = `${checks.length - failed} passed, ${failed} failed`
