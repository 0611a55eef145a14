/**
 * The launch page against the sandbox: who the app is for, the login and where each status leads, progress and
 * errors with a retry, and what a stored session or flow makes it do without asking anyone.
 */
import type { Fault, Sandbox } from '../../sandbox'
import { fill, strings } from '../../miniprogram/i18n/index'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import type { FlowRecord } from '../../miniprogram/services/flow-store'
import type { StoredSession } from '../../miniprogram/services/session'
import { callSandbox, JOURNEY_FINGERPRINT, moveClock, startJourney, type Journey } from '../support/journey'
import type { WxNodeOptions } from '../support/wx-node'
import { useSandbox } from '../support/sandbox'

const zh = strings('zh')
const en = strings('en')
const LAUNCH = '/pages/launch/index'
const HOUR_MS = 3600 * 1000
const DAY_MS = 24 * HOUR_MS

// every sandbox reads the same (possibly moved) clock as the app
const appClock = { now: () => Date.now() }
const env = useSandbox(appClock)
/** In register mode an unlinked identity meets USER_REGISTER. */
const registerEnv = useSandbox({ ...appClock, mode: 'register' })
/** Knows another application: the app's client id is unknown there. */
const otherClientEnv = useSandbox({ ...appClock, clientId: 'another-client-id' })
afterEach(() => {
  jest.useRealTimers()
})

const loginResponse = (journey: Journey, index = 0) => {
  const login = journey.state.requestsTo(EIAM_PATHS.login)[index]
  return JSON.parse(login?.responseText ?? '{}') as Record<string, unknown>
}

/** A journey on `on` whose launch page, opened as WeChat opens it, has asked to navigate. */
async function launched(on: Sandbox = env.sandbox): Promise<Journey> {
  const journey = startJourney({ sandbox: on })
  const launch = journey.open(LAUNCH)
  await launch.waitFor(() => journey.pendingNavigation().length)
  return journey
}

/** Signs in as a linked user through launch and waits for home, leaving the session in storage. */
async function signedInAs(user: string): Promise<Journey> {
  env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, user)
  const journey = await launched()
  expect(journey.urls()).toEqual(['reLaunch /pages/home/index'])
  return journey
}

describe('who the app is for', () => {
  test('in manual mode it names the organisation it is for and sends nothing until the user taps sign in', async () => {
    const journey = startJourney({ sandbox: env.sandbox })
    const launch = journey.open(`${LAUNCH}?manual=1`)
    await launch.flush()

    expect(launch.text('.heading')).toBe(fill(zh.launch.heading, { organisation: '示例科技' }))
    expect(launch.text('#scope')).toBe(fill(zh.launch.scope, { organisation: '示例科技' }))
    expect(launch.text('#sign-in')).toBe(zh.launch.signIn)
    expect(launch.text('#not-now')).toBe(zh.form.notNow)
    expect(journey.state.requests).toHaveLength(0)
    expect(journey.state.loginCalls).toBe(0)
    expect(journey.urls()).toEqual([])

    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index'])
  })

  test('in English it says the same, and the title is localised', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { language: 'en' } })
    const launch = journey.open(`${LAUNCH}?manual=1`)
    await launch.flush()

    expect(launch.text('.heading')).toBe('Sign in to Example Tech')
    expect(launch.text('#scope')).toBe(fill(en.launch.scope, { organisation: 'Example Tech' }))
    expect(launch.text('#sign-in')).toBe(en.launch.signIn)
    expect(launch.text('#not-now')).toBe(en.form.notNow)
    expect(journey.state.navigationBarTitles).toEqual([en.launch.title])
  })

  test('"not now" leaves the mini program without signing in', async () => {
    const journey = startJourney({ sandbox: env.sandbox })
    const launch = journey.open(`${LAUNCH}?manual=1`)
    launch.tap('#not-now')
    await launch.flush()

    expect(journey.state.exitMiniProgramCalls).toBe(1)
    expect(journey.state.requests).toHaveLength(0)
    expect(journey.state.loginCalls).toBe(0)
    expect(journey.urls()).toEqual([])
  })
})

