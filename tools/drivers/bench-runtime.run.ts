/**
 * `npm run bench`'s runtime measurements (not a test of the default `npm test`: tools/jest.config.js, project
 * "bench"): the real pages under miniprogram-simulate, talking to the real sandbox on loopback, driven through the
 * journeys a user takes. Every setData of the page and its components is counted (calls, JSON bytes) and every
 * request the app made is read from the wx-node request log. Each journey renders its pages from fresh module copies,
 * so a measurement never depends on what an earlier one left in module memory.
 *
 * Writes RuntimeMeasurements (tools/lib/bench-report.ts) as JSON to $EIAM_BENCH_OUT.
 */
import fs from 'node:fs'
import path from 'node:path'
import { startSandbox, type Sandbox } from '../../sandbox'
import type { FlowName, PageName, RequestCount, RuntimeMeasurements, SetDataCost } from '../lib/bench-report'
import { readyPuzzle, requestCode, solveCaptcha } from '../../test/support/captcha'
import { shortPath, startJourney, type Journey } from '../../test/support/journey'
import { SEEDED } from '../../test/support/sandbox'
import type { PageHandle } from '../../test/support/simulate'

type Call = ReturnType<PageHandle['setDataCalls']>['calls'][number]

/** The app's components declared with `virtualHost: true`, which the harness cannot name by a host tag. */
const VIRTUAL_HOSTS = 'countdown/offline-banner'

/** Generous: the bench may share two cores with a build. */
const WAIT_MS = 15000
const MOBILE = { zhangsan: SEEDED.zhangsan.mobile, lisi: SEEDED.lisi.mobile, unknown: '13600136000' }
const started = Date.now()
const measured: Omit<Partial<RuntimeMeasurements>, 'firstRender' | 'flows'> & {
  firstRender: Partial<RuntimeMeasurements['firstRender']>
  flows: Partial<RuntimeMeasurements['flows']>
} = { firstRender: {}, flows: {} }

let sandbox: Sandbox
beforeAll(async () => {
  // `auto`: an unknown identity is asked to bind, and a bind to an unknown mobile continues to the register page
  sandbox = await startSandbox({ port: 0, hooks: true, log: () => undefined, mode: 'auto' })
})
afterAll(async () => {
  await sandbox?.close()
  const out = process.env.EIAM_BENCH_OUT
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.writeFileSync(out, `${JSON.stringify({ ...measured, ms: Date.now() - started }, null, 2)}\n`)
  }
})

// ---- measuring --------------------------------------------------------------------------------------------------

function costOf(calls: readonly Call[]): SetDataCost {
  const byComponent: SetDataCost['byComponent'] = {}
  for (const call of calls) {
    // the harness names a component by its host element; countdown and offline-banner are virtual hosts (none)
    const name = call.component === '?' ? VIRTUAL_HOSTS : call.component
    const entry = (byComponent[name] ??= { calls: 0, bytes: 0 })
    entry.calls += 1
    entry.bytes += call.bytes
  }
  return { calls: calls.length, bytes: calls.reduce((sum, call) => sum + call.bytes, 0), byComponent }
}

/** A point in a page's setData log and in the app's request log; `since()` answers what happened after it. */
function mark(page: PageHandle, journey: Journey) {
  const calls = page.setDataCalls().calls.length
  const requests = journey.state.requests.length
  return {
    cost: () => costOf(page.setDataCalls().calls.slice(calls)),
    requests: (): RequestCount => {
      const paths = journey.state.requests.slice(requests).map((request) => shortPath(request.path))
      return { requests: paths.length, paths }
    },
  }
}

/** Until the page shows its content: `ready` where the page has it, no lookup running, no request in flight. */
async function settle(page: PageHandle): Promise<void> {
  await page.waitFor(() => page.data().ready !== false && !page.data().lookingUp, WAIT_MS)
  await page.flush(5)
}

async function navigationAsked(page: PageHandle, journey: Journey): Promise<void> {
  await page.waitFor(() => journey.pendingNavigation().length > 0, WAIT_MS)
  await page.flush()
}

