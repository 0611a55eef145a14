/**
 * The variant matrix: the key journeys through the real pages against the sandbox playing every tenant variant of
 * docs/eiam-api.md §10 (rows: test/support/variants.ts), printed and written to reports/variant-matrix.md.
 *
 * Per row, three journeys, each a fresh install (its own wx storage) on the row's own sandbox, reset first:
 * - launch → bind by mobile (zhangsan) → home, then refresh on home an hour later;
 * - launch → bind by email (zhangsan) → home;
 * - launch of an identity linked to lisi → second factor by SMS → home.
 * Each bind and second factor types a wrong code first: the tenant's refusal must stand under the code field.
 *
 * The page copies are shared by every row (loading pages is what costs time), so two things are set per test: the
 * row's tenant options on each page's copy of config/tenant.ts, and the app's clock, ten minutes on from the last
 * test, so the resend countdowns a copy remembers from an earlier row are over.
 */
import { ONEACCESS_ENDPOINT_PATHS, startSandbox, type Sandbox } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { StoredSession } from '../../miniprogram/services/session'
import { readyPuzzle, solveCaptcha } from '../support/captcha'
import { appPage, JOURNEY_FINGERPRINT, moveClock, startJourney, type Journey } from '../support/journey'
import { fakeDateOnly, realTime, SEEDED } from '../support/sandbox'
import { developTenantOf, type PageHandle } from '../support/simulate'
import {
  compactMatrix,
  expectations,
  recordCell,
  VARIANTS,
  writeReport,
  type JourneyId,
  type Variant,
} from '../support/variants'

const HOUR_MS = 3600 * 1000
const TEST_STEP_MS = 10 * 60 * 1000
const ROUTES = ['pages/launch/index', 'pages/bind/index', 'pages/mfa/index', 'pages/home/index']
const startedAt = realTime()

const sandboxes = new Map<string, Sandbox>()
beforeAll(async () => {
  // loaded while the clock runs: simulate names a loaded page after the time, so pages loaded under a frozen Date
  // would share a name
  for (const route of ROUTES) appPage(route)
  await Promise.all(
    VARIANTS.map(async (variant) => {
      const sandbox = await startSandbox({
        port: 0,
        hooks: true,
        log: () => undefined,
        now: () => Date.now(),
        ...variant.sandbox,
      })
      sandboxes.set(variant.id, sandbox)
    }),
  )
})
afterAll(async () => {
  writeReport()
  console.log(`variant matrix (every cell: reports/variant-matrix.md)\n${compactMatrix()}`)
  await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.close()))
})

let restoreTenant: (() => void) | undefined
let tests = 0
afterEach(() => {
  restoreTenant?.()
  restoreTenant = undefined
  jest.useRealTimers()
})

/** The row's sandbox, reset; its tenant options on every page copy; the clock ten minutes on. */
function prepare(variant: Variant): Sandbox {
  tests += 1
  fakeDateOnly(startedAt + tests * TEST_STEP_MS)
  const sandbox = sandboxes.get(variant.id) as Sandbox
  sandbox.reset()
  const restores = ROUTES.map((route) => {
    const config = developTenantOf(appPage(route))
    const before = { ...config }
    Object.assign(config, variant.tenant)
    return () => {
      for (const name of Object.keys(config)) if (!(name in before)) delete config[name]
      Object.assign(config, before)
    }
  })
  restoreTenant = () => restores.forEach((restore) => restore())
  return sandbox
}

const answered = (sandbox: Sandbox, path: string) =>
  sandbox.requests().filter((request) => request.path === path && request.status).length

/** The token of the puzzle on screen once it can be dragged, else undefined. */
function puzzleOnScreen(page: PageHandle): string | undefined {
  const captcha = page.find('#captcha')
  const data = captcha?.data as { phase?: string } | undefined
  const puzzle = (captcha?.instance as { puzzle?: { token: string } } | undefined)?.puzzle
  return data?.phase === 'ready' ? puzzle?.token : undefined
}

/**
 * Taps `send` and solves puzzles as a user would (each at its answer) until the code goes out: a tenant whose form
 * the app is still learning shows a second puzzle. Answers the code and how many puzzles it took.
 */
