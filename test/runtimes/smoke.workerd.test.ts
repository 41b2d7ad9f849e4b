import { expect, it } from 'vitest'
import { defineSmokeSuite } from './smoke-suite.ts'

it('runs inside workerd', () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers')
})

defineSmokeSuite('workerd')
