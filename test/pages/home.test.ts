/**
 * The home page: who is signed in (id_token claims), until when, refreshing the id_token (and keeping the rotated
 * session_token), sign-out, and what an expired, rejected or unreachable session does to it.
 */

import { en } from '../../miniprogram/i18n/en'
import { fill } from '../../miniprogram/i18n/index'
import { zh } from '../../miniprogram/i18n/zh'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { StoredSession } from '../../miniprogram/services/session'
import { formatDateTime } from '../../miniprogram/utils/format'
import {
  callSandbox,
  JOURNEY_FINGERPRINT,
  launchAs,
  moveClock,
  startJourney,
  type Journey,
} from '../support/journey'
import type { PageHandle } from '../support/simulate'
import { errorFault, useSandbox } from '../support/sandbox'

const HOUR_MS = 3600 * 1000
const DAY_MS = 24 * HOUR_MS

// the sandbox reads the same (possibly moved) clock as the app
const env = useSandbox({ now: () => Date.now() })
afterEach(() => jest.useRealTimers())

const session = (journey: Journey) => journey.secure<StoredSession>('eiam.session') as StoredSession

/** The server's verdict on a session token, asked the way another client would (this rotates a live one). */
const refreshAtSandbox = (sessionToken: string) =>
  callSandbox(env.sandbox, {
    method: 'POST',
    path: EIAM_PATHS.refresh,
    headers: { 'x-session-token': sessionToken },
  })

/** zhangsan signed in through launch; home rendered and showing him. */
async function signedIn(
  options: { language?: string } = {},
): Promise<{ journey: Journey; home: PageHandle }> {
  const { journey, page: home } = await launchAs(env.sandbox, {
    user: 'zhangsan',
    language: options.language,
  })
  await home.waitFor(() => home.data().ready)
  return { journey, home }
}

/**
 * "Refresh" on a session the tenant refuses: the session is dropped and launch opens, which signs in afresh (the
 * identity is still linked) and heads home again.
 */
async function refreshLeadsBackToLaunch(journey: Journey, home: PageHandle): Promise<void> {
  home.tap('#refresh')
  const launch = await journey.next()
  expect(journey.urls()).toEqual(['reLaunch /pages/home/index', 'reLaunch /pages/launch/index'])
  expect(journey.secure('eiam.session')).toBeUndefined()
  await launch.waitFor(() => journey.pendingNavigation().length)
  expect(journey.pendingNavigation()).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
}

/** Home opened again (the mini program reopened) on the stored session. */
function reopen(journey: Journey): PageHandle {
  return journey.open('/pages/home/index')
}

describe('who is signed in', () => {
  test('it shows the name, user name, masked mobile and email from the id_token, and the session expiry', async () => {
    const { journey, home } = await signedIn()

    expect(home.text('#name')).toBe('张三')
    expect(home.text('#user-name')).toBe('zhangsan')
    expect(home.text('#mobile')).toBe('138****8000')
    expect(home.text('#email')).toBe('z***@example.com')
    expect(home.text('#session-expiry')).toBe(formatDateTime(session(journey).sessionExpiresAt))
    expect(session(journey).sessionExpiresAt).toBeGreaterThan(Date.now() + 5 * DAY_MS - 60_000)
    const everything = home.node.text()
    expect(everything).not.toContain('13800138000')
    expect(everything).not.toContain('zhangsan@example.com')
    expect(journey.state.navigationBarTitles).toContain(zh.home.title)
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
  })

  test('in English the labels are English', async () => {
    const { home } = await signedIn({ language: 'en' })

    expect(home.text('.heading')).toBe(en.home.heading)
    expect(home.text('#refresh')).toBe(en.home.refresh)
    expect(home.text('#sign-out')).toBe(en.home.signOut)
    expect(home.node.text()).toContain(en.home.sessionExpiry)
  })

  test('without any session it goes back to launch instead of showing an empty page', async () => {
    const journey = startJourney({ sandbox: env.sandbox })
    const home = journey.open('/pages/home/index')
    await home.waitFor(() => journey.pendingNavigation().length)

    expect(journey.pendingNavigation()).toEqual([{ method: 'reLaunch', url: '/pages/launch/index' }])
    expect(home.data().ready).toBe(false)
    expect(journey.state.requests).toHaveLength(0)
  })
})

