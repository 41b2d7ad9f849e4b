// The exchange-neutral core. Named exports only (no `export *`), so the public surface is a list a
// reviewer can read and a test can snapshot.
export { hmacSha256Hex } from './core/web/hmac.ts'
