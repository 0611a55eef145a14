/**
 * services/flow.ts against the sandbox: one login in flight, the state-token record in encrypted storage, the silent
 * restart of `withStateToken` / `runStep`, the route each status leads to, and where launch resumes.
 */
import type { FlowRecord } from '../../miniprogram/services/flow-store'
import type { StoredSession } from '../../miniprogram/services/session'
import { EIAM_PATHS } from '../../miniprogram/services/eiam'
import {
  appOn,
  secureValue,
  setAppClock,
  startApp,
  type App,
  mobileDraft,
  signedInOn,
} from '../support/client'
import { SEEDED, realTime, useSandbox } from '../support/sandbox'

const bindMode = useSandbox()
const autoMode = useSandbox({ mode: 'auto' })
const registerMode = useSandbox({ mode: 'register' })

const HOME = { kind: 'go', method: 'reLaunch', url: '/pages/home/index' }
const DENIED = { kind: 'go', method: 'reLaunch', url: '/pages/denied/index' }
const BIND_PAGE = { kind: 'go', method: 'redirectTo', url: '/pages/bind/index' }
const REGISTER_PAGE = { kind: 'go', method: 'redirectTo', url: '/pages/register/index' }
const MFA_PAGE = { kind: 'go', method: 'redirectTo', url: '/pages/mfa/index' }

/** The JSON answers the app received from `path`, oldest first. */
function answersFrom(app: App, path: string): Array<Record<string, unknown>> {
  return app.state
    .requestsTo(path)
    .map((request) => JSON.parse(request.responseText || '{}') as Record<string, unknown>)
}

const stateTokensSentTo = (app: App, path: string) =>
  app.state.requestsTo(path).map((request) => request.headers['x-state-token'])

const stateTokensIssuedByLogin = (app: App) =>
  answersFrom(app, EIAM_PATHS.login).map((answer) => answer.state_token)

/** The stored flow record is `expected`, under the state token of the app's second login (the one after a restart). */
function expectFlowFromSecondLogin(app: App, expected: Partial<FlowRecord>): void {
  expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({
    ...expected,
    stateToken: stateTokensIssuedByLogin(app)[1],
  })
}

const bindBy = (app: App, mobile: string, code: string) => (stateToken: string) =>
  app.services.eiam.socialBind(stateToken, { mobile }, code)

const stateTokenError = { error_code: 'IDAAS.SDK.COMMON.1007', error_msg: 'state_token parameter error' }

describe('login()', () => {
  test('three concurrent callers share one wx.login and one login request', async () => {
    const app = appOn(bindMode)
    const { flow } = app.services

    const answers = await Promise.all([flow.login(), flow.login(), flow.login()])

    expect(app.state.loginCalls).toBe(1)
    expect(bindMode.sandbox.requests().filter((request) => request.path === EIAM_PATHS.login)).toHaveLength(1)
    expect(answers[1]).toBe(answers[0])
    expect(answers[2]).toBe(answers[0])
  })

  test('a login after the previous one settled is a new login', async () => {
    const app = appOn(bindMode)
    await app.services.flow.login()
    await app.services.flow.login()

    expect(app.state.loginCalls).toBe(2)
  })

  test('a failed login is not kept: the next call tries again', async () => {
    const app = startApp(bindMode.sandbox, { loginFails: true })
    const { flow } = app.services

    await app.failure(Promise.all([flow.login(), flow.login()]))
    app.state.options.loginFails = false
    const answer = await flow.login()

    expect(answer.status).toBe('SOCIAL_BIND')
    expect(app.state.loginCalls).toBe(2)
  })
})

