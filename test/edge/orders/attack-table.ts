// The attack table of test/edge/orders/attacks.workerd.test.ts: each attack on the order router,
// the status and error code DESIGN.md's order of checks gives it, and what of the exchange
// answering it may touch.
import { CLIENTS, KIB16, order, orderWith, ref, signed, unsigned } from './attack-requests.ts'

export interface Attack {
  readonly name: string
  readonly request: () => Promise<Request> | Request
  readonly status: number
  readonly code: string
  /** What the error message must say (e.g. the field at fault). */
  readonly message?: RegExp
  /**
   * What of the exchange answering may touch: nothing (default), or market data only (exchangeInfo,
   * depth), which the trading-rule and MARKET-notional checks need. Never an order request.
   */
  readonly reads?: 'market data'
}

const AUTH: Attack[] = [
  { name: 'no auth headers', request: () => unsigned('/v1/orders', { method: 'POST', body: order() }), status: 401, code: 'AUTH_MISSING' },
  {
    name: 'no signature header',
    request: () => unsigned('/v1/orders', { method: 'POST', body: order(), headers: { 'X-Spotwire-Key': 'attacker', 'X-Spotwire-Timestamp': String(Date.now()) } }),
    status: 401,
    code: 'AUTH_MISSING',
  },
  { name: 'unknown key', request: () => signed(order(), { clientId: 'mallory', secret: 'mallory-secret' }), status: 401, code: 'AUTH_INVALID' },
  ...['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map(
    (clientId): Attack => ({ name: `the key ${JSON.stringify(clientId)}`, request: () => signed(order(), { clientId, secret: 'guessed-secret' }), status: 401, code: 'AUTH_INVALID' }),
  ),
  { name: "a known key signed with another client's secret", request: () => signed(order(), { secret: CLIENTS.replayer }), status: 401, code: 'AUTH_INVALID' },
  {
    name: 'a signature that is not 64 hex digits',
    request: async () => {
      const request = await signed(order())
      const headers = new Headers(request.headers)
      headers.set('X-Spotwire-Signature', `${headers.get('X-Spotwire-Signature')!.slice(0, 63)}g`)
      return new Request(request, { headers })
    },
    status: 401,
    code: 'AUTH_INVALID',
  },
  { name: 'a signature over a different body', request: () => signed(order(), { signedBody: order({ amount: '0.0001' }) }), status: 401, code: 'AUTH_INVALID' },
  { name: 'a signature over a different path', request: () => signed(order(), { signedPath: '/v1/orders/x' }), status: 401, code: 'AUTH_INVALID' },
  { name: 'a signature over a different query', request: () => signed(undefined, { path: ref('atk-q'), signedPath: ref('atk-q', 'tradingPair=ETH-USDT') }), status: 401, code: 'AUTH_INVALID' },
  { name: 'a GET signature sent as DELETE', request: () => signed(undefined, { method: 'DELETE', path: ref('atk-m'), signedMethod: 'GET' }), status: 401, code: 'AUTH_INVALID' },
  { name: 'a timestamp 6 s old', request: () => signed(order(), { timestamp: String(Date.now() - 6_000) }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'a timestamp 6 s ahead', request: () => signed(order(), { timestamp: String(Date.now() + 6_000) }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'a non-numeric timestamp', request: () => signed(order(), { timestamp: 'now' }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'a huge timestamp', request: () => signed(order(), { timestamp: '9'.repeat(40) }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'a timestamp in exponent notation', request: () => signed(order(), { timestamp: `${(Date.now() / 1e12).toFixed(12)}e12` }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'a timestamp in seconds', request: () => signed(order(), { timestamp: String(Math.floor(Date.now() / 1000)) }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'a negative timestamp', request: () => signed(order(), { timestamp: `-${Date.now()}` }), status: 401, code: 'AUTH_TIMESTAMP_OUTSIDE_WINDOW' },
  { name: 'unsigned and malformed: auth is checked first', request: () => unsigned('/v1/orders', { method: 'POST', body: '{"side":' }), status: 401, code: 'AUTH_MISSING' },
]

const SIZE: Attack[] = [
  { name: 'an unsigned body of 16 KiB + 1', request: () => unsigned('/v1/orders', { method: 'POST', body: 'x'.repeat(KIB16 + 1) }), status: 413, code: 'BODY_TOO_LARGE' },
  {
    name: 'a signed order padded past 16 KiB',
    request: () => signed(order({ padding: 'x'.repeat(KIB16) })),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  {
    name: '6,000 three-byte characters (18,000 bytes, 6,000 chars)',
    request: () => signed(order({ note: '€'.repeat(6_000) })),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  {
    name: 'a Content-Length claiming 1 GB',
    request: () => unsigned('/v1/orders', { method: 'POST', body: '{}', headers: { 'Content-Length': String(1 << 30) } }),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  {
    name: 'a Content-Length claiming 10 bytes on a 20 KiB body',
    request: () => unsigned('/v1/orders', { method: 'POST', body: 'x'.repeat(20 * 1024), headers: { 'Content-Length': '10' } }),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  {
    name: 'a body of exactly 16 KiB is not too large (unsigned: 401)',
    request: () => unsigned('/v1/orders', { method: 'POST', body: 'x'.repeat(KIB16) }),
    status: 401,
    code: 'AUTH_MISSING',
  },
]

const BAD_JSON: Attack[] = [
  { name: 'an empty body', request: () => signed(''), status: 400, code: 'INVALID_REQUEST', message: /\(body\): expected a JSON object/ },
  { name: 'malformed JSON', request: () => signed('{"tradingPair":"BTC-USDT",'), status: 400, code: 'INVALID_REQUEST', message: /\(body\): expected a JSON object/ },
  { name: 'JSON with single quotes', request: () => signed("{'side':'BUY'}"), status: 400, code: 'INVALID_REQUEST' },
  { name: 'a trailing comma', request: () => signed(`${order().slice(0, -1)},}`), status: 400, code: 'INVALID_REQUEST' },
  { name: 'a JSON array', request: () => signed(`[${order()}]`), status: 400, code: 'INVALID_REQUEST', message: /\(body\): expected a JSON object/ },
  { name: 'a JSON string', request: () => signed(JSON.stringify(order())), status: 400, code: 'INVALID_REQUEST', message: /\(body\): expected a JSON object/ },
  { name: 'JSON null', request: () => signed('null'), status: 400, code: 'INVALID_REQUEST', message: /\(body\): expected a JSON object/ },
  { name: 'a JSON number', request: () => signed('42'), status: 400, code: 'INVALID_REQUEST', message: /\(body\): expected a JSON object/ },
  { name: '8,000 nested arrays', request: () => signed(`${'['.repeat(8_000)}${']'.repeat(8_000)}`), status: 400, code: 'INVALID_REQUEST' },
  { name: 'deep nesting inside an order', request: () => signed(orderWith(`"deep":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`)), status: 400, code: 'INVALID_REQUEST' },
  { name: '"__proto__" at the top level', request: () => signed(orderWith('"__proto__":{"isAdmin":true}')), status: 400, code: 'INVALID_REQUEST', message: /__proto__/ },
  { name: '"__proto__" nested', request: () => signed(orderWith('"meta":{"x":{"__proto__":{"isAdmin":true}}}')), status: 400, code: 'INVALID_REQUEST', message: /__proto__/ },
  { name: '"__proto__" inside a field', request: () => signed(order({ amount: 'AMOUNT' }).replace('"AMOUNT"', '{"__proto__":{"isAdmin":true}}')), status: 400, code: 'INVALID_REQUEST', message: /__proto__/ },
  { name: '"__proto__" written with escapes', request: () => signed(orderWith('"\\u005f_proto__":{"isAdmin":true}')), status: 400, code: 'INVALID_REQUEST', message: /__proto__/ },
  { name: '"constructor": {"prototype": …}', request: () => signed(orderWith('"constructor":{"prototype":{"isAdmin":true}}')), status: 400, code: 'INVALID_REQUEST', message: /constructor/ },
  { name: 'a "prototype" key', request: () => signed(orderWith('"prototype":{"isAdmin":true}')), status: 400, code: 'INVALID_REQUEST', message: /prototype/ },
  { name: 'a duplicate key (amount twice)', request: () => signed(orderWith('"amount":"5"')), status: 400, code: 'INVALID_REQUEST', message: /"amount" appears twice/ },
  { name: 'a duplicate key written with escapes', request: () => signed(orderWith('"\\u0061mount":"5"')), status: 400, code: 'INVALID_REQUEST', message: /"amount" appears twice/ },
  { name: 'a duplicate key in a nested object', request: () => signed(orderWith('"meta":{"a":1,"a":2}')), status: 400, code: 'INVALID_REQUEST', message: /"a" appears twice/ },
  { name: 'an unknown field', request: () => signed(order({ isAdmin: true })), status: 400, code: 'INVALID_REQUEST', message: /isAdmin: unknown field/ },
  { name: 'an unknown field named like a Binance one', request: () => signed(order({ timeInForce: 'IOC' })), status: 400, code: 'INVALID_REQUEST', message: /timeInForce: unknown field/ },
  { name: 'a query string on POST', request: () => signed(order(), { path: '/v1/orders?test=1' }), status: 400, code: 'INVALID_REQUEST', message: /test: unknown query parameter/ },
]

/** Amounts (and one price) that are not plain positive decimal strings: each 400 naming the field. */
const BAD_DECIMALS: [string, unknown][] = [
  ['exponent 1e-3', '1e-3'],
  ['exponent 1E3', '1E3'],
  ['"1e400"', '1e400'],
  ['400 nines', '9'.repeat(400)],
  ['JSON number 1e308', 1e308],
  ['JSON number 0.001', 0.001],
  ['hex', '0x10'],
  ['octal', '0o7'],
  ['a leading zero', '010'],
  ['Infinity', 'Infinity'],
  ['NaN', 'NaN'],
  ['-0', '-0'],
  ['negative', '-0.001'],
  ['zero', '0'],
  ['zero with decimals', '0.000'],
  ['a leading space', ' 1'],
  ['a trailing space', '1 '],
  ['a trailing point', '1.'],
  ['a leading point', '.5'],
  ['a plus sign', '+1'],
  ['a comma', '0,001'],
  ['an underscore', '1_000'],
  ['Arabic-Indic digits', '\u0661\u0662'],
  ['fullwidth digits', '\uff11'],
  ['an array', ['0.001']],
  ['an object', { value: '0.001' }],
  ['null', null],
  ['true', true],
  ['21 decimals', `0.${'0'.repeat(20)}1`],
]

const SCHEMA: Attack[] = [
  ...BAD_DECIMALS.map(
    ([label, amount]): Attack => ({
      name: `amount: ${label}`,
      // `order()` drops a field given null; send a JSON null as the raw text instead.
      request: () => signed(amount === null ? order().replace(/"amount":"[^"]*"/, '"amount":null') : order({ amount })),
      status: 400,
      code: 'INVALID_REQUEST',
      message: /amount: /,
    }),
  ),
  { name: 'price: exponent 3E4', request: () => signed(order({ price: '3E4' })), status: 400, code: 'INVALID_REQUEST', message: /price: / },
  { name: 'price: a JSON number', request: () => signed(order({ price: 30000 })), status: 400, code: 'INVALID_REQUEST', message: /price: / },
  { name: 'side: unknown', request: () => signed(order({ side: 'HOLD' })), status: 400, code: 'INVALID_REQUEST', message: /side: / },
  { name: 'side: lower case', request: () => signed(order({ side: 'buy' })), status: 400, code: 'INVALID_REQUEST', message: /side: / },
  { name: 'orderType: unknown', request: () => signed(order({ orderType: 'STOP_LOSS_LIMIT' })), status: 400, code: 'INVALID_REQUEST', message: /orderType: / },
  { name: 'orderType: a number', request: () => signed(order({ orderType: 1 })), status: 400, code: 'INVALID_REQUEST', message: /orderType: / },
  { name: 'LIMIT without a price', request: () => signed(order({ price: null })), status: 400, code: 'INVALID_REQUEST', message: /price: required for LIMIT/ },
  { name: 'LIMIT_MAKER without a price', request: () => signed(order({ orderType: 'LIMIT_MAKER', price: null })), status: 400, code: 'INVALID_REQUEST', message: /price: required/ },
  { name: 'no amount', request: () => signed(order({ amount: null })), status: 400, code: 'INVALID_REQUEST', message: /amount: required/ },
  { name: 'tradingPair: lower case', request: () => signed(order({ tradingPair: 'btc-usdt' })), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: / },
  { name: 'tradingPair: an exchange symbol', request: () => signed(order({ tradingPair: 'BTCUSDT' })), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: / },
  { name: 'tradingPair: an array', request: () => signed(order({ tradingPair: ['BTC-USDT'] })), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: / },
  ...['../admin', 'a/b', 'a?b=c', 'a#b', 'a%2Fb', 'a b', 'x'.repeat(37), ''].map(
    (clientOrderId): Attack => ({
      name: `clientOrderId: ${JSON.stringify(clientOrderId.length > 36 ? '37 chars' : clientOrderId)}`,
      request: () => signed(order({ clientOrderId })),
      status: 400,
      code: 'INVALID_REQUEST',
      message: /clientOrderId: /,
    }),
  ),
  {
    name: 'a bad schema on a pair off the allowlist: 400 before 403',
    request: () => signed(order({ tradingPair: 'ETH-BTC', side: 'HOLD' })),
    status: 400,
    code: 'INVALID_REQUEST',
  },
]

const RISK: Attack[] = [
  { name: 'a pair the exchange lists but the allowlist does not', request: () => signed(order({ tradingPair: 'ETH-BTC', price: '0.05' })), status: 403, code: 'PAIR_NOT_ALLOWED' },
  { name: 'a pair nobody lists', request: () => signed(order({ tradingPair: 'DOGE-USDT', price: '0.1' })), status: 403, code: 'PAIR_NOT_ALLOWED' },
  { name: 'LIMIT notional just over the maximum', request: () => signed(order({ amount: '1', price: '50000.01' })), status: 403, code: 'NOTIONAL_TOO_LARGE', message: /50000\.01/ },
  {
    name: 'LIMIT notional of 20-digit amount × 20-digit price',
    request: () => signed(order({ amount: '9'.repeat(20), price: '9'.repeat(20) })),
    status: 403,
    code: 'NOTIONAL_TOO_LARGE',
  },
  { name: 'an off-tick price over the maximum notional: 403 before the rules', request: () => signed(order({ amount: '2', price: '30000.005' })), status: 403, code: 'NOTIONAL_TOO_LARGE' },
  {
    name: 'MARKET notional over the maximum at the book price',
    request: () => signed(order({ orderType: 'MARKET', side: 'SELL', amount: '5', price: null })),
    status: 403,
    code: 'NOTIONAL_TOO_LARGE',
    reads: 'market data',
  },
  {
    name: 'MARKET with a low price claimed to pass the notional check',
    request: () => signed(order({ orderType: 'MARKET', side: 'BUY', amount: '5', price: '1.00' })),
    status: 403,
    code: 'NOTIONAL_TOO_LARGE',
    reads: 'market data',
  },
]

const RULES: Attack[] = [
  { name: 'an off-tick price', request: () => signed(order({ price: '30000.005' })), status: 400, code: 'TRADING_RULE_VIOLATION', message: /PRICE_FILTER/, reads: 'market data' },
  { name: 'an off-step amount', request: () => signed(order({ amount: '0.000015' })), status: 400, code: 'TRADING_RULE_VIOLATION', message: /LOT_SIZE/, reads: 'market data' },
  { name: 'a notional under the minimum', request: () => signed(order({ amount: '0.0001' })), status: 400, code: 'TRADING_RULE_VIOLATION', message: /NOTIONAL/, reads: 'market data' },
]

const ROUTES: Attack[] = [
  { name: 'GET /v1/orders', request: () => unsigned('/v1/orders'), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'PUT /v1/orders', request: () => unsigned('/v1/orders', { method: 'PUT', body: order() }), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'POST /v1/orders/:id', request: () => unsigned('/v1/orders/atk-x', { method: 'POST', body: order() }), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'PATCH /v1/orders/:id', request: () => unsigned(ref('atk-x'), { method: 'PATCH', body: '{}' }), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'HEAD /v1/orders/:id', request: () => unsigned(ref('atk-x'), { method: 'HEAD' }), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'POST /v1/health', request: () => unsigned('/v1/health', { method: 'POST' }), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'POST /v1/book/BTC-USDT', request: () => unsigned('/v1/book/BTC-USDT', { method: 'POST' }), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'an extra path segment', request: () => signed(undefined, { path: ref('atk-1/cancel') }), status: 404, code: 'NOT_FOUND' },
  { name: '/v1/orders/../admin (normalized away)', request: () => unsigned('/v1/orders/../admin'), status: 404, code: 'NOT_FOUND' },
  { name: '/v1/orders/%2e%2e/%2e%2e/admin', request: () => unsigned('/v1/orders/%2e%2e/%2e%2e/admin'), status: 404, code: 'NOT_FOUND' },
  { name: '/v1/orders.json', request: () => unsigned('/v1/orders.json', { method: 'POST', body: order() }), status: 404, code: 'NOT_FOUND' },
  { name: '/v2/orders', request: () => unsigned('/v2/orders', { method: 'POST', body: order() }), status: 404, code: 'NOT_FOUND' },
  { name: '/api/v3/order (the exchange path)', request: () => unsigned('/api/v3/order', { method: 'POST', body: order() }), status: 404, code: 'NOT_FOUND' },
]

const QUERIES: Attack[] = [
  { name: 'an encoded path traversal as the order id', request: () => signed(undefined, { path: ref('..%2F..%2Fadmin') }), status: 400, code: 'INVALID_REQUEST', message: /clientOrderId: / },
  { name: 'an encoded query in the order id', request: () => signed(undefined, { path: ref('a%3FtradingPair%3DETH-BTC') }), status: 400, code: 'INVALID_REQUEST', message: /clientOrderId: / },
  { name: 'a malformed percent-encoding in the order id', request: () => signed(undefined, { path: ref('%E0%A4%A') }), status: 400, code: 'INVALID_REQUEST', message: /clientOrderId: / },
  { name: 'a 37-character order id', request: () => signed(undefined, { path: ref('x'.repeat(37)) }), status: 400, code: 'INVALID_REQUEST', message: /clientOrderId: / },
  { name: 'an empty order id', request: () => signed(undefined, { path: ref('') }), status: 400, code: 'INVALID_REQUEST', message: /clientOrderId: / },
  { name: 'GET without tradingPair', request: () => signed(undefined, { path: ref('atk-1', '') }), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: required/ },
  { name: 'DELETE without tradingPair', request: () => signed(undefined, { method: 'DELETE', path: ref('atk-1', '') }), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: required/ },
  { name: 'tradingPair given twice', request: () => signed(undefined, { path: ref('atk-1', 'tradingPair=BTC-USDT&tradingPair=ETH-BTC') }), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: given more than once/ },
  { name: 'DELETE with tradingPair given twice', request: () => signed(undefined, { method: 'DELETE', path: ref('atk-1', 'tradingPair=BTC-USDT&tradingPair=BTC-USDT') }), status: 400, code: 'INVALID_REQUEST', message: /given more than once/ },
  { name: 'an unknown query parameter', request: () => signed(undefined, { path: ref('atk-1', 'tradingPair=BTC-USDT&symbol=ETHBTC') }), status: 400, code: 'INVALID_REQUEST', message: /symbol: unknown query parameter/ },
  { name: 'tradingPair in lower case', request: () => signed(undefined, { path: ref('atk-1', 'tradingPair=btc-usdt') }), status: 400, code: 'INVALID_REQUEST', message: /tradingPair: / },
  { name: 'tradingPair off the allowlist', request: () => signed(undefined, { method: 'DELETE', path: ref('atk-1', 'tradingPair=ETH-BTC') }), status: 403, code: 'PAIR_NOT_ALLOWED' },
]

export const ATTACK_TABLE: [string, Attack[]][] = [
  ['caller auth (401)', AUTH],
  ['body size (413)', SIZE],
  ['malformed and prototype-polluting JSON (400)', BAD_JSON],
  ['the order schema (400, naming the field)', SCHEMA],
  ['risk limits (403)', RISK],
  ["the exchange's trading rules (400, naming the rule)", RULES],
  ['routes and methods (404, 405)', ROUTES],
  ['order references of GET and DELETE (400, 403)', QUERIES],
]
