// The parts of a test runner the conformance suite uses, typed structurally: the caller passes
// vitest's (or any compatible runner's) functions, so the package never depends on a runner.

export interface ConformanceAssertion {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toMatchObject(expected: object): void
  toBeGreaterThan(expected: number): void
  toContain(expected: unknown): void
  toHaveLength(expected: number): void
  toBeUndefined(): void
  toBeDefined(): void
  readonly not: ConformanceAssertion
}

export interface ConformanceTestApi {
  describe(name: string, body: () => void): unknown
  it(name: string, body: () => Promise<void>): unknown
  expect(actual: unknown, message?: string): ConformanceAssertion
  beforeEach(body: () => void | Promise<void>): unknown
  afterEach(body: () => void | Promise<void>): unknown
  readonly vi: {
    useFakeTimers(): unknown
    useRealTimers(): unknown
    setSystemTime(time: number): unknown
    advanceTimersByTimeAsync(ms: number): Promise<unknown>
    getTimerCount(): number
  }
}
