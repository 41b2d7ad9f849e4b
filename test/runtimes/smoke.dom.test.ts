// @vitest-environment happy-dom
import { expect, it } from 'vitest'
import { defineSmokeSuite } from './smoke-suite.ts'

it('runs inside happy-dom', () => {
  expect(window.document.createElement('div').tagName).toBe('DIV')
})

defineSmokeSuite('happy-dom')
