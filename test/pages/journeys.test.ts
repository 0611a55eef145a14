/**
 * End-to-end journeys, one per seeded sandbox user and stored state: the real pages, one after another as the app
 * navigates, against the sandbox over loopback. Each journey counts the requests it made (by path) and checks that
 * the sandbox received exactly those.
 *
 * The bind page is rendered from a fresh module copy in every journey (it fetches the country codes once per copy);
 * every other page's module memory cannot change what a journey sends, as each journey uses its own phone or email.
 */
import type { Sandbox } from '../../sandbox'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  codeRequests,
  JOURNEY_FINGERPRINT,
  moveClock,
  sendCodeVia,
  startJourney,
  type Journey,
} from '../support/journey'
import type { PageHandle } from '../support/simulate'
import { useSandbox } from '../support/sandbox'
import { agree } from '../support/captcha'

const HOUR_MS = 3600 * 1000
const BIND_PAGE = 'pages/bind/index'
// every sandbox reads the same (possibly moved) clock as the app
const appClock = { now: () => Date.now() }
const env = useSandbox(appClock)
const autoEnv = useSandbox({ ...appClock, mode: 'auto' })
const registerEnv = useSandbox({ ...appClock, mode: 'register' })
afterEach(() => jest.useRealTimers())

/** A journey on `on` that opened launch and followed it to the page launch led to. */
async function fromLaunch(on: Sandbox = env.sandbox): Promise<Journey> {
  const journey = startJourney({ sandbox: on, fresh: [BIND_PAGE] })
  journey.open('/pages/launch/index')
  await journey.next()
  return journey
}

/** The journey's requests per path and the types of the codes it had sent; the sandbox saw the same (below). */
function expectSent(journey: Journey, counts: Record<string, number>, codeTypes: string[]): void {
  expect(journey.requestCounts()).toEqual(counts)
  expect(codeTypesSent(journey.sandbox)).toEqual(codeTypes)
  expectServerSawTheSame(journey)
}

/** What the app sent is what the sandbox received, and the sandbox refused nothing. */
function expectServerSawTheSame(journey: Journey): void {
  expect(journey.serverCounts()).toEqual(journey.requestCounts())
  expect(journey.sandbox.requests().filter((request) => request.status !== 200)).toEqual([])
}

/** On the bind page: accept the agreement, verify `target` by code (captcha first) and submit. */
async function bindWith(
  journey: Journey,
  target: string,
  channel: 'mobile' | 'email' = 'mobile',
): Promise<void> {
  const bind = journey.page as PageHandle
  expect(journey.route()).toBe(BIND_PAGE)
  await bind.waitFor(() => bind.data().ready)
  agree(bind)
  if (channel === 'email') await bind.tapTab('email')
  bind.typeInto(`#${channel}`, target)
  const code = await sendCodeVia(bind, journey.sandbox, `#send-${channel}-code`, target)
  bind.typeInto(`#${channel}-code`, code)
  bind.tap('#submit')
}

/** On the mfa page: send a code to the phone it shows (or the email typed) and verify it. */
async function passSecondFactor(journey: Journey, email?: string): Promise<void> {
  const mfa = journey.page as PageHandle
  expect(journey.route()).toBe('pages/mfa/index')
  await mfa.waitFor(() => mfa.data().target)
  let target = '+86-13900139000'
  if (email) {
    mfa.tap('#switch-channel')
    await mfa.waitFor(() => mfa.exists('#email'))
    mfa.typeInto('#email', email)
    target = email
  }
  mfa.typeInto('#code', await sendCodeVia(mfa, journey.sandbox, '#send-code', target))
  mfa.tap('#submit')
}

/** Home on screen, ready, showing `text` in `field` (the user's name unless told otherwise). */
async function expectHomeShows(journey: Journey, text: string, field = '#name'): Promise<PageHandle> {
  expect(journey.route()).toBe('pages/home/index')
  const home = journey.page as PageHandle
  await home.waitFor(() => home.data().ready)
  expect(home.text(field)).toBe(text)
  return home
}

/** What reaching the bind page costs: the login and the country codes. */
const TO_BIND = { 'login/wechat-miniprogram': 1, 'country-codes': 1 }

const codeTypesSent = (on: Sandbox) => on.outbox().map((sent) => sent.type)

describe('zhangsan (SUCCESS)', () => {
  test('already linked: launch → home with one login', async () => {
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'zhangsan')
    const journey = await fromLaunch()

    await expectHomeShows(journey, '张三')
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
    expectServerSawTheSame(journey)
  })

  test('first use: launch → bind by SMS → home', async () => {
    const journey = await fromLaunch()
    await bindWith(journey, '13800138000')
    await journey.next()

    await expectHomeShows(journey, '张三')
    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index', 'reLaunch /pages/home/index'])
    expectSent(journey, { ...TO_BIND, ...codeRequests(1), 'social/bind': 1 }, ['BIND_MOBILE_SMS'])
  })
})