describe('refreshing the id_token', () => {
  test('opened after the id_token expired, it refreshes first, keeps the rotated session token, and the old one is dead', async () => {
    const { journey } = await signedIn()
    const old = session(journey)
    moveClock(2 * HOUR_MS)

    const home = reopen(journey)
    await home.waitFor(() => home.data().ready)
    expect(journey.requestPaths()).toEqual(['login/wechat-miniprogram', 'sso/session-token/id-token'])
    expect(journey.state.requestsTo(EIAM_PATHS.refresh)[0]?.headers['x-session-token']).toBe(old.sessionToken)
    const renewed = session(journey)
    expect(renewed.sessionToken).not.toBe(old.sessionToken)
    expect(renewed.idTokenExpiresAt).toBeGreaterThan(Date.now())
    expect(home.text('#name')).toBe('张三')
    expect(home.text('#session-expiry')).toBe(formatDateTime(renewed.sessionExpiresAt))
    expect(journey.state.loginCalls).toBe(1)

    expect(await refreshAtSandbox(old.sessionToken)).toMatchObject({
      status: 400,
      json: { error_code: 'IDAAS.SDK.PARAM.0023' },
    })
    expect((await refreshAtSandbox(renewed.sessionToken)).status).toBe(200)
  })

  test('"refresh" renews the tokens once however many taps, says so, and the old session token is refused', async () => {
    const { journey, home } = await signedIn()
    const old = session(journey)

    home.tap('#refresh')
    home.tap('#refresh')
    expect(home.get('#refresh').data?.loading).toBe(true)
    await home.waitFor(() => !home.data().refreshing)
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 1,
      'sso/session-token/id-token': 1,
    })
    expect(journey.state.toasts).toContainEqual(expect.objectContaining({ title: zh.home.refreshed }))
    expect(session(journey).sessionToken).toBe(
      JSON.parse(journey.state.requestsTo(EIAM_PATHS.refresh)[0]?.responseText ?? '{}').session_token,
    )
    expect(session(journey).sessionToken).not.toBe(old.sessionToken)
    expect(home.text('#name')).toBe('张三')
    expect((await refreshAtSandbox(old.sessionToken)).status).toBe(400)
  })

  test('coming back to the page after the id_token expired refreshes it', async () => {
    const { journey, home } = await signedIn()
    home.hide()
    moveClock(2 * HOUR_MS)
    home.show()

    await home.waitFor(() => journey.state.requestsTo(EIAM_PATHS.refresh)[0]?.statusCode)
    await home.flush()
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 1,
      'sso/session-token/id-token': 1,
    })
    expect(session(journey).idTokenExpiresAt).toBeGreaterThan(Date.now())
    expect(journey.pendingNavigation()).toEqual([])
  })
})

describe('a session that ended leads back to login, never to a broken page', () => {
  test('"refresh" after the session was rotated elsewhere goes back to launch, which signs in again', async () => {
    const { journey, home } = await signedIn()
    const stolen = session(journey)
    expect((await refreshAtSandbox(stolen.sessionToken)).status).toBe(200) // another client rotated it

    await refreshLeadsBackToLaunch(journey, home)
    expect(journey.requestPaths()).toEqual([
      'login/wechat-miniprogram',
      'sso/session-token/id-token',
      'login/wechat-miniprogram',
    ])
  })

  test.each([
    ['IDAAS.SDK.PARAM.0016', 'id_token is invalid or expired'],
    ['SDK.PARAM.0023', 'Invalid or expired session token'],
    ['IDAAS.SDK.COMMON.1005', 'session_token has expired'],
    ['IDAAS.SDK.COMMON.1007', 'session_token parameter type error'],
  ])('"refresh" answered %s ("%s") drops the dead session and goes back to launch', async (code, message) => {
    const { journey, home } = await signedIn()
    env.sandbox.fault(errorFault(EIAM_PATHS.refresh, code, message))

    await refreshLeadsBackToLaunch(journey, home)
  })

  test('opened with an expired id_token the tenant no longer knows (reset), it drops the session and goes to launch', async () => {
    const { journey } = await signedIn()
    moveClock(2 * HOUR_MS)
    env.sandbox.reset()

    const home = reopen(journey)
    await home.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'reLaunch', url: '/pages/launch/index' }])
    expect(journey.secure('eiam.session')).toBeUndefined()
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 1,
      'sso/session-token/id-token': 1,
    })
  })

  test('opened after the session itself expired, it goes to launch without trying a refresh', async () => {
    const { journey } = await signedIn()
    moveClock(6 * DAY_MS)

    const home = reopen(journey)
    await home.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'reLaunch', url: '/pages/launch/index' }])
    expect(journey.secure('eiam.session')).toBeUndefined()
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
  })
})