describe('signIn() and the state-token record', () => {
  test('SOCIAL_BIND leads to the bind page and keeps the state token, its flow and issue time in encrypted storage', async () => {
    const app = appOn(bindMode)
    const before = Date.now()

    const { route, record: opened } = await app.services.flow.signIn()

    expect(route).toEqual(BIND_PAGE)
    const record = secureValue<FlowRecord>(app, 'eiam.flow')
    expect(record).toEqual({
      stateToken: stateTokensIssuedByLogin(app)[0],
      flow: 'bind',
      issuedAt: expect.any(Number),
      channels: ['mobile', 'email'],
      page: 'bind',
    })
    // what signIn hands the page is that record without its state token
    expect(opened).toEqual({ flow: 'bind', channels: ['mobile', 'email'], page: 'bind' })
    expect(JSON.stringify(opened)).not.toContain(String(record?.stateToken))
    expect(record?.issuedAt).toBeGreaterThanOrEqual(before)
    expect(record?.issuedAt).toBeLessThanOrEqual(Date.now())
    await expect(app.services.flow.currentFlow()).resolves.toEqual(record)
  })

  test('the stored record cannot be read without encrypt: true', async () => {
    const app = await signedInOn(bindMode)
    const stateToken = stateTokensIssuedByLogin(app)[0] as string

    const plainRead = app.wx.getStorageSync('eiam.flow') as unknown
    const asyncPlainRead = await new Promise<unknown>((resolve) =>
      app.wx.getStorage({ key: 'eiam.flow', success: ({ data }) => resolve(data), fail: resolve }),
    )

    expect(app.state.storage.get('eiam.flow')?.encrypted).toBe(true)
    expect(String(plainRead)).toMatch(/^wx-encrypted:/)
    expect(String(plainRead)).not.toContain(stateToken)
    expect(JSON.stringify(asyncPlainRead)).not.toContain(stateToken)
  })

  test('USER_REGISTER at login (register mode) opens the bind page in its register flow', async () => {
    const app = appOn(registerMode)

    await expect(app.services.flow.signIn()).resolves.toHaveProperty('route', BIND_PAGE)
    expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({ flow: 'register', page: 'bind' })
  })

  test('MFA_AUTH at login leads to the mfa page with an mfa record', async () => {
    const app = appOn(bindMode, 'lisi')

    await expect(app.services.flow.signIn()).resolves.toHaveProperty('route', MFA_PAGE)
    expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({ flow: 'mfa', page: 'mfa' })
  })

  test('SUCCESS at login goes home with a session and no record', async () => {
    const app = appOn(bindMode, 'zhangsan')

    await expect(app.services.flow.signIn()).resolves.toHaveProperty('route', HOME)
    expect(app.state.storage.has('eiam.flow')).toBe(false)
    expect(secureValue<StoredSession>(app, 'eiam.session')?.sessionToken).toBe(
      answersFrom(app, EIAM_PATHS.login)[0]?.session_token,
    )
  })

  test('ACCESS_DENIED at login goes to the denied page and drops a stored flow and draft', async () => {
    const app = await signedInOn(bindMode)
    await app.services.flow.saveDraft(mobileDraft(SEEDED.wangwu.mobile))
    bindMode.sandbox.linkIdentity(app.fingerprint() as string, 'wangwu')

    await expect(app.services.flow.signIn()).resolves.toHaveProperty('route', DENIED)
    expect(app.state.storage.has('eiam.flow')).toBe(false)
    expect(app.state.storage.has('eiam.draft')).toBe(false)
    expect(app.state.storage.has('eiam.session')).toBe(false)
  })

  test('a successful step clears the record and the draft', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    await flow.saveDraft(mobileDraft(SEEDED.zhangsan.mobile))
    await expect(flow.loadDraft()).resolves.toMatchObject({ mobile: SEEDED.zhangsan.mobile })
    expect(app.state.storage.get('eiam.draft')?.encrypted).toBe(true)
    const code = await app.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, code))

    expect(route).toEqual(HOME)
    expect(app.state.storage.has('eiam.flow')).toBe(false)
    expect(app.state.storage.has('eiam.draft')).toBe(false)
    await expect(flow.currentFlow()).resolves.toBeUndefined()
  })

  test('leaveFlow drops the record', async () => {
    const app = await signedInOn(bindMode)

    await app.services.flow.leaveFlow()

    expect(app.state.storage.has('eiam.flow')).toBe(false)
  })

  test('navigate follows a route with the method it names, and a stay goes nowhere', async () => {
    const app = appOn(bindMode)
    const { flow } = app.services

    await flow.navigate((await flow.signIn()).route)
    await flow.navigate({ kind: 'stay', notice: 'kept' })
    await flow.navigate(HOME as Parameters<typeof flow.navigate>[0])

    expect(app.state.navigation).toEqual([
      { method: 'redirectTo', url: '/pages/bind/index' },
      { method: 'reLaunch', url: '/pages/home/index' },
    ])
  })
})