describe('lisi (MFA_AUTH)', () => {
  test('binds by phone, then the second factor by SMS: launch → bind → mfa → home', async () => {
    const journey = await fromLaunch()
    await bindWith(journey, '13900139000')
    await journey.next()
    await passSecondFactor(journey)
    await journey.next()

    await expectHomeShows(journey, '李四')
    expect(journey.urls()).toEqual([
      'redirectTo /pages/bind/index',
      'redirectTo /pages/mfa/index',
      'reLaunch /pages/home/index',
    ])
    expect(journey.requestCounts()).toEqual({
      ...TO_BIND,
      ...codeRequests(2),
      'social/bind': 1,
      'mobile-by-token': 1,
      'mfa/sms': 1,
    })
    expect(codeTypesSent(env.sandbox)).toEqual(['BIND_MOBILE_SMS', 'MFA_AUTH_SMS'])
    // the second factor used the state token that came with MFA_AUTH from social/bind
    const mfaAnswer = JSON.parse(journey.state.requestsTo(EIAM_PATHS.bind)[0]?.responseText ?? '{}') as {
      status?: string
      state_token?: string
    }
    expect(mfaAnswer.status).toBe('MFA_AUTH')
    for (const path of [EIAM_PATHS.mobileByToken, EIAM_PATHS.mfaSms]) {
      expect(journey.state.requestsTo(path)[0]?.headers['x-state-token']).toBe(mfaAnswer.state_token)
    }
    expectServerSawTheSame(journey)
  })

  test('already linked, the second factor by email: launch → mfa → home', async () => {
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'lisi')
    const journey = await fromLaunch()
    await passSecondFactor(journey, 'lisi@example.com')
    await journey.next()

    await expectHomeShows(journey, '李四')
    expect(journey.urls()).toEqual(['redirectTo /pages/mfa/index', 'reLaunch /pages/home/index'])
    expectSent(
      journey,
      {
        ...codeRequests(1, 'email/send'),
        'login/wechat-miniprogram': 1,
        'mobile-by-token': 1,
        'mfa/email': 1,
      },
      ['MFA_AUTH_EMS'],
    )
  })
})

describe('a newcomer (no user yet)', () => {
  test('auto mode: an unknown phone at bind → register → home as the new user', async () => {
    const journey = await fromLaunch(autoEnv.sandbox)
    await bindWith(journey, '13600001234')
    const register = await journey.nextReady()
    expect(journey.route()).toBe('pages/register/index')
    agree(register)
    register.typeInto('#code', await sendCodeVia(register, autoEnv.sandbox, '#send-code', '13600001234'))
    register.tap('#submit')
    await journey.next()

    await expectHomeShows(journey, '136****1234', '#mobile')
    expect(journey.urls()).toEqual([
      'redirectTo /pages/bind/index',
      'redirectTo /pages/register/index',
      'reLaunch /pages/home/index',
    ])
    expectSent(
      journey,
      {
        ...TO_BIND,
        ...codeRequests(2),
        'social/bind': 1,
        'social/register-bind': 1,
      },
      ['BIND_MOBILE_SMS', 'REGISTER_SMS'],
    )
  })

  test('register mode: USER_REGISTER at login → bind in its register flow → home', async () => {
    const journey = await fromLaunch(registerEnv.sandbox)
    await bindWith(journey, 'newcomer@example.com', 'email')
    await journey.next()

    await expectHomeShows(journey, 'n***@example.com', '#email')
    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index', 'reLaunch /pages/home/index'])
    expectSent(
      journey,
      {
        ...TO_BIND,
        ...codeRequests(1, 'email/send'),
        'social/register-bind': 1,
      },
      ['REGISTER_EMS'],
    )
  })
})

describe('wangwu (ACCESS_DENIED)', () => {
  test('binds, is refused: launch → bind → denied → back to a launch that waits', async () => {
    const journey = await fromLaunch()
    await bindWith(journey, '13700137000')
    const denied = await journey.next()
    expect(journey.route()).toBe('pages/denied/index')

    denied.tap('#back')
    const launch = await journey.next()
    await launch.flush()
    expect(launch.data().phase).toBe('idle')
    expect(journey.urls()).toEqual([
      'redirectTo /pages/bind/index',
      'reLaunch /pages/denied/index',
      'reLaunch /pages/launch/index?manual=1',
    ])
    expect(journey.requestCounts()).toEqual({ ...TO_BIND, ...codeRequests(1), 'social/bind': 1 })
    expect(journey.secure('eiam.session')).toBeUndefined()
    expectServerSawTheSame(journey)
  })
})

describe('a returning user', () => {
  /** Signed in as zhangsan, then the mini program killed: what the next start finds in storage. */
  async function signedInBefore(): Promise<Journey> {
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'zhangsan')
    const journey = await fromLaunch()
    await expectHomeShows(journey, '张三')
    return journey
  }

  test('a stored session: launch → home without a login call', async () => {
    const journey = await signedInBefore()
    const since = journey.state.requests.length

    journey.open('/pages/launch/index', { fresh: true })
    await journey.next()

    await expectHomeShows(journey, '张三')
    expect(journey.requestPaths(since)).toEqual([])
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
    expectServerSawTheSame(journey)
  })

  test('an expired id_token: launch refreshes it through the API → home', async () => {
    const journey = await signedInBefore()
    const since = journey.state.requests.length
    moveClock(2 * HOUR_MS)

    journey.open('/pages/launch/index', { fresh: true })
    await journey.next()

    await expectHomeShows(journey, '张三')
    expect(journey.requestPaths(since)).toEqual(['sso/session-token/id-token'])
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 1,
      'sso/session-token/id-token': 1,
    })
    expectServerSawTheSame(journey)
  })

  test('sign out: home → launch, which waits; signing in again is one login', async () => {
    const journey = await signedInBefore()
    const home = journey.page as PageHandle

    home.tap('#sign-out')
    const launch = await journey.next()
    await launch.flush()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index', 'reLaunch /pages/launch/index?manual=1'])
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
    expect(journey.secure('eiam.session')).toBeUndefined()

    launch.tap('#sign-in')
    await journey.next()
    await expectHomeShows(journey, '张三')
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 2 })
    expect(journey.state.loginCalls).toBe(2)
    expectServerSawTheSame(journey)
  })
})