describe('a refresh that cannot reach the tenant keeps the page', () => {
  test('offline, "refresh" says so, keeps showing the user and keeps the session', async () => {
    const { journey, home } = await signedIn()
    const before = session(journey)
    journey.state.options.offline = true

    home.tap('#refresh')
    await home.waitFor(() => !home.data().refreshing)
    expect(home.text('#notice')).toBe(zh.error.network)
    expect(home.text('#name')).toBe('张三')
    expect(session(journey)).toEqual(before)
    expect(journey.pendingNavigation()).toEqual([])

    journey.state.options.offline = false
    home.tap('#refresh')
    await home.waitFor(() => !home.data().refreshing && session(journey).sessionToken !== before.sessionToken)
    expect(home.exists('#notice')).toBe(false)
  })

  test('a busy tenant: "refresh" says so and keeps the page', async () => {
    const { journey, home } = await signedIn()
    env.sandbox.fault({ path: EIAM_PATHS.refresh, status: 503 })

    home.tap('#refresh')
    await home.waitFor(() => !home.data().refreshing)
    expect(home.text('#notice')).toBe(zh.error.server)
    expect(home.text('#user-name')).toBe('zhangsan')
    expect(journey.pendingNavigation()).toEqual([])
  })

  test('opened offline after the id_token expired, it shows who was signed in and why it is not fresh', async () => {
    const { journey } = await signedIn()
    moveClock(2 * HOUR_MS)
    journey.state.options.offline = true

    const home = reopen(journey)
    await home.waitFor(() => home.data().ready)
    expect(home.text('#name')).toBe('张三')
    expect(home.text('#notice')).toBe(zh.error.network)
    expect(journey.pendingNavigation()).toEqual([])
    expect(journey.secure('eiam.session')).toBeDefined()
  })
})

describe('signing out', () => {
  test('it drops every token and the state token, keeps the fingerprint, countdowns and support code, and opens launch waiting for a tap', async () => {
    const { journey, home } = await signedIn()
    const { sessionExpiresAt } = journey.secure('eiam.session') as { sessionExpiresAt: number }
    const countdowns = { 'bind:mobile:abc': Date.now() + 30_000 }
    journey.state.storage.set('eiam.countdowns', { value: countdowns, encrypted: false })
    journey.setSecure('eiam.flow', {
      stateToken: 'left-over',
      flow: 'bind',
      issuedAt: Date.now(),
      page: 'bind',
    })
    journey.setSecure('eiam.draft', { tab: 'mobile', areaCode: '+86', mobile: '13800138000', email: '' })

    home.tap('#sign-out')
    home.tap('#sign-out')
    const launch = await journey.next()
    expect(journey.urls()).toEqual(['reLaunch /pages/home/index', 'reLaunch /pages/launch/index?manual=1'])
    // BambooCloud has no logout: launch says in one sentence until when the server's session stays valid
    expect([...journey.state.storage.keys()].sort()).toEqual([
      'eiam.countdowns',
      'eiam.fingerprint',
      'eiam.signOutNotice',
      'eiam.support',
    ])
    expect(journey.state.storage.get('eiam.fingerprint')?.value).toBe(JOURNEY_FINGERPRINT)
    expect(journey.state.storage.get('eiam.countdowns')?.value).toEqual(countdowns)
    expect(journey.state.storage.get('eiam.signOutNotice')).toEqual({
      value: sessionExpiresAt,
      encrypted: false,
    })

    await launch.flush()
    expect(launch.text('#signed-out')).toBe(
      fill(zh.launch.signedOutLocally, { until: formatDateTime(sessionExpiresAt) }),
    )
    expect(journey.pendingNavigation()).toEqual([])
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
  })

  test('signing out while a refresh is on its way does not let the refreshed tokens come back', async () => {
    const { journey, home } = await signedIn()
    env.sandbox.fault({ path: EIAM_PATHS.refresh, delayMs: 300 })

    home.tap('#refresh')
    await home.waitFor(() => journey.state.inFlight() === 1)
    home.tap('#sign-out')
    const launch = await journey.next()
    await launch.waitFor(() => journey.state.requestsTo(EIAM_PATHS.refresh)[0]?.statusCode)
    await launch.flush()

    expect(journey.state.requestsTo(EIAM_PATHS.refresh)[0]?.statusCode).toBe(200)
    expect(journey.secure('eiam.session')).toBeUndefined()
    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 2,
      'sso/session-token/id-token': 1,
    })
  })
})