/** Where the app's request log stood when each page was rendered. */
const requestsAtRender = new Map<PageHandle, number>()

/** The requests the app made since `page` was rendered. */
function requestsSinceRender(page: PageHandle, journey: Journey): RequestCount {
  const paths = journey.state.requests
    .slice(requestsAtRender.get(page) ?? 0)
    .map((request) => shortPath(request.path))
  return { requests: paths.length, paths }
}

/** Everything since render: every setData of the page and its components, every request. */
function recordFirstRender(name: PageName, page: PageHandle, journey: Journey, how: string): void {
  measured.firstRender[name] = {
    ...costOf(page.setDataCalls().calls),
    ...requestsSinceRender(page, journey),
    how,
  }
}

/** Opens the first page of a journey, as WeChat does at launch. */
function openPage(journey: Journey, url: string): PageHandle {
  const before = journey.state.requests.length
  const page = journey.open(url)
  requestsAtRender.set(page, before)
  return page
}

/** Renders the page the app navigated to. */
async function nextPage(journey: Journey): Promise<PageHandle> {
  const before = journey.state.requests.length
  const page = await journey.next()
  requestsAtRender.set(page, before)
  return page
}

/** Types `value` one character at a time, as a keyboard does (each input event carries the whole value). */
function typeByCharacter(page: PageHandle, target: string, value: string): void {
  for (let length = 1; length <= value.length; length += 1) page.typeInto(target, value.slice(0, length))
}

/** The seconds the bind page's mobile send button shows (its countdown), 0 when it shows its label. */
const countdownSeconds = (page: PageHandle) => Number(/\d+/.exec(page.text('#send-mobile-code'))?.[0] ?? 0)

// ---- the journeys -----------------------------------------------------------------------------------------------

test('launch → bind → home: first renders, typing, a countdown tick, the full bind, login/send/bind/refresh', async () => {
  const journey = startJourney({ sandbox, fingerprint: 'fp-bench-bind', fresh: true })

  const launch = openPage(journey, '/pages/launch/index')
  await navigationAsked(launch, journey)
  recordFirstRender('launch', launch, journey, 'unbound identity: login, then on to bind')
  measured.flows.login = { ...requestsSinceRender(launch, journey), how: 'launch of an unbound identity' }

  const bind = await nextPage(journey)
  await settle(bind)
  recordFirstRender('bind', bind, journey, 'after login answered SOCIAL_BIND')

  const typing = mark(bind, journey)
  bind.typeInto('#mobile', MOBILE.zhangsan.slice(0, 1))
  measured.typing = typing.cost()
  typeByCharacter(bind, '#mobile', MOBILE.zhangsan)
  bind.tap('#agree')

  const sending = mark(bind, journey)
  const smsSent = () =>
    journey.state.requests.filter((request) => shortPath(request.path) === 'sms/send' && request.statusCode)
      .length
  bind.tap('#send-mobile-code')
  await readyPuzzle(bind)
  await bind.flush()
  measured.puzzle = sending.cost()
  await solveCaptcha(bind, sandbox)
  await bind.waitFor(() => smsSent() > 0, WAIT_MS)
  await bind.flush()
  const code = sandbox.lastCode(MOBILE.zhangsan)
  if (!code) throw new Error('the sandbox sent no code to the bind page')
  measured.flows.sendCode = { ...sending.requests(), how: 'send tap → captcha → sms/send' }

  await bind.waitFor(() => countdownSeconds(bind) > 0, WAIT_MS)
  const first = countdownSeconds(bind)
  await bind.waitFor(() => countdownSeconds(bind) !== first, WAIT_MS)
  const tick = mark(bind, journey)
  const second = countdownSeconds(bind)
  await bind.waitFor(() => countdownSeconds(bind) !== second, WAIT_MS)
  measured.countdownTick = tick.cost()

  typeByCharacter(bind, '#mobile-code', code)
  const submitting = mark(bind, journey)
  bind.tap('#submit')
  await navigationAsked(bind, journey)
  expect(journey.pendingNavigation()[0]?.url).toMatch(/^\/?pages\/home\/index/)
  measured.flows.bind = { ...submitting.requests(), how: 'submit → social/bind (SUCCESS)' }
  measured.fullBind = { ...costOf(bind.setDataCalls().calls), ...requestsSinceRender(bind, journey) }

  const home = await nextPage(journey)
  await settle(home)
  recordFirstRender('home', home, journey, 'after the bind, session stored')
  const refreshing = mark(home, journey)
  const requestsBefore = journey.state.requests.length
  home.tap('#refresh')
  await home.waitFor(() => journey.state.requests.length > requestsBefore && !home.data().refreshing, WAIT_MS)
  await home.flush()
  measured.flows.refresh = { ...refreshing.requests(), how: 'refresh tap on home' }
  expect(measured.flows.refresh.requests).toBeGreaterThan(0)
  journey.end()
})