async function sendCode(
  page: PageHandle,
  sandbox: Sandbox,
  send: string,
  target: string,
  path: string,
): Promise<{ code: string; puzzles: number }> {
  const before = answered(sandbox, path)
  page.tap(send)
  await readyPuzzle(page)
  let puzzles = 0
  while (answered(sandbox, path) === before) {
    if (puzzles === 3) throw new Error(`no code went to ${target} after ${puzzles} puzzles`)
    const solved = await solveCaptcha(page, sandbox)
    puzzles += 1
    await page.waitFor(() => {
      const next = puzzleOnScreen(page)
      return answered(sandbox, path) > before || (next !== undefined && next !== solved)
    })
  }
  await page.flush()
  const code = sandbox.lastCode(target)
  if (!code) throw new Error(`the sandbox sent no code to ${target}`)
  return { code, puzzles }
}

/**
 * Types a wrong code of the right length, submits, and checks the refusal stands under the code field with nothing
 * else happening; answers the tenant's error code (without `IDAAS.`).
 */
async function refuseWrongCode(
  journey: Journey,
  page: PageHandle,
  field: string,
  code: string,
  path: string,
): Promise<string> {
  const before = answered(journey.sandbox, path)
  const wrong = [...code].map((digit) => String((Number(digit) + 1) % 10)).join('')
  page.typeInto(field, wrong)
  page.tap('#submit')
  await page.waitFor(() => answered(journey.sandbox, path) > before && !page.data().submitting)
  await page.flush()
  const reply = journey.state.requestsTo(path).at(-1)
  const envelope = JSON.parse(reply?.responseText ?? '{}') as { error_code?: string; error_msg?: string }
  expect(page.fieldError(field)).toBe(envelope.error_msg)
  expect(page.data().notice).toBe('')
  expect(journey.pendingNavigation()).toEqual([])
  return String(envelope.error_code).replace(/^IDAAS\./, '')
}

async function homeShows(journey: Journey, name: string): Promise<PageHandle> {
  const home = await journey.next()
  expect(journey.route()).toBe('pages/home/index')
  await home.waitFor(() => home.data().ready)
  expect(home.text('#name')).toBe(name)
  return home
}

/** Runs `body` as the cell (variant, journey) of the report: ✓ with its note, or ✗ with the failure. */
async function cell(variant: Variant, journey: JourneyId, body: () => Promise<string>): Promise<void> {
  try {
    recordCell(variant, journey, { ok: true, note: await body() })
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
    recordCell(variant, journey, { ok: false, note: message })
    throw error
  }
}

/**
 * From launch to the bind page, where zhangsan's phone or email gets a code (of the length and after the puzzles the
 * variant expects), a wrong code is refused as the variant says, then the right one is submitted.
 */
async function bindZhangsanBy(
  channel: 'mobile' | 'email',
  journey: Journey,
  sandbox: Sandbox,
  expected: ReturnType<typeof expectations>,
) {
  journey.open('/pages/launch/index')
  const bind = await journey.nextReady()
  bind.tap('#agree')
  if (channel === 'email') await bind.tapTab('email')
  const target = SEEDED.zhangsan[channel]
  bind.typeInto(`#${channel}`, target)
  const sendPath = channel === 'mobile' ? EIAM_PATHS.smsSend : EIAM_PATHS.emailSend
  const sent = await sendCode(bind, sandbox, `#send-${channel}-code`, target, sendPath)
  expect(sent.code).toHaveLength(expected.codeDigits)
  expect(sent.puzzles).toBe(expected.firstSendPuzzles)
  const refusal = await refuseWrongCode(journey, bind, `#${channel}-code`, sent.code, EIAM_PATHS.bind)
  expect(refusal).toBe(channel === 'mobile' ? expected.wrongSmsCode : expected.wrongEmailCode)
  bind.typeInto(`#${channel}-code`, sent.code)
  bind.tap('#submit')
  return { sent, refusal }
}

const puzzlesNote = (puzzles: number) => `${puzzles} puzzle${puzzles === 1 ? '' : 's'}`

