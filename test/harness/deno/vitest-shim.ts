// Runs vitest-style suites under `deno test`: the import map in test/deno.json points 'vitest' here.
// describe/it/hooks register Deno tests; `expect` is vitest's own (@vitest/expect on chai), `vi.fn`
// and `vi.spyOn` are vitest's (@vitest/spy), and fake timers are @sinonjs/fake-timers, which is
// what vitest uses underneath. Only the subset the portable suites use is provided; anything else
// fails loudly rather than passing by accident.
import FakeTimers from '@sinonjs/fake-timers'
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  GLOBAL_EXPECT,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  chai,
  customMatchers,
  getState,
  setState,
} from '@vitest/expect'
import { fn, spyOn } from '@vitest/spy'
import type { ExpectStatic } from '@vitest/expect'

chai.use(JestExtend)
chai.use(JestChaiExpect)
chai.use(JestAsymmetricMatchers)

type Expect = ((value: unknown, message?: string) => unknown) & Record<string, unknown>

function createExpect(): Expect {
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect as never) as { assertionCalls: number }
    setState({ assertionCalls: assertionCalls + 1 }, expect as never)
    return chai.expect(value, message)
  }) as Expect
  Object.assign(expect, chai.expect)
  Object.assign(expect, (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS_OBJECT])
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
      currentTestName: '',
    },
    expect as never,
  )
  expect['extend'] = (matchers: unknown) => (chai.expect as unknown as { extend: Function }).extend(expect, matchers)
  ;(expect['extend'] as Function)(customMatchers)
  ;(globalThis as Record<symbol, unknown>)[GLOBAL_EXPECT] = expect
  return expect
}

export const expect = createExpect() as unknown as ExpectStatic

type Hook = () => unknown
interface Scope {
  readonly name: string
  readonly parent: Scope | undefined
  readonly beforeEach: Hook[]
  readonly afterEach: Hook[]
}

const root: Scope = { name: '', parent: undefined, beforeEach: [], afterEach: [] }
let current = root

function fullName(scope: Scope, name: string): string {
  const names: string[] = [name]
  for (let at: Scope | undefined = scope; at && at !== root; at = at.parent) names.unshift(at.name)
  return names.join(' > ')
}

function chain(scope: Scope, pick: (scope: Scope) => Hook[]): Hook[] {
  const hooks: Hook[][] = []
  for (let at: Scope | undefined = scope; at; at = at.parent) hooks.unshift(pick(at))
  return hooks.flat()
}

export function describe(name: string, body: () => void): void {
  const scope: Scope = { name, parent: current, beforeEach: [], afterEach: [] }
  const previous = current
  current = scope
  try {
    body()
  } finally {
    current = previous
  }
}

function register(name: string, body: () => unknown, ignore: boolean): void {
  const scope = current
  Deno.test({
    name: fullName(scope, name),
    ignore,
    // Fake timers and module-level servers belong to the suites; leaks are checked by the suites.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const before = chain(scope, (at) => at.beforeEach)
      const after = chain(scope, (at) => at.afterEach).reverse()
      try {
        for (const hook of before) await hook()
        await body()
      } finally {
        for (const hook of after) await hook()
      }
    },
  })
}

type TestFunction = ((name: string, body: () => unknown) => void) & {
  skip: (name: string, body: () => unknown) => void
  each: (cases: readonly unknown[]) => (name: string, body: (...args: never[]) => unknown) => void
}

/** vitest's `%s`-style title: each placeholder takes the next argument. */
function formatTitle(name: string, args: readonly unknown[]): string {
  let next = 0
  return name.replace(/%[sdifjo%]/g, (placeholder) => {
    if (placeholder === '%%') return '%'
    const value = args[next++]
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  })
}

export const it: TestFunction = Object.assign((name: string, body: () => unknown) => register(name, body, false), {
  skip: (name: string, body: () => unknown) => register(name, body, true),
  each:
    (cases: readonly unknown[]) =>
    (name: string, body: (...args: never[]) => unknown): void => {
      for (const testCase of cases) {
        const args = Array.isArray(testCase) ? testCase : [testCase]
        register(formatTitle(name, args), () => (body as (...values: unknown[]) => unknown)(...args), false)
      }
    },
})
export const test = it

export function beforeEach(hook: Hook): void {
  current.beforeEach.push(hook)
}
export function afterEach(hook: Hook): void {
  current.afterEach.push(hook)
}

type InstalledClock = ReturnType<ReturnType<typeof FakeTimers.withGlobal>['install']>
let clock: InstalledClock | undefined

function installedClock(): InstalledClock {
  if (!clock) throw new Error('vi: fake timers are not installed (call vi.useFakeTimers() first)')
  return clock
}

interface FakeVi {
  fn: typeof fn
  spyOn: typeof spyOn
  useFakeTimers(): FakeVi
  useRealTimers(): FakeVi
  setSystemTime(time: number | Date): FakeVi
  advanceTimersByTime(ms: number): FakeVi
  advanceTimersByTimeAsync(ms: number): Promise<FakeVi>
  runOnlyPendingTimersAsync(): Promise<FakeVi>
  runAllTimersAsync(): Promise<FakeVi>
  getTimerCount(): number
  waitFor<Result>(check: () => Result | Promise<Result>, options?: { timeout?: number; interval?: number }): Promise<Result>
}

export const vi: FakeVi = {
  fn,
  spyOn,
  useFakeTimers(): FakeVi {
    clock?.uninstall()
    clock = FakeTimers.withGlobal(globalThis).install({
      now: Date.now(),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    })
    return vi
  },
  useRealTimers(): FakeVi {
    clock?.uninstall()
    clock = undefined
    return vi
  },
  setSystemTime(time: number | Date): FakeVi {
    installedClock().setSystemTime(time)
    return vi
  },
  advanceTimersByTime(ms: number): FakeVi {
    installedClock().tick(ms)
    return vi
  },
  async advanceTimersByTimeAsync(ms: number): Promise<FakeVi> {
    await installedClock().tickAsync(ms)
    return vi
  },
  async runOnlyPendingTimersAsync(): Promise<FakeVi> {
    await installedClock().runToLastAsync()
    return vi
  },
  async runAllTimersAsync(): Promise<FakeVi> {
    await installedClock().runAllAsync()
    return vi
  },
  getTimerCount(): number {
    return installedClock().countTimers()
  },
  async waitFor<Result>(check: () => Result | Promise<Result>, options: { timeout?: number; interval?: number } = {}): Promise<Result> {
    const deadline = Date.now() + (options.timeout ?? 1_000)
    for (;;) {
      try {
        return await check()
      } catch (error) {
        if (Date.now() >= deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, options.interval ?? 50))
      }
    }
  },
}