describe('the login and where its status leads', () => {
  test('an unlinked identity (SOCIAL_BIND) opens the bind page with the state token kept in encrypted storage', async () => {
    const journey = await launched()

    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index'])
    expect(journey.state.loginCalls).toBe(1)
    const [login] = journey.state.requestsTo(EIAM_PATHS.login)
    expect(login?.json).toEqual({ code: journey.state.loginCodes[0] })
    expect(login?.headers['x-device-fingerprint']).toBe(JOURNEY_FINGERPRINT)
    const flow = journey.secure<FlowRecord>('eiam.flow')
    expect(flow).toMatchObject({ flow: 'bind', page: 'bind', stateToken: loginResponse(journey).state_token })
    expect(journey.secure('eiam.session')).toBeUndefined()
  })

  test.each([
    ['USER_REGISTER at login opens the bind page in its register flow', undefined, 'register', 'bind'],
    ['MFA_AUTH opens the second-factor page with its state token', 'lisi', 'mfa', 'mfa'],
  ] as const)('%s', async (title, user, flow, page) => {
    if (user) env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, user)
    const journey = await launched(user ? env.sandbox : registerEnv.sandbox)

    expect(journey.urls()).toEqual([`redirectTo /pages/${page}/index`])
    expect(loginResponse(journey).status).toBe(title.split(' ')[0])
    expect(journey.secure<FlowRecord>('eiam.flow')).toMatchObject({
      flow,
      page,
      stateToken: loginResponse(journey).state_token,
    })
  })

  test('ACCESS_DENIED relaunches into the denied page and keeps no flow', async () => {
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'wangwu')
    const journey = await launched()

    expect(journey.urls()).toEqual(['reLaunch /pages/denied/index'])
    expect(journey.secure('eiam.flow')).toBeUndefined()
    expect(journey.secure('eiam.session')).toBeUndefined()
  })

  test('SUCCESS relaunches home with the tokens and their expiries in encrypted storage', async () => {
    const before = Date.now()
    const journey = await signedInAs('zhangsan')
    const answer = loginResponse(journey)
    const session = journey.secure<StoredSession>('eiam.session')

    expect(session?.sessionToken).toBe(answer.session_token)
    expect(session?.idToken).toBe(answer.id_token)
    expect(session?.sessionExpiresAt).toBeGreaterThanOrEqual(before + 432000 * 1000)
    expect(session?.sessionExpiresAt).toBeLessThanOrEqual(Date.now() + 432000 * 1000)
    expect(session?.idTokenExpiresAt).toBeGreaterThan(Date.now() + HOUR_MS - 60_000)
    expect(journey.state.storage.get('eiam.session')?.encrypted).toBe(true)
    expect(journey.secure('eiam.flow')).toBeUndefined()
  })

  test('while the login runs the button shows progress and more taps send nothing more', async () => {
    env.sandbox.fault({ path: EIAM_PATHS.login, delayMs: 400 })
    const journey = startJourney({ sandbox: env.sandbox })
    const launch = journey.open(`${LAUNCH}?manual=1`)
    launch.tap('#sign-in')
    await launch.waitFor(() => journey.state.inFlight() === 1)

    expect(launch.get('#sign-in').data?.loading).toBe(true)
    expect(launch.text('#sign-in')).toContain(zh.launch.signingIn)
    launch.tap('#sign-in')
    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 1 })
  })

  test('on its own it first says it is picking up where the user left off', async () => {
    const journey = startJourney({ sandbox: env.sandbox })
    const launch = journey.open(LAUNCH)

    expect(launch.data().phase).toBe('resuming')
    expect(launch.get('#sign-in').data?.loading).toBe(true)
    expect(launch.text('#sign-in')).toContain(zh.launch.resuming)
    await launch.waitFor(() => journey.pendingNavigation().length)
  })
})

