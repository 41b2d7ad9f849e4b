// The REST side of the simulator benchmark: a signed `POST /api/v3/order` for a resting order, then
// the signed `DELETE /api/v3/order` that cancels it, through any `(Request) => Promise<Response>`:
// Node's fetch over loopback, or `simulator.fetch` in process. Both get the same Request objects.
import { createHmac } from 'node:crypto'

export type Send = (request: Request) => Promise<Response>
export type ResponseType = 'ACK' | 'FULL'

export interface OrderClient {
  /** `urls.rest`, e.g. `http://127.0.0.1:41234/api`. */
  readonly restBase: string
  readonly apiKey: string
  readonly apiSecret: string
}

export interface RoundTripStats {
  readonly ms: number
  /** Milliseconds per round trip, in completion order. */
  readonly latencies: number[]
  readonly failures: string[]
}

/** Far below the market makers' bids (~59,970), so the order rests until it is cancelled. */
const RESTING_BUY = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=50000.00&quantity=0.00100'

/** Signs like rest-api.md "SIGNED endpoint security": hex HMAC-SHA256 of the query string. */
function signedUrl(client: OrderClient, query: string): string {
  const withTime = `${query}&timestamp=${Date.now()}`
  const signature = createHmac('sha256', client.apiSecret).update(withTime).digest('hex')
  return `${client.restBase}/v3/order?${withTime}&signature=${signature}`
}

async function expectOk(response: Response, step: string): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>
  if (response.status !== 200) throw new Error(`${step} answered ${response.status} ${JSON.stringify(body)}`)
  return body
}

/** One place-then-cancel round trip; resolves to its latency in milliseconds. */
export async function orderRoundTrip(send: Send, client: OrderClient, responseType: ResponseType): Promise<number> {
  const headers = { 'X-MBX-APIKEY': client.apiKey }
  const started = performance.now()
  const placeUrl = signedUrl(client, `${RESTING_BUY}&newOrderRespType=${responseType}`)
  const placed = await expectOk(await send(new Request(placeUrl, { method: 'POST', headers })), 'POST')
  const cancelUrl = signedUrl(client, `symbol=BTCUSDT&orderId=${String(placed['orderId'])}`)
  await expectOk(await send(new Request(cancelUrl, { method: 'DELETE', headers })), 'DELETE')
  return performance.now() - started
}

/** `count` round trips from `concurrency` callers, each waiting for its previous answer. */
export async function runRoundTrips(send: Send, client: OrderClient, responseType: ResponseType, count: number, concurrency: number): Promise<RoundTripStats> {
  const latencies: number[] = []
  const failures: string[] = []
  let started = 0
  const caller = async (): Promise<void> => {
    while (started < count) {
      started += 1
      try {
        latencies.push(await orderRoundTrip(send, client, responseType))
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error))
      }
    }
  }
  const begin = performance.now()
  await Promise.all(Array.from({ length: concurrency }, caller))
  return { ms: performance.now() - begin, latencies, failures }
}

/** The value below which `fraction` of the values fall (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
