import { expect, it } from 'vitest'
import { defineSmokeSuite } from './smoke-suite.ts'

it('runs inside Chromium', () => {
  expect(navigator.userAgent).toMatch(/Chrome\//)
})

defineSmokeSuite('Chromium')