describe('a failed sign-in says what happened and offers a retry', () => {
  async function failedLaunch(journey: Journey) {
    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => launch.data().phase === 'error')
    expect(launch.text('#sign-in')).toBe(zh.form.retry)
    expect(journey.urls()).toEqual([])
    return launch
  }

  test('offline: it says the network is unreachable, and the retry signs in once back online', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { offline: true } })
    const launch = await failedLaunch(journey)
    expect(launch.text('#error')).toBe(zh.error.network)
    expect(env.sandbox.requests()).toHaveLength(0)

    journey.state.options.offline = false
    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index'])
    expect(launch.exists('#error')).toBe(false)
  })

  test('a navigation WeChat refuses leaves the retry usable and says so, instead of loading for ever', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { knownPages: [LAUNCH] } })
    const launch = await failedLaunch(journey)
    expect(launch.text('#error')).toBe(zh.error.unexpected)
    expect(launch.data().phase).toBe('error')
  })

  test('offline, a banner says so until the network comes back; the page stops listening when it leaves', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { offline: true } })
    const launch = journey.open(`${LAUNCH}?manual=1`)
    await launch.waitFor(() => launch.exists('#offline'))
    expect(launch.text('#offline')).toBe(zh.common.offline)
    expect(journey.state.networkListeners()).toBe(1)

    journey.state.emitNetworkStatus(true)
    await launch.flush()
    expect(launch.exists('#offline')).toBe(false)
    journey.state.emitNetworkStatus(false)
    await launch.flush()
    expect(launch.text('#offline')).toBe(zh.common.offline)

    launch.unload()
    expect(journey.state.networkListeners()).toBe(0)
  })

  test.each<[string, Fault, WxNodeOptions, string]>([
    [
      'no answer in time: it says the service took too long',
      { path: EIAM_PATHS.login, delayMs: 2000 },
      { timeoutMs: 200 },
      zh.error.timeout,
    ],
    [
      '"system busy" from the tenant: it shows the tenant\'s words',
      {
        path: EIAM_PATHS.login,
        status: 500,
        body: { error_code: 'IDAAS.SDK.COMMON.1008', error_msg: '系统繁忙' },
      },
      {},
      '系统繁忙',
    ],
    [
      'an answer that is not JSON: it says the answer was unexpected',
      { path: EIAM_PATHS.login, malformed: true },
      {},
      zh.error.unexpected,
    ],
    [
      'a status the app does not know: it names it instead of guessing',
      { path: EIAM_PATHS.login, status: 200, body: { status: 'LOCKED' } },
      {},
      fill(zh.error.unknownStatus, { status: 'LOCKED' }),
    ],
  ])('%s', async (_title, fault, wx, message) => {
    env.sandbox.fault(fault)
    const journey = startJourney({ sandbox: env.sandbox, wx })
    const launch = await failedLaunch(journey)
    expect(launch.text('#error')).toBe(message)
  })

  test('a busy server (5xx without a body): it says the service is busy, and the retry gets through', async () => {
    env.sandbox.fault({ path: EIAM_PATHS.login, status: 502 })
    const journey = startJourney({ sandbox: env.sandbox })
    const launch = await failedLaunch(journey)
    expect(launch.text('#error')).toBe(zh.error.server)

    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.requestCounts()).toEqual({ 'login/wechat-miniprogram': 2 })
    expect(journey.state.loginCalls).toBe(2)
    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index'])
  })

  test('an unknown client id (bad configuration): it says the app is not set up and points to the support contact', async () => {
    const journey = startJourney({ sandbox: otherClientEnv.sandbox })
    const launch = await failedLaunch(journey)
    expect(launch.text('#error')).toBe(zh.error.configuration)
    expect(launch.text('.launch__support')).toContain('it-help@example.com')
    expect(otherClientEnv.sandbox.requests().map((request) => request.status)).toEqual([400])
  })

  test('wx.login failing: it says WeChat could not start the sign-in and sends nothing', async () => {
    const journey = startJourney({ sandbox: env.sandbox, wx: { loginFails: true } })
    const launch = await failedLaunch(journey)
    expect(launch.text('#error')).toBe(zh.error.login)
    expect(journey.state.requests).toHaveLength(0)

    journey.state.options.loginFails = false
    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.urls()).toEqual(['redirectTo /pages/bind/index'])
  })

  test('in English the error is English too, and the tenant is asked in English', async () => {
    const journey = startJourney({ sandbox: otherClientEnv.sandbox, wx: { language: 'en' } })
    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => launch.data().phase === 'error')
    expect(launch.text('#error')).toBe(en.error.configuration)
    expect(launch.text('#sign-in')).toBe(en.form.retry)
    expect(journey.state.requests[0]?.headers['x-l']).toBe('en')
  })
})