describe('runStep and withStateToken restart login silently on a state-token error', () => {
  test('an expired state token (sandbox clock) restarts login and repeats the step once with the new token', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.clock.advanceS(601)
    const code = await app.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, code))

    expect(route).toEqual(HOME)
    const issued = stateTokensIssuedByLogin(app)
    expect(issued).toHaveLength(2)
    expect(stateTokensSentTo(app, EIAM_PATHS.bind)).toEqual(issued)
    expect(answersFrom(app, EIAM_PATHS.bind)[0]).toMatchObject({ error_code: 'IDAAS.SDK.COMMON.1005' })
    expect(app.state.storage.has('eiam.flow')).toBe(false)
  })

  test('an invalid state token (1007) restarts login and repeats the step once', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    const code = await app.sendCode('bind', 'mobile', SEEDED.zhangsan.mobile)
    bindMode.sandbox.fault({ path: EIAM_PATHS.bind, status: 400, body: stateTokenError })

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, code))

    expect(route).toEqual(HOME)
    expect(app.state.requestsTo(EIAM_PATHS.login)).toHaveLength(2)
    expect(stateTokensSentTo(app, EIAM_PATHS.bind)).toEqual(stateTokensIssuedByLogin(app))
  })

  test('when the repeat fails with a state-token error too, that error reaches the caller', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.sandbox.fault({ path: EIAM_PATHS.bind, status: 400, body: stateTokenError, times: 2 })

    const error = await app.failure(flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '123456')))

    expect([error.kind, error.code]).toEqual(['state-token', 'SDK.COMMON.1007'])
    expect(app.state.requestsTo(EIAM_PATHS.bind)).toHaveLength(2)
    expect(app.state.requestsTo(EIAM_PATHS.login)).toHaveLength(2)
    expect(app.services.feedback.messageOf(error)).toBe(app.services.i18n.t('error.stateToken'))
  })

  test('when the repeat fails otherwise, that error reaches the caller and the new state token is kept', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.sandbox.fault({ path: EIAM_PATHS.bind, status: 400, body: stateTokenError })

    const error = await app.failure(flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '000000')))

    expect([error.kind, error.code, error.message]).toEqual([
      'rejected',
      'SDK.COMMON.1006',
      'verify_code 参数错误',
    ])
    const newToken = stateTokensIssuedByLogin(app)[1]
    expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({ stateToken: newToken, flow: 'bind' })
  })

  test('a step that fails for another reason is not repeated', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services

    const error = await app.failure(flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '000000')))

    expect(error.code).toBe('SDK.COMMON.1006')
    expect(app.state.requestsTo(EIAM_PATHS.bind)).toHaveLength(1)
    expect(app.state.requestsTo(EIAM_PATHS.login)).toHaveLength(1)
  })

  test('when the new login answers ACCESS_DENIED, the route follows it and the step is not repeated', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.clock.advanceS(601)
    bindMode.sandbox.linkIdentity(app.fingerprint() as string, 'wangwu')

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '123456'))

    expect(route).toEqual(DENIED)
    expect(app.state.requestsTo(EIAM_PATHS.bind)).toHaveLength(1)
    expect(app.state.storage.has('eiam.flow')).toBe(false)
  })

  test('when the new login answers MFA_AUTH, the route goes to the mfa page with an mfa record', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.sandbox.linkIdentity(app.fingerprint() as string, 'lisi')
    bindMode.sandbox.fault({ path: EIAM_PATHS.bind, status: 400, body: stateTokenError })

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '123456'))

    expect(route).toEqual(MFA_PAGE)
    expect(app.state.requestsTo(EIAM_PATHS.bind)).toHaveLength(1)
    expectFlowFromSecondLogin(app, { flow: 'mfa' })
  })

  test('when the new login answers SUCCESS, the route goes home', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.clock.advanceS(601)
    bindMode.sandbox.linkIdentity(app.fingerprint() as string, 'zhangsan')

    await expect(flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '123456'))).resolves.toEqual(HOME)
    expect(app.state.storage.has('eiam.session')).toBe(true)
  })

  test('withStateToken without a record logs in first, then reuses the stored token', async () => {
    const app = appOn(bindMode, 'lisi')
    const { eiam, flow } = app.services

    const first = await flow.withStateToken('mfa', eiam.mobileByToken)
    const second = await flow.withStateToken('mfa', eiam.mobileByToken)

    expect(first).toMatchObject({ ok: true, value: '13900139000', record: { flow: 'mfa', page: 'mfa' } })
    expect(second).toMatchObject({ ok: true, value: '13900139000' })
    expect(app.state.requestsTo(EIAM_PATHS.login)).toHaveLength(1)
    expect(stateTokensSentTo(app, EIAM_PATHS.mobileByToken)).toEqual([
      stateTokensIssuedByLogin(app)[0],
      stateTokensIssuedByLogin(app)[0],
    ])
  })

  test('withStateToken with a record of another flow logs in again before calling', async () => {
    const app = await signedInOn(bindMode)
    const { eiam, flow } = app.services
    bindMode.sandbox.linkIdentity(app.fingerprint() as string, 'lisi')

    const result = await flow.withStateToken('mfa', eiam.mobileByToken)

    expect(result).toMatchObject({ ok: true, value: '13900139000' })
    expect(stateTokensSentTo(app, EIAM_PATHS.mobileByToken)).toEqual([stateTokensIssuedByLogin(app)[1]])
    // the new record belongs to the mfa page: a reload resumes there, not on the bind page of the old record
    expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({ flow: 'mfa', page: 'mfa' })
    await expect(app.restart().services.flow.resumeRoute()).resolves.toEqual(MFA_PAGE)
  })

  test('in register mode an invalid state token restarts the register flow and repeats the step', async () => {
    const app = await signedInOn(registerMode)
    const { flow } = app.services
    registerMode.sandbox.fault({ path: EIAM_PATHS.registerBind, status: 400, body: stateTokenError })
    const code = await app.sendCode('register', 'mobile', '13600136000')

    const route = await flow.runStep('register', (token) =>
      app.services.eiam.socialRegisterBind(token, { mobile: '13600136000' }, code),
    )

    expect(route).toEqual(HOME)
    expect(stateTokensSentTo(app, EIAM_PATHS.registerBind)).toEqual(stateTokensIssuedByLogin(app))
  })

  test('a restart in register mode keeps the bind page the register flow is on', async () => {
    const app = await signedInOn(registerMode)
    const { flow } = app.services
    registerMode.sandbox.fault({ path: EIAM_PATHS.registerBind, status: 400, body: stateTokenError })

    await app.failure(
      flow.runStep('register', (token) =>
        app.services.eiam.socialRegisterBind(token, { mobile: '13600136000' }, '123456'),
      ),
    )

    expectFlowFromSecondLogin(app, { flow: 'register', page: 'bind' })
  })

  test('an expired token on the register page in auto mode leads back to the bind page of a new bind flow', async () => {
    const app = await signedInOn(autoMode)
    const { flow } = app.services
    const bindCode = await app.sendCode('bind', 'mobile', '13600136000')
    await flow.runStep('bind', bindBy(app, '13600136000', bindCode))
    autoMode.clock.advanceS(601)

    const route = await flow.runStep('register', (token) =>
      app.services.eiam.socialRegisterBind(token, { mobile: '13600136000' }, '123456'),
    )

    expect(route).toEqual(BIND_PAGE)
    expect(app.state.requestsTo(EIAM_PATHS.registerBind)).toHaveLength(1)
    expectFlowFromSecondLogin(app, { flow: 'bind', page: 'bind' })
  })

  test("a record older than the state-token lifetime on the app's clock is not used: login first", async () => {
    const app = appOn(bindMode)
    const { flow } = app.services
    setAppClock(realTime() - 11 * 60 * 1000)
    await flow.signIn()
    jest.useRealTimers()
    const code = await app.sendCode('bind', 'email', SEEDED.zhangsan.email)

    const route = await flow.runStep('bind', (token) =>
      app.services.eiam.socialBind(token, { email: SEEDED.zhangsan.email }, code),
    )

    expect(route).toEqual(HOME)
    expect(stateTokensSentTo(app, EIAM_PATHS.bind)).toEqual([stateTokensIssuedByLogin(app)[1]])
  })

  test('a step answered SOCIAL_BIND (still unbound) starts a fresh flow and stays with a notice', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    bindMode.sandbox.fault({
      path: EIAM_PATHS.bind,
      status: 200,
      body: { status: 'SOCIAL_BIND', state_token: 'spent-token' },
    })

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '123456'))

    expect(route).toEqual({ kind: 'stay', notice: app.services.i18n.t('error.stillUnbound') })
    expectFlowFromSecondLogin(app, { flow: 'bind' })
  })

  test('an MFA_AUTH step answer without a state token keeps the current one and its issue time', async () => {
    const app = await signedInOn(bindMode)
    const { flow } = app.services
    const before = secureValue<FlowRecord>(app, 'eiam.flow') as FlowRecord
    bindMode.sandbox.fault({ path: EIAM_PATHS.bind, status: 200, body: { status: 'MFA_AUTH' } })

    const route = await flow.runStep('bind', bindBy(app, SEEDED.zhangsan.mobile, '123456'))

    expect(route).toEqual(MFA_PAGE)
    expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({
      flow: 'mfa',
      page: 'mfa',
      stateToken: before.stateToken,
      issuedAt: before.issuedAt,
    })
  })

  test('in auto mode a bind answered USER_REGISTER opens the register page and remembers the attempt', async () => {
    const app = await signedInOn(autoMode)
    const { flow } = app.services
    const code = await app.sendCode('bind', 'mobile', '13600136000')
    const attempt = { channel: 'mobile' as const, value: '13600136000' }

    const route = await flow.runStep('bind', bindBy(app, '13600136000', code), attempt)

    expect(route).toEqual(REGISTER_PAGE)
    expect(secureValue<FlowRecord>(app, 'eiam.flow')).toMatchObject({
      flow: 'register',
      page: 'register',
      attempt,
      stateToken: answersFrom(app, EIAM_PATHS.bind)[0]?.state_token,
    })
  })
})