test('bind to an unknown mobile → register: first render of the register page', async () => {
  const journey = startJourney({ sandbox, fingerprint: 'fp-bench-register', fresh: true })
  const launch = openPage(journey, '/pages/launch/index')
  await navigationAsked(launch, journey)
  const bind = await nextPage(journey)
  await settle(bind)
  bind.typeInto('#mobile', MOBILE.unknown)
  bind.tap('#agree')
  const code = await requestCode(bind, sandbox, '#send-mobile-code', MOBILE.unknown)
  if (!code) throw new Error('the sandbox sent no code for the register journey')
  bind.typeInto('#mobile-code', code)
  bind.tap('#submit')
  await navigationAsked(bind, journey)
  const register = await nextPage(journey)
  expect(register.instance.route).toBe('pages/register/index')
  await settle(register)
  recordFirstRender('register', register, journey, 'after bind answered USER_REGISTER')
  journey.end()
})

test('an identity bound to lisi (MFA every time): first render of mfa, and the MFA flow home', async () => {
  const fingerprint = 'fp-bench-mfa'
  sandbox.linkIdentity(fingerprint, 'lisi')
  const journey = startJourney({ sandbox, fingerprint, fresh: true })
  const launch = openPage(journey, '/pages/launch/index')
  await navigationAsked(launch, journey)
  const mfa = await nextPage(journey)
  expect(mfa.instance.route).toBe('pages/mfa/index')
  await settle(mfa)
  recordFirstRender('mfa', mfa, journey, 'after login answered MFA_AUTH')
  const code = await requestCode(mfa, sandbox, '#send-code', MOBILE.lisi)
  if (!code) throw new Error('the sandbox sent no MFA code')
  typeByCharacter(mfa, '#code', code)
  mfa.tap('#submit')
  await navigationAsked(mfa, journey)
  expect(journey.pendingNavigation()[0]?.url).toMatch(/^\/?pages\/home\/index/)
  measured.flows.mfa = { ...requestsSinceRender(mfa, journey), how: 'mfa page load → code → submit (SMS)' }
  journey.end()
})

test('an identity bound to wangwu (refused by policy): first render of denied', async () => {
  const fingerprint = 'fp-bench-denied'
  sandbox.linkIdentity(fingerprint, 'wangwu')
  const journey = startJourney({ sandbox, fingerprint, fresh: true })
  const launch = openPage(journey, '/pages/launch/index')
  await navigationAsked(launch, journey)
  const denied = await nextPage(journey)
  expect(denied.instance.route).toBe('pages/denied/index')
  await settle(denied)
  recordFirstRender('denied', denied, journey, 'after login answered ACCESS_DENIED')
  journey.end()
})

test('every measurement was taken', () => {
  const pages: PageName[] = ['launch', 'bind', 'register', 'mfa', 'denied', 'home']
  const flows: FlowName[] = ['login', 'sendCode', 'bind', 'mfa', 'refresh']
  expect(Object.keys(measured.firstRender).sort()).toEqual([...pages].sort())
  expect(Object.keys(measured.flows).sort()).toEqual([...flows].sort())
  expect(measured.typing?.calls).toBeGreaterThan(0)
  expect(measured.countdownTick?.calls).toBeGreaterThan(0)
  expect(measured.puzzle?.calls).toBeGreaterThan(0)
})