describe('what is stored decides where launch goes', () => {
  test('a valid stored session goes home without wx.login or any request', async () => {
    const journey = await signedInAs('zhangsan')
    const requestsBefore = journey.state.requests.length

    // the mini program killed and reopened: a fresh copy of every module, the same storage
    const launch = journey.open(LAUNCH, { fresh: true })
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation().map((entry) => entry.url)).toEqual(['/pages/home/index'])
    expect(journey.state.requests).toHaveLength(requestsBefore)
    expect(journey.state.loginCalls).toBe(1)
  })

  test('an expired id_token is refreshed through the API first (rotating the session token), then home', async () => {
    const journey = await signedInAs('zhangsan')
    const old = journey.secure<StoredSession>('eiam.session') as StoredSession
    moveClock(2 * HOUR_MS)

    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation().map((entry) => entry.url)).toEqual(['/pages/home/index'])
    expect(journey.requestPaths()).toEqual(['login/wechat-miniprogram', 'sso/session-token/id-token'])
    const [refresh] = journey.state.requestsTo(EIAM_PATHS.refresh)
    expect(refresh?.headers['x-session-token']).toBe(old.sessionToken)
    expect(journey.state.loginCalls).toBe(1)

    const renewed = journey.secure<StoredSession>('eiam.session') as StoredSession
    expect(renewed.sessionToken).not.toBe(old.sessionToken)
    expect(renewed.idTokenExpiresAt).toBeGreaterThan(Date.now())
    const reuse = await callSandbox(env.sandbox, {
      method: 'POST',
      path: EIAM_PATHS.refresh,
      headers: { 'x-session-token': old.sessionToken },
    })
    expect(reuse).toMatchObject({ status: 400, json: { error_code: 'IDAAS.SDK.PARAM.0023' } })
  })

  test('an expired id_token whose refresh is refused falls back to login only then, and drops the old session', async () => {
    const journey = await signedInAs('zhangsan')
    moveClock(2 * HOUR_MS)
    env.sandbox.reset() // the tenant forgot the session (and the link)

    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.requestPaths()).toEqual([
      'login/wechat-miniprogram',
      'sso/session-token/id-token',
      'login/wechat-miniprogram',
    ])
    expect(journey.pendingNavigation().map((entry) => entry.url)).toEqual(['/pages/bind/index'])
    expect(journey.secure('eiam.session')).toBeUndefined()
  })

  test('an expired session goes to login without trying a refresh', async () => {
    const journey = await signedInAs('zhangsan')
    moveClock(6 * DAY_MS)

    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.requestPaths()).toEqual(['login/wechat-miniprogram', 'login/wechat-miniprogram'])
    // still linked to zhangsan: the new login answers SUCCESS with a new session
    expect(journey.pendingNavigation().map((entry) => entry.url)).toEqual(['/pages/home/index'])
    expect(journey.secure<StoredSession>('eiam.session')?.sessionToken).toBe(
      loginResponse(journey, 1).session_token,
    )
  })

  test('an expired id_token while offline says so; the retry refreshes again instead of a new login', async () => {
    const journey = await signedInAs('zhangsan')
    moveClock(2 * HOUR_MS)
    journey.state.options.offline = true

    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => launch.data().phase === 'error')
    expect(launch.text('#error')).toBe(zh.error.network)
    expect(journey.state.loginCalls).toBe(1)

    journey.state.options.offline = false
    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation().map((entry) => entry.url)).toEqual(['/pages/home/index'])
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.requestCounts()).toEqual({
      'login/wechat-miniprogram': 1,
      'sso/session-token/id-token': 2,
    })
  })

  test('a live stored flow resumes its page after a restart, without a login call', async () => {
    env.sandbox.linkIdentity(JOURNEY_FINGERPRINT, 'lisi')
    const journey = await launched()
    const flow = journey.secure<FlowRecord>('eiam.flow')

    const launch = journey.open(LAUNCH, { fresh: true })
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'redirectTo', url: '/pages/mfa/index' }])
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.state.requests).toHaveLength(1)
    expect(journey.secure<FlowRecord>('eiam.flow')).toEqual(flow)
  })

  test('a stored flow older than the state token lifetime is not resumed: launch signs in again', async () => {
    const journey = await launched()
    const flow = journey.secure<FlowRecord>('eiam.flow') as FlowRecord
    moveClock(11 * 60 * 1000)

    const launch = journey.open(LAUNCH)
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'redirectTo', url: '/pages/bind/index' }])
    expect(journey.state.loginCalls).toBe(2)
    expect(journey.secure<FlowRecord>('eiam.flow')?.stateToken).not.toBe(flow.stateToken)
  })

  test('?manual=1 waits for the tap even with a valid session, then goes home without a new login', async () => {
    const journey = await signedInAs('zhangsan')
    const requestsBefore = journey.state.requests.length

    const launch = journey.open(`${LAUNCH}?manual=1`)
    await launch.flush()
    expect(journey.pendingNavigation()).toEqual([])
    expect(journey.state.requests).toHaveLength(requestsBefore)

    launch.tap('#sign-in')
    await launch.waitFor(() => journey.pendingNavigation().length)
    expect(journey.pendingNavigation()).toEqual([{ method: 'reLaunch', url: '/pages/home/index' }])
    expect(journey.state.loginCalls).toBe(1)
    expect(journey.state.requests).toHaveLength(requestsBefore)
  })
})
