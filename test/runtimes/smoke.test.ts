import { defineSmokeSuite } from './smoke-suite.ts'

defineSmokeSuite('Node')
