// Test-only credentials shared by the smoke scenario and the loopback servers that check it.
// They sign nothing real: every server that accepts them listens on 127.0.0.1.
export const SMOKE_API_KEY = 'smoke-api-key-0000000000000000000000000000000000000000000000000000'
export const SMOKE_API_SECRET = 'smoke-api-secret-11111111111111111111111111111111111111111111111111'