describe.each(VARIANTS.map((variant) => [variant.label, variant] as const))('%s', (_, variant) => {
  const expected = expectations(variant)
  const skip = (journey: JourneyId) => Boolean(variant.notApplicable?.[journey])

  test('bind by mobile → home, then refresh an hour later', async () => {
    if (skip('bindMobile')) return
    const sandbox = prepare(variant)
    const journey = startJourney({ sandbox })
    let home: PageHandle | undefined
    await cell(variant, 'bindMobile', async () => {
      const { sent, refusal } = await bindZhangsanBy('mobile', journey, sandbox, expected)
      home = await homeShows(journey, SEEDED.zhangsan.name)
      return `${puzzlesNote(sent.puzzles)}, ${sent.code.length}-digit code, ${refusal} at the code field`
    })
    if (skip('refresh') || !home) return
    const page = home
    await cell(variant, 'refresh', async () => {
      const before = journey.secure<StoredSession>('eiam.session') as StoredSession
      const expiryShown = page.text('#session-expiry')
      moveClock(HOUR_MS)
      page.tap('#refresh')
      // OneAccess refreshes through its own, signed path (docs/oneaccess.md)
      const refreshPath =
        variant.sandbox.dialect === 'oneaccess' ? ONEACCESS_ENDPOINT_PATHS.refresh : EIAM_PATHS.refresh
      await page.waitFor(() => answered(sandbox, refreshPath) === 1 && !page.data().refreshing)
      await page.flush()
      const after = journey.secure<StoredSession>('eiam.session') as StoredSession
      expect(page.data().notice).toBe('')
      expect(journey.pendingNavigation()).toEqual([])
      expect(after.idToken).not.toBe(before.idToken)
      expect(after.sessionToken !== before.sessionToken).toBe(expected.rotates)
      // a session token that did not change ends when it always did; a new one brings its own expiry
      expect(after.sessionExpiresAt === before.sessionExpiresAt).toBe(!expected.rotates)
      expect(page.text('#session-expiry') === expiryShown).toBe(!expected.rotates)
      return expected.rotates ? 'new session token and expiry' : 'same session token, expiry kept'
    })
  })

  test('bind by email → home', async () => {
    if (skip('bindEmail')) return
    const sandbox = prepare(variant)
    const journey = startJourney({ sandbox })
    await cell(variant, 'bindEmail', async () => {
      const { sent, refusal } = await bindZhangsanBy('email', journey, sandbox, expected)
      await homeShows(journey, SEEDED.zhangsan.name)
      return `${puzzlesNote(sent.puzzles)}, ${refusal} at the code field`
    })
  })

  test('second factor by SMS → home', async () => {
    if (skip('mfaSms')) return
    const sandbox = prepare(variant)
    sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'lisi')
    const journey = startJourney({ sandbox })
    await cell(variant, 'mfaSms', async () => {
      journey.open('/pages/launch/index')
      const mfa = await journey.next()
      expect(journey.route()).toBe('pages/mfa/index')
      await mfa.waitFor(() => mfa.data().target)
      expect(mfa.text('#target')).toBe('139****9000')
      const sent = await sendCode(mfa, sandbox, '#send-code', SEEDED.lisi.mobile, EIAM_PATHS.smsSend)
      expect(sent.puzzles).toBe(expected.firstSendPuzzles)
      const refusal = await refuseWrongCode(journey, mfa, '#code', sent.code, EIAM_PATHS.mfaSms)
      expect(refusal).toBe(expected.wrongSmsCode)
      mfa.typeInto('#code', sent.code)
      mfa.tap('#submit')
      await homeShows(journey, SEEDED.lisi.name)
      // whatever mobile-by-token wrote, the code went to and was checked with 11 bare digits
      const mobiles = [EIAM_PATHS.smsSend, EIAM_PATHS.mfaSms].flatMap((path) =>
        journey.state.requestsTo(path).map((request) => (request.json as { mobile?: string }).mobile),
      )
      expect(new Set(mobiles)).toEqual(new Set([SEEDED.lisi.mobile]))
      return `${puzzlesNote(sent.puzzles)}, ${refusal} at the code field, sent to ${SEEDED.lisi.mobile}`
    })
  })
})
