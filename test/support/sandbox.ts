/**
 * The sandbox as every kind of test uses it (contract, integration, page tests):
 * - `useSandbox(options)`: one sandbox per test file (or describe block) on a free port, with the test hooks on, its
 *   output captured and its clock a `SandboxClock`; reset (sandbox, clock, output) before each test;
 * - `SandboxClock`: the sandbox's `now`, real time or standing still at an instant, plus what the test moves it;
 * - `fakeDateOnly(epochMs)`: jest's fake timers faking `Date` only, for the app's clock;
 * - `DEVELOP_ORIGIN`: the develop tenant's base URL, which tests rewrite to their sandbox;
 * - `SEEDED`: the seeded users with their passwords, as the sandbox seeds them;
 * - `claimsOf(jwt)`: the claims of a token the sandbox issued, unverified.
 */
import {
  SEEDED_USERS,
  startSandbox,
  type PasswordState,
  type Policy,
  type Sandbox,
  type SandboxOptions,
  type Fault,
} from '../../sandbox'

/** The develop tenant's base URL (config/tenant.ts); tests rewrite it to their sandbox's. */
export const DEVELOP_ORIGIN = 'http://127.0.0.1:8787'

// ---- the seeded users ------------------------------------------------------------------------------------------

export type SeededName = 'zhangsan' | 'lisi' | 'wangwu' | 'zhaoliu' | 'sunqi'

export interface SeededUser {
  name: string
  userName: SeededName
  mobile: string
  email: string
  policy: Policy
  /** The directory password, for username-password-bind. */
  password: string
  /** `expired` (PASSWORD_EXPIRED) or `expiring` (PASSWORD_WARN) until changed; absent when current. */
  passwordState?: PasswordState
}

function seeded(userName: SeededName): SeededUser {
  const user = SEEDED_USERS.find((each) => each.userName === userName)
  if (!user?.mobile || !user.email || !user.password)
    throw new Error(`the sandbox seeds no ${userName} with a mobile, an email and a password`)
  const { name, mobile, email, policy, password, passwordState } = user
  return { name, userName, mobile, email, policy, password, ...(passwordState ? { passwordState } : {}) }
}

/**
 * zhangsan (SUCCESS), lisi (MFA_AUTH), wangwu (ACCESS_DENIED), zhaoliu (SUCCESS, password expired) and sunqi (SUCCESS,
 * password about to expire), from the sandbox's own directory.
 */
export const SEEDED: Readonly<Record<SeededName, SeededUser>> = {
  zhangsan: seeded('zhangsan'),
  lisi: seeded('lisi'),
  wangwu: seeded('wangwu'),
  zhaoliu: seeded('zhaoliu'),
  sunqi: seeded('sunqi'),
}

/** The regions the app has built in and the sandbox answers, in order, as `<area code> <country code>`. */
/**
 * A fault that answers `path` with the error envelope `code` / `message` (the code as the tenant writes it, with or
 * without `IDAAS.`): a 400 for the next request unless `extra` says otherwise.
 */
export const errorFault = (
  path: string,
  code: string,
  message: string,
  extra: Partial<Fault> = {},
): Fault => ({
  path,
  status: 400,
  body: { error_code: code, error_msg: message },
  ...extra,
})

export const REGIONS = ['+86 CN', '+852 HK', '+853 MO', '+886 TW', '+65 SG', '+1 US']

/** Claims of a JWT (an id_token the sandbox issued), without checking its signature. */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

// ---- clocks ------------------------------------------------------------------------------------------------------

/** Captured before any test fakes `Date`, so a sandbox clock never follows jest's. */
const realNow = Date.now

/** Real time, whatever jest's fake `Date` says. */
export const realTime = (): number => realNow()

/**
 * The sandbox's clock (its `now` option), moved by the test to expire tokens, codes and puzzles: real time plus an
 * offset, or, made with `startAt`, an instant it stands still at (from every reset) plus the offset.
 */
export class SandboxClock {
  private offsetMs = 0
  private frozenAt: number | undefined

  constructor(private readonly startAt?: number) {
    this.reset()
  }

  readonly now = (): number => (this.frozenAt ?? realNow()) + this.offsetMs

  advanceS(seconds: number): void {
    this.offsetMs += seconds * 1000
  }

  /** Stop the clock where it is, for answers that count whole seconds (e.g. "retry in 60 s"). */
  freeze(): void {
    this.frozenAt ??= realNow()
  }

  /** Back to how it was made: no offset, and running or standing at `startAt`. */
  reset(): void {
    this.offsetMs = 0
    this.frozenAt = this.startAt
  }
}

/** Everything jest can fake except `Date`: loopback HTTP, wx-node's callbacks and request timeouts keep running. */
const TIMERS_STAY_REAL = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const

/** Sets `Date` (the app's clock) to `epochMs` with jest's fake timers faking nothing else; `jest.useRealTimers()` undoes it. */
export function fakeDateOnly(epochMs: number): void {
  jest.useFakeTimers({ doNotFake: [...TIMERS_STAY_REAL], now: epochMs })
}

// ---- one sandbox per file ------------------------------------------------------------------------------------------

export interface SandboxContext {
  /** Set in beforeAll. */
  sandbox: Sandbox
  clock: SandboxClock
  /** What the sandbox printed (one line per code sent) since the test began. */
  lines: string[]
}

export interface UseSandboxOptions extends SandboxOptions {
  /** The clock stands still at this instant (see SandboxClock) instead of keeping real time. */
  clockAt?: number
}

/**
 * A sandbox on a free port for the enclosing file or describe block, test hooks on unless `hooks: false`: started in
 * beforeAll, reset with its clock and output before each test, closed in afterAll.
 */
export function useSandbox(options: UseSandboxOptions = {}): SandboxContext {
  const { clockAt, ...sandboxOptions } = options
  const context = { clock: new SandboxClock(clockAt), lines: [] } as unknown as SandboxContext
  beforeAll(async () => {
    context.sandbox = await startSandbox({
      port: 0,
      hooks: true,
      log: (line) => context.lines.push(line),
      now: context.clock.now,
      ...sandboxOptions,
    })
  })
  beforeEach(() => {
    context.sandbox.reset()
    context.clock.reset()
    context.lines.length = 0
  })
  afterAll(() => context.sandbox?.close())
  return context
}

/**
 * A sandbox of its own for one test (options the file's shared one does not have): test hooks off unless asked,
 * output dropped, its clock a `SandboxClock` (standing at `clockAt` when given); closed however `run` ends.
 */
export async function withSandbox(
  options: UseSandboxOptions,
  run: (sandbox: Sandbox, clock: SandboxClock) => Promise<void>,
): Promise<void> {
  const { clockAt, ...sandboxOptions } = options
  const clock = new SandboxClock(clockAt)
  const sandbox = await startSandbox({ port: 0, log: () => undefined, now: clock.now, ...sandboxOptions })
  try {
    await run(sandbox, clock)
  } finally {
    await sandbox.close()
  }
}
