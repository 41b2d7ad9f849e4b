// Signing benchmark: one signed Binance new-order request through the connector's real path
// (`orderParams` → `prepareRestRequest` → `BinanceAuth.authenticateRest`: recvWindow, timestamp from
// a TimeSynchronizer, percent-encoded payload, HMAC-SHA256, hex → `finalizeRestRequest`), against a
// bare `hmac(sha256, key, bytes)` from @noble/hashes over the same payload bytes. Target: <= 10 µs
// per request and <= 1.2x the bare HMAC. Run: `npm run bench:signing`. A keyed HMAC (the key's pad
// blocks hashed once, as BinanceAuth does) is shown too, for what the signing path adds over that.
//
// Side by side in one process, phases interleaved chunk by chunk in alternating order after a
// warm-up round, medians reported (STYLE.md rule 10). Nothing here fails on a timing.
import Big from 'big.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { BinanceAuth } from '../src/connectors/binance/auth.ts'
import { DEFAULT_URLS, LIMIT_IDS, PATHS } from '../src/connectors/binance/constants.ts'
import { orderParams, type OrderParamsInput } from '../src/connectors/binance/utils.ts'
import { TimeSynchronizer } from '../src/core/time-synchronizer.ts'
import { hmacSha256Hex } from '../src/core/web/hmac.ts'
import { finalizeRestRequest, type OutgoingRestRequest, prepareRestRequest } from '../src/core/web/rest-request.ts'
import { median, reportFigures } from './bench-report.ts'
import { runInterleaved } from './interleave.ts'

const ORDER_COUNT = 10_000
const CHUNK = 1_000
const ROUNDS = 7
const TARGET_US = 10
const TARGET_RATIO = 1.2
const API_SECRET = 'bench-api-secret-0123456789abcdef0123456789abcdef0123456789abcdef'
const BASE_URL = DEFAULT_URLS.com.rest

// The exchange's own wiring: the key pair, and timestamps from its TimeSynchronizer.
const timeSynchronizer = new TimeSynchronizer()
const auth = new BinanceAuth({ apiKey: 'bench-api-key-0123456789abcdef', apiSecret: API_SECRET, now: () => timeSynchronizer.now() })

// Every order differs (price, amount, id), as the exchange holds them: amounts already `Big`.
const orders: OrderParamsInput[] = Array.from({ length: ORDER_COUNT }, (_, index) => ({
  clientOrderId: `sw-B${(1_000_000 + index).toString(36)}`,
  orderType: 'LIMIT',
  tradeType: index % 2 === 0 ? 'BUY' : 'SELL',
  amount: Big(`0.${String(1000 + (index % 9000)).padStart(4, '0')}`),
  price: Big(`${60000 + (index % 500)}.${String(index % 100).padStart(2, '0')}`),
}))

/** The connector's path for one `POST /api/v3/order`, up to the request that would be sent. */
function signedOrderRequest(order: OrderParamsInput): OutgoingRestRequest {
  const params = orderParams(order, 'BTCUSDT')
  const unsigned = prepareRestRequest({ method: 'POST', path: PATHS.order, params, signed: true, limitId: LIMIT_IDS.createOrder }, BASE_URL)
  return finalizeRestRequest(unsigned, auth.authenticateRest(unsigned))
}

// The exact text each request signs (everything before `&signature=`); its timestamp differs from
// the measured run's only in value (13 digits either way), so the HMAC input has the same length.
const payloads = orders.map((order) => {
  const query = new URL(signedOrderRequest(order).url).search.slice(1)
  return query.slice(0, query.lastIndexOf('&signature='))
})
const payloadBytes = payloads.map((payload) => utf8ToBytes(payload))
const keyBytes = utf8ToBytes(API_SECRET)
const keyedHmac = hmac.create(sha256, keyBytes)

// Correctness first: the request's signature is the HMAC of the payload it carries.
{
  const request = signedOrderRequest(orders[0] as OrderParamsInput)
  const query = new URL(request.url).search.slice(1)
  const at = query.lastIndexOf('&signature=')
  if (hmacSha256Hex(API_SECRET, query.slice(0, at)) !== query.slice(at + '&signature='.length)) throw new Error('signature mismatch')
  if (request.headers['X-MBX-APIKEY'] === undefined) throw new Error('no API key header')
}

