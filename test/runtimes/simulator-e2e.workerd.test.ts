import { defineSimulatorE2e } from './simulator-e2e-suite.ts'

defineSimulatorE2e('workerd')