describe('resumeRoute()', () => {
  test('a live flow resumes its page in a fresh app, without any request', async () => {
    const first = await signedInOn(bindMode)
    const requestsBefore = bindMode.sandbox.requests().length

    const app = first.restart()
    const route = await app.services.flow.resumeRoute()

    expect(route).toEqual(BIND_PAGE)
    expect(bindMode.sandbox.requests()).toHaveLength(requestsBefore)
    expect(app.state.loginCalls).toBe(0)
  })

  test('a valid session goes home without any request', async () => {
    const first = await signedInOn(bindMode, 'zhangsan')

    const app = first.restart()

    await expect(app.services.flow.resumeRoute()).resolves.toEqual(HOME)
    expect(app.state.requests).toEqual([])
  })

  test('an expired id_token is refreshed first: home, with the rotated session token stored', async () => {
    const first = appOn(bindMode, 'zhangsan')
    bindMode.clock.advanceS(-2 * 3600) // the id_token was issued two hours ago: its exp has passed
    await first.services.flow.signIn()
    bindMode.clock.reset()
    const old = secureValue<StoredSession>(first, 'eiam.session') as StoredSession
    expect(old.idTokenExpiresAt).toBeLessThan(Date.now())

    const app = first.restart()
    const route = await app.services.flow.resumeRoute()

    expect(route).toEqual(HOME)
    expect(app.state.requests.map((request) => [request.path, request.headers['x-session-token']])).toEqual([
      [EIAM_PATHS.refresh, old.sessionToken],
    ])
    const stored = secureValue<StoredSession>(app, 'eiam.session') as StoredSession
    expect(stored.sessionToken).toBe(answersFrom(app, EIAM_PATHS.refresh)[0]?.session_token)
    expect(stored.sessionToken).not.toBe(old.sessionToken)
    expect(stored.idTokenExpiresAt).toBeGreaterThan(Date.now())
  })

  test('an expired session leads nowhere (sign in) and is dropped, without any request', async () => {
    const first = await signedInOn(bindMode, 'zhangsan')

    const app = first.restart()
    setAppClock(realTime() + 432001 * 1000)
    const route = await app.services.flow.resumeRoute()

    expect(route).toBeUndefined()
    expect(app.state.storage.has('eiam.session')).toBe(false)
    expect(app.state.requests).toEqual([])
  })

  test('a refresh the tenant refuses leads nowhere and drops the session', async () => {
    const first = appOn(bindMode, 'zhangsan')
    bindMode.clock.advanceS(-2 * 3600)
    await first.services.flow.signIn()
    bindMode.clock.reset()
    bindMode.sandbox.reset() // the tenant forgot every session

    const app = first.restart()

    await expect(app.services.flow.resumeRoute()).resolves.toBeUndefined()
    expect(app.state.requestsTo(EIAM_PATHS.refresh)).toHaveLength(1)
    expect(app.state.storage.has('eiam.session')).toBe(false)
  })

  test("a refresh that cannot reach the tenant is the caller's to retry, and the session is kept", async () => {
    const first = appOn(bindMode, 'zhangsan')
    bindMode.clock.advanceS(-2 * 3600)
    await first.services.flow.signIn()
    bindMode.clock.reset()

    const app = first.restart({ offline: true })
    const error = await app.failure(app.services.flow.resumeRoute())

    expect(error.kind).toBe('network')
    expect(app.state.storage.has('eiam.session')).toBe(true)
  })

  test('nothing stored leads nowhere', async () => {
    const app = appOn(bindMode)

    await expect(app.services.flow.resumeRoute()).resolves.toBeUndefined()
    expect(app.state.requests).toEqual([])
  })

  test('a flow record older than the state-token lifetime is not resumed', async () => {
    const first = await signedInOn(bindMode)

    const app = first.restart()
    setAppClock(realTime() + 601 * 1000)

    await expect(app.services.flow.resumeRoute()).resolves.toBeUndefined()
  })
})