/** Keeps results observable so the optimizer cannot drop the work. */
let sink = 0
type Phase = (from: number, to: number) => void
const PHASES: ReadonlyArray<readonly [string, Phase]> = [
  ['bare hmac(sha256, key, bytes) (baseline)', (from, to) => {
    for (let index = from; index < to; index++) sink += (hmac(sha256, keyBytes, payloadBytes[index] as Uint8Array)[0] as number)
  }],
  // Not the baseline: what signing can cost at best once the key's pad blocks are hashed once (as
  // BinanceAuth does). It shows how much of the gap to the baseline is that saving alone.
  ['bare keyed hmac.create(sha256, key) once, .clone() per message', (from, to) => {
    for (let index = from; index < to; index++) sink += (keyedHmac.clone().update(payloadBytes[index] as Uint8Array).digest()[0] as number)
  }],
  ['hmacSha256Hex(secret, payload): UTF-8 + HMAC + hex', (from, to) => {
    for (let index = from; index < to; index++) sink += hmacSha256Hex(API_SECRET, payloads[index] as string).length
  }],
  ['orderParams alone (Big → text, parameter list)', (from, to) => {
    for (let index = from; index < to; index++) sink += orderParams(orders[index] as OrderParamsInput, 'BTCUSDT').length
  }],
  ['orderParams + prepareRestRequest (URL, unsigned query)', (from, to) => {
    for (let index = from; index < to; index++) {
      const params = orderParams(orders[index] as OrderParamsInput, 'BTCUSDT')
      sink += prepareRestRequest({ method: 'POST', path: PATHS.order, params, signed: true, limitId: LIMIT_IDS.createOrder }, BASE_URL).query.length
    }
  }],
  ['signed order request (orderParams → prepare → authenticateRest → finalize)', (from, to) => {
    for (let index = from; index < to; index++) sink += signedOrderRequest(orders[index] as OrderParamsInput).url.length
  }],
]

const perRequestUs: number[][] = PHASES.map(() => [])
const ratios: number[][] = PHASES.map(() => [])
for (let round = 0; round <= ROUNDS; round++) {
  const times = runInterleaved(PHASES.map(([, run]) => run), ORDER_COUNT, CHUNK, round % 2 === 1)
  if (round === 0) continue // warm-up: let the JIT settle
  times.forEach((ms, index) => {
    perRequestUs[index]?.push((ms * 1000) / ORDER_COUNT)
    ratios[index]?.push(ms / (times[0] as number))
  })
}

const us = perRequestUs.map(median)
const ratio = ratios.map(median)
const FULL = PHASES.length - 1
const fullUs = us[FULL] as number
const fullRatio = ratio[FULL] as number
const meanPayloadBytes = payloadBytes.reduce((total, bytes) => total + bytes.length, 0) / ORDER_COUNT
console.log(
  `${ORDER_COUNT.toLocaleString('en')} distinct LIMIT orders, signed payload ${meanPayloadBytes.toFixed(0)} bytes on average, ` +
    `Node ${process.versions.node}; median of ${ROUNDS} rounds after a warm-up, phases interleaved per ${CHUNK.toLocaleString('en')} requests`,
)
console.table(PHASES.map(([phase], index) => ({ phase, 'µs / request': (us[index] as number).toFixed(2), 'ratio to bare HMAC': (ratio[index] as number).toFixed(2) })))
console.log(`checks: signature verified, ${sink > 0 ? 'ok' : '?'}`)
const verdict = (met: boolean): string => (met ? 'met' : 'NOT met')
console.log(`target <= ${TARGET_US} µs per signed request: ${verdict(fullUs <= TARGET_US)} (${fullUs.toFixed(2)} µs)`)
console.log(`target <= ${TARGET_RATIO}x the bare HMAC: ${verdict(fullRatio <= TARGET_RATIO)} (${fullRatio.toFixed(2)}x)`)
console.log(`(the signed request is ${(fullRatio / (ratio[1] as number)).toFixed(2)}x a bare keyed HMAC that hashes the key once, as signing does)`)

reportFigures('signing', [
  { measure: 'signed new-order request (params, timestamp, HMAC, hex, URL)', value: fullUs, unit: 'µs', target: `<= ${TARGET_US} µs`, met: fullUs <= TARGET_US },
  {
    measure: 'signed new-order request, relative to a bare noble HMAC of the same bytes',
    value: fullRatio,
    unit: 'x',
    ratio: fullRatio,
    target: `<= ${TARGET_RATIO}x`,
    met: fullRatio <= TARGET_RATIO,
    note: `bare hmac(sha256, key, bytes): ${(us[0] as number).toFixed(2)} µs`,
  },
  {
    measure: 'bare keyed HMAC (key pads hashed once, clone per message), relative to the bare HMAC',
    value: us[1] as number,
    unit: 'µs',
    ratio: ratio[1] as number,
    note: `the signed request is ${((ratio[FULL] as number) / (ratio[1] as number)).toFixed(2)}x this`,
  },
  { measure: 'hmacSha256Hex alone (UTF-8 encode + HMAC + hex)', value: us[2] as number, unit: 'µs', ratio: ratio[2] as number },
  { measure: 'orderParams + prepareRestRequest, unsigned (no HMAC)', value: us[4] as number, unit: 'µs', ratio: ratio[4] as number },
])
